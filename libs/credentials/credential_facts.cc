#include "libs/credentials/credential_facts.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "libs/credentials/internal/iso_alpha3.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"
#include "libs/domain/dates.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/specification.h"
#include "libs/domain/specification_id.h"

namespace microcred::credentials {
namespace {

using catalogue::v1::Specification;
using catalogue::v1::SpecificationContent;
using internal::Cat;

// A salt this short would let anyone precompute hashes of likely e-mail addresses.
constexpr size_t kMinSaltChars = 16;

absl::Status Invalid(std::string_view path, std::string_view problem) {
  return absl::InvalidArgumentError(Cat(path, ": ", problem));
}

bool IsBlank(std::string_view text) {
  return absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())).empty();
}

absl::Status Required(std::string_view value, std::string_view path) {
  return IsBlank(value) ? Invalid(path, "is required") : absl::OkStatus();
}

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "urn:uuid:" and a UUID in its canonical lower-case 8-4-4-4-12 form, so that equal
// credentials have byte-equal ids.
absl::Status CheckCredentialId(std::string_view id) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  constexpr std::string_view kPath = "credential_id";
  if (id.empty()) return Invalid(kPath, "is required");
  const std::string_view uuid = id.substr(std::min(id.size(), kPrefix.size()));
  const bool shaped = id.starts_with(kPrefix) && uuid.size() == 36 && uuid[8] == '-' &&
                      uuid[13] == '-' && uuid[18] == '-' && uuid[23] == '-';
  std::string digits(uuid);
  std::erase(digits, '-');
  if (!shaped || digits.size() != 32 || !IsLowerHex(digits)) {
    return Invalid(kPath, Cat("\"", id, "\" must be urn:uuid: and a lower-case UUID"));
  }
  return absl::OkStatus();
}

// An absolute URI: a scheme ("urn", "did", "https"), a colon, and no white space.
absl::Status CheckUri(std::string_view value, std::string_view path) {
  if (value.empty()) return Invalid(path, "is required");
  const size_t colon = value.find(':');
  const bool scheme_ok = colon != std::string_view::npos && colon > 0 &&
                         absl::ascii_isalpha(value[0]) &&
                         std::all_of(value.begin(), value.begin() + colon, [](char c) {
                           return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
                         });
  const bool clean = std::none_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
  });
  if (!scheme_ok || !clean || colon + 1 == value.size()) {
    return Invalid(path, Cat("\"", value, "\" is not an absolute URI"));
  }
  return absl::OkStatus();
}

absl::Status CheckKnownTerm(std::string_view term, bool required, bool set, std::string_view path) {
  if (!set) return required ? Invalid(path, "is required") : absl::OkStatus();
  return term.empty() ? Invalid(path, "is not a value this build knows") : absl::OkStatus();
}

absl::Status CheckSpecificationIdentity(const Specification& spec) {
  if (spec.specification_id().empty())
    return Invalid("specification.specification_id", "is required");
  if (auto parsed =
          domain::ParseSpecificationId(spec.specification_id(), "specification.specification_id");
      !parsed.ok()) {
    return parsed.status();
  }
  if (spec.version() == 0) return Invalid("specification.version", "must be 1 or more");
  return absl::OkStatus();
}

