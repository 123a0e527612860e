#include "libs/verification/credential_fields.h"

#include <simdjson.h>

namespace microcred::verification {
namespace {

std::optional<std::string> StringOf(simdjson::dom::element value) {
  std::string_view text;
  if (value.get_string().get(text)) return std::nullopt;
  return std::string(text);
}

ClaimValue ClaimOf(simdjson::dom::element value) {
  ClaimValue claim;
  std::string_view text;
  if (!value.get_string().get(text)) {
    claim.kind = ClaimValue::Kind::kString;
    claim.text = std::string(text);
  } else if (!value.get_double().get(claim.number)) {
    claim.kind = ClaimValue::Kind::kNumber;
  } else {
    claim.kind = ClaimValue::Kind::kOther;
  }
  return claim;
}

void ReadTypes(simdjson::dom::element types, CredentialFields& f) {
  auto mark = [&](simdjson::dom::element t) {
    std::string_view name;
    if (t.get_string().get(name)) return;
    f.verifiable_credential = f.verifiable_credential || name == "VerifiableCredential";
    f.open_badge_credential = f.open_badge_credential || name == "OpenBadgeCredential";
    f.achievement_credential = f.achievement_credential || name == "AchievementCredential";
  };
  simdjson::dom::array list;
  if (!types.get_array().get(list)) {
    for (simdjson::dom::element t : list) mark(t);
  } else {
    mark(types);
  }
}

// std::nullopt when the payload is not a JSON object.
}  // namespace

// One pass of simdjson: the payload is several kilobytes, and a DOM of every member would cost
// as much as the signature check.
std::optional<CredentialFields> ReadCredentialFields(std::string_view payload) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(simdjson::padded_string(payload)).get_object().get(object)) {
    return std::nullopt;
  }
  CredentialFields f;
  for (simdjson::dom::key_value_pair member : object) {
    const std::string_view key = member.key;
    const simdjson::dom::element value = member.value;
    if (key == "@context") {
      simdjson::dom::array contexts;
      std::string_view first;
      if (!value.get_array().get(contexts) && contexts.size() > 0 &&
          !contexts.at(0).get_string().get(first)) {
        f.first_context = std::string(first);
      }
    } else if (key == "type") {
      ReadTypes(value, f);
    } else if (key == "id") {
      f.id = StringOf(value);
    } else if (key == "issuer") {
      simdjson::dom::element issuer_id, issuer_name;
      f.issuer_id = value.is_string()                    ? StringOf(value)
                    : !value.at_key("id").get(issuer_id) ? StringOf(issuer_id)
                                                         : std::nullopt;
      if (value.is_object() && !value.at_key("name").get(issuer_name)) {
        f.issuer_name = StringOf(issuer_name).value_or("");
      }
    } else if (key == "validFrom") {
      f.valid_from = StringOf(value);
    } else if (key == "credentialStatus") {
      f.credential_status = simdjson::minify(value);
    } else if (key == "validUntil") {
      f.has_valid_until = true;
      f.valid_until = StringOf(value);
    } else if (key == "credentialSubject") {
      f.subject_is_object = value.is_object();
      simdjson::dom::element subject_id;
      if (f.subject_is_object && !value.at_key("id").get(subject_id)) {
        f.subject_id = StringOf(subject_id);
      }
    } else if (key == "iss") {
      f.iss = ClaimOf(value);
    } else if (key == "jti") {
      f.jti = ClaimOf(value);
    } else if (key == "sub") {
      f.sub = ClaimOf(value);
    } else if (key == "nbf") {
      f.nbf = ClaimOf(value);
    } else if (key == "exp") {
      f.exp = ClaimOf(value);
    }
  }
  return f;
}

PayloadClaims ClaimsOf(const CredentialFields& f) {
  return {.issuer_id = f.issuer_id,
          .id = f.id,
          .subject_id = f.subject_id,
          .valid_from = f.valid_from,
          .has_valid_until = f.has_valid_until,
          .valid_until = f.valid_until,
          .iss = f.iss,
          .jti = f.jti,
          .sub = f.sub,
          .nbf = f.nbf,
          .exp = f.exp};
}

std::optional<std::string> CredentialShapeProblem(const std::optional<CredentialFields>& f,
                                                  bool also_achievement_credential) {
  if (!f) return "the payload is not a JSON object";
  if (f->first_context != kVcContext) {
    return "@context must start with " + std::string(kVcContext);
  }
  if (also_achievement_credential) {
    if (!f->verifiable_credential || !(f->open_badge_credential || f->achievement_credential)) {
      return "type must include VerifiableCredential and OpenBadgeCredential (or "
             "AchievementCredential)";
    }
  } else if (!f->verifiable_credential || !f->open_badge_credential) {
    return "type must include VerifiableCredential and OpenBadgeCredential";
  }
  if (!f->id) return "id is missing";
  if (!f->issuer_id || f->issuer_id->empty()) return "issuer.id is missing";
  if (!f->valid_from) return "validFrom is missing";
  if (!f->subject_is_object) return "credentialSubject is missing";
  return std::nullopt;
}

issuance::v1::SignatureAlgorithm SignatureAlgorithmOf(jose::JwsAlgorithm algorithm) {
  switch (algorithm) {
    case jose::JwsAlgorithm::kEdDSA:
      return issuance::v1::SIGNATURE_ALGORITHM_EDDSA;
    case jose::JwsAlgorithm::kRS256:
      return issuance::v1::SIGNATURE_ALGORITHM_RS256;
    case jose::JwsAlgorithm::kES256:
      return issuance::v1::SIGNATURE_ALGORITHM_ES256;
  }
  return issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
}

CheckResult ValidityCheck(const CredentialFields& f, absl::Time now, absl::Duration skew) {
  std::optional<absl::Time> from = ParseCredentialTime(f.valid_from);
  std::optional<absl::Time> until = ParseCredentialTime(f.valid_until);
  if (!from || (f.has_valid_until && !until)) {
    return {false, "validFrom or validUntil is not an RFC 3339 date-time"};
  }
  if (*from > now + skew) return {false, "not valid before " + *f.valid_from};
  if (until && *until <= now - skew) return {false, "expired on " + *f.valid_until};
  return {true, until ? "valid until " + *f.valid_until : "no expiry"};
}

void ReportBuilder::Add(const std::string& name, bool passed, const std::string& detail) {
  auto* check = report_.add_checks();
  check->set_name(name);
  check->set_passed(passed);
  check->set_detail(detail);
  all_passed_ = all_passed_ && passed;
}

issuance::v1::VerificationReport ReportBuilder::Stop(const std::vector<std::string>& remaining,
                                                     const std::string& failed) {
  for (const std::string& name : remaining) Add(name, false, "not checked: " + failed + " failed");
  return Finish();
}

issuance::v1::VerificationReport ReportBuilder::Finish() {
  report_.set_valid(all_passed_);
  return report_;
}

}  // namespace microcred::verification
