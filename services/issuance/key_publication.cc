#include "services/issuance/key_publication.h"

#include <vector>

#include "libs/jose/jwk.h"
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
      core_.StatusListUrl(purpose),
      IssuanceCore::IssuerUrl(core_.options.public_url, core_.institution()), purpose, *list,
      core_.context.clock.NowMs());
  if (!document.ok()) return document.status();
  return jose::SignCompact(core_.jws_signer, jose::VcJwtHeader(), document->dump());
}

std::string KeyPublication::StatusReference() const {
  return status_list::BuildStatusReference(
             core_.StatusBaseUrl(),
             IssuanceCore::IssuerUrl(core_.options.public_url, core_.institution()))
      .dump(2);
}

absl::StatusOr<std::string> KeyPublication::Jwks(const std::string& institution_id) const {
  std::optional<registry::v1::Member> member = core_.read_model->FindMember(institution_id);
  if (!member) return absl::NotFoundError("institution: " + institution_id + " is not known");
  const std::string base = core_.PublicUrlOf(*member);
  std::vector<jose::JwkPublicKey> keys;
  for (const registry::v1::PublicKey& key : member->admitted().keys()) {
    jose::JwkPublicKey jwk;
    jwk.kid = IssuanceCore::KeyId(base, institution_id, key.key_id());
    if (!key.ed25519_public_key().empty()) {
      jwk.ed25519_public_key = key.ed25519_public_key();
    } else {
      jwk.alg = jose::JwsAlgorithm::kRS256;
      jwk.rsa_spki_der = key.rsa_public_key_der();
    }
    keys.push_back(std::move(jwk));
  }
  return jose::ToJwks(keys).dump();
}

}  // namespace microcred::issuance
