#include "libs/verification/key_discovery.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/discovery/did_web.h"
#include "libs/verification/multikey.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {
namespace {

using issuance::v1::TrustKind;
using nlohmann::json;

constexpr char kNotMember[] = ", not an ecosystem member";

std::string Clip(std::string_view text) { return jose::ClipTokenText(text); }

bool IsDid(std::string_view id) { return id.starts_with("did:"); }
bool IsHttpsUrl(std::string_view id) { return id.starts_with("https://"); }

// "did:web:x.example#key-1" -> {"did:web:x.example", "key-1"}; no '#': {id, ""}.
std::pair<std::string, std::string> SplitFragment(std::string_view id) {
  const size_t hash = id.find('#');
  if (hash == std::string_view::npos) return {std::string(id), ""};
  return {std::string(id.substr(0, hash)), std::string(id.substr(hash + 1))};
}

// The answer at `url`, bounded and JSON, or why not.
absl::StatusOr<FetchedDocument> FetchDocument(HttpFetcher& fetcher, const std::string& url,
                                              const std::string& accept, const std::string& what) {
  absl::StatusOr<FetchedDocument> fetched = fetcher.Get({.url = url, .accept = accept});
  if (!fetched.ok()) {
    return absl::Status(fetched.status().code(), absl::StrCat("could not fetch ", what, " at ", url,
                                                              ": ", fetched.status().message()));
  }
  if (fetched->body.size() > kMaxKeyDocumentBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, " at ", url, " is larger than ", kMaxKeyDocumentBytes, " bytes"));
  }
  // JSON of any flavour (application/json, did+json, jwk+json, ld+json), or text/plain as plain
  // static servers and the pinned documents' strings answer; a page (text/html) is not a key.
  const std::string_view type = fetched->content_type;
  if (!type.empty() && !type.ends_with("json") && type != "text/plain") {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " at ", url, " is ", Clip(fetched->content_type), ", not JSON"));
  }
  return fetched;
}

absl::StatusOr<json> ParseObject(const FetchedDocument& fetched, const std::string& url,
                                 const std::string& what) {
  json document = json::parse(fetched.body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " at ", url, " is malformed: not a JSON object"));
  }
  return document;
}

