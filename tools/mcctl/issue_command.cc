#include "tools/mcctl/issue_command.h"

#include <iostream>

#include "absl/time/clock.h"
#include "tools/mcctl/cohort.h"
#include "tools/mcctl/cohort_issue.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

using issuance::v1::IssueCredentialRequest;
using issuance::v1::IssuedCredential;

constexpr char kIssue[] = "issue";

absl::StatusOr<IssueCredentialRequest> SingleRequest(const host::Config& flags) {
  if (auto s = RejectFlags(flags, {"out-dir", "batch-size", "refused-out"}, "needs --cohort");
      !s.ok()) {
    return s;
  }
  auto request = SharedIssueRequest(flags);
  if (!request.ok()) return request.status();
  auto learner = LearnerFromFlags(flags);
  if (!learner.ok()) return learner.status();
  *request->mutable_learner() = *learner;
  auto grade = flags.GetString("grade", "");
  auto scheme = flags.GetString("grading-scheme", "");
  auto request_id = flags.GetString("request-id", "");
  for (const auto* value : {&grade, &scheme, &request_id}) {
    if (!value->ok()) return value->status();
  }
  SetGrade(*grade, *scheme, *request);
  request->set_request_id(request_id->empty() ? IssueRequestId(*request) : *request_id);
  return request;
}

// Text output: the credential's facts, and the JWS on stdout unless --out took it.
void PrintIssued(const IssuedCredential& credential, const std::string& out, bool earlier) {
  std::ostream& facts = out.empty() ? std::cerr : std::cout;
  facts << CredentialText(credential);
  if (earlier) {
    facts << "note: this request was answered before: the credential above was issued then, "
             "nothing new was issued\n";
  }
  if (out.empty()) {
    std::cout << credential.jws() << "\n";
  } else {
    facts << "jws written to " << out << "\n";
  }
}

int RunSingle(const Invocation& in) {
  auto request = SingleRequest(in.flags);
  if (!request.ok()) return UsageError(kIssue, request.status());
  auto out = in.flags.GetString("out", "");
  if (!out.ok()) return UsageError(kIssue, out.status());
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  const int64_t started_ms = absl::ToUnixMillis(absl::Now());
  IssuedCredential credential;
  grpc::Status status = client.issuance().IssueCredential(&context, *request, &credential);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (!out->empty()) {
    if (auto s = WriteOutput(*out, credential.jws() + "\n"); !s.ok()) {
      std::cerr << "issued " << credential.credential_id() << "\n";
      return UsageError(kIssue, "--out: " + std::string(s.message()));
    }
  }
  if (in.global.json) {
    PrintJson(credential);
  } else {
    PrintIssued(credential, *out, IssuedEarlier(credential, started_ms));
  }
  return kExitOk;
}

int RunIssue(const Invocation& in) {
  auto cohort = in.flags.GetString("cohort", "");
  if (!cohort.ok()) return UsageError(kIssue, cohort.status());
  return cohort->empty() ? RunSingle(in) : RunCohortIssue(in, *cohort);
}

std::string IssueDetails() {
  return "One learner: the learner's flags, and the JWS written to --out or stdout (the\n"
         "credential's facts then go to stderr). Without --request-id, the request id is\n"
         "derived from every field of the request: the same command run again returns the\n"
         "same credential.\n"
         "\n"
         "A cohort: --cohort=FILE.csv (RFC 4180: commas, fields with commas, quotes or line\n"
         "breaks in double quotes, quotes doubled), with a header row naming the columns:\n" +
         CohortColumnsHelp() +
         "Row numbers count the header as row 1, as a spreadsheet shows them. Rows go to the\n"
         "node in batches (--batch-size); each row's request id is derived from the file's\n"
         "content, the specification and the row number, so running the same file again never\n"
         "issues twice: the summary counts those rows as \"already issued\". Edit a file and it\n"
         "is a new file: to correct refused rows, use --refused-out and run that file. Exit\n"
         "status 1 when any row was refused.\n";
}

}  // namespace

Command IssueCommand() {
  return {.name = kIssue,
          .synopsis = "",
          .summary =
              "issue a credential to one learner, or to a cohort from a CSV file "
              "(needs a registrar token)",
          .details = IssueDetails(),
          .options = IssueOptions(),
          .min_args = 0,
          .max_args = 0,
          .run = RunIssue};
}

}  // namespace microcred::mcctl
