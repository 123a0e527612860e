#include "tools/mcctl/stacking_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/json_input.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

namespace sv1 = stacking::v1;

constexpr char kPublish[] = "pathway publish";
constexpr char kList[] = "pathway list";
constexpr char kGet[] = "pathway get";
constexpr char kEvaluate[] = "stack evaluate";
constexpr char kWhatIf[] = "stack what-if";
constexpr char kConfer[] = "stack confer";

// "mcctl-<action>-" + 32 hex digits of everything the command sends: running it again is
// answered once.
std::string Trim(const std::string& text) { return std::string(absl::StripAsciiWhitespace(text)); }

// Reads each JWS file (- for stdin) into `out`.
absl::Status AddJws(const std::vector<std::string>& paths,
                    google::protobuf::RepeatedPtrField<std::string>& out) {
  for (const std::string& path : paths) {
    auto content = ReadInput(path);
    if (!content.ok()) return content.status();
    out.Add(Trim(*content));
  }
  return absl::OkStatus();
}

std::string PathwayLine(const sv1::Pathway& p) {
  return absl::StrCat(p.pathway_id(), "  v", p.version(), "  ", p.title(), "  (at least ",
                      p.rules().min_ects(), " ECTS)\n");
}

std::string ResultText(const sv1::EvaluationResult& r) {
  std::string text = absl::StrCat(r.pathway_id(), " v", r.pathway_version(), ": ",
                                  r.satisfied() ? "SATISFIED" : "not satisfied", ", ",
                                  r.counted_ects(), " ECTS counted");
  if (!r.satisfied()) {
    absl::StrAppend(&text, ", ", r.ects_short(), " ECTS and ", r.credentials_short(),
                    " credentials short");
  }
  text += "\n";
  for (const sv1::Assignment& a : r.assignments()) {
    absl::StrAppend(&text, "  ", a.credential_id(), a.hypothetical() ? " (hypothetical)" : "",
                    " -> ", absl::StrJoin(a.requirement_ids(), ", "), " (", a.counted_ects(),
                    " ECTS)\n");
  }
  for (const sv1::UnusedCredential& u : r.unused()) {
    absl::StrAppend(&text, "  unused ", u.credential_id(), ": ", u.reason(), "\n");
  }
  return text;
}

int PrintEvaluation(const sv1::EvaluateResponse& response, const GlobalOptions& global) {
  if (global.json) {
    PrintJson(response);
    return kExitOk;
  }
  std::cout << ResultText(response.result());
  if (response.has_suggestion()) {
    const sv1::Suggestion& s = response.suggestion();
    std::cout << "suggestion: " << s.added_ects() << " ECTS more"
              << (s.completes_pathway() ? "" : " (does not complete the pathway)") << "\n";
    for (const sv1::SuggestedSpecification& spec : s.specifications()) {
      std::cout << "  " << spec.specification().specification_id() << " (" << spec.ects() << " ECTS"
                << (spec.needs_recognition() ? ", needs recognition" : "") << ")\n";
    }
  }
  return kExitOk;
}

// The evaluation request common to evaluate, what-if and confer: PATHWAY_ID JWS_FILE...
absl::StatusOr<sv1::EvaluateRequest> EvaluationOf(const Invocation& in) {
  sv1::EvaluateRequest request;
  request.set_pathway_id(in.args[0]);
  auto version = in.flags.GetInt("version", 0);
  if (!version.ok()) return version.status();
  request.set_pathway_version(static_cast<uint32_t>(*version));
  auto suggest = in.flags.GetBool("suggest", false);
  if (!suggest.ok()) return suggest.status();
  request.set_include_suggestion(*suggest);
  const std::vector<std::string> files(in.args.begin() + 1, in.args.end());
  if (auto s = AddJws(files, *request.mutable_credential_jws()); !s.ok()) return s;
  return request;
}

// ---- pathway ----