const json* Member(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string StringMember(const json& object, const char* name) {
  const json* value = Member(object, name);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// The key of a verification method (a DID document's, or one served at a key URL).
absl::StatusOr<jose::JwkPublicKey> MethodKey(const json& method, const std::string& kid) {
  if (const json* jwk = Member(method, "publicKeyJwk")) {
    absl::StatusOr<jose::JwkPublicKey> key = PublicKeyFromJwk(*jwk, kid);
    if (!key.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("publicKeyJwk of ", Clip(kid), ": ", key.status().message()));
    return key;
  }
  if (const json* multibase = Member(method, "publicKeyMultibase");
      multibase != nullptr && multibase->is_string()) {
    return PublicKeyFromMultibase(multibase->get<std::string>(), kid);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("verification method ", Clip(kid),
                   " has no key this node reads (publicKeyJwk or publicKeyMultibase)"));
}

DiscoveredKey Found(jose::JwkPublicKey key, TrustKind kind, std::string source,
                    std::string statement, bool pinned) {
  if (pinned) {
    kind = issuance::v1::TRUST_KIND_PINNED_KEY;
    statement = "issuer key pinned by this institution (" + source + ")" + kNotMember;
  }
  return {.key = std::move(key),
          .kind = kind,
          .key_source = std::move(source),
          .statement = std::move(statement)};
}

// The methods of a DID document listed under assertionMethod, their ids absolute.
struct AssertionMethod {
  std::string id;
  const json* method;
};

absl::StatusOr<std::vector<AssertionMethod>> AssertionMethods(const json& document,
                                                              const std::string& did,
                                                              const std::string& url) {
  const auto absolute = [&](std::string id) { return id.rfind('#', 0) == 0 ? did + id : id; };
  const auto malformed = [&](const std::string& rule) {
    return absl::InvalidArgumentError(
        absl::StrCat("the DID document at ", url, " is malformed: ", rule));
  };
  std::vector<AssertionMethod> methods;
  const json* listed = Member(document, "verificationMethod");
  if (listed != nullptr && !listed->is_array())
    return malformed("verificationMethod is not an array");
  const json* assertion = Member(document, "assertionMethod");
  if (assertion == nullptr) return methods;
  if (!assertion->is_array()) return malformed("assertionMethod is not an array");
  for (const json& entry : *assertion) {
    if (entry.is_object()) {  // a method embedded in the relationship
      const std::string id = StringMember(entry, "id");
      if (id.empty()) return malformed("an assertionMethod has no id");
      methods.push_back({absolute(id), &entry});
      continue;
    }
    if (!entry.is_string()) return malformed("an assertionMethod is neither an id nor a method");
    const std::string id = absolute(entry.get<std::string>());
    const json* found = nullptr;
    static const json kNone = json::array();
    for (const json& method : listed != nullptr ? *listed : kNone) {
      if (!method.is_object()) return malformed("a verificationMethod is not an object");
      if (absolute(StringMember(method, "id")) == id) found = &method;
    }
    if (found == nullptr) {
      return malformed(absl::StrCat("assertionMethod ", Clip(id), " is not in verificationMethod"));
    }
    methods.push_back({id, found});
  }
  return methods;
}

bool MentionsMethod(const json& document, const std::string& did, const std::string& id) {
  const json* listed = Member(document, "verificationMethod");
  if (listed == nullptr || !listed->is_array()) return false;
  for (const json& method : *listed) {
    std::string mid = StringMember(method, "id");
    if (mid.rfind('#', 0) == 0) mid = did + mid;
    if (mid == id) return true;
  }
  return false;
}

std::optional<jose::JwkPublicKey> HeaderJwk(const jose::ParsedJws& jws) {
  auto it = jws.header.find("jwk");
  if (it == jws.header.end()) return std::nullopt;
  absl::StatusOr<jose::JwkPublicKey> key = PublicKeyFromJwk(*it, "jwk header");
  if (!key.ok()) return std::nullopt;
  return *std::move(key);
}

}  // namespace

absl::StatusOr<DiscoveredKey> KeyDiscovery::FindIssuerKey(const jose::ParsedJws& jws,
                                                          const std::string& issuer_id) const {
  if (IsDid(jws.kid)) return FromDidUrl(jws, issuer_id);
  if (IsHttpsUrl(jws.kid)) return FromKeyUrl(jws, issuer_id);
  if (std::string_view(issuer_id).starts_with("did:web:")) {
    return FromDidWeb(issuer_id, jws.kid.empty() ? "" : issuer_id + "#" + jws.kid, jws);
  }
  if (std::string_view(issuer_id).starts_with("did:key:") ||
      std::string_view(issuer_id).starts_with("did:jwk:")) {
    return FromSelfCertifyingDid(issuer_id, jws);
  }
  if (jws.header.contains("jwk")) return FromEmbeddedJwk(jws, issuer_id);
  if (!jws.kid.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "kid \"", Clip(jws.kid), "\" is neither an https URL nor a DID URL, and the issuer ",
        Clip(issuer_id), " is not a DID this node resolves (did:web, did:key, did:jwk)"));
  }
  return absl::NotFoundError(
      absl::StrCat("the token names no key: no kid, no jwk, and the issuer ", Clip(issuer_id),
                   " is not a DID this node resolves (did:web, did:key, did:jwk)"));
}

absl::StatusOr<DiscoveredKey> KeyDiscovery::FromDidUrl(const jose::ParsedJws& jws,
                                                       const std::string& issuer_id) const {
  const auto [did, fragment] = SplitFragment(jws.kid);
  if (did != issuer_id) {
    return absl::PermissionDeniedError(absl::StrCat("key ", Clip(jws.kid),
                                                    " is not the issuer's: the credential's "
                                                    "issuer is ",
                                                    Clip(issuer_id)));
  }
  if (std::string_view(did).starts_with("did:web:")) {
    if (fragment.empty()) return FromDidWeb(did, "", jws);
    return FromDidWeb(did, jws.kid, jws);
  }
  if (std::string_view(did).starts_with("did:key:")) {
    if (!fragment.empty() && fragment != did.substr(8)) {
      return absl::NotFoundError(
          absl::StrCat("kid ", Clip(jws.kid), ": a did:key's only key is #", Clip(did.substr(8))));
    }
    return FromSelfCertifyingDid(did, jws);
  }
  if (std::string_view(did).starts_with("did:jwk:")) return FromSelfCertifyingDid(did, jws);
  return absl::UnimplementedError(absl::StrCat("DID method of ", Clip(did),
                                               " is not one this node resolves (did:web, "
                                               "did:key, did:jwk)"));
}

