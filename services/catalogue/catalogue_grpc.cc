#include "services/catalogue/catalogue_grpc.h"

#include "libs/auth/roles.h"
#include "libs/host/grpc_handler.h"

namespace microcred::catalogue {

using host::Answer;
using host::Authorized;
namespace roles = auth::roles;

grpc::Status CatalogueGrpc::UpsertProviderProfile(grpc::ServerContext* context,
                                                  const v1::UpsertProviderProfileRequest* request,
                                                  v1::ProviderProfile* response) {
  return Authorized(*context, verifier_, {roles::kRegistrar}, response, [&](const auth::Caller& c) {
    return service_.UpsertProviderProfile(c, *request);
  });
}

grpc::Status CatalogueGrpc::GetProviderProfile(grpc::ServerContext*,
                                               const v1::GetProviderProfileRequest* request,
                                               v1::ProviderProfile* response) {
  return Answer(service_.GetProviderProfile(*request), response);
}

grpc::Status CatalogueGrpc::PublishSpecification(grpc::ServerContext* context,
                                                 const v1::PublishSpecificationRequest* request,
                                                 v1::Specification* response) {
  return Authorized(*context, verifier_, {roles::kCatalogueEditor, roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Publish(c, *request); });
}

grpc::Status CatalogueGrpc::ReviseSpecification(grpc::ServerContext* context,
                                                const v1::ReviseSpecificationRequest* request,
                                                v1::Specification* response) {
  return Authorized(*context, verifier_, {roles::kCatalogueEditor, roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Revise(c, *request); });
}

grpc::Status CatalogueGrpc::WithdrawSpecification(grpc::ServerContext* context,
                                                  const v1::WithdrawSpecificationRequest* request,
                                                  v1::Specification* response) {
  return Authorized(*context, verifier_, {roles::kCatalogueEditor, roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Withdraw(c, *request); });
}

grpc::Status CatalogueGrpc::GetSpecification(grpc::ServerContext*,
                                             const v1::GetSpecificationRequest* request,
                                             v1::Specification* response) {
  return Answer(service_.Get(*request), response);
}

grpc::Status CatalogueGrpc::SearchSpecifications(grpc::ServerContext*,
                                                 const v1::SearchSpecificationsRequest* request,
                                                 v1::SearchSpecificationsResponse* response) {
  return Answer(service_.Search(*request), response);
}

}  // namespace microcred::catalogue
