// What every command shares for talking back to the user: usage errors, the node's refusals
// with a hint, JSON output, and reading and writing files ("-" is stdin / stdout).
#ifndef MICROCRED_TOOLS_MCCTL_OUTPUT_H_
#define MICROCRED_TOOLS_MCCTL_OUTPUT_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

// Prints "mcctl <command>: <message>" and where to find help on stderr; returns kExitUsage.
int UsageError(std::string_view command, std::string_view message);
int UsageError(std::string_view command, const absl::Status& status);

// Prints "<CODE>: <message>" and a hint of what to do on stderr. Returns kExitUnreachable when
// the node could not be reached or did not answer in time, kExitRefused otherwise.
int RpcFailure(const grpc::Status& status, const GlobalOptions& global);
// The exit code RpcFailure would return, without printing.
int ExitCodeFor(const grpc::Status& status);
// "INVALID_ARGUMENT: content.title: ..." for a status of the node.
std::string DescribeStatus(const grpc::Status& status);

// The message as one line of JSON (proto field names, default values included).
std::string ToJson(const google::protobuf::Message& message);
void PrintJson(const google::protobuf::Message& message);

absl::StatusOr<std::string> ReadInput(const std::string& path);
absl::Status WriteOutput(const std::string& path, std::string_view content);

// True when stderr is a terminal (progress bars).
bool StderrIsTerminal();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_OUTPUT_H_
