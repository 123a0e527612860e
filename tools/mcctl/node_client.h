// The gRPC connection to one node, in the way of gRPC's C++ examples: one channel, one stub per
// service, and a fresh ClientContext per call carrying the deadline and the bearer token.
#ifndef MICROCRED_TOOLS_MCCTL_NODE_CLIENT_H_
#define MICROCRED_TOOLS_MCCTL_NODE_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "microcred/catalogue/v1/catalogue.grpc.pb.h"
#include "microcred/issuance/v1/issuance.grpc.pb.h"
#include "microcred/recognition/v1/recognition.grpc.pb.h"
#include "microcred/stacking/v1/stacking.grpc.pb.h"
#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

class NodeClient {
 public:
  explicit NodeClient(const GlobalOptions& global);

  catalogue::v1::CatalogueService::Stub& catalogue() { return *catalogue_; }
  issuance::v1::IssuanceService::Stub& issuance() { return *issuance_; }
  recognition::v1::RecognitionService::Stub& recognition() { return *recognition_; }
  stacking::v1::Stacking::Stub& stacking() { return *stacking_; }

  // Sets the deadline (--timeout) and, when there is one, the bearer token.
  void Prepare(grpc::ClientContext& context) const;

 private:
  const GlobalOptions& global_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<catalogue::v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<issuance::v1::IssuanceService::Stub> issuance_;
  std::unique_ptr<recognition::v1::RecognitionService::Stub> recognition_;
  std::unique_ptr<stacking::v1::Stacking::Stub> stacking_;
};

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_NODE_CLIENT_H_
