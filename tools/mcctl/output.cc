#include "tools/mcctl/output.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace microcred::mcctl {
namespace {

std::string HintFor(grpc::StatusCode code, const GlobalOptions& global) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "the field named above is wrong: correct it and run the command again";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "the request is well formed, but the state of the node or of the ecosystem does "
             "not allow it (see the message)";
    case grpc::StatusCode::NOT_FOUND:
      return "check the id (mcctl catalogue search lists specifications, recognition list "
             "requests, recognition policy list policies, pathway list pathways)";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "it exists already; nothing was changed";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "the token does not allow this: it needs the right role (registrar, "
             "catalogue_editor) for this node's institution";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "pass a valid token with --token or --token-file (MC_TOKEN, MC_TOKEN_FILE); a "
             "development node (mcnode --dev) writes one to <data-dir>/dev-token, valid for 24 "
             "hours";
    case grpc::StatusCode::ABORTED:
      return "a concurrent change (the same request still running, or a revision in between): "
             "run the command again";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "the node is busy or the request too large: retry later, or send less at once";
    case grpc::StatusCode::UNAVAILABLE:
      return "is mcnode running at " + global.node + "? Set --node=HOST:PORT (MC_NODE)";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "no answer within --timeout=" + absl::FormatDuration(global.timeout) +
             "; the command may have taken effect: running it again is safe (request ids), or "
             "raise --timeout";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "this node does not offer this call: check --node, and the node's version";
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DATA_LOSS:
      return "the node failed: its log tells why; tell its operator";
    default:
      return "";
  }
}

}  // namespace

int UsageError(std::string_view command, std::string_view message) {
  std::cerr << "mcctl" << (command.empty() ? "" : " ") << command << ": " << message << "\n"
            << "Run 'mcctl " << command << (command.empty() ? "" : " ") << "--help' for usage.\n";
  return kExitUsage;
}

int UsageError(std::string_view command, const absl::Status& status) {
  return UsageError(command, std::string(status.message()));
}

std::string DescribeStatus(const grpc::Status& status) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  return absl::StatusCodeToString(code) + ": " + status.error_message();
}

int ExitCodeFor(const grpc::Status& status) {
  if (status.ok()) return kExitOk;
  const grpc::StatusCode code = status.error_code();
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED
             ? kExitUnreachable
             : kExitRefused;
}

int RpcFailure(const grpc::Status& status, const GlobalOptions& global) {
  const int exit_code = ExitCodeFor(status);
  if (exit_code == kExitUnreachable)
    std::cerr << "cannot reach the node at " << global.node << ": ";
  std::cerr << DescribeStatus(status) << "\n";
  if (std::string hint = HintFor(status.error_code(), global); !hint.empty()) {
    std::cerr << "hint: " << hint << "\n";
  }
  return exit_code;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return "{}";  // only for messages with invalid UTF-8; not ours
  return json;
}

void PrintJson(const google::protobuf::Message& message) { std::cout << ToJson(message) << "\n"; }

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  std::stringstream content;
  if (path == "-") {
    content << std::cin.rdbuf();
    return content.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError("cannot read " + path);
  content << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError("cannot read " + path);
  return content.str();
}

absl::Status WriteOutput(const std::string& path, std::string_view content) {
  if (path == "-") {
    std::cout << content;
    std::cout.flush();
    return std::cout ? absl::OkStatus() : absl::InvalidArgumentError("cannot write to stdout");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return absl::InvalidArgumentError("cannot write " + path);
  return absl::OkStatus();
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace microcred::mcctl