absl::StatusOr<DiscoveredKey> KeyDiscovery::FromKeyUrl(const jose::ParsedJws& jws,
                                                       const std::string& issuer_id) const {
  // Not a structured binding: the lambda below captures the URL (clang 14 cannot).
  const std::pair<std::string, std::string> parts = SplitFragment(jws.kid);
  const std::string& url = parts.first;
  const std::string& fragment = parts.second;
  absl::StatusOr<std::string> kid_host = discovery::HostOf(url);
  absl::StatusOr<std::string> issuer_host =
      IsHttpsUrl(issuer_id) ? discovery::HostOf(issuer_id)
                            : absl::StatusOr<std::string>(absl::InvalidArgumentError("not https"));
  if (!kid_host.ok() || !issuer_host.ok() || *kid_host != *issuer_host) {
    return absl::PermissionDeniedError(absl::StrCat(
        "kid ", Clip(jws.kid), " is not on the origin of the issuer ", Clip(issuer_id),
        issuer_host.ok() ? "" : " (a key URL belongs to an issuer whose id is an https URL)"));
  }
  absl::StatusOr<FetchedDocument> fetched = FetchDocument(
      fetcher_, url, "application/jwk+json, application/jwk-set+json, application/json",
      "the issuer's key");
  if (!fetched.ok()) return fetched.status();
  const std::string lookup = jws.kid + "\n" + issuer_id;
  if (std::optional<DiscoveredKey> hit = Cached(lookup, *fetched)) return *std::move(hit);
  absl::StatusOr<json> parsed = ParseObject(*fetched, url, "the issuer's key");
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  const auto found = [&](absl::StatusOr<jose::JwkPublicKey> key) -> absl::StatusOr<DiscoveredKey> {
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the key at ", url, " is malformed: ", key.status().message()));
    }
    DiscoveredKey discovered = Found(*std::move(key), issuance::v1::TRUST_KIND_KEY_URL, jws.kid,
                                     "issuer key from " + jws.kid + kNotMember, fetched->pinned);
    Remember(lookup, *fetched, discovered);
    return discovered;
  };
  if (doc.contains("kty")) return found(PublicKeyFromJwk(doc, jws.kid));
  if (const json* keys = Member(doc, "keys"); keys != nullptr && keys->is_array()) {
    const json* match = nullptr;
    for (const json& key : *keys) {
      const std::string kid = StringMember(key, "kid");
      if (kid == jws.kid || (!fragment.empty() && kid == fragment)) match = &key;
    }
    if (match == nullptr && fragment.empty() && keys->size() == 1) match = &(*keys)[0];
    if (match == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("unknown kid: the key set at ", url, " has no key ", Clip(jws.kid)));
    }
    return found(PublicKeyFromJwk(*match, jws.kid));
  }
  if (doc.contains("publicKeyJwk") || doc.contains("publicKeyMultibase")) {
    const std::string controller = StringMember(doc, "controller");
    if (!controller.empty() && controller != issuer_id) {
      return absl::PermissionDeniedError(absl::StrCat("the key at ", url, " is controlled by ",
                                                      Clip(controller), ", not by the issuer ",
                                                      Clip(issuer_id)));
    }
    return found(MethodKey(doc, jws.kid));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the document at ", url, " is not a JWK, a JWK set or a verification method"));
}

absl::StatusOr<DiscoveredKey> KeyDiscovery::FromDidWeb(const std::string& did,
                                                       const std::string& method_id,
                                                       const jose::ParsedJws& jws) const {
  absl::StatusOr<discovery::DidWeb> parsed = discovery::ParseDidWeb(did);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("issuer ", Clip(did), ": ", parsed.status().message()));
  }
  const std::string url = discovery::DidDocumentUrl(*parsed);
  const std::string what = "the DID document of " + did;
  absl::StatusOr<FetchedDocument> fetched =
      FetchDocument(fetcher_, url, "application/did+json, application/json", what);
  if (!fetched.ok()) return fetched.status();
  // Without a kid, which key is used depends on the token's jwk header.
  auto header_jwk = jws.header.find("jwk");
  const std::string lookup =
      did + "\n" + method_id + "\n" +
      (method_id.empty() && header_jwk != jws.header.end() ? header_jwk->dump() : "");
  if (std::optional<DiscoveredKey> hit = Cached(lookup, *fetched)) return *std::move(hit);
  absl::StatusOr<json> document = ParseObject(*fetched, url, what);
  if (!document.ok()) return document.status();
  const json& doc = *document;
  const std::string id = StringMember(doc, "id");
  if (id != did) {
    return absl::PermissionDeniedError(absl::StrCat("the DID document at ", url, " is for ",
                                                    id.empty() ? "no id" : Clip(id), ", not ",
                                                    Clip(did)));
  }
  absl::StatusOr<std::vector<AssertionMethod>> methods = AssertionMethods(doc, did, url);
  if (!methods.ok()) return methods.status();
  const auto use = [&](const AssertionMethod& m) -> absl::StatusOr<DiscoveredKey> {
    const std::string controller = StringMember(*m.method, "controller");
    if (!controller.empty() && controller != did) {
      return absl::PermissionDeniedError(absl::StrCat("key ", Clip(m.id), " is controlled by ",
                                                      Clip(controller), ", not by ", Clip(did)));
    }
    absl::StatusOr<jose::JwkPublicKey> key = MethodKey(*m.method, m.id);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the DID document at ", url, " is malformed: ", key.status().message()));
    }
    DiscoveredKey discovered = Found(*std::move(key), issuance::v1::TRUST_KIND_DID_WEB, m.id,
                                     "issuer key from " + did + kNotMember, fetched->pinned);
    Remember(lookup, *fetched, discovered);
    return discovered;
  };
  if (!method_id.empty()) {
    for (const AssertionMethod& m : *methods) {
      if (m.id == method_id) return use(m);
    }
    if (MentionsMethod(doc, did, method_id)) {
      return absl::PermissionDeniedError(
          absl::StrCat("key ", Clip(method_id), " is not listed under assertionMethod of ",
                       Clip(did), ": this node accepts only keys the issuer lists for assertions"));
    }
    return absl::NotFoundError(absl::StrCat("unknown kid: the DID document of ", Clip(did),
                                            " has no verification method ", Clip(method_id)));
  }
  if (methods->empty()) {
    return absl::NotFoundError(
        absl::StrCat("the DID document of ", Clip(did), " lists no assertionMethod"));
  }
  if (std::optional<jose::JwkPublicKey> header_key = HeaderJwk(jws)) {
    for (const AssertionMethod& m : *methods) {
      absl::StatusOr<jose::JwkPublicKey> key = MethodKey(*m.method, m.id);
      if (key.ok() && SamePublicKey(*key, *header_key)) return use(m);
    }
    return absl::NotFoundError(
        absl::StrCat("the token's jwk is not an assertion key of ", Clip(did)));
  }
  if (methods->size() != 1) {
    return absl::NotFoundError(absl::StrCat("the token names no key (no kid, no jwk) and ",
                                            Clip(did), " lists ", methods->size(),
                                            " assertion keys"));
  }
  return use(methods->front());
}

