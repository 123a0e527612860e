#include "tools/mcctl/recognition_commands.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/crypto.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"

namespace microcred::mcctl {
namespace {

namespace rv1 = recognition::v1;

constexpr char kRequest[] = "recognition request";
constexpr char kList[] = "recognition list";
constexpr char kDecide[] = "recognition decide";
constexpr char kAppeal[] = "recognition appeal";

// "mcctl-<action>-" + 32 hex digits of everything the command sends: running it again is
// answered once.
std::string DerivedId(std::string_view action, const google::protobuf::Message& request) {
  return "mcctl-" + std::string(action) + "-" +
         crypto::HexEncode(crypto::Sha256(request.SerializeAsString())).substr(0, 32);
}

std::string Trim(const std::string& text) { return std::string(absl::StripAsciiWhitespace(text)); }

// "credit-transfer" -> RECOGNITION_PURPOSE_CREDIT_TRANSFER.
absl::StatusOr<rv1::RecognitionPurpose> ParsePurpose(const std::string& text) {
  rv1::RecognitionPurpose purpose;
  const std::string name =
      "RECOGNITION_PURPOSE_" + absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}}));
  if (text.empty() || !rv1::RecognitionPurpose_Parse(name, &purpose)) {
    return absl::InvalidArgumentError(
        "--purpose: admission, credit-transfer, exemption, pathway or employment");
  }
  return purpose;
}

absl::StatusOr<rv1::RequestState> ParseState(const std::string& text) {
  rv1::RequestState state;
  const std::string name =
      "REQUEST_STATE_" + absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}}));
  if (!rv1::RequestState_Parse(name, &state)) {
    return absl::InvalidArgumentError("--state: unknown state \"" + text + "\"");
  }
  return state;
}

std::string RequestText(const rv1::RecognitionRequest& r) {
  std::string text =
      r.request_id() + "  " + EnumLabel(rv1::RequestState_Name(r.state()), "REQUEST_STATE_") + "\n";
  text +=
      "  purpose: " + EnumLabel(rv1::RecognitionPurpose_Name(r.purpose()), "RECOGNITION_PURPOSE_") +
      "\n";
  for (const rv1::PresentedCredential& c : r.credentials()) {
    text += "  credential " + c.facts().credential_id() + " from " + c.facts().issuer() + ": " +
            (c.authenticity() == rv1::AUTHENTICITY_AUTHENTIC
                 ? "authentic"
                 : "NOT authentic (" + c.failed_check() + ": " + c.failed_detail() + ")") +
            "\n";
  }
  auto decision_text = [&](const char* label, const rv1::RecognitionDecision& d) {
    text += std::string("  ") + label + ": " +
            EnumLabel(rv1::RecognitionOutcome_Name(d.outcome()), "RECOGNITION_OUTCOME_") + ", " +
            absl::StrCat(d.recognised_ects()) + " of " + absl::StrCat(d.original_ects()) +
            " ECTS, by " +
            (d.decided_by_policy().empty() ? d.decided_by() : d.decided_by_policy()) + " (" +
            d.decision_reference() + ")\n";
  };
  if (r.has_decision()) decision_text("decision", r.decision());
  if (r.appeal().has_decision()) decision_text("on appeal", r.appeal().decision());
  return text;
}

int Print(const rv1::RecognitionRequest& request, const GlobalOptions& global) {
  if (global.json) {
    PrintJson(request);
  } else {
    std::cout << RequestText(request);
  }
  return kExitOk;
}

// ---- request ----

