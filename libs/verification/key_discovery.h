// Finding the key that signed a credential from outside the ecosystem, and that it is the
// issuer's (docs/CREDENTIALS.md, "Credentials from outside the ecosystem"). In this order:
//
//   1. kid a DID URL "<did>#<fragment>": the DID must be the credential's issuer id.
//        did:web  the DID document at its https URL (discovery::DidDocumentUrl): its id must be
//                 the DID; the verificationMethod whose id is the kid (relative "#frag" ids
//                 read against the DID), its controller (when stated) the DID, and listed under
//                 assertionMethod: a key the document lists only for authentication or key
//                 agreement is not one its controller signs credentials with. Keys as
//                 publicKeyJwk (OKP Ed25519, EC P-256, RSA) or publicKeyMultibase (Multikey:
//                 Ed25519, P-256).
//        did:key  decoded locally (multikey.h); the fragment, when present, the key itself.
//        did:jwk  decoded locally.
//   2. kid an https URL: on the issuer id's origin (the issuer id an https URL). Fetched: a JWK,
//      a JWK set (the key whose kid is the kid, or the URL's fragment; the only key when the URL
//      names none), or a verification method document (publicKeyJwk or publicKeyMultibase, its
//      controller, when stated, the issuer).
//   3. no kid, or a kid that is neither (a bare "key-1"): an issuer id that is a DID names the
//      key. did:web: the assertion method whose id ends "#<kid>", or with no kid the one whose
//      key is the token's jwk header, or the document's only assertion method. did:key,
//      did:jwk: the key is the issuer id (a jwk header, when present, must be that key).
//   4. otherwise a jwk header: integrity only, accepted only when the options allow embedded
//      keys (default: refused).
//
// Every fetch goes through the node's HttpFetcher (https, bounded, SSRF-checked, cached); an
// answer from the institution's pinned documents makes the trust kind PINNED_KEY. Documents
// longer than kMaxKeyDocumentBytes, or served as anything but JSON or text/plain (a page), are
// refused before parsing. Errors name what failed for a
// person ("could not fetch the DID document of did:web:x.example at https://...: ...",
// "the DID document at ... is for did:web:y.example, not did:web:x.example", "key ... is not
// listed under assertionMethod", "kid https://other.example/k is not on the origin of the
// issuer https://x.example/issuer"); the caller puts them in the report's "issuer" check.
// Thread-safe when the fetcher is.
#ifndef MICROCRED_LIBS_VERIFICATION_KEY_DISCOVERY_H_
#define MICROCRED_LIBS_VERIFICATION_KEY_DISCOVERY_H_

#include <optional>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/jose/jwk.h"
#include "libs/jose/jws.h"
#include "libs/ports/http_fetcher.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::verification {

inline constexpr size_t kMaxKeyDocumentBytes = 256 * 1024;
// Keys kept parsed (KeyDiscovery's cache); the cache is emptied when full.
inline constexpr size_t kMaxCachedKeys = 1024;

struct KeyDiscoveryOptions {
  // Accept a key embedded in the token (its jwk header) from an issuer that is not its
  // did:jwk: proves the token was not changed, not who signed it.
  bool allow_embedded_jwk = false;
};

// The key, and the basis on which it is the issuer's.
struct DiscoveredKey {
  jose::JwkPublicKey key;
  issuance::v1::TrustKind kind = issuance::v1::TRUST_KIND_UNSPECIFIED;
  std::string key_source;  // the key URL, the DID URL of the method, "jwk header"
  std::string statement;   // for a person, as TrustBasis.statement
};

class KeyDiscovery {
 public:
  // `fetcher` must outlive this.
  KeyDiscovery(HttpFetcher& fetcher, KeyDiscoveryOptions options)
      : fetcher_(fetcher), options_(options) {}

  // The key `jws` names, which must be a key of `issuer_id` (the credential's issuer.id). An
  // error whose message says why for a person (file comment).
  absl::StatusOr<DiscoveredKey> FindIssuerKey(const jose::ParsedJws& jws,
                                              const std::string& issuer_id) const;

  HttpFetcher& fetcher() const { return fetcher_; }

 private:
  absl::StatusOr<DiscoveredKey> FromDidUrl(const jose::ParsedJws& jws,
                                           const std::string& issuer_id) const;
  absl::StatusOr<DiscoveredKey> FromKeyUrl(const jose::ParsedJws& jws,
                                           const std::string& issuer_id) const;
  absl::StatusOr<DiscoveredKey> FromDidWeb(const std::string& did, const std::string& method_id,
                                           const jose::ParsedJws& jws) const;
  absl::StatusOr<DiscoveredKey> FromSelfCertifyingDid(const std::string& did,
                                                      const jose::ParsedJws& jws) const;
  absl::StatusOr<DiscoveredKey> FromEmbeddedJwk(const jose::ParsedJws& jws,
                                                const std::string& issuer_id) const;

  // A key found earlier in the document `body`, by what found it (`lookup`): reused while the
  // fetcher answers the very same document (the fetcher decides expiry), since reading a DID
  // document and importing a P-256 point cost more than the signature check.
  struct CachedKey {
    std::string body;
    bool pinned = false;
    DiscoveredKey key;
  };
  std::optional<DiscoveredKey> Cached(const std::string& lookup,
                                      const FetchedDocument& document) const;
  void Remember(const std::string& lookup, const FetchedDocument& document,
                const DiscoveredKey& key) const;

  HttpFetcher& fetcher_;
  KeyDiscoveryOptions options_;
  mutable absl::Mutex mu_;
  mutable std::unordered_map<std::string, CachedKey> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_KEY_DISCOVERY_H_
