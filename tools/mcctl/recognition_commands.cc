#include "tools/mcctl/recognition_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/mcctl/cli.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/json_input.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

namespace rv1 = recognition::v1;

constexpr char kRequest[] = "recognition request";
constexpr char kList[] = "recognition list";
constexpr char kDecide[] = "recognition decide";
constexpr char kAppeal[] = "recognition appeal";
constexpr char kGet[] = "recognition get";
constexpr char kReview[] = "recognition review";
constexpr char kAskInfo[] = "recognition ask-info";
constexpr char kProvideInfo[] = "recognition provide-info";
constexpr char kDecideAppeal[] = "recognition decide-appeal";
constexpr char kWithdraw[] = "recognition withdraw";
constexpr char kPolicyPublish[] = "recognition policy publish";
constexpr char kPolicyList[] = "recognition policy list";
constexpr char kVae[] = "recognition vae";
constexpr char kVaeEligibility[] = "recognition vae-eligibility";

// "mcctl-<action>-" + 32 hex digits of everything the command sends: running it again is
// answered once.
std::string DerivedId(std::string_view action, const google::protobuf::Message& request) {
  return MessageRequestId(action, request);
}

// --request-id, or the id derived from the request (and `period`, when not empty).
std::string ClientRequestId(const Invocation& in, std::string_view action,
                            const google::protobuf::Message& request,
                            std::string_view period = "") {
  const std::string id = *in.flags.GetString("request-id", "");
  return id.empty() ? MessageRequestId(action, request, period) : id;
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

// What an officer weighs beside authenticity: the trust basis, the Annex I elements the
// credential does not state, and whether it was shown to be the learner's.
std::string CredentialBasisText(const rv1::PresentedCredential& c) {
  std::string text;
  if (!c.trust_basis().statement().empty()) {
    text += "    basis: " + c.trust_basis().statement() + "\n";
  }
  if (!c.facts().missing_elements().empty()) {
    text +=
        "    missing Annex I elements: " + absl::StrJoin(c.facts().missing_elements(), ", ") + "\n";
  }
  if (c.has_holder_binding()) {
    text += std::string("    holder: ") + (c.holder_binding().bound() ? "bound" : "NOT bound") +
            " (" + c.holder_binding().detail() + ")\n";
  }
  return text;
}

// --learner-identifier=ID[,ID] and --holder-proof=FILE[,FILE] into `identifiers` and `proofs`.
absl::Status HolderInputs(const Invocation& in,
                          google::protobuf::RepeatedPtrField<std::string>& identifiers,
                          google::protobuf::RepeatedPtrField<std::string>& proofs) {
  for (absl::string_view id :
       absl::StrSplit(*in.flags.GetString("learner-identifier", ""), ',', absl::SkipEmpty())) {
    identifiers.Add(std::string(absl::StripAsciiWhitespace(id)));
  }
  for (absl::string_view path :
       absl::StrSplit(*in.flags.GetString("holder-proof", ""), ',', absl::SkipEmpty())) {
    auto content = ReadInput(std::string(path));
    if (!content.ok()) return content.status();
    proofs.Add(Trim(*content));
  }
  return absl::OkStatus();
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
    text += CredentialBasisText(c);
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

// RequestText, then what `recognition get` adds: the VAE eligibility, information requests,
// the appeal, a withdrawal and the request's history.
std::string DetailText(const rv1::RecognitionRequest& r) {
  std::string text = RequestText(r);
  auto at = [](int64_t ms) {
    return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixMillis(ms), absl::UTCTimeZone());
  };
  if (r.type() == rv1::REQUEST_TYPE_VAE) {
    text += "  VAE eligibility: " + std::string(r.vae_eligibility().met() ? "met" : "not met") +

            " (" + absl::StrCat(r.vae_eligibility().total_months()) + " of " +
            absl::StrCat(r.vae_eligibility().required_months()) + " months)\n";
  }
  if (r.decision_due_at_ms() > 0) text += "  decision due: " + at(r.decision_due_at_ms()) + "\n";
  for (const rv1::InformationRequest& info : r.information_requests()) {
    text += "  information asked: " + info.what();
    if (info.provided_at_ms() > 0) {
      text += " (provided " + at(info.provided_at_ms()) +
              (info.provided_note().empty() ? "" : ": " + info.provided_note()) + ")";
    } else {
      text += " (awaited)";
    }
    text += "\n";
  }
  if (r.has_appeal()) text += "  appeal grounds: " + r.appeal().grounds() + "\n";
  if (r.state() == rv1::REQUEST_STATE_WITHDRAWN) {
    text += "  withdrawn: " + r.withdrawal_reason() + "\n";
  }
  for (const rv1::StateChange& change : r.history()) {
    text += "  " + at(change.at_ms()) + "  " + change.action() + " by " + change.actor() + " -> " +
            EnumLabel(rv1::RequestState_Name(change.to()), "REQUEST_STATE_") + "\n";
  }
  return text;
}

// ---- request ----

// --programme, --component (with --component-ects) or --pathway into `target`.
absl::Status TargetFrom(const Invocation& in, rv1::RecognitionTarget& target) {
  const std::string programme = *in.flags.GetString("programme", "");
  const std::string component = *in.flags.GetString("component", "");
  if (!component.empty()) {
    rv1::ComponentTarget& c = *target.mutable_component();
    c.set_programme_id(programme);
    c.set_component_id(component);
    double ects = 0;
    const std::string ects_text = *in.flags.GetString("component-ects", "");
    if (!ects_text.empty() && !absl::SimpleAtod(ects_text, &ects)) {
      return absl::InvalidArgumentError("--component-ects: not a number");
    }
    c.set_ects(ects);
  } else if (!programme.empty()) {
    target.set_programme_id(programme);
  } else if (const std::string pathway = *in.flags.GetString("pathway", ""); !pathway.empty()) {
    target.set_pathway_id(pathway);
  } else {
    return absl::InvalidArgumentError(
        "a target is required: --programme, --component or --pathway");
  }
  return absl::OkStatus();
}

int RunRequest(const Invocation& in) {
  auto purpose_text = in.flags.GetString("purpose", "credit-transfer");
  if (!purpose_text.ok()) return UsageError(kRequest, purpose_text.status());
  auto purpose = ParsePurpose(*purpose_text);
  if (!purpose.ok()) return UsageError(kRequest, purpose.status());
  rv1::SubmitRequestRequest request;
  request.set_purpose(*purpose);
  request.set_learner_id(*in.flags.GetString("learner", ""));
  if (auto target = TargetFrom(in, *request.mutable_target()); !target.ok()) {
    return UsageError(kRequest, target);
  }
  for (const std::string& path : in.args) {
    auto content = ReadInput(path);
    if (!content.ok()) return UsageError(kRequest, content.status());
    request.add_credential_jws(Trim(*content));
  }
  if (auto s = HolderInputs(in, *request.mutable_learner_identifiers(),
                            *request.mutable_holder_proofs());
      !s.ok()) {
    return UsageError(kRequest, s);
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

// ---- decide, decide-appeal ----

// Calls `call` on the recognition service and prints the request it answers.
template <typename Request>
int Call(const Invocation& in,
         grpc::Status (rv1::RecognitionService::Stub::*call)(grpc::ClientContext*, const Request&,
                                                             rv1::RecognitionRequest*),
         const Request& request, rv1::RecognitionRequest* answer_out = nullptr) {
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionRequest answer;
  grpc::Status status = (client.recognition().*call)(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (answer_out != nullptr) *answer_out = answer;
  return Print(answer, in.global);
}

// The request as it is now (an action's round is derived from it). A failure is printed and its
// exit code returned.
int FetchRequest(const Invocation& in, const std::string& request_id,
                 rv1::RecognitionRequest& current) {
  NodeClient client(in.global);
  rv1::GetRequestRequest get;
  get.set_request_id(request_id);
  grpc::ClientContext context;
  client.Prepare(context);
  grpc::Status status = client.recognition().GetRequest(&context, get, &current);
  if (!status.ok()) return RpcFailure(status, in.global);
  return kExitOk;
}

// The node answers a request id it has seen with the request as it is now: when the state is
// not what the action leads to, the action was not taken now.
int RepeatedIdRefusal(const std::string& command, const std::string& client_request_id,
                      const rv1::RecognitionRequest& answer) {
  std::cerr << "the node answered an earlier command with the request id " << client_request_id
            << ": the request is "
            << EnumLabel(rv1::RequestState_Name(answer.state()), "REQUEST_STATE_")
            << " now, the command was not carried out again\nhint: to run " << command
            << " anew, pass a new --request-id\n";
  return kExitRefused;
}

// Runs an action that may come again in a later round of the request (see RecognitionRound),
// derives its id with the round unless --request-id is given, and checks that the request is
// in `expected` afterwards.
template <typename Request>
int RunRoundAction(const Invocation& in, const std::string& command, std::string_view action,
                   rv1::RequestState round_state, rv1::RequestState expected,
                   grpc::Status (rv1::RecognitionService::Stub::*call)(grpc::ClientContext*,
                                                                       const Request&,
                                                                       rv1::RecognitionRequest*),
                   Request& request) {
  rv1::RecognitionRequest current;
  if (int rc = FetchRequest(in, request.request_id(), current); rc != kExitOk) return rc;
  request.set_client_request_id(
      ClientRequestId(in, action, request, RecognitionRound(current, round_state)));
  rv1::RecognitionRequest answer;
  const int rc = Call(in, call, request, &answer);
  if (rc != kExitOk) return rc;
  if (answer.state() != expected) {
    return RepeatedIdRefusal(command, request.client_request_id(), answer);
  }
  return kExitOk;
}

// --decision, a RecognitionDecision in JSON.
absl::StatusOr<rv1::RecognitionDecision> ReadDecision(const Invocation& in) {
  auto file = RequiredFlag(in.flags, "decision");
  if (!file.ok()) return file.status();
  auto content = ReadInput(*file);
  if (!content.ok()) return content.status();
  rv1::RecognitionDecision decision;
  if (auto s = ParseJsonMessage(*content, *file, decision,
                                "the file holds {\"outcome\": \"RECOGNITION_OUTCOME_FULL\", "
                                "\"findings\": [...], ...}");
      !s.ok()) {
    return s;
  }
  return decision;
}

int RunDecide(const Invocation& in) {
  auto decision = ReadDecision(in);
  if (!decision.ok()) return UsageError(kDecide, decision.status());
  rv1::DecideRequest request;
  request.set_request_id(in.args[0]);
  *request.mutable_decision() = *std::move(decision);
  request.set_client_request_id(ClientRequestId(in, "decide", request));
  // A request just received is taken into review first: the officer deciding it reviews it.
  rv1::RecognitionRequest current;
  if (int rc = FetchRequest(in, request.request_id(), current); rc != kExitOk) return rc;
  if (current.state() == rv1::REQUEST_STATE_RECEIVED) {
    NodeClient client(in.global);
    rv1::StartReviewRequest start;
    start.set_request_id(request.request_id());
    // As `recognition review` derives it: a request received again is reviewed again.
    start.set_client_request_id(
        MessageRequestId("review", start, RecognitionRound(current, rv1::REQUEST_STATE_RECEIVED)));
    grpc::ClientContext context;
    client.Prepare(context);
    grpc::Status status = client.recognition().StartReview(&context, start, &current);
    if (!status.ok()) return RpcFailure(status, in.global);
  }
  return Call(in, &rv1::RecognitionService::Stub::Decide, request);
}

int RunDecideAppeal(const Invocation& in) {
  auto decision = ReadDecision(in);
  if (!decision.ok()) return UsageError(kDecideAppeal, decision.status());
  rv1::DecideAppealRequest request;
  request.set_request_id(in.args[0]);
  *request.mutable_decision() = *std::move(decision);
  request.set_client_request_id(ClientRequestId(in, "decide-appeal", request));
  return Call(in, &rv1::RecognitionService::Stub::DecideAppeal, request);
}

// ---- appeal, withdraw ----

int RunAppeal(const Invocation& in) {
  auto grounds = RequiredFlag(in.flags, "grounds");
  if (!grounds.ok()) return UsageError(kAppeal, grounds.status());
  rv1::AppealRequest request;
  request.set_request_id(in.args[0]);
  request.set_grounds(*grounds);
  request.set_client_request_id(ClientRequestId(in, "appeal", request));
  return Call(in, &rv1::RecognitionService::Stub::Appeal, request);
}

int RunWithdraw(const Invocation& in) {
  rv1::WithdrawRequest request;
  request.set_request_id(in.args[0]);
  request.set_reason(*in.flags.GetString("reason", ""));
  request.set_client_request_id(ClientRequestId(in, "withdraw", request));
  return Call(in, &rv1::RecognitionService::Stub::Withdraw, request);
}

// ---- get, review ----

int RunGet(const Invocation& in) {
  rv1::GetRequestRequest request;
  request.set_request_id(in.args[0]);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionRequest answer;
  grpc::Status status = client.recognition().GetRequest(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << DetailText(answer);
  }
  return kExitOk;
}

int RunReview(const Invocation& in) {
  rv1::StartReviewRequest request;
  request.set_request_id(in.args[0]);
  // The id `recognition decide` derives when it takes a request into review itself.
  return RunRoundAction(in, kReview, "review", rv1::REQUEST_STATE_RECEIVED,
                        rv1::REQUEST_STATE_UNDER_REVIEW,
                        &rv1::RecognitionService::Stub::StartReview, request);
}

// ---- ask-info, provide-info ----

int RunAskInfo(const Invocation& in) {
  auto what = RequiredFlag(in.flags, "what");
  if (!what.ok()) return UsageError(kAskInfo, what.status());
  rv1::RequestInformationRequest request;
  request.set_request_id(in.args[0]);
  request.set_what(*what);
  // Asked again once the learner answered, the request was received again: a new round.
  return RunRoundAction(in, kAskInfo, "ask-info", rv1::REQUEST_STATE_RECEIVED,
                        rv1::REQUEST_STATE_INCOMPLETE,
                        &rv1::RecognitionService::Stub::RequestInformation, request);
}

int RunProvideInfo(const Invocation& in) {
  rv1::ProvideInformationRequest request;
  request.set_request_id(in.args[0]);
  request.set_note(*in.flags.GetString("note", ""));
  const std::string jws = *in.flags.GetString("jws", "");
  for (absl::string_view path : absl::StrSplit(jws, ',', absl::SkipEmpty())) {
    auto content = ReadInput(std::string(path));
    if (!content.ok()) return UsageError(kProvideInfo, content.status());
    request.add_additional_credential_jws(Trim(*content));
  }
  if (auto s = HolderInputs(in, *request.mutable_learner_identifiers(),
                            *request.mutable_holder_proofs());
      !s.ok()) {
    return UsageError(kProvideInfo, s);
  }
  if (const std::string file = *in.flags.GetString("vae-file", ""); !file.empty()) {
    auto content = ReadInput(file);
    if (!content.ok()) return UsageError(kProvideInfo, content.status());
    if (auto s = ParseJsonMessage(*content, file, *request.mutable_updated_vae_file()); !s.ok()) {
      return UsageError(kProvideInfo, s);
    }
  }
  // Each question asked opens a round of its own.
  return RunRoundAction(in, kProvideInfo, "provide-info", rv1::REQUEST_STATE_INCOMPLETE,
                        rv1::REQUEST_STATE_RECEIVED,
                        &rv1::RecognitionService::Stub::ProvideInformation, request);
}

// ---- policies ----

std::string PolicyLine(const rv1::RecognitionPolicy& p) {
  return absl::StrCat(p.policy_id(), "  v", p.version(), "  rank ", p.rank(), "  ",
                      EnumLabel(rv1::PolicyStatus_Name(p.status()), "POLICY_STATUS_"), "  ",
                      p.title(), "\n");
}

int RunPolicyPublish(const Invocation& in) {
  auto content = ReadInput(in.args[0]);
  if (!content.ok()) return UsageError(kPolicyPublish, content.status());
  rv1::PublishPolicyRequest request;
  if (auto s = ParseJsonMessage(*content, in.args[0], *request.mutable_policy(),
                                "the file holds {\"policy_id\": \"<institution>/<id>\", "
                                "\"title\": ..., \"rank\": 1, \"purposes\": [...], ...}");
      !s.ok()) {
    return UsageError(kPolicyPublish, s);
  }
  auto expected = in.flags.GetInt("expected-version", -1);
  if (!expected.ok()) return UsageError(kPolicyPublish, expected.status());
  if (*expected >= 0) request.mutable_policy()->set_version(static_cast<uint32_t>(*expected));
  request.set_client_request_id(ClientRequestId(in, "policy", request));
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::RecognitionPolicy answer;
  grpc::Status status = client.recognition().PublishPolicy(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << "published " << PolicyLine(answer);
  }
  return kExitOk;
}

int RunPolicyList(const Invocation& in) {
  rv1::ListPoliciesRequest request;
  request.set_receiving_institution(*in.flags.GetString("institution", ""));
  auto retired = in.flags.GetBool("include-retired", false);
  if (!retired.ok()) return UsageError(kPolicyList, retired.status());
  request.set_include_retired(*retired);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::ListPoliciesResponse answer;
  grpc::Status status = client.recognition().ListPolicies(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    for (const rv1::RecognitionPolicy& p : answer.policies()) std::cout << PolicyLine(p);
    std::cout << answer.policies_size() << " polic" << (answer.policies_size() == 1 ? "y" : "ies")
              << "\n";
  }
  return kExitOk;
}

// ---- VAE ----

constexpr char kVaeFileHint[] =
    "the file holds {\"activities\": [{\"from\": {\"year\": 2015, \"month\": 9}, \"to\": "
    "{\"year\": 2021, \"month\": 8}, \"kind\": \"ACTIVITY_KIND_PROFESSIONAL\", \"description\": "
    "...}], \"higher_education_credits\": 0, \"portfolio_summary\": ...}";

absl::StatusOr<rv1::VaeFile> ReadVaeFile(const std::string& path) {
  auto content = ReadInput(path);
  if (!content.ok()) return content.status();
  rv1::VaeFile file;
  if (auto s = ParseJsonMessage(*content, path, file, kVaeFileHint); !s.ok()) return s;
  return file;
}

int RunVae(const Invocation& in) {
  auto file = ReadVaeFile(in.args[0]);
  if (!file.ok()) return UsageError(kVae, file.status());
  auto purpose_text = in.flags.GetString("purpose", "admission");
  if (!purpose_text.ok()) return UsageError(kVae, purpose_text.status());
  auto purpose = ParsePurpose(*purpose_text);
  if (!purpose.ok()) return UsageError(kVae, purpose.status());
  rv1::SubmitVaeRequestRequest request;
  request.set_purpose(*purpose);
  request.set_learner_id(*in.flags.GetString("learner", ""));
  if (auto target = TargetFrom(in, *request.mutable_target()); !target.ok()) {
    return UsageError(kVae, target);
  }
  *request.mutable_file() = *std::move(file);
  request.set_client_request_id(ClientRequestId(in, "vae", request));
  return Call(in, &rv1::RecognitionService::Stub::SubmitVaeRequest, request);
}

int RunVaeEligibility(const Invocation& in) {
  auto file = ReadVaeFile(in.args[0]);
  if (!file.ok()) return UsageError(kVaeEligibility, file.status());
  rv1::CheckVaeEligibilityRequest request;
  *request.mutable_file() = *std::move(file);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  rv1::VaeEligibility answer;
  grpc::Status status = client.recognition().CheckVaeEligibility(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << (answer.met() ? "ELIGIBLE" : "NOT ELIGIBLE") << ": " << answer.total_months()
              << " of " << answer.required_months() << " months (" << answer.activity_months()
              << " of activity, " << answer.higher_education_years_credited()
              << " year(s) credited for higher education)\n"
              << answer.explanation() << "\n";
  }
  return answer.met() ? kExitOk : kExitRefused;
}

}  // namespace

std::vector<Command> RecognitionCommands() {
  const std::vector<host::ConfigOption> target_options = {
      {"programme", "the programme id (target, or the component's programme)"},
      {"component", "the component id within --programme"},
      {"component-ects", "the component's ECTS"},
      {"pathway", "a stacking pathway id (target)"},
      {"learner", "the learner id (an officer submitting on a learner's behalf)"}};
  auto with_target = [&](std::vector<host::ConfigOption> more) {
    more.insert(more.begin(), target_options.begin(), target_options.end());
    return more;
  };
  const host::ConfigOption request_id = {"request-id", "the client request id (default: derived)"};
  return {
      {.name = kRequest,
       .synopsis = "CREDENTIAL_FILE...",
       .summary = "ask this node's institution to recognise credentials (learner or officer)",
       .details =
           "Each CREDENTIAL_FILE holds one credential (- for stdin): a compact JWS (Open Badges\n"
           "3.0 / VC 2.0, from the ecosystem or outside it) or the JSON of a JAdES-sealed\n"
           "European Digital Credential. The node verifies each and checks it is the\n"
           "learner's: its subject id, a hashed identifier recomputed from the learner id or\n"
           "--learner-identifier (an officer's), or a --holder-proof signed with the subject\n"
           "DID's key ({\"iss\": DID, \"aud\": institution id, \"nonce\": the request id,\n"
           "\"iat\": seconds}); a credential not theirs is refused. When its policies cover\n"
           "them all the request is decided at once, otherwise it waits for an officer, who\n"
           "sees each credential's trust basis, missing Annex I elements and holder binding.\n"
           "Without --request-id, the request id is derived from everything sent: running the\n"
           "command again is answered once (sign holder proofs for an explicit --request-id).\n",
       .options = with_target(
           {{"purpose", "admission, credit-transfer (default), exemption, pathway, employment"},
            {"learner-identifier",
             "ID[,ID]: the learner's further ids (e-mail, student "
             "number), an officer only"},
            {"holder-proof", "FILE[,FILE]: compact JWS proving control of a subject DID"},
            request_id}),
       .min_args = 1,
       .max_args = 20,
       .run = RunRequest},
      {.name = kVae,
       .synopsis = "VAE_FILE.json",
       .summary = "submit a request to value prior experience (VAE) to a jury",
       .details = "VAE_FILE.json (- for stdin) is a VaeFile in JSON: the periods of activity,\n"
                  "credits acquired in higher education, a portfolio summary. The node computes\n"
                  "the eligibility (art. 119: 60 months) and the request waits for a jury.\n"
                  "Without --request-id, the request id is derived from everything sent.\n",
       .options = with_target({{"purpose", "admission (default) or exemption"}, request_id}),
       .min_args = 1,
       .max_args = 1,
       .run = RunVae},
      {.name = kVaeEligibility,
       .synopsis = "VAE_FILE.json",
       .summary = "compute a VAE file's eligibility without submitting it (public)",
       .details = "VAE_FILE.json is a VaeFile in JSON, as for `recognition vae`. Prints the\n"
                  "months counted against the 60 required. Exit status 0 when eligible, 1 when\n"
                  "not.\n",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunVaeEligibility},
      {.name = kList,
       .synopsis = "",
       .summary = "list recognition requests (officers: all; a learner: their own)",
       .details = "",
       .options = {{"state", "comma-separated states: received, under-review, decided, ..."},
                   {"overdue", "only requests past their decision or appeal deadline"}},
       .min_args = 0,
       .max_args = 0,
       .run = RunList},
      {.name = kGet,
       .synopsis = "REQUEST_ID",
       .summary = "show one recognition request with its information requests and history",
       .details = "Officers see every request of the institution; a learner their own.\n",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunGet},
      {.name = kReview,
       .synopsis = "REQUEST_ID",
       .summary = "take a received request into review (recognition_officer or jury_member)",
       .details = "`recognition decide` does this itself for a request just received; this\n"
                  "command is for an officer who starts the review before deciding, or who asked\n"
                  "for information during review and takes the request up again.\n",
       .options = {request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunReview},
      {.name = kAskInfo,
       .synopsis = "REQUEST_ID",
       .summary = "ask the learner for missing information (recognition_officer)",
       .details = "The request becomes incomplete until the learner answers (`recognition\n"
                  "provide-info`): asked on receipt, the decision clock starts again; asked\n"
                  "during review, it is paused. Without --request-id, the request id is derived\n"
                  "from the command and the request's round: a retry is answered once, asking\n"
                  "again after the learner answered is a new question.\n",
       .options = {{"what", "what is missing, as the learner will read it (required)"}, request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunAskInfo},
      {.name = kProvideInfo,
       .synopsis = "REQUEST_ID",
       .summary = "answer a request for information (the learner, or an officer for them)",
       .details = "Adds a note, further credentials (a credentials request) or an updated VAE\n"
                  "file (a VAE request); the request is received again, for review.\n"
                  "Without --request-id, the request id is derived from the command and the\n"
                  "question it answers: a retry is answered once.\n",
       .options = {{"note", "the answer, as the officer will read it"},
                   {"jws",
                    "comma-separated files of further credentials (compact JWS or "
                    "sealed EDC JSON), each checked to be the learner's"},
                   {"learner-identifier", "ID[,ID]: further ids of the learner, an officer only"},
                   {"holder-proof",
                    "FILE[,FILE]: compact JWS proving control of a subject DID "
                    "(nonce: this command's request id)"},
                   {"vae-file", "an updated VaeFile in JSON (VAE requests)"},
                   request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunProvideInfo},
      {.name = kDecide,
       .synopsis = "REQUEST_ID",
       .summary = "decide a recognition request (needs a recognition_officer token)",
       .details = "--decision is a RecognitionDecision in JSON (outcome, findings on the five\n"
                  "elements, reason codes, reasons, ECTS, remedies). The node fills in who, when,\n"
                  "the reference and the appeal's last day. A request just received is taken\n"
                  "into review first.\n",
       .options = {{"decision", "the decision, a JSON file (required)"}, request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunDecide},
      {.name = kAppeal,
       .synopsis = "REQUEST_ID",
       .summary = "appeal a recognition decision (the learner, or an officer on their behalf)",
       .details = "",
       .options = {{"grounds", "why the decision should change (required)"}, request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunAppeal},
      {.name = kDecideAppeal,
       .synopsis = "REQUEST_ID",
       .summary = "decide an appeal (needs an appeal_officer token)",
       .details = "--decision is a RecognitionDecision in JSON, as for `recognition decide`; it\n"
                  "replaces the first decision. The node fills in who, when and the reference.\n",
       .options = {{"decision", "the decision on appeal, a JSON file (required)"}, request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunDecideAppeal},
      {.name = kWithdraw,
       .synopsis = "REQUEST_ID",
       .summary = "withdraw a recognition request (the learner, or an officer for them)",
       .details = "A withdrawn request is closed for good; the learner may submit a new one.\n",
       .options = {{"reason", "why (optional; recorded with the request)"}, request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunWithdraw},
      {.name = kPolicyPublish,
       .synopsis = "POLICY.json",
       .summary = "publish or revise an automatic recognition policy (recognition_officer)",
       .details =
           "POLICY.json (- for stdin) is a RecognitionPolicy in JSON: policy_id\n"
           "(<institution>/<id>), title, rationale, rank, purposes and the criteria (issuers,\n"
           "EQF levels, ECTS, specification ids...). A revision gives the version it replaces\n"
           "(--expected-version, or \"version\" in the file); a retired policy has \"status\":\n"
           "\"POLICY_STATUS_RETIRED\". Without --request-id, the request id is derived from\n"
           "the policy sent.\n",
       .options = {{"expected-version", "the version a revision replaces (0 = a new policy)"},
                   request_id},
       .min_args = 1,
       .max_args = 1,
       .run = RunPolicyPublish},
      {.name = kPolicyList,
       .synopsis = "",
       .summary = "list an institution's recognition policies in rank order (public)",
       .details = "",
       .options = {{"institution", "the receiving institution (default: the node's own)"},
                   {"include-retired", "also list retired policies"}},
       .min_args = 0,
       .max_args = 0,
       .run = RunPolicyList},
  };
}

}  // namespace microcred::mcctl
