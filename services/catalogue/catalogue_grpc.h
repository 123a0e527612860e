// The gRPC face of the catalogue: authenticates the caller, checks the role each RPC needs, and
// hands over to CatalogueService.
//
//   RPC                     who may call
//   UpsertProviderProfile   registrar
//   Publish/Revise/Withdraw catalogue_editor or registrar (of the node's own institution)
//   Get*, Search            anyone, without a token: the catalogue is public (Recommendation §9c)
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_GRPC_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_GRPC_H_

#include "libs/host/grpc_auth.h"
#include "microcred/catalogue/v1/catalogue.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"

namespace microcred::catalogue {

class CatalogueGrpc final : public v1::CatalogueService::Service {
 public:
  CatalogueGrpc(CatalogueService& service, const auth::TokenVerifier& verifier)
      : service_(service), verifier_(verifier) {}

  grpc::Status UpsertProviderProfile(grpc::ServerContext* context,
                                     const v1::UpsertProviderProfileRequest* request,
                                     v1::ProviderProfile* response) override;
  grpc::Status GetProviderProfile(grpc::ServerContext* context,
                                  const v1::GetProviderProfileRequest* request,
                                  v1::ProviderProfile* response) override;
  grpc::Status PublishSpecification(grpc::ServerContext* context,
                                    const v1::PublishSpecificationRequest* request,
                                    v1::Specification* response) override;
  grpc::Status ReviseSpecification(grpc::ServerContext* context,
                                   const v1::ReviseSpecificationRequest* request,
                                   v1::Specification* response) override;
  grpc::Status WithdrawSpecification(grpc::ServerContext* context,
                                     const v1::WithdrawSpecificationRequest* request,
                                     v1::Specification* response) override;
  grpc::Status GetSpecification(grpc::ServerContext* context,
                                const v1::GetSpecificationRequest* request,
                                v1::Specification* response) override;
  grpc::Status SearchSpecifications(grpc::ServerContext* context,
                                    const v1::SearchSpecificationsRequest* request,
                                    v1::SearchSpecificationsResponse* response) override;

 private:
  CatalogueService& service_;
  const auth::TokenVerifier& verifier_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_GRPC_H_
