#include "tools/mcctl/node_client.h"

namespace microcred::mcctl {
namespace {

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const GlobalOptions& global) {
  if (global.tls) return grpc::SslCredentials(grpc::SslCredentialsOptions());
  return grpc::InsecureChannelCredentials();
}

// A cohort's answer carries one signed credential (~7 KiB) per row: 1,000 rows are more than
// gRPC's default 4 MiB limit. mcnode accepts messages up to 64 MiB; so does mcctl.
std::shared_ptr<grpc::Channel> ChannelTo(const GlobalOptions& global) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  arguments.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(global.node, CredentialsFor(global), arguments);
}

}  // namespace

NodeClient::NodeClient(const GlobalOptions& global)
    : global_(global),
      channel_(ChannelTo(global)),
      catalogue_(catalogue::v1::CatalogueService::NewStub(channel_)),
      issuance_(issuance::v1::IssuanceService::NewStub(channel_)),
      recognition_(recognition::v1::RecognitionService::NewStub(channel_)),
      stacking_(stacking::v1::Stacking::NewStub(channel_)) {}

void NodeClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + global_.timeout));
  if (!global_.token.empty()) context.AddMetadata("authorization", "Bearer " + global_.token);
}

}  // namespace microcred::mcctl