absl::StatusOr<DiscoveredKey> KeyDiscovery::FromSelfCertifyingDid(
    const std::string& did, const jose::ParsedJws& jws) const {
  const bool did_key = std::string_view(did).starts_with("did:key:");
  // Decoding is pure, but a P-256 did:key costs a point decompression: kept like fetched keys.
  const FetchedDocument nothing_fetched;
  const std::string lookup = did + "\n" + jws.kid;
  std::optional<DiscoveredKey> found = Cached(lookup, nothing_fetched);
  if (!found) {
    absl::StatusOr<jose::JwkPublicKey> key =
        did_key ? PublicKeyFromDidKey(did, jws.kid.empty() ? did : jws.kid)
                : PublicKeyFromDidJwk(did, jws.kid.empty() ? did : jws.kid);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("issuer ", Clip(did), ": ", key.status().message()));
    }
    const std::string method = did_key ? "did:key" : "did:jwk";
    found = Found(*std::move(key), issuance::v1::TRUST_KIND_DID_KEY, did,
                  "issuer key is the " + method +
                      " issuer id itself: proves control of the key, not identity",
                  /*pinned=*/false);
    Remember(lookup, nothing_fetched, *found);
  }
  if (jws.header.contains("jwk")) {
    std::optional<jose::JwkPublicKey> header_key = HeaderJwk(jws);
    if (!header_key || !SamePublicKey(*header_key, found->key)) {
      return absl::PermissionDeniedError(
          absl::StrCat("the token's jwk is not the key of its issuer ", Clip(did)));
    }
  }
  return *std::move(found);
}

absl::StatusOr<DiscoveredKey> KeyDiscovery::FromEmbeddedJwk(const jose::ParsedJws& jws,
                                                            const std::string& issuer_id) const {
  if (!options_.allow_embedded_jwk) {
    return absl::PermissionDeniedError(
        "a key embedded in the token proves integrity only; this node does not accept it "
        "(issuer " +
        Clip(issuer_id) + ")");
  }
  absl::StatusOr<jose::JwkPublicKey> key =
      PublicKeyFromJwk(*jws.header.find("jwk"), jws.kid.empty() ? "jwk header" : jws.kid);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("jws.header.jwk: ", key.status().message()));
  }
  return Found(*std::move(key), issuance::v1::TRUST_KIND_EMBEDDED_JWK, "jwk header",
               "key embedded in the token: proves integrity only, not who signed",
               /*pinned=*/false);
}

std::optional<DiscoveredKey> KeyDiscovery::Cached(const std::string& lookup,
                                                  const FetchedDocument& document) const {
  absl::MutexLock lock(&mu_);
  auto it = cache_.find(lookup);
  if (it == cache_.end() || it->second.body != document.body ||
      it->second.pinned != document.pinned) {
    return std::nullopt;
  }
  return it->second.key;
}

void KeyDiscovery::Remember(const std::string& lookup, const FetchedDocument& document,
                            const DiscoveredKey& key) const {
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCachedKeys) cache_.clear();
  cache_[lookup] = CachedKey{.body = document.body, .pinned = document.pinned, .key = key};
}

}  // namespace microcred::verification
