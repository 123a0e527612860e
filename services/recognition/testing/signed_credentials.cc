// Credentials signed and recorded for recognition's tests (signed_credentials.h).
#include "services/recognition/testing/signed_credentials.h"

#include "libs/credentials/credential_facts.h"
#include "libs/credentials/open_badge.h"
#include "libs/jose/jws.h"
#include "libs/registry/secretariat.h"
#include "libs/verification/credential_verifier.h"

namespace microcred::recognition::testing {
namespace {

// "urn:uuid:" and a random lower-case UUID.
std::string RandomCredentialId() {
  const std::string hex = crypto::HexEncode(crypto::RandomBytes(16));
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace

void IssuedCredentials::AddSpecification(catalogue::v1::Specification specification) {
  absl::MutexLock lock(&mu_);
  const std::string id = specification.specification_id();
  const uint32_t version = specification.version();
  specifications_[id][version] = std::move(specification);
}

absl::StatusOr<issuance::v1::IssuedCredential> IssuedCredentials::Issue(
    const registry::v1::MemberAdmitted& issuer, const crypto::SigningKey& key,
    const std::string& public_url, const issuance::v1::IssueCredentialRequest& request,
    int64_t now_ms) {
  const std::string profile_url = public_url + "/institutions/" + issuer.institution_id();
  const std::string key_id = registry::RegisteredKey(key.public_key()).key_id();
  credentials::CredentialFacts facts;
  {
    absl::MutexLock lock(&mu_);
    auto versions = specifications_.find(request.specification_id());
    if (versions == specifications_.end()) {
      return absl::NotFoundError("specification_id: " + request.specification_id());
    }
    facts.specification = versions->second.rbegin()->second;
    facts.status = {.status_base_url = profile_url + "/status",
                    .status_list_index = next_status_index_};
    ++next_status_index_;
  }
  facts.credential_id = RandomCredentialId();
  facts.issuers = {credentials::IssuerFactsFromMember(issuer, profile_url)};
  facts.issuance = request;
  facts.issued_at_ms = now_ms;
  facts.learner_subject_id = "urn:microcred:learner:" + crypto::HexEncode(crypto::RandomBytes(8));
  facts.identifier_salt = crypto::HexEncode(crypto::RandomBytes(16));
  auto document = credentials::WriteOpenBadgeCredential(facts);
  if (!document.ok()) return document.status();
  const jose::Ed25519JwsSigner signer(key, profile_url + "#" + key_id);
  issuance::v1::IssuedCredential issued;
  issued.set_credential_id(facts.credential_id);
  issued.set_jws(jose::SignCompact(signer, jose::VcJwtHeader(), *document));
  issued.set_specification_id(facts.specification.specification_id());
  issued.set_specification_version(facts.specification.version());
  issued.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  issued.set_status_list_index(facts.status.status_list_index);
  issued.set_issued_at_ms(now_ms);

  issuance::v1::KnownCredential known;
  known.set_credential_id(issued.credential_id());
  known.set_issuer(issuer.institution_id());
  known.set_specification_id(issued.specification_id());
  known.set_specification_version(issued.specification_version());
  *known.mutable_issued_on() = request.issued_on();
  known.set_signature_sha256(verification::IssuedSignatureDigest(issued.jws()));
  known.set_key_id(key_id);
  known.set_status_list_index(issued.status_list_index());
  known.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  known.set_issued_at_ms(now_ms);
  absl::MutexLock lock(&mu_);
  known_[issued.credential_id()] = std::move(known);
  return issued;
}

absl::Status IssuedCredentials::Revoke(const std::string& credential_id, const std::string& reason,
                                       int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  auto known = known_.find(credential_id);
  if (known == known_.end()) return absl::NotFoundError("credential_id: " + credential_id);
  known->second.set_status(issuance::v1::CREDENTIAL_STATUS_REVOKED);
  known->second.set_status_reason(reason);
  issuance::v1::StatusChange& change = *known->second.add_history();
  change.set_status(issuance::v1::CREDENTIAL_STATUS_REVOKED);
  change.set_reason(reason);
  change.set_at_ms(now_ms);
  return absl::OkStatus();
}

std::optional<issuance::v1::KnownCredential> IssuedCredentials::Find(
    const std::string& credential_id) const {
  absl::MutexLock lock(&mu_);
  auto known = known_.find(credential_id);
  if (known == known_.end()) return std::nullopt;
  return known->second;
}

std::optional<catalogue::v1::Specification> IssuedCredentials::FindSpecification(
    const std::string& specification_id, uint32_t version) const {
  absl::MutexLock lock(&mu_);
  auto versions = specifications_.find(specification_id);
  if (versions == specifications_.end()) return std::nullopt;
  auto spec = versions->second.find(version);
  if (spec == versions->second.end()) return std::nullopt;
  return spec->second;
}

std::optional<registry::v1::Member> FakeCredentialSources::FindMember(
    const std::string& institution_id) const {
  return find_member_(institution_id);
}

absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FakeCredentialSources::FindCredential(
    const std::string& credential_id) const {
  return issued_.Find(credential_id);
}

absl::StatusOr<std::optional<catalogue::v1::Specification>>
FakeCredentialSources::FindSpecification(const std::string& specification_id,
                                         uint32_t version) const {
  return issued_.FindSpecification(specification_id, version);
}

}  // namespace microcred::recognition::testing
