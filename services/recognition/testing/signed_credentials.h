// Credentials for recognition's tests, without an issuance service: an institution's key signs
// Open Badges documents (libs/credentials, libs/jose) as its node would, and records each as
// every node's issuance read model would (issuance::v1::KnownCredential); FakeCredentialSources
// is the node's verification::CredentialSources over those records, a catalogue of
// specifications, and the registry as one of the test's projectors applied it.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_RECOGNITION_TESTING_SIGNED_CREDENTIALS_H_
#define MICROCRED_SERVICES_RECOGNITION_TESTING_SIGNED_CREDENTIALS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/crypto/crypto.h"
#include "libs/verification/presented_credential.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::recognition::testing {

// The credentials issued in a test and the specifications they name: what every node knows once
// it has applied the issuance events and the catalogue.
class IssuedCredentials {
 public:
  void AddSpecification(catalogue::v1::Specification specification);

  // Signs, with `key` (registered for `issuer` in the registry), a credential of the
  // specification `request` names (its latest version here) for the request's learner, issued
  // at `now_ms` by `issuer`'s node at `public_url`, and records it as ACTIVE.
  absl::StatusOr<issuance::v1::IssuedCredential> Issue(
      const registry::v1::MemberAdmitted& issuer, const crypto::SigningKey& key,
      const std::string& public_url, const issuance::v1::IssueCredentialRequest& request,
      int64_t now_ms);
  // The issuer revokes a credential it recorded, for `reason`.
  absl::Status Revoke(const std::string& credential_id, const std::string& reason, int64_t now_ms);

  std::optional<issuance::v1::KnownCredential> Find(const std::string& credential_id) const;
  std::optional<catalogue::v1::Specification> FindSpecification(const std::string& specification_id,
                                                                uint32_t version) const;

 private:
  mutable absl::Mutex mu_;
  // By id, then version.
  std::map<std::string, std::map<uint32_t, catalogue::v1::Specification>> specifications_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, issuance::v1::KnownCredential> known_ ABSL_GUARDED_BY(mu_);
  int32_t next_status_index_ ABSL_GUARDED_BY(mu_) = 0;
};

// One node's credential sources: the registry through `find_member` (the node's projector),
// the credentials and specifications through `issued`, which must outlive it.
class FakeCredentialSources : public verification::CredentialSources {
 public:
  using FindMemberFunction =
      std::function<std::optional<registry::v1::Member>(const std::string& institution_id)>;

  FakeCredentialSources(const IssuedCredentials& issued, FindMemberFunction find_member)
      : issued_(issued), find_member_(std::move(find_member)) {}

  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const override;
  absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const override;
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const override;

 private:
  const IssuedCredentials& issued_;
  const FindMemberFunction find_member_;
};

}  // namespace microcred::recognition::testing

#endif  // MICROCRED_SERVICES_RECOGNITION_TESTING_SIGNED_CREDENTIALS_H_
