// The certificates an institution trusts to certify e-seals (`mcnode --trusted-list-file`):
// the trust anchors a JAdES seal's chain must end at (jades.h).
//
// Two file forms, told apart by their first non-blank character:
//   - a PEM bundle ("-----BEGIN CERTIFICATE-----" ...): every certificate an anchor, named by
//     its subject CN (or O, or the whole subject when it has neither);
//   - an ETSI TS 119 612 trusted list (XML, the EU Member States' format): every TSPService
//     whose ServiceTypeIdentifier is http://uri.etsi.org/TrstSvc/Svctype/CA/QC and whose
//     current ServiceStatus is not withdrawn contributes the X509Certificate(s) of its
//     ServiceDigitalIdentity, named by its ServiceName (English when given). The list's own
//     XML signature, service history and qualifier extensions are not read: the operator
//     verifies the list they install. A list of lists (LOTL) names no services and is refused.
// The XML is parsed with libxml2 without network access, without loading DTDs and without
// substituting entities (no external entity can be resolved); a DOCTYPE is refused outright.
//
// An anchor need not be self-signed: trusted lists name issuing CAs, and a chain that reaches
// any anchor is trusted (OpenSSL's partial-chain verification).
//
// Immutable once loaded; copies share it; thread-safe.
#ifndef MICROCRED_LIBS_JADES_TRUST_ANCHORS_H_
#define MICROCRED_LIBS_JADES_TRUST_ANCHORS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

typedef struct x509_store_st X509_STORE;  // OpenSSL's, as <openssl/types.h> declares it
typedef struct x509_st X509;

namespace microcred::jades {

// A trusted-list file longer than this is refused (a national list is a few MB).
inline constexpr size_t kMaxTrustedListBytes = 32 * 1024 * 1024;

struct TrustAnchor {
  std::string name;
  std::string certificate_der;
};

class TrustAnchors {
 public:
  // No anchors: every seal's certificate check fails.
  TrustAnchors();

  // A PEM bundle. InvalidArgument "trusted list: no PEM certificate" or "trusted list:
  // certificate 3 is not a valid PEM certificate".
  static absl::StatusOr<TrustAnchors> FromPem(std::string_view pem);
  // An ETSI TS 119 612 trusted list. InvalidArgument "trusted list: not well-formed XML: ...",
  // "trusted list: not a TS 119 612 TrustServiceStatusList", "trusted list: TSPService 4
  // (<name>): X509Certificate is not a valid base64 DER certificate", "trusted list: no
  // granted CA/QC service with a certificate".
  static absl::StatusOr<TrustAnchors> FromTrustedListXml(std::string_view xml);
  // FromPem or FromTrustedListXml by the content's first non-blank character.
  static absl::StatusOr<TrustAnchors> FromText(std::string_view text);
  // Reads `path`: NotFound, or FailedPrecondition when longer than kMaxTrustedListBytes, or
  // FromText's errors prefixed with the path.
  static absl::StatusOr<TrustAnchors> LoadFile(const std::string& path);

  const std::vector<TrustAnchor>& anchors() const;
  bool empty() const { return anchors().empty(); }

  // The name of the anchor whose certificate is `certificate`, or empty.
  std::string NameOf(const X509& certificate) const;
  // Every anchor as a trusted certificate; owned by this object, shared by its copies.
  X509_STORE* store() const;

  // For VerifySeal: chains (keyed by the SHA-256 of their certificates) that verified up to
  // one of these anchors, with the anchor's name and the period in which every certificate of
  // the chain is valid. Whatever else chain verification checks does not depend on the time,
  // so a remembered chain stands for any signing time inside that period. At most 4,096
  // chains, forgotten all at once when full; shared by copies; thread-safe.
  struct VerifiedChain {
    std::string anchor_name;
    absl::Time valid_from;
    absl::Time valid_until;
  };
  std::optional<VerifiedChain> FindVerifiedChain(const std::string& chain_key) const;
  void RememberVerifiedChain(const std::string& chain_key, VerifiedChain chain) const;

 private:
  struct State;
  explicit TrustAnchors(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  static absl::StatusOr<TrustAnchors> FromAnchors(std::vector<TrustAnchor> anchors);

  std::shared_ptr<const State> state_;
};

}  // namespace microcred::jades

#endif  // MICROCRED_LIBS_JADES_TRUST_ANCHORS_H_
