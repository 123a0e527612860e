// KeyPublication: what the node publishes so that anyone can verify its credentials (internal
// to IssuanceService): an institution's registered keys as a JWK Set, one by one (what a
// credential's `kid` names) and in its did:web DID document, its OB 3.0 Profile, and this
// issuer's signed Bitstring Status Lists. Any member's keys and profile come from the registry,
// under the public URL it registered (libs/discovery/issuer_documents.h).
#ifndef MICROCRED_SERVICES_ISSUANCE_KEY_PUBLICATION_H_
#define MICROCRED_SERVICES_ISSUANCE_KEY_PUBLICATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/discovery/issuer_documents.h"
#include "libs/status_list/status_list_credential.h"
#include "services/issuance/issuance_core.h"

namespace microcred::issuance {

class KeyPublication {
 public:
  explicit KeyPublication(const IssuanceCore& core) : core_(core) {}

  // The signed status list of this issuer for `purpose`: every credential it issued that is
  // revoked (or suspended) has its bit set; in the message list, each has its 2-bit code.
  absl::StatusOr<std::string> StatusList(status_list::StatusPurpose purpose) const;
  // The JSON served at the lists' base URL, the message entries' statusReference: the lists
  // and what each code means.
  std::string StatusReference() const;
  // The institution's registered public keys as a JWK Set, each under the `kid` its
  // credentials carry (the institution's public URL, as the registry holds it).
  absl::StatusOr<std::string> Jwks(const std::string& institution_id) const;
  // IssuanceService::IssuerProfile, PublicKey, DidDocument.
  absl::StatusOr<std::string> IssuerProfile(const std::string& institution_id) const;
  absl::StatusOr<std::string> PublicKey(const std::string& institution_id,
                                        const std::string& key_id) const;
  absl::StatusOr<std::string> DidDocument(const std::string& institution_id) const;

 private:
  // The member `institution_id`, or NotFound naming it.
  absl::StatusOr<registry::v1::Member> Member(const std::string& institution_id) const;
  // Its registered keys, each with its retirement.
  static std::vector<discovery::PublishedKey> Keys(const registry::v1::Member& member);

  const IssuanceCore& core_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_KEY_PUBLICATION_H_
