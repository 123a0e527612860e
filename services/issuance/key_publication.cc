#include "services/issuance/key_publication.h"

#include <vector>

#include "libs/jose/jwk.h"
#include "libs/status_list/bitstring.h"

namespace microcred::issuance {

absl::StatusOr<std::string> KeyPublication::StatusList(status_list::StatusPurpose purpose) const {
  auto known = core_.read_model->state().AllKnown();
  if (!known.ok()) return known.status();
  status_list::StatusBitstring bits;
  const v1::CredentialStatus set_when = purpose == status_list::StatusPurpose::kRevocation
                                            ? v1::CREDENTIAL_STATUS_REVOKED
                                            : v1::CREDENTIAL_STATUS_SUSPENDED;
  for (const v1::KnownCredential& credential : *known) {
    if (credential.issuer() != core_.institution() || credential.status() != set_when) continue;
    if (auto s = bits.Set(credential.status_list_index(), true); !s.ok()) return s;
  }
  nlohmann::json document = status_list::BuildStatusListCredential(
      core_.StatusListUrl(purpose),
      IssuanceCore::IssuerUrl(core_.options.public_url, core_.institution()), purpose, bits,
      core_.context.clock.NowMs());
  return jose::SignCompact(core_.jws_signer, jose::VcJwtHeader(), document.dump());
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
