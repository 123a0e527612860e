#include "tools/mcctl/credential_commands.h"

#include <iostream>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/mcctl/cli.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

using issuance::v1::ChangeStatusRequest;
using issuance::v1::CredentialStatus;
using issuance::v1::IssuedCredential;

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// ---- verify ----

int RunVerify(const Invocation& in) {
  auto content = ReadInput(in.args[0]);
  if (!content.ok()) return UsageError("verify", content.status());
  issuance::v1::VerifyCredentialRequest request;
  request.set_jws(Trim(*content));
  if (request.jws().empty()) return UsageError("verify", in.args[0] + " is empty");
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  issuance::v1::VerificationReport report;
  grpc::Status status = client.issuance().VerifyCredential(&context, request, &report);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(report);
  } else {
    std::cout << VerificationText(report);
  }
  return report.valid() ? kExitOk : kExitRefused;
}

// ---- revoke, suspend, reinstate ----

struct StatusAction {
  std::string command;       // "revoke"
  std::string past;          // "revoked"
  CredentialStatus outcome;  // the status the credential has afterwards
  bool final;                // revocation cannot be undone: its derived request id has no day
  grpc::Status (issuance::v1::IssuanceService::Stub::*call)(grpc::ClientContext*,
                                                            const ChangeStatusRequest&,
                                                            IssuedCredential*);
};

std::string TodayUtc() { return absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone()); }

absl::StatusOr<ChangeStatusRequest> ChangeRequest(const StatusAction& action,
                                                  const Invocation& in) {
  auto reason = RequiredFlag(in.flags, "reason");
  if (!reason.ok()) return reason.status();
  auto request_id = in.flags.GetString("request-id", "");
  if (!request_id.ok()) return request_id.status();
  ChangeStatusRequest request;
  request.set_credential_id(in.args[0]);
  request.set_reason(*reason);
  request.set_request_id(!request_id->empty() ? *request_id
                                              : StatusRequestId(action.command, in.args[0], *reason,
                                                                action.final ? "" : TodayUtc()));
  return request;
}

int RunStatusChange(const StatusAction& action, const Invocation& in) {
  auto request = ChangeRequest(action, in);
  if (!request.ok()) return UsageError(action.command, request.status());
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  IssuedCredential credential;
  grpc::Status status = (client.issuance().*action.call)(&context, *request, &credential);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(credential);
  } else {
    std::cout << (credential.status() == action.outcome ? action.past + " " : "")
              << credential.credential_id() << "\n"
              << CredentialText(credential);
  }
  if (credential.status() != action.outcome) {
    // A request id that was used before is answered with the credential as it is now.
    std::cerr << "the node answered an earlier request with the request id "
              << request->request_id() << ": the credential is "
              << EnumLabel(issuance::v1::CredentialStatus_Name(credential.status()),
                           "CREDENTIAL_STATUS_")
              << ", not " << action.past << "\nhint: to " << action.command
              << " it now, pass a new --request-id\n";
    return kExitRefused;
  }
  return kExitOk;
}

Command StatusCommand(const StatusAction& action, std::string summary) {
  return {.name = action.command,
          .synopsis = "CREDENTIAL_ID",
          .summary = std::move(summary),
          .details =
              "CREDENTIAL_ID is the credential's urn:uuid:... id. Without --request-id, the\n"
              "request id is derived from the command, the credential, the reason" +
              std::string(action.final ? "" : " and today's\ndate (UTC)") +

              ": running the same command again is answered once.\n",
          .options = {{"reason", "why (required); recorded with the status"},
                      {"request-id", "the request id (default: derived, see above)"}},
          .min_args = 1,
          .max_args = 1,
          .run = [action](const Invocation& in) { return RunStatusChange(action, in); }};
}

// ---- export ----

absl::StatusOr<issuance::v1::ExportFormat> ParseFormat(const std::string& text) {
  if (text == "jws") return issuance::v1::EXPORT_FORMAT_JWS;
  if (text == "openbadge") return issuance::v1::EXPORT_FORMAT_OPEN_BADGE_JSON;
  if (text == "elm") return issuance::v1::EXPORT_FORMAT_ELM_JSONLD;
  return absl::InvalidArgumentError("--format: expected jws, openbadge or elm, got \"" + text +

                                    "\"");
}

int RunExport(const Invocation& in) {
  auto format_text = in.flags.GetString("format", "jws");
  auto out = in.flags.GetString("out", "");
  if (!format_text.ok()) return UsageError("export", format_text.status());
  if (!out.ok()) return UsageError("export", out.status());
  auto format = ParseFormat(*format_text);
  if (!format.ok()) return UsageError("export", format.status());
  issuance::v1::ExportCredentialRequest request;
  request.set_credential_id(in.args[0]);
  request.set_format(*format);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  issuance::v1::ExportedCredential exported;
  grpc::Status status = client.issuance().ExportCredential(&context, request, &exported);
  if (!status.ok()) return RpcFailure(status, in.global);
  std::string content = exported.content();
  if (!content.ends_with("\n")) content += "\n";
  if (!out->empty()) {
    if (auto s = WriteOutput(*out, content); !s.ok()) return UsageError("export", s);
  }
  if (in.global.json) {
    PrintJson(exported);
  } else if (out->empty()) {
    std::cout << content;
  } else {
    std::cout << "exported " << exported.media_type() << " to " << *out << "\n";
  }
  return kExitOk;
}

