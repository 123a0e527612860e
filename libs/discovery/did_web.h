// Where an institution's issuer id, keys and DID live, and did:web <-> https (the did:web method
// specification, W3C CCG): what issuance writes into credentials, what the public HTTP serves
// and what the verifier checks, computed in one place.
//
//   B  an institution's public base URL, as the registry holds it: "https://uni.example"
//   I  IssuerUrl(B, id) = B + "/institutions/" + id         the OB 3.0 Profile
//      I + "/keys/" + key id                                one key as a JWK (the URL kid)
//      I + "/jwks.json", I + "/did.json"                    every key; the DID document
//   D  InstitutionDid(B, id) = "did:web:" + host of B (a port as "%3A" + port) + each path
//      segment of B + ":institutions:" + id. It resolves (DidDocumentUrl) to I + "/did.json":
//      did:web:uni.example:institutions:x  ->  https://uni.example/institutions/x/did.json
//      did:web:uni.example%3A8443:w:institutions:x ->
//      https://uni.example:8443/w/institutions/x/did.json D + "#" + key id one key in the DID
//      document
//
// Errors (InvalidArgument, naming the field and the rule): a base URL that is not https (did:web
// trusts TLS), carries user info, a query or a fragment, or has no host; a DID that is not
// did:web or has an empty segment. Pure; thread-safe.
#ifndef MICROCRED_LIBS_DISCOVERY_DID_WEB_H_
#define MICROCRED_LIBS_DISCOVERY_DID_WEB_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred::discovery {

// The issuer id an institution's credentials carry (and the form of their kid): I with the kid
// I/keys/<key id>, or D with the kid D#<key id>. Co-awarding bodies are always named by I.
enum class IssuerIdForm { kUrl, kDidWeb };
// "url" or "did-web" (mcnode --issuer-id); InvalidArgument naming the flag otherwise.
absl::StatusOr<IssuerIdForm> ParseIssuerIdForm(std::string_view name);
// The issuer id of the form: I, or D (InvalidArgument when B is not https).
absl::StatusOr<std::string> IssuerId(IssuerIdForm form, std::string_view base_url,
                                     std::string_view institution_id);
// The kid of `key_id` under `issuer_id` (the result of IssuerId in `form`).
std::string CredentialKeyId(IssuerIdForm form, std::string_view issuer_id, std::string_view key_id);

// I: B without a trailing "/", then "/institutions/<id>".
std::string IssuerUrl(std::string_view base_url, std::string_view institution_id);
// I + "/keys/" + key id.
std::string KeyUrl(std::string_view base_url, std::string_view institution_id,
                   std::string_view key_id);

// The host of an http(s) URL with its port, if any ("uni.example:8443"), lower case.
absl::StatusOr<std::string> HostOf(std::string_view url);

// D, from an https base URL.
absl::StatusOr<std::string> InstitutionDid(std::string_view base_url,
                                           std::string_view institution_id);

// D for an issuer URL I ("<https base URL>/institutions/<id>"): the same institution's other
// name. InvalidArgument when `issuer_url` has another shape.
absl::StatusOr<std::string> InstitutionDidOfIssuerUrl(std::string_view issuer_url);

// A did:web DID (without fragment or query), its parts decoded.
struct DidWeb {
  std::string host;               // "uni.example:8443"
  std::vector<std::string> path;  // {"w", "institutions", "x"}
};
absl::StatusOr<DidWeb> ParseDidWeb(std::string_view did);

// Where the DID document of `did` is: https://host/path/did.json, or
// https://host/.well-known/did.json for a DID without a path.
std::string DidDocumentUrl(const DidWeb& did);

// The institution a DID of the form D names (its path ends "institutions/<id>"), and the DID's
// host. InvalidArgument for another shape.
struct InstitutionDidParts {
  std::string host;
  std::string institution_id;
};
absl::StatusOr<InstitutionDidParts> ParseInstitutionDid(std::string_view did);

}  // namespace microcred::discovery

#endif  // MICROCRED_LIBS_DISCOVERY_DID_WEB_H_
