#include "tools/mcctl/node_client.h"

namespace microcred::mcctl {
namespace {

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const GlobalOptions& global) {
  if (global.tls) return grpc::SslCredentials(grpc::SslCredentialsOptions());
  return grpc::InsecureChannelCredentials();
}

}  // namespace

NodeClient::NodeClient(const GlobalOptions& global)
    : global_(global),
      channel_(grpc::CreateChannel(global.node, CredentialsFor(global))),
      catalogue_(catalogue::v1::CatalogueService::NewStub(channel_)),
      issuance_(issuance::v1::IssuanceService::NewStub(channel_)),
      recognition_(recognition::v1::RecognitionService::NewStub(channel_)) {}

void NodeClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + global_.timeout));
  if (!global_.token.empty()) context.AddMetadata("authorization", "Bearer " + global_.token);
}

}  // namespace microcred::mcctl