absl::Status CheckOutcomes(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.learning_outcomes";
  if (c.learning_outcomes().empty()) return Invalid(kPath, "at least one is required");
  for (int i = 0; i < c.learning_outcomes().size(); ++i) {
    if (IsBlank(c.learning_outcomes(i).text())) {
      return Invalid(Cat(kPath, "[", i, "].text"), "is required");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckWorkload(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.workload";
  double amount = 0;
  switch (c.workload().amount_case()) {
    case catalogue::v1::Workload::kEcts:
      amount = c.workload().ects();
      break;
    case catalogue::v1::Workload::kHours:
      amount = c.workload().hours();
      break;
    default:
      return Invalid(kPath, "ects or hours is required");
  }
  if (!std::isfinite(amount) || amount <= 0) return Invalid(kPath, "must be positive and finite");
  return absl::OkStatus();
}

absl::Status CheckLanguages(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.languages";
  if (c.languages().empty()) return Invalid(kPath, "at least one is required");
  for (int i = 0; i < c.languages().size(); ++i) {
    if (internal::LanguageAlpha3(c.languages(i)).empty()) {
      return Invalid(Cat(kPath, "[", i, "]"), Cat("\"", c.languages(i), "\" is not ISO 639-1"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckQualityAssurance(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.quality_assurance";
  const auto& qa = c.quality_assurance();
  if (auto s = CheckKnownTerm(VocabularyTerm(qa.type()), true, qa.type() != 0, Cat(kPath, ".type"));
      !s.ok()) {
    return s;
  }
  if (qa.type() == common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL && IsBlank(qa.qa_body())) {
    return Invalid(Cat(kPath, ".qa_body"), "is required for external quality assurance");
  }
  return absl::OkStatus();
}

// The closed lists, each checked against the vocabulary the documents will name.
absl::Status CheckClosedLists(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.";
  absl::Status checks[] = {
      CheckKnownTerm(VocabularyTerm(c.qf_ehea_cycle()), false, c.qf_ehea_cycle() != 0,
                     Cat(kPath, "qf_ehea_cycle")),
      CheckKnownTerm(VocabularyTerm(c.assessment_type()), true, c.assessment_type() != 0,
                     Cat(kPath, "assessment_type")),
      CheckKnownTerm(VocabularyTerm(c.form_of_participation()), true,
                     c.form_of_participation() != 0, Cat(kPath, "form_of_participation")),
      CheckQualityAssurance(c),
      CheckKnownTerm(VocabularyTerm(c.supervision()), false, c.supervision() != 0,
                     Cat(kPath, "supervision")),
      CheckKnownTerm(VocabularyTerm(c.stackability()), false, c.stackability() != 0,
                     Cat(kPath, "stackability")),
  };
  for (absl::Status& status : checks) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status CheckContent(const SpecificationContent& c) {
  constexpr std::string_view kPath = "specification.content.";
  if (IsBlank(c.title())) return Invalid(Cat(kPath, "title"), "is required");
  if (c.awarding_bodies().empty()) {
    return Invalid(Cat(kPath, "awarding_bodies"), "at least one is required");
  }
  if (internal::CountryAlpha3(c.country()).empty()) {
    return Invalid(Cat(kPath, "country"), "an ISO 3166-1 alpha-2 code is required");
  }
  if (auto s = CheckOutcomes(c); !s.ok()) return s;
  if (auto s = CheckWorkload(c); !s.ok()) return s;
  if (c.eqf_level() < 1 || c.eqf_level() > 8) {
    return Invalid(Cat(kPath, "eqf_level"), "an EQF level from 1 to 8 is required");
  }
  if (auto s = CheckClosedLists(c); !s.ok()) return s;
  return CheckLanguages(c);
}

// A did:web DID as libs/discovery writes it: "did:web:" and DID characters (ALPHA, DIGIT, ".",
// "-", "_", pct-encoded) in ":"-separated segments.
bool IsDidWeb(std::string_view id) {
  constexpr std::string_view kPrefix = "did:web:";
  if (id.substr(0, kPrefix.size()) != kPrefix || id.size() == kPrefix.size()) return false;
  return std::all_of(id.begin() + kPrefix.size(), id.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '%' || c == ':';
  });
}

// `may_be_did`: the issuing institution may name itself by its did:web DID (mcnode
// --issuer-id=did-web); a co-awarding body is named by its profile URL.
absl::Status CheckIssuer(const IssuerFacts& issuer, std::string_view path, bool may_be_did) {
  if (auto s = Required(issuer.institution_id, Cat(path, ".institution_id")); !s.ok()) return s;
  if (auto s = Required(issuer.legal_name, Cat(path, ".legal_name")); !s.ok()) return s;
  if (internal::CountryAlpha3(issuer.country).empty()) {
    return Invalid(Cat(path, ".country"), "an ISO 3166-1 alpha-2 code is required");
  }
  if (auto s = CheckKnownTerm(VocabularyTerm(issuer.provider_type), true, issuer.provider_type != 0,
                              Cat(path, ".provider_type"));
      !s.ok()) {
    return s;
  }
  if (may_be_did && IsDidWeb(issuer.profile_url)) return absl::OkStatus();
  return domain::ValidateHttpsUrl(issuer.profile_url, Cat(path, ".profile_url"));
}

// The issuers are exactly the specification's awarding bodies, the first being the one that
// issues.
absl::Status CheckIssuers(const CredentialFacts& facts) {
  const auto& bodies = facts.specification.content().awarding_bodies();
  if (facts.issuers.empty()) return Invalid("issuers", "at least one is required");
  std::set<std::string> seen;
  for (size_t i = 0; i < facts.issuers.size(); ++i) {
    const std::string path = Cat("issuers[", i, "]");
    if (auto s = CheckIssuer(facts.issuers[i], path, i == 0); !s.ok()) return s;
    const std::string& id = facts.issuers[i].institution_id;
    if (!seen.insert(id).second) return Invalid(path, Cat("\"", id, "\" is listed twice"));
    if (std::find(bodies.begin(), bodies.end(), id) == bodies.end()) {
      return Invalid(path, Cat("\"", id, "\" is not an awarding body of the specification"));
    }
  }
  for (const std::string& body : bodies) {
    if (!seen.contains(body)) {
      return Invalid("issuers", Cat("no facts for awarding body \"", body, "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDates(const issuance::v1::IssueCredentialRequest& issuance) {
  if (domain::IsUnset(issuance.issued_on())) return Invalid("issuance.issued_on", "is required");
  if (!domain::IsValidDate(issuance.issued_on())) {
    return Invalid("issuance.issued_on", "is not a calendar date");
  }
  if (domain::IsUnset(issuance.valid_until())) return absl::OkStatus();
  if (!domain::IsValidDate(issuance.valid_until())) {
    return Invalid("issuance.valid_until", "is not a calendar date");
  }
  if (domain::ToCivilDay(issuance.valid_until()) < domain::ToCivilDay(issuance.issued_on())) {
    return Invalid("issuance.valid_until", "must not be before issued_on");
  }
  return absl::OkStatus();
}

absl::Status CheckLearner(const issuance::v1::LearnerIdentity& learner) {
  if (IsBlank(learner.given_name()) && IsBlank(learner.family_name())) {
    return Invalid("issuance.learner", "a given or family name is required");
  }
  if (!learner.email().empty() && learner.email().find('@') == std::string::npos) {
    return Invalid("issuance.learner.email", "is not an e-mail address");
  }
  return absl::OkStatus();
}

// The request must be about the specification the facts hold (0 and "" mean "not stated").
absl::Status CheckRequestMatchesSpecification(const CredentialFacts& facts) {
  const auto& request = facts.issuance;
  const auto& spec = facts.specification;
  if (!request.specification_id().empty() &&
      request.specification_id() != spec.specification_id()) {
    return Invalid("issuance.specification_id", "differs from specification.specification_id");
  }
  if (request.specification_version() != 0 && request.specification_version() != spec.version()) {
    return Invalid("issuance.specification_version", "differs from specification.version");
  }
  return absl::OkStatus();
}

absl::Status CheckIssuance(const CredentialFacts& facts) {
  const auto& issuance = facts.issuance;
  if (auto s = CheckRequestMatchesSpecification(facts); !s.ok()) return s;
  if (auto s = CheckLearner(issuance.learner()); !s.ok()) return s;
  if (auto s = CheckDates(issuance); !s.ok()) return s;
  if (auto s = Required(issuance.place_of_issuing(), "issuance.place_of_issuing"); !s.ok()) {
    return s;
  }
  if (!issuance.grade().grading_scheme().empty() && IsBlank(issuance.grade().value())) {
    return Invalid("issuance.grade.value", "is required when a grading scheme is given");
  }
  if (auto s = CheckKnownTerm(VocabularyTerm(issuance.mode_of_acquisition()), true,
                              issuance.mode_of_acquisition() != 0, "issuance.mode_of_acquisition");
      !s.ok()) {
    return s;
  }
  return CheckKnownTerm(VocabularyTerm(issuance.supervision_applied()), false,
                        issuance.supervision_applied() != 0, "issuance.supervision_applied");
}

absl::Status CheckStatus(const StatusFacts& status) {
  if (auto s = domain::ValidateHttpsUrl(status.status_base_url, "status.status_base_url");
      !s.ok()) {
    return s;
  }
  if (status.status_list_index < 0) return Invalid("status.status_list_index", "must be >= 0");
  return absl::OkStatus();
}

absl::Status CheckAssignedByNode(const CredentialFacts& facts) {
  if (facts.issued_at_ms <= 0) return Invalid("issued_at_ms", "is required");
  if (!facts.text_language.empty() && internal::LanguageAlpha3(facts.text_language).empty()) {
    return Invalid("text_language", Cat("\"", facts.text_language, "\" is not ISO 639-1"));
  }
  if (auto s = CheckUri(facts.learner_subject_id, "learner_subject_id"); !s.ok()) return s;
  if (facts.identifier_salt.size() < kMinSaltChars) {
    return Invalid("identifier_salt", Cat("at least ", kMinSaltChars, " characters are required"));
  }
  return CheckStatus(facts.status);
}

}  // namespace

IssuerFacts IssuerFactsFromMember(const registry::v1::MemberAdmitted& member,
                                  std::string profile_url) {
  return {.institution_id = member.institution_id(),
          .legal_name = member.legal_name(),
          .country = member.country(),
          .region = member.region(),
          .provider_type = member.provider_type(),
          .deqar_id = member.deqar_id(),
          .profile_url = std::move(profile_url)};
}

absl::Status ValidateCredentialFacts(const CredentialFacts& facts) {
  if (auto s = CheckCredentialId(facts.credential_id); !s.ok()) return s;
  if (auto s = CheckSpecificationIdentity(facts.specification); !s.ok()) return s;
  if (auto s = CheckContent(facts.specification.content()); !s.ok()) return s;
  if (auto s = CheckIssuers(facts); !s.ok()) return s;
  if (auto s = CheckIssuance(facts); !s.ok()) return s;
  return CheckAssignedByNode(facts);
}

}  // namespace microcred::credentials
