#include "services/issuance/key_publication.h"

#include <vector>

#include "libs/credentials/credential_facts.h"
#include "libs/discovery/did_web.h"
#include "libs/jose/jwk.h"
#include "libs/registry/public_keys.h"
#include "libs/status_list/status_list.h"

namespace microcred::issuance {
namespace {

using status_list::StatusPurpose;

// A credential's entry in the list of `purpose`: one bit set while revoked (suspended), or in
// the message list its code (docs/CREDENTIALS.md, "Status").
uint32_t EntryValue(StatusPurpose purpose, v1::CredentialStatus status) {
  switch (purpose) {
    case StatusPurpose::kRevocation:
      return status == v1::CREDENTIAL_STATUS_REVOKED ? 1 : 0;
    case StatusPurpose::kSuspension:
      return status == v1::CREDENTIAL_STATUS_SUSPENDED ? 1 : 0;
    case StatusPurpose::kMessage:
      if (status == v1::CREDENTIAL_STATUS_REVOKED) return status_list::kMessageRevoked;
      if (status == v1::CREDENTIAL_STATUS_SUSPENDED) return status_list::kMessageSuspended;
      return status_list::kMessageActive;
  }
  return 0;  // unreachable: every purpose is handled above
}

}  // namespace

absl::StatusOr<std::string> KeyPublication::StatusList(StatusPurpose purpose) const {
  auto known = core_.read_model->state().AllKnown();
  if (!known.ok()) return known.status();
  auto list = status_list::StatusList::Create(status_list::StatusSizeOf(purpose));
  if (!list.ok()) return list.status();
  for (const v1::KnownCredential& credential : *known) {
    if (credential.issuer() != core_.institution()) continue;
    const uint32_t value = EntryValue(purpose, credential.status());
    if (value == 0) continue;
    if (auto s = list->Set(credential.status_list_index(), value); !s.ok()) return s;
  }
  auto document = status_list::BuildStatusListCredential(
      core_.StatusListUrl(purpose), core_.IssuerId(), purpose, *list, core_.context.clock.NowMs());
  if (!document.ok()) return document.status();
  return jose::SignCompact(core_.jws_signer, jose::VcJwtHeader(), document->dump());
}

std::string KeyPublication::StatusReference() const {
  return status_list::BuildStatusReference(core_.StatusBaseUrl(), core_.IssuerId()).dump(2);
}

absl::StatusOr<registry::v1::Member> KeyPublication::Member(
    const std::string& institution_id) const {
  std::optional<registry::v1::Member> member = core_.read_model->FindMember(institution_id);
  if (!member) return absl::NotFoundError("institution: " + institution_id + " is not known");
  return *std::move(member);
}

std::vector<discovery::PublishedKey> KeyPublication::Keys(const registry::v1::Member& member) {
  std::vector<discovery::PublishedKey> keys;
  for (const registry::v1::PublicKey& key : member.admitted().keys()) {
    discovery::PublishedKey published;
    published.key_id = key.key_id();
    published.jwk = registry::ToJwkPublicKey(key, /*kid=*/"");
    const discovery::Retirement retirement = discovery::RetirementOf(member, key.key_id());
    published.retired = retirement.retired;
    published.retired_at_ms = retirement.at_ms;
    keys.push_back(std::move(published));
  }
  return keys;
}

absl::StatusOr<std::string> KeyPublication::Jwks(const std::string& institution_id) const {
  auto member = Member(institution_id);
  if (!member.ok()) return member.status();
  const std::string base = core_.PublicUrlOf(*member);
  std::vector<jose::JwkPublicKey> keys;
  for (const registry::v1::PublicKey& key : member->admitted().keys()) {
    keys.push_back(
        registry::ToJwkPublicKey(key, IssuanceCore::KeyId(base, institution_id, key.key_id())));
  }
  return jose::ToJwks(keys).dump();
}

absl::StatusOr<std::string> KeyPublication::IssuerProfile(const std::string& institution_id) const {
  auto member = Member(institution_id);
  if (!member.ok()) return member.status();
  const std::string base = core_.PublicUrlOf(*member);
  auto did = discovery::InstitutionDid(base, institution_id);
  auto profile = discovery::ProfileDocument(
      credentials::IssuerFactsFromMember(member->admitted(),
                                         IssuanceCore::IssuerUrl(base, institution_id)),
      base, did.ok() ? *did : "");
  if (!profile.ok()) return profile.status();
  return profile->dump();
}

absl::StatusOr<std::string> KeyPublication::PublicKey(const std::string& institution_id,
                                                      const std::string& key_id) const {
  auto member = Member(institution_id);
  if (!member.ok()) return member.status();
  for (const discovery::PublishedKey& key : Keys(*member)) {
    if (key.key_id != key_id) continue;
    nlohmann::json jwk = discovery::KeyDocument(
        key, IssuanceCore::KeyId(core_.PublicUrlOf(*member), institution_id, key_id));
    if (jwk.is_null()) return absl::InternalError("key " + key_id + ": malformed in the registry");
    return jwk.dump();
  }
  return absl::NotFoundError("key: " + key_id + " is not registered for " + institution_id);
}

absl::StatusOr<std::string> KeyPublication::DidDocument(const std::string& institution_id) const {
  auto member = Member(institution_id);
  if (!member.ok()) return member.status();
  const std::string base = core_.PublicUrlOf(*member);
  auto did = discovery::InstitutionDid(base, institution_id);
  if (!did.ok()) {
    return absl::NotFoundError(institution_id +
                               " has no did:web DID: " + std::string(did.status().message()));
  }
  return discovery::DidDocument(*did, IssuanceCore::IssuerUrl(base, institution_id), Keys(*member))
      .dump();
}

}  // namespace microcred::issuance
