#include "services/catalogue/catalogue_grpc.h"

#include "libs/auth/roles.h"
#include "libs/host/grpc_status.h"

namespace microcred::catalogue {
namespace {

// Copies a successful result into the response, or turns the error into a gRPC status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return host::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CatalogueGrpc::UpsertProviderProfile(grpc::ServerContext* context,
                                                  const v1::UpsertProviderProfileRequest* request,
                                                  v1::ProviderProfile* response) {
  auto caller = host::Authorize(*context, verifier_, {auth::roles::kRegistrar});
  if (!caller.ok()) return host::ToGrpcStatus(caller.status());
  return Answer(service_.UpsertProviderProfile(*caller, *request), response);
}

grpc::Status CatalogueGrpc::GetProviderProfile(grpc::ServerContext*,
                                               const v1::GetProviderProfileRequest* request,
                                               v1::ProviderProfile* response) {
  return Answer(service_.GetProviderProfile(*request), response);
}

grpc::Status CatalogueGrpc::PublishSpecification(grpc::ServerContext* context,
                                                 const v1::PublishSpecificationRequest* request,
                                                 v1::Specification* response) {
  auto caller = host::Authorize(*context, verifier_,
                                {auth::roles::kCatalogueEditor, auth::roles::kRegistrar});
  if (!caller.ok()) return host::ToGrpcStatus(caller.status());
  return Answer(service_.Publish(*caller, *request), response);
}

grpc::Status CatalogueGrpc::ReviseSpecification(grpc::ServerContext* context,
                                                const v1::ReviseSpecificationRequest* request,
                                                v1::Specification* response) {
  auto caller = host::Authorize(*context, verifier_,
                                {auth::roles::kCatalogueEditor, auth::roles::kRegistrar});
  if (!caller.ok()) return host::ToGrpcStatus(caller.status());
  return Answer(service_.Revise(*caller, *request), response);
}

grpc::Status CatalogueGrpc::WithdrawSpecification(grpc::ServerContext* context,
                                                  const v1::WithdrawSpecificationRequest* request,
                                                  v1::Specification* response) {
  auto caller = host::Authorize(*context, verifier_,
                                {auth::roles::kCatalogueEditor, auth::roles::kRegistrar});
  if (!caller.ok()) return host::ToGrpcStatus(caller.status());
  return Answer(service_.Withdraw(*caller, *request), response);
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