int RunPublish(const Invocation& in) {
  auto content = ReadInput(in.args[0]);
  if (!content.ok()) return UsageError(kPublish, content.status());
  sv1::PublishPathwayRequest request;
  if (auto s = ParseJsonMessage(*content, in.args[0], *request.mutable_pathway()); !s.ok()) {
    return UsageError(kPublish, s);
  }
  request.set_local_id(*in.flags.GetString("local-id", ""));
  auto expected = in.flags.GetInt("expected-version", 0);
  if (!expected.ok()) return UsageError(kPublish, expected.status());
  request.set_expected_version(static_cast<uint32_t>(*expected));
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_request_id(id.empty() ? MessageRequestId("pathway", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  sv1::Pathway answer;
  grpc::Status status = client.stacking().PublishPathway(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << PathwayLine(answer);
  }
  return kExitOk;
}

int RunList(const Invocation& in) {
  sv1::ListPathwaysRequest request;
  request.set_owner_institution(*in.flags.GetString("owner", ""));
  NodeClient client(in.global);
  sv1::ListPathwaysResponse all;
  do {
    grpc::ClientContext context;
    client.Prepare(context);
    sv1::ListPathwaysResponse page;
    grpc::Status status = client.stacking().ListPathways(&context, request, &page);
    if (!status.ok()) return RpcFailure(status, in.global);
    for (sv1::Pathway& p : *page.mutable_pathways()) *all.add_pathways() = std::move(p);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (in.global.json) {
    PrintJson(all);
  } else {
    for (const sv1::Pathway& p : all.pathways()) std::cout << PathwayLine(p);
  }
  return kExitOk;
}

int RunGet(const Invocation& in) {
  auto version = in.flags.GetInt("version", 0);
  if (!version.ok()) return UsageError(kGet, version.status());
  if (*version < 0) return UsageError(kGet, "--version: must be 1 or more (0 = latest)");
  sv1::GetPathwayRequest request;
  request.set_pathway_id(in.args[0]);
  request.set_version(static_cast<uint32_t>(*version));
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  sv1::Pathway answer;
  grpc::Status status = client.stacking().GetPathway(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << PathwayLine(answer) << "  target: "
              << EnumLabel(sv1::TargetKind_Name(answer.target().kind()), "TARGET_KIND_") << ", "
              << answer.target().title()
              << (answer.target().specification_id().empty()
                      ? ""
                      : " (" + answer.target().specification_id() + ")")
              << "\n";
  }
  return kExitOk;
}

// ---- stack ----

int RunEvaluate(const Invocation& in) {
  auto request = EvaluationOf(in);
  if (!request.ok()) return UsageError(kEvaluate, request.status());
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  sv1::EvaluateResponse answer;
  grpc::Status status = client.stacking().Evaluate(&context, *request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  return PrintEvaluation(answer, in.global);
}

int RunWhatIf(const Invocation& in) {
  auto evaluation = EvaluationOf(in);
  if (!evaluation.ok()) return UsageError(kWhatIf, evaluation.status());
  sv1::WhatIfRequest request;
  *request.mutable_evaluation() = *std::move(evaluation);
  const std::string add = *in.flags.GetString("add", "");
  for (absl::string_view spec : absl::StrSplit(add, ',', absl::SkipEmpty())) {
    request.add_hypothetical()->set_specification_id(std::string(spec));
  }
  if (request.hypothetical().empty()) {
    return UsageError(kWhatIf, "--add: one or more specification ids are required");
  }
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  sv1::EvaluateResponse answer;
  grpc::Status status = client.stacking().WhatIf(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  return PrintEvaluation(answer, in.global);
}

int RunConfer(const Invocation& in) {
  auto evaluation = EvaluationOf(in);
  if (!evaluation.ok()) return UsageError(kConfer, evaluation.status());
  sv1::ConferRequest request;
  request.set_pathway_id(evaluation->pathway_id());
  request.set_pathway_version(evaluation->pathway_version());
  *request.mutable_credential_jws() = evaluation->credential_jws();
  issuance::v1::LearnerIdentity& learner = *request.mutable_learner();
  learner.set_learner_id(*in.flags.GetString("learner", ""));
  learner.set_given_name(*in.flags.GetString("given-name", ""));
  learner.set_family_name(*in.flags.GetString("family-name", ""));
  learner.set_email(*in.flags.GetString("email", ""));
  request.set_place_of_issuing(*in.flags.GetString("place", ""));
  auto supervision = ParseSupervision(*in.flags.GetString("supervision", ""));
  if (!supervision.ok()) return UsageError(kConfer, supervision.status());
  request.set_supervision_applied(*supervision);
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_request_id(id.empty() ? MessageRequestId("confer", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  sv1::ConferResponse answer;
  grpc::Status status = client.stacking().Confer(&context, request, &answer);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(answer);
  } else {
    std::cout << "conferred " << answer.conferral().conferred_credential_id() << " on "
              << answer.conferral().constituent_count() << " credentials (learner "
              << answer.conferral().learner_pseudonym() << ")\n"
              << ResultText(answer.result());
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> StackingCommands() {
  const std::vector<host::ConfigOption> evaluation_options = {
      {"version", "the pathway version (default: the latest)"},
      {"suggest", "also suggest catalogue specifications that would complete it"}};
  auto with = [&](std::vector<host::ConfigOption> more) {
    more.insert(more.begin(), evaluation_options.begin(), evaluation_options.end());
    return more;
  };
  return {
      {.name = kPublish,
       .synopsis = "PATHWAY.json",
       .summary = "publish or revise a stacking pathway (recognition_officer or pathway_editor)",
       .details = "PATHWAY.json is a Pathway in JSON (title, target, rules, equivalences). A new\n"
                  "pathway needs --local-id; a revision gives the pathway_id in the file and\n"
                  "--expected-version. The node validates it under its policy profile.\n",
       .options = {{"local-id", "the new pathway's local id, [a-z0-9-]{1,64}"},
                   {"expected-version", "the version a revision replaces"},
                   {"request-id", "the client request id (default: derived)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunPublish},
      {.name = kList,
       .synopsis = "",
       .summary = "list the ecosystem's pathways (latest versions)",
       .details = "",
       .options = {{"owner", "only this institution's pathways"}},
       .min_args = 0,
       .max_args = 0,
       .run = RunList},
      {.name = kGet,
       .synopsis = "PATHWAY_ID",
       .summary = "show a stacking pathway (public)",
       .details = "PATHWAY_ID is <institution>/<local id>. --output=json prints the whole\n"
                  "pathway: rules, equivalences, target; a revision starts from it.\n",
       .options = {{"version", "a version to show instead of the latest (1, 2, ...)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunGet},
      {.name = kEvaluate,
       .synopsis = "PATHWAY_ID JWS_FILE...",
       .summary = "evaluate a learner's credentials against a pathway",
       .details =
           "Each JWS_FILE holds one compact JWS (- for stdin); the node verifies each one.\n",
       .options = evaluation_options,
       .min_args = 1,
       .max_args = 101,
       .run = RunEvaluate},
      {.name = kWhatIf,
       .synopsis = "PATHWAY_ID JWS_FILE...",
       .summary = "evaluate as if the learner also held some specifications",
       .details = "",
       .options = with({{"add", "comma-separated specification ids (required)"}}),
       .min_args = 1,
       .max_args = 101,
       .run = RunWhatIf},
      {.name = kConfer,
       .synopsis = "PATHWAY_ID JWS_FILE...",
       .summary = "confer a pathway's credential on a satisfied evaluation (recognition_officer)",
       .details = "The node evaluates again, refuses unless satisfied, and issues the pathway's\n"
                  "target specification to the learner, listing the credentials it counted.\n",
       .options =
           with({{"learner", "the learner id at this institution (required)"},
                 {"given-name", "the learner's given name"},
                 {"family-name", "the learner's family name"},
                 {"email", "the learner's e-mail address"},
                 {"place", "the place of issuing (required)"},
                 {"supervision", "unsupervised, supervised, supervised-online or onsite-id-check"},
                 {"request-id", "the client request id (default: derived)"}}),
       .min_args = 2,
       .max_args = 101,
       .run = RunConfer},
  };
}

}  // namespace microcred::mcctl
