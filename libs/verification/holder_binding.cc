#include "libs/verification/holder_binding.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "libs/credentials/identity_hash.h"

namespace microcred::verification {
namespace {

using nlohmann::json;
using recognition::v1::HolderBinding;
using recognition::v1::HolderBindingMethod;

constexpr absl::Duration kMaxProofAge = absl::Hours(24);
constexpr absl::Duration kMaxClockAhead = absl::Minutes(5);

std::string StringOf(const json& object, const char* key) {
  if (!object.is_object()) return std::string();
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One of the learner's ids, named by its field.
struct LearnerId {
  std::string field;
  std::string value;
};

std::vector<LearnerId> LearnerIds(const HolderContext& holder) {
  std::vector<LearnerId> ids;
  if (!holder.learner_id.empty()) ids.push_back({"learner_id", holder.learner_id});
  for (size_t i = 0; i < holder.learner_identifiers.size(); ++i) {
    ids.push_back(
        {"learner_identifiers[" + std::to_string(i) + "]", holder.learner_identifiers[i]});
  }
  return ids;
}

std::string Trimmed(std::string_view text) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

// Whether an identifier stated in clear is `id`: trimmed, e-mail addresses in any case.
bool SameIdentifier(std::string_view stated, std::string_view id) {
  const std::string a = Trimmed(stated), b = Trimmed(id);
  if (a.empty()) return false;
  return a.find('@') != std::string::npos ? absl::EqualsIgnoreCase(a, b) : a == b;
}

// An identifier a subject states: in clear, or as a salted hash.
struct StatedIdentifier {
  std::string type;  // its identityType or schemeName, for the detail
  std::string value;
  bool hashed = false;
  std::string salt;
};

// Open Badges IdentityObjects and ELM Identifiers.
std::vector<StatedIdentifier> IdentifiersOf(const json& subject) {
  std::vector<StatedIdentifier> out;
  auto it = subject.find("identifier");
  if (it == subject.end()) return out;
  const json list = it->is_array() ? *it : json::array({*it});
  for (const json& entry : list) {
    if (!entry.is_object()) continue;
    if (const std::string hash = StringOf(entry, "identityHash"); !hash.empty()) {
      const auto hashed = entry.find("hashed");
      const bool is_hashed = hashed != entry.end() && hashed->is_boolean() && hashed->get<bool>();
      out.push_back({StringOf(entry, "identityType"), hash, is_hashed, StringOf(entry, "salt")});
    } else if (const std::string notation = StringOf(entry, "notation"); !notation.empty()) {
      const std::string salt = StringOf(entry, "identitySalt");
      std::string type = StringOf(entry, "schemeName");
      if (type.empty()) type = StringOf(entry, "schemeId");
      out.push_back({type, notation, !salt.empty(), salt});
    }
  }
  return out;
}

// The credential's subjects: credentialSubject (an object or an array of them), at the top
// level or under "vc".
std::vector<json> SubjectsOf(const json& doc) {
  const json* vc = &doc;
  if (auto it = doc.find("vc"); it != doc.end() && it->is_object()) vc = &*it;
  std::vector<json> out;
  auto it = vc->find("credentialSubject");
  if (it == vc->end()) return out;
  if (it->is_object()) out.push_back(*it);
  if (it->is_array()) {
    for (const json& s : *it) {
      if (s.is_object()) out.push_back(s);
    }
  }
  return out;
}

HolderBinding Bound(HolderBindingMethod method, std::string detail) {
  HolderBinding binding;
  binding.set_bound(true);
  binding.set_method(method);
  binding.set_detail(std::move(detail));
  return binding;
}

// Why `proof` does not prove control of `did` for this submission; nullopt when it does.
std::optional<std::string> ProofProblem(const jose::ParsedJws& proof, const json& payload,
                                        const std::string& did, const HolderContext& holder,
                                        const HolderKeyResolver& resolve_key, absl::Time now) {
  const size_t hash = proof.kid.find('#');
  if (proof.kid.substr(0, hash) != did) return "its kid is not a key of the subject's DID";
  const json& aud = payload["aud"];
  const bool audience_matches =
      (aud.is_string() && aud.get<std::string>() == holder.audience) ||
      (aud.is_array() && std::find(aud.begin(), aud.end(), json(holder.audience)) != aud.end());
  if (!audience_matches) return "aud is not " + holder.audience;
  if (StringOf(payload, "nonce") != holder.nonce || holder.nonce.empty()) {
    return "nonce is not this submission's client_request_id";
  }
  const json& iat = payload["iat"];
  if (!iat.is_number()) return "iat: a number of seconds is required";
  const absl::Time issued = absl::FromUnixSeconds(iat.get<int64_t>());
  if (issued > now + kMaxClockAhead) return "iat is in the future";
  if (issued < now - kMaxProofAge) return "iat is more than a day old";
  if (!resolve_key) return "this node resolves no DID keys";
  absl::StatusOr<jose::JwkPublicKey> key = resolve_key(proof, did);
  if (!key.ok()) return "its key: " + std::string(key.status().message());
  if (!jose::VerifyJws(proof, *key)) return "the signature does not verify";
  return std::nullopt;
}

// A holder proof for `did`, or why there is none.
std::variant<HolderBinding, std::string> ProveDid(const std::string& did,
                                                  const HolderContext& holder,
                                                  const HolderKeyResolver& resolve_key,
                                                  absl::Time now) {
  std::string problems;
  for (size_t i = 0; i < holder.holder_proofs.size(); ++i) {
    absl::StatusOr<jose::ParsedJws> proof = jose::ParseCompact(holder.holder_proofs[i]);
    if (!proof.ok()) continue;  // refused at submission when unreadable
    const json payload = json::parse(proof->payload, nullptr, /*allow_exceptions=*/false);
    if (!payload.is_object() || StringOf(payload, "iss") != did) continue;
    const std::string field = "holder_proofs[" + std::to_string(i) + "]";
    const std::optional<std::string> problem =
        ProofProblem(*proof, payload, did, holder, resolve_key, now);
    if (!problem) {
      const std::string method = did.substr(0, did.find(':', 4));
      return Bound(recognition::v1::HOLDER_BINDING_METHOD_DID_PROOF,
                   field + " is signed by a key of the subject's DID (" + method + ")");
    }
    problems += "; " + field + ": " + *problem;
  }
  if (problems.empty()) return std::string("no holder proof has the subject's DID as its iss");
  return problems.substr(2);
}

}  // namespace

HolderBinding BindHolder(std::string_view credential_json, const HolderContext& holder,
                         const HolderKeyResolver& resolve_key, absl::Time now) {
  HolderBinding binding;
  const json doc = json::parse(credential_json, nullptr, /*allow_exceptions=*/false);
  const std::vector<json> subjects = doc.is_object() ? SubjectsOf(doc) : std::vector<json>();
  const std::vector<LearnerId> ids = LearnerIds(holder);
  std::vector<std::string> reasons;
  for (const json& subject : subjects) {
    const std::string subject_id = StringOf(subject, "id");
    for (const LearnerId& id : ids) {
      if (!subject_id.empty() && SameIdentifier(subject_id, id.value)) {
        binding = Bound(recognition::v1::HOLDER_BINDING_METHOD_SUBJECT_ID,
                        "the credential's subject id is the " + id.field);
        break;
      }
    }
    if (binding.bound()) break;
    const std::vector<StatedIdentifier> stated = IdentifiersOf(subject);
    int hashed = 0;
    for (const StatedIdentifier& s : stated) {
      hashed += s.hashed ? 1 : 0;
      for (const LearnerId& id : ids) {
        if (binding.bound()) break;
        if (s.hashed && credentials::IdentityHashMatches(s.value, s.salt, id.value)) {
          binding = Bound(recognition::v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER,
                          "the subject's salted SHA-256 identifier" +
                              (s.type.empty() ? "" : " (" + s.type + ")") + " is the hash of the " +
                              id.field);
        } else if (!s.hashed && SameIdentifier(s.value, id.value)) {
          binding = Bound(recognition::v1::HOLDER_BINDING_METHOD_SUBJECT_ID,
                          "the subject's identifier" + (s.type.empty() ? "" : " (" + s.type + ")") +
                              " is the " + id.field);
        }
      }
    }
    if (binding.bound()) break;
    std::string reason = subject_id.empty() ? "the subject has no id"
                                            : "the subject id is none of the learner's ids";
    if (!stated.empty()) {
      reason += ", none of its " + std::to_string(stated.size()) + " identifiers (" +
                std::to_string(hashed) + " hashed) is one of theirs";
    }
    if (subject_id.rfind("did:", 0) == 0) {
      auto proved = ProveDid(subject_id, holder, resolve_key, now);
      if (auto* bound = std::get_if<HolderBinding>(&proved)) {
        binding = *bound;
        break;
      }
      reason += ", and " + std::get<std::string>(proved);
    } else {
      reason += ", and it is not a DID the learner could prove control of";
    }
    reasons.push_back(std::move(reason));
  }
  binding.set_checked_at_ms(absl::ToUnixMillis(now));
  if (binding.bound()) return binding;
  if (subjects.empty()) {
    binding.set_detail("the credential names no subject (credentialSubject)");
  } else {
    std::string detail = "the credential is not the learner's: " + reasons.front();
    for (size_t i = 1; i < reasons.size(); ++i)
      detail += "; subject " + std::to_string(i + 1) + ": " + reasons[i];
    binding.set_detail(std::move(detail));
  }
  return binding;
}

}  // namespace microcred::verification