int RunRequest(const Invocation& in) {
  auto purpose_text = in.flags.GetString("purpose", "credit-transfer");
  if (!purpose_text.ok()) return UsageError(kRequest, purpose_text.status());
  auto purpose = ParsePurpose(*purpose_text);
  if (!purpose.ok()) return UsageError(kRequest, purpose.status());
  rv1::SubmitRequestRequest request;
  request.set_purpose(*purpose);
  request.set_learner_id(*in.flags.GetString("learner", ""));
  const std::string programme = *in.flags.GetString("programme", "");
  const std::string component = *in.flags.GetString("component", "");
  if (!component.empty()) {
    rv1::ComponentTarget& target = *request.mutable_target()->mutable_component();
    target.set_programme_id(programme);
    target.set_component_id(component);
    double ects = 0;
    const std::string ects_text = *in.flags.GetString("component-ects", "");
    if (!ects_text.empty() && !absl::SimpleAtod(ects_text, &ects)) {
      return UsageError(kRequest, "--component-ects: not a number");
    }
    target.set_ects(ects);
  } else if (!programme.empty()) {
    request.mutable_target()->set_programme_id(programme);
  } else if (const std::string pathway = *in.flags.GetString("pathway", ""); !pathway.empty()) {
    request.mutable_target()->set_pathway_id(pathway);
  } else {
    return UsageError(kRequest, "a target is required: --programme, --component or --pathway");
  }
  for (const std::string& path : in.args) {
    auto content = ReadInput(path);
    if (!content.ok()) return UsageError(kRequest, content.status());
    request.add_credential_jws(Trim(*content));
  }
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_client_request_id(id.empty() ? DerivedId("recognition", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionRequest answer;
  grpc::Status status = client.recognition().SubmitRequest(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  return Print(answer, in.global);
}

// ---- list ----

int RunList(const Invocation& in) {
  rv1::ListRequestsRequest request;
  const std::vector<std::string> names =
      absl::StrSplit(*in.flags.GetString("state", ""), ',', absl::SkipWhitespace());
  for (const std::string& name : names) {
    auto state = ParseState(name);
    if (!state.ok()) return UsageError(kList, state.status());
    request.add_states(*state);
  }
  request.set_overdue_only(in.flags.IsSet("overdue"));
  request.set_page_size(100);
  NodeClient client(in.global);
  rv1::ListRequestsResponse all;
  do {
    grpc::ClientContext context;
    client.Prepare(context);
    rv1::ListRequestsResponse page;
    grpc::Status status = client.recognition().ListRequests(&context, request, &page);
    if (!status.ok()) return RpcFailure(status, in.global);
    for (auto& r : *page.mutable_requests()) *all.add_requests() = std::move(r);
    all.set_overdue_count(page.overdue_count());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (in.global.json) {
    PrintJson(all);
  } else {
    for (const auto& r : all.requests()) std::cout << RequestText(r);
    std::cout << all.requests_size() << " request(s), " << all.overdue_count() << " overdue\n";
  }
  return kExitOk;
}

// ---- decide ----

int RunDecide(const Invocation& in) {
  auto file = RequiredFlag(in.flags, "decision");
  if (!file.ok()) return UsageError(kDecide, file.status());
  auto content = ReadInput(*file);
  if (!content.ok()) return UsageError(kDecide, content.status());
  rv1::DecideRequest request;
  request.set_request_id(in.args[0]);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed =
      google::protobuf::util::JsonStringToMessage(*content, request.mutable_decision(), options);
  if (!parsed.ok()) {
    return UsageError(kDecide, *file + ": not a RecognitionDecision in JSON (" +
                                   std::string(parsed.message().data(), parsed.message().size()) +
                                   ")");
  }
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_client_request_id(id.empty() ? DerivedId("decide", request) : id);
  NodeClient client(in.global);
  // A request just received is taken into review first: the officer deciding it reviews it.
  rv1::GetRequestRequest get;
  get.set_request_id(request.request_id());
  rv1::RecognitionRequest current;
  {
    grpc::ClientContext context;
    client.Prepare(context);
    grpc::Status status = client.recognition().GetRequest(&context, get, &current);
    if (!status.ok()) return RpcFailure(status, in.global);
  }
  if (current.state() == rv1::REQUEST_STATE_RECEIVED) {
    rv1::StartReviewRequest start;
    start.set_request_id(request.request_id());
    start.set_client_request_id(DerivedId("review", start));
    grpc::ClientContext context;
    client.Prepare(context);
    grpc::Status status = client.recognition().StartReview(&context, start, &current);
    if (!status.ok()) return RpcFailure(status, in.global);
  }
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionRequest answer;
  grpc::Status status = client.recognition().Decide(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  return Print(answer, in.global);
}

// ---- appeal ----

int RunAppeal(const Invocation& in) {
  auto grounds = RequiredFlag(in.flags, "grounds");
  if (!grounds.ok()) return UsageError(kAppeal, grounds.status());
  rv1::AppealRequest request;
  request.set_request_id(in.args[0]);
  request.set_grounds(*grounds);
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_client_request_id(id.empty() ? DerivedId("appeal", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionRequest answer;
  grpc::Status status = client.recognition().Appeal(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  return Print(answer, in.global);
}

}  // namespace

std::vector<Command> RecognitionCommands() {
  return {
      {.name = kRequest,
       .synopsis = "JWS_FILE...",
       .summary = "ask this node's institution to recognise credentials (learner or officer)",
       .details = "Each JWS_FILE holds one compact JWS (- for stdin). The node verifies each\n"
                  "credential; when its policies cover them all the request is decided at once,\n"
                  "otherwise it waits for an officer. Without --request-id, the request id is\n"
                  "derived from everything sent: running the command again is answered once.\n",
       .options = {{"purpose",
                    "admission, credit-transfer (default), exemption, pathway, employment"},
                   {"programme", "the programme id (target, or the component's programme)"},
                   {"component", "the component id within --programme"},
                   {"component-ects", "the component's ECTS"},
                   {"pathway", "a stacking pathway id (target)"},
                   {"learner", "the learner id (an officer submitting on a learner's behalf)"},
                   {"request-id", "the client request id (default: derived)"}},
       .min_args = 1,
       .max_args = 20,
       .run = RunRequest},
      {.name = kList,
       .synopsis = "",
       .summary = "list recognition requests (officers: all; a learner: their own)",
       .details = "",
       .options = {{"state", "comma-separated states: received, under-review, decided, ..."},
                   {"overdue", "only requests past their decision or appeal deadline"}},
       .min_args = 0,
       .max_args = 0,
       .run = RunList},
      {.name = kDecide,
       .synopsis = "REQUEST_ID",
       .summary = "decide a recognition request (needs a recognition_officer token)",
       .details = "--decision is a RecognitionDecision in JSON (outcome, findings on the five\n"
                  "elements, reason codes, reasons, ECTS, remedies). The node fills in who, when,\n"
                  "the reference and the appeal's last day. A request just received is taken\n"
                  "into review first.\n",
       .options = {{"decision", "the decision, a JSON file (required)"},
                   {"request-id", "the client request id (default: derived)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunDecide},
      {.name = kAppeal,
       .synopsis = "REQUEST_ID",
       .summary = "appeal a recognition decision (the learner, or an officer on their behalf)",
       .details = "",
       .options = {{"grounds", "why the decision should change (required)"},
                   {"request-id", "the client request id (default: derived)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunAppeal},
  };
}

}  // namespace microcred::mcctl