// ---- credentials list ----

int RunCredentialsList(const Invocation& in) {
  const std::string command = "credentials list";
  auto learner = RequiredFlag(in.flags, "learner");
  if (!learner.ok()) return UsageError(command, learner.status());
  issuance::v1::ListLearnerCredentialsRequest request;
  request.set_learner_id(*learner);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  issuance::v1::ListLearnerCredentialsResponse response;
  grpc::Status status = client.issuance().ListLearnerCredentials(&context, request, &response);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(response);
  } else {
    for (const IssuedCredential& credential : response.credentials()) {
      std::cout << CredentialText(credential) << "\n";
    }
    std::cout << response.credentials_size() << " credential(s) of learner " << *learner << "\n";
  }
  return kExitOk;
}

// ---- learner erase ----

int RunLearnerErase(const Invocation& in) {
  const std::string command = "learner erase";
  auto yes = in.flags.GetBool("yes", false);
  if (!yes.ok()) return UsageError(command, yes.status());
  if (!*yes) {
    return UsageError(command,
                      "erasing learner " + in.args[0] +

                          " cannot be undone (their personal data and the credentials kept "
                          "for them become unreadable); run the command again with --yes to "
                          "confirm");
  }
  issuance::v1::EraseLearnerRequest request;
  request.set_learner_id(in.args[0]);
  auto request_id = in.flags.GetString("request-id", "");
  if (!request_id.ok()) return UsageError(command, request_id.status());
  request.set_request_id(!request_id->empty() ? *request_id : MessageRequestId("erase", request));
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  issuance::v1::EraseLearnerResponse response;
  grpc::Status status = client.issuance().EraseLearner(&context, request, &response);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(response);
  } else {
    std::cout << "erased learner " << in.args[0] << ": " << response.credentials_affected()
              << " credential(s) affected\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> CredentialCommands() {
  using Stub = issuance::v1::IssuanceService::Stub;
  return {
      {.name = "verify",
       .synopsis = "FILE|-",
       .summary = "verify a credential (a compact JWS) and show each check (public)",
       .details = "Reads the compact JWS from FILE, or stdin for -. Prints VALID or NOT VALID,\n"
                  "then each check (format, signature, issuer, policy, status, validity) with its\n"
                  "detail. Exit status 0 when valid, 1 when not.\n",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunVerify},
      StatusCommand({"revoke", "revoked", issuance::v1::CREDENTIAL_STATUS_REVOKED, true,
                     &Stub::RevokeCredential},
                    "revoke a credential for good (needs a registrar token)"),
      StatusCommand({"suspend", "suspended", issuance::v1::CREDENTIAL_STATUS_SUSPENDED, false,
                     &Stub::SuspendCredential},
                    "suspend a credential until it is reinstated (needs a registrar token)"),
      StatusCommand({"reinstate", "reinstated", issuance::v1::CREDENTIAL_STATUS_ACTIVE, false,
                     &Stub::ReinstateCredential},
                    "lift a suspension (needs a registrar token)"),
      {.name = "export",
       .synopsis = "CREDENTIAL_ID",
       .summary = "export a credential as JWS, Open Badge 3.0 JSON or ELM JSON-LD",
       .details = "Writes the export to --out, or stdout. The ELM export is a European Digital\n"
                  "Credential for Europass: the JSON-LD sealed with the institution's e-seal\n"
                  "(JAdES, JWS JSON serialisation), refused by a node without a seal.\n",
       .options = {{"format",
                    "jws (default), openbadge (Open Badges 3.0 / VC JSON) or elm "
                    "(European Learning Model JSON-LD, sealed: save it as .jsonld for Europass)"},
                   {"out", "write the export to this file instead of stdout"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunExport},
      {.name = "credentials list",
       .synopsis = "",
       .summary = "list the credentials issued to a learner (registrar, or the learner)",
       .details = "Prints each credential's id, specification, status and date of issue (no\n"
                  "JWS: `mcctl export` gives it).\n",
       .options = {{"learner", "the learner id at this institution (required)"}},
       .min_args = 0,
       .max_args = 0,
       .run = RunCredentialsList},
      {.name = "learner erase",
       .synopsis = "LEARNER_ID",
       .summary = "erase a learner's personal data, irreversibly (GDPR art. 17; registrar)",
       .details =
           "Crypto-shreds what the node holds of the learner: the key of their vault is\n"
           "deleted, so their names, e-mail and the credentials kept for them can no longer be\n"
           "read or exported; pseudonymous records stay. This cannot be undone: the command\n"
           "refuses (exit 2) unless --yes is given. Without --request-id, the request id is\n"
           "derived from the learner id: running the command again is answered once.\n",
       .options = {{"yes", "confirm the erasure (required)"},
                   {"request-id", "the request id (default: derived)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunLearnerErase},
  };
}

}  // namespace microcred::mcctl
