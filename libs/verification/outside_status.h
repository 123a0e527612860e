// The status of a credential from outside the ecosystem, from the status list its issuer
// publishes (W3C Bitstring Status List v1.0; docs/CREDENTIALS.md, "Credentials from outside the
// ecosystem").
//
// For each credentialStatus entry of type BitstringStatusListEntry (statusPurpose revocation,
// suspension or message; statusSize 1 or 2; statusListIndex a base-10 string), the list
// credential at statusListCredential is fetched through the HttpFetcher and must be:
//   - a compact JWS (either securing profile). A list served as JSON with an embedded proof
//     (Data Integrity) is not checked: this node verifies JOSE only;
//   - a BitstringStatusListCredential whose issuer is the credential's issuer, signed by a key
//     of that issuer found as the credential's was (key_discovery.h): a list signed by another
//     issuer says nothing about this credential;
//   - within its validity period, its statusPurpose the entry's;
//   - an encodedList libs/status_list decodes, with the index inside it.
// Then: revocation bit set -> REVOKED; suspension bit set -> SUSPENDED; message list -> the
// value's statusMessage ("revoked" / "suspended" map to those; 0x0 is active; any other value
// is UNDETERMINED, said with its message). Any failure above: UNDETERMINED, "status could not
// be determined: <reason>". No credentialStatus: ACTIVE, "the credential names no status
// list". Entries of other types are UNDETERMINED (a status the node cannot read is not a
// clean bill). Several entries: the worst wins (revoked, suspended, undetermined, active).
//
// Thread-safe when the fetcher is.
#ifndef MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_
#define MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/verification/key_discovery.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {

// A status list credential larger than this is refused (the fetcher's own limit may be lower).
inline constexpr size_t kMaxStatusListBytes = 1024 * 1024;
inline constexpr size_t kMaxCachedStatusLists = 64;

struct OutsideStatus {
  issuance::v1::CredentialStatus status = issuance::v1::CREDENTIAL_STATUS_UNDETERMINED;
  bool passed = false;  // the report's "status" check: only ACTIVE passes
  std::string detail;
};

// Checks statuses through `keys` (and its fetcher), which must outlive it. Keeps the lists it
// verified (at most kMaxCachedStatusLists, emptied when full), by URL, while the fetcher
// answers the same text: verifying a list costs a signature and a GZIP inflation, as much again
// as the credential itself.
class OutsideStatusChecker {
 public:
  explicit OutsideStatusChecker(const KeyDiscovery& keys) : keys_(keys) {}

  // The status of a credential issued by `issuer_id` whose credentialStatus member is
  // `credential_status` (JSON text; empty when the credential has none), at `now`, lists'
  // validity read with `skew`.
  OutsideStatus Check(std::string_view credential_status, const std::string& issuer_id,
                      absl::Time now, absl::Duration skew) const;

  // The status of an EDC issued by `issuer_id` whose credentialStatus is the ELM URI form that
  // MessageEntryOfStatusUri reads; std::nullopt for any other value. The list may be issued
  // under `issuer_id` or, when that is an institution's URL, under its did:web DID (the same
  // institution's other name, libs/discovery/did_web.h: a node issuing under its DID still
  // names its organisation by URL in the ELM document).
  std::optional<OutsideStatus> CheckStatusUri(const nlohmann::json& credential_status,
                                              const std::string& issuer_id, absl::Time now,
                                              absl::Duration skew) const;

  struct List;  // a verified list (outside_status.cc)

 private:
  absl::StatusOr<std::shared_ptr<const List>> VerifiedList(const std::string& url,
                                                           const std::string& issuer_id) const;
  OutsideStatus CheckEntry(const nlohmann::json& entry, const std::string& issuer_id,
                           absl::Time now, absl::Duration skew) const;

  const KeyDiscovery& keys_;
  mutable absl::Mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const List>> lists_ ABSL_GUARDED_BY(mu_);
};

// The credentialStatus of ELM v3 (European Digital Credentials), a URI literal: a plain string
// or an {"@value": ...} object. When it is "<http(s) list URL>#<index in base 10>", the form
// this platform's EDC export writes (docs/CREDENTIALS.md, "Europass export"), it names entry
// <index> of the issuer's 2-bit "message" list at that URL, and this returns that entry as the
// BitstringStatusListEntry it stands for, for OutsideStatusChecker (whose rules then apply: the
// list must be the credential's issuer's, signed by its key). std::nullopt for any other value.
std::optional<nlohmann::json> MessageEntryOfStatusUri(const nlohmann::json& credential_status);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_
