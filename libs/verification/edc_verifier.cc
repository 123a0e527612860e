#include "libs/verification/edc_verifier.h"

#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/credentials/internal/iso_alpha3.h"
#include "libs/domain/dates.h"
#include "libs/jades/jades.h"
#include "libs/verification/presented_credential.h"

namespace microcred::verification {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kEqfScheme = "http://data.europa.eu/snb/eqf/";
constexpr std::string_view kCountryScheme =
    "http://publications.europa.eu/resource/authority/country/";
constexpr std::string_view kEctsFramework = "http://data.europa.eu/snb/education-credit/6fcec5c5af";

// ---- Reading ELM v3 JSON-LD (compacted with the EDC context) ----

// The member `key` of an object, or nullptr.
const Json* Member(const Json& node, std::string_view key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

// JSON-LD lets a property hold one value or an array of them: the values, either way.
std::vector<const Json*> Values(const Json* node) {
  std::vector<const Json*> out;
  if (node == nullptr || node->is_null()) return out;
  if (node->is_array()) {
    for (const Json& value : *node) out.push_back(&value);
  } else {
    out.push_back(node);
  }
  return out;
}

const Json* First(const Json* node) {
  std::vector<const Json*> values = Values(node);
  return values.empty() ? nullptr : values.front();
}

// Follows `path` through objects, taking the first value of any array on the way.
const Json* At(const Json& root, std::initializer_list<std::string_view> path) {
  const Json* node = &root;
  for (std::string_view key : path) {
    node = First(Member(*node, key));
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string String(const Json* node) {
  return node != nullptr && node->is_string() ? node->get<std::string>() : "";
}

// A language map ({"en": "...", "fr": [...]}) as one text: English, else the first language;
// a plain string as itself.
std::string Text(const Json* node) {
  if (node == nullptr) return "";
  if (node->is_string()) return node->get<std::string>();
  if (!node->is_object() || node->empty()) return "";
  const Json* value = Member(*node, "en");
  if (value == nullptr) value = &node->begin().value();
  return String(First(value));
}

std::string Id(const Json* node) { return node == nullptr ? "" : String(Member(*node, "id")); }

// An ISO 8601 duration of hours, minutes and seconds ("PT60H", "PT1H30M") in hours; nullopt for
// anything with years, months, weeks or days, which say no workload in hours.
std::optional<double> DurationHours(const std::string& text) {
  if (text.rfind("PT", 0) != 0 || text.size() < 4) return std::nullopt;
  double hours = 0, number = 0;
  bool digits = false;
  for (size_t i = 2; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t used = 0;
      number = std::stod(text.substr(i), &used);
      i += used - 1;
      digits = true;
      continue;
    }
    if (!digits) return std::nullopt;
    if (c == 'H')
      hours += number;
    else if (c == 'M')
      hours += number / 60;
    else if (c == 'S')
      hours += number / 3600;
    else
      return std::nullopt;
    digits = false;
  }
  if (digits || hours <= 0) return std::nullopt;
  return hours;
}

double Number(const Json* node) {
  if (node == nullptr) return 0;
  if (node->is_number()) return node->get<double>();
  if (node->is_string()) {
    char* end = nullptr;
    const std::string text = node->get<std::string>();
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0' && std::isfinite(value)) return value;
  }
  return 0;
}

// The ISO 3166-1 alpha-2 code of an EU country authority concept (".../country/IRL" -> "IE").
std::string CountryAlpha2(const std::string& concept_id) {
  if (concept_id.rfind(kCountryScheme, 0) != 0) return "";
  static const std::map<std::string, std::string>* const kByAlpha3 = [] {
    auto* map = new std::map<std::string, std::string>();
    for (char a = 'A'; a <= 'Z'; ++a) {
      for (char b = 'A'; b <= 'Z'; ++b) {
        const std::string alpha2{a, b};
        std::string_view alpha3 = credentials::internal::CountryAlpha3(alpha2);
        if (!alpha3.empty()) map->emplace(std::string(alpha3), alpha2);
      }
    }
    return map;
  }();
  auto it = kByAlpha3->find(concept_id.substr(kCountryScheme.size()));
  return it == kByAlpha3->end() ? "" : it->second;
}

std::string AssessmentText(const std::string& label, const std::string& description) {
  if (label.empty()) return description;
  if (description.empty() || description == label) return label;
  return label + ": " + description;
}

bool StatesLearner(const Json& credential) {
  const Json* subject = First(Member(credential, "credentialSubject"));
  if (subject == nullptr) return false;
  return !Id(subject).empty() || !Values(Member(*subject, "identifier")).empty();
}

void ReadWorkload(const Json& spec, recognition::v1::CredentialFacts& facts) {
  for (const Json* credit : Values(Member(spec, "creditPoint"))) {
    const Json* framework = First(Member(*credit, "framework"));
    const bool ects = Id(framework) == kEctsFramework ||
                      Text(framework ? Member(*framework, "prefLabel") : nullptr) ==
                          "European Credit Transfer System";
    if (ects && Number(Member(*credit, "point")) > 0) {
      facts.set_ects(Number(Member(*credit, "point")));
      return;
    }
  }
  if (auto hours = DurationHours(String(First(Member(spec, "volumeOfLearning"))))) {
    facts.set_hours(*hours);
  }
}

void ReadQualityAssurance(const Json& spec, recognition::v1::CredentialFacts& facts) {
  if (const Json* accreditation = First(Member(spec, "accreditation"))) {
    std::string body = Text(At(*accreditation, {"accreditingAgent", "legalName"}));
    if (body.empty()) body = Text(Member(*accreditation, "title"));
    if (body.empty()) body = Id(accreditation);
    facts.set_qa_body(body);
    return;
  }
  // The platform's own extension (libs/credentials/elm.h), in an EDC another node exported.
  if (const Json* qa = At(spec, {"microCredential", "qualityAssurance"})) {
    facts.set_qa_body(String(Member(*qa, "qaBody")));
    facts.set_deqar_reference(String(Member(*qa, "deqarReference")));
  }
}

void ReadAssessment(const Json& claim, const Json* spec, recognition::v1::CredentialFacts& facts) {
  if (const Json* assessment = First(Member(claim, "provenBy"))) {
    const Json* assessment_spec = First(Member(*assessment, "specifiedBy"));
    std::string title = Text(Member(*assessment, "title"));
    if (title.empty() && assessment_spec != nullptr) {
      title = Text(Member(*assessment_spec, "title"));
    }
    const std::string type =
        assessment_spec == nullptr ? "" : Text(At(*assessment_spec, {"dcType", "prefLabel"}));
    facts.set_assessment(title.empty() ? type : title);
    const std::string grade = Text(At(*assessment, {"grade", "noteLiteral"}));
    if (!grade.empty()) facts.mutable_grade()->set_value(grade);
  }
  if (facts.assessment().empty() && spec != nullptr) {
    if (const Json* assessment_spec = First(Member(*spec, "provenBy"))) {
      facts.set_assessment(AssessmentText(Text(At(*assessment_spec, {"dcType", "prefLabel"})),
                                          Text(Member(*assessment_spec, "description"))));
    }
  }
}

void ReadAwardingBodies(const Json& claim, const Json& credential,
                        recognition::v1::CredentialFacts& facts) {
  const Json* process = First(Member(claim, "awardedBy"));
  std::vector<const Json*> bodies =
      process == nullptr ? std::vector<const Json*>() : Values(Member(*process, "awardingBody"));
  for (const Json* body : bodies) {
    std::string name = Text(Member(*body, "legalName"));
    facts.add_awarding_bodies(name.empty() ? Id(body) : name);
  }
  // The country is the awarding body's (Annex I: "country of the issuer"); the credential's
  // issuer's when the awarding body states none.
  for (const Json* organisation :
       {bodies.empty() ? nullptr : bodies.front(), First(Member(credential, "issuer"))}) {
    if (organisation == nullptr) continue;
    std::string country =
        CountryAlpha2(Id(At(*organisation, {"location", "address", "countryCode"})));
    if (!country.empty()) {
      facts.set_country(country);
      break;
    }
  }
  if (process != nullptr) {
    if (auto day = domain::DateWritten(String(First(Member(*process, "awardingDate"))))) {
      *facts.mutable_issued_on() = *day;
    }
  }
}

// ---- The report ----

issuance::v1::VerificationCheck* AddCheck(issuance::v1::VerificationReport& report,
                                          const std::string& name, bool passed,
                                          const std::string& detail) {
  issuance::v1::VerificationCheck* check = report.add_checks();
  check->set_name(name);
  check->set_passed(passed);
  check->set_detail(detail);
  return check;
}

const jades::SealCheck& SealCheckNamed(const jades::SealVerification& seal, std::string_view name) {
  for (const jades::SealCheck& check : seal.checks) {
    if (check.name == name) return check;
  }
  static const jades::SealCheck kNone{"", false, "not checked"};
  return kNone;
}

// The credential's issuer id: issuer.id, or issuer itself when it is a string.
std::string IssuerId(const Json& credential) {
  const Json* issuer = First(Member(credential, "issuer"));
  if (issuer == nullptr) return "";
  return issuer->is_string() ? issuer->get<std::string>() : Id(issuer);
}

// Whether the payload is an ELM credential: an object typed VerifiableCredential or
// EuropeanDigitalCredential.
bool IsElmCredential(const Json& credential) {
  for (const Json* type : Values(Member(credential, "type"))) {
    if (String(type) == "VerifiableCredential" || String(type) == "EuropeanDigitalCredential") {
      return true;
    }
  }
  return false;
}

std::string IssuerDetail(const Json& credential, const jades::SealVerification& seal,
                         bool* passed) {
  *passed = false;
  const std::string issuer_id = IssuerId(credential);
  if (issuer_id.empty()) return "the credential names no issuer id (issuer.id)";
  const Json* issuer = First(Member(credential, "issuer"));
  const std::string eidas =
      issuer == nullptr ? "" : String(At(*issuer, {"eIDASIdentifier", "notation"}));
  std::string compared;
  if (!eidas.empty() && !seal.seal_organization_identifier.empty()) {
    if (eidas != seal.seal_organization_identifier) {
      return "the credential's issuer.eIDASIdentifier " + eidas +
             " is not the seal certificate's organizationIdentifier " +
             seal.seal_organization_identifier;
    }
    compared = "; issuer.eIDASIdentifier " + eidas + " is the seal certificate's";
  } else {
    compared = "; no eIDAS identifier to compare with the seal certificate";
  }
  *passed = true;
  return "e-seal of " + seal.seal_subject + " under trust anchor " + seal.trust_anchor +
         " (issuer " + issuer_id + ", not an ecosystem member" + compared + ")";
}

void CheckValidity(const Json& credential, absl::Time now,
                   issuance::v1::VerificationReport& report) {
  auto parse = [](const std::string& text) -> std::optional<absl::Time> {
    absl::Time time;
    std::string error;
    if (text.empty() || !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
      return std::nullopt;
    }
    return time;
  };
  const std::string from = String(First(Member(credential, "validFrom")));
  std::string until = String(First(Member(credential, "expirationDate")));
  if (until.empty()) until = String(First(Member(credential, "validUntil")));
  const std::optional<absl::Time> from_time = parse(from);
  const std::optional<absl::Time> until_time = parse(until);
  if (!from.empty() && !from_time) {
    AddCheck(report, "validity", false, "validFrom: not a date-time: " + from);
  } else if (!until.empty() && !until_time) {
    AddCheck(report, "validity", false, "expirationDate: not a date-time: " + until);
  } else if (from_time && *from_time > now) {
    AddCheck(report, "validity", false, "not yet valid: validFrom " + from);
  } else if (until_time && *until_time <= now) {
    AddCheck(report, "validity", false, "expired: expirationDate " + until);
  } else {
    AddCheck(report, "validity", true,
             from.empty() && until.empty() ? "the credential states no validity period"
                                           : "valid" + (from.empty() ? "" : " from " + from) +
                                                 (until.empty() ? "" : " until " + until));
  }
}

issuance::v1::SignatureAlgorithm AlgorithmOf(const std::string& name) {
  if (name == "RS256") return issuance::v1::SIGNATURE_ALGORITHM_RS256;
  if (name == "ES256") return issuance::v1::SIGNATURE_ALGORITHM_ES256;
  return issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
}

}  // namespace

recognition::v1::CredentialFacts ReadElmFacts(const Json& credential) {
  recognition::v1::CredentialFacts facts;
  facts.set_credential_id(String(Member(credential, "id")));
  facts.set_issuer(IssuerId(credential));
  if (const Json* issuer = First(Member(credential, "issuer"))) {
    facts.set_issuer_name(Text(Member(*issuer, "legalName")));
  }
  const Json* claim = At(credential, {"credentialSubject", "hasClaim"});
  const Json* spec = claim == nullptr ? nullptr : First(Member(*claim, "specifiedBy"));
  if (claim != nullptr) {
    std::string title = Text(Member(*claim, "title"));
    if (title.empty() && spec != nullptr) title = Text(Member(*spec, "title"));
    facts.set_title(title);
    ReadAwardingBodies(*claim, credential, facts);
    ReadAssessment(*claim, spec, facts);
  }
  if (!facts.has_issued_on()) {
    std::string issued = String(First(Member(credential, "issuanceDate")));
    if (issued.empty()) issued = String(First(Member(credential, "issued")));
    if (auto day = domain::DateWritten(issued)) *facts.mutable_issued_on() = *day;
  }
  std::string until = String(First(Member(credential, "expirationDate")));
  if (until.empty()) until = String(First(Member(credential, "validUntil")));
  if (auto day = domain::DateWritten(until)) *facts.mutable_valid_until() = *day;
  if (spec != nullptr) {
    for (const Json* outcome : Values(Member(*spec, "learningOutcome"))) {
      std::string text = Text(Member(*outcome, "title"));
      if (!text.empty()) facts.add_learning_outcomes(std::move(text));
    }
    ReadWorkload(*spec, facts);
    const std::string eqf = Id(First(Member(*spec, "eqfLevel")));
    if (eqf.rfind(kEqfScheme, 0) == 0 && eqf.size() == kEqfScheme.size() + 1 && eqf.back() >= '1' &&
        eqf.back() <= '8') {
      facts.set_eqf_level(eqf.back() - '0');
    }
    facts.set_form_of_participation(Text(At(*spec, {"mode", "prefLabel"})));
    ReadQualityAssurance(*spec, facts);
  }
  for (std::string& name : MissingAnnexIElements(facts, StatesLearner(credential))) {
    facts.add_missing_elements(std::move(name));
  }
  return facts;
}

bool EdcVerifier::Recognises(std::string_view presented) const {
  const size_t start = presented.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || presented[start] != '{') return false;
  return presented.find("\"payload\"") != std::string_view::npos &&
         presented.find("\"signatures\"") != std::string_view::npos;
}

VerifiedCredential EdcVerifier::Verify(std::string_view presented, absl::Time now) const {
  VerifiedCredential out;
  issuance::v1::VerificationReport& report = out.report;
  report.set_format(issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
  const jades::SealVerification seal = jades::VerifySeal(presented, anchors_, now);

  // format: the seal's own, then the payload an ELM credential.
  const jades::SealCheck& format = SealCheckNamed(seal, "format");
  Json credential;
  std::string format_failure = format.passed ? "" : format.detail;
  if (format.passed) {
    credential = Json::parse(seal.payload, nullptr, /*allow_exceptions=*/false);
    if (!credential.is_object()) {
      format_failure = "payload: not a JSON object";
    } else if (!IsElmCredential(credential)) {
      format_failure = "payload: not typed VerifiableCredential or EuropeanDigitalCredential";
    }
  }
  if (!format_failure.empty()) {
    AddCheck(report, "format", false, format_failure);
    for (const char* name : {"seal", "certificate", "issuer", "signature", "status", "validity"}) {
      AddCheck(report, name, false, "not checked: format failed");
    }
    return out;
  }
  AddCheck(report, "format", true,
           "a European Digital Credential sealed with JAdES (" + format.detail + ")");
  report.set_credential_json(seal.payload);
  report.set_credential_id(String(Member(credential, "id")));
  report.set_issuer(IssuerId(credential));
  if (const Json* issuer = First(Member(credential, "issuer"))) {
    report.set_credential_issuer_name(Text(Member(*issuer, "legalName")));
  }
  report.set_signature_algorithm(AlgorithmOf(seal.algorithm));

  std::string not_checked;
  for (const std::string& line : seal.not_checked) absl::StrAppend(&not_checked, "; ", line);
  const jades::SealCheck& seal_check = SealCheckNamed(seal, "seal");
  AddCheck(report, "seal", seal_check.passed,
           seal_check.passed ? seal_check.detail + not_checked : seal_check.detail);
  const jades::SealCheck& certificate = SealCheckNamed(seal, "certificate");
  AddCheck(report, "certificate", certificate.passed, certificate.detail);
  if (certificate.passed) {
    bool issuer_passed = false;
    const std::string detail = IssuerDetail(credential, seal, &issuer_passed);
    AddCheck(report, "issuer", issuer_passed, detail);
    if (issuer_passed) {
      issuance::v1::TrustBasis* basis = report.mutable_trust_basis();
      basis->set_kind(issuance::v1::TRUST_KIND_TRUSTED_LIST_SEAL);
      basis->set_statement("e-seal of " + seal.seal_subject + " under trust anchor " +
                           seal.trust_anchor);
      basis->set_ecosystem_member(false);
      basis->set_issuer_id(report.issuer());
      basis->set_key_source("x5c[0]: the seal certificate of " + seal.seal_subject);
      basis->set_trust_anchor(seal.trust_anchor);
      basis->set_seal_subject(seal.seal_subject);
    }
  } else {
    AddCheck(report, "issuer", false, "not checked: certificate failed");
  }
  const jades::SealCheck& signature = SealCheckNamed(seal, "signature");
  AddCheck(report, "signature", signature.passed, signature.detail);

  if (const Json* status = Member(credential, "credentialStatus"); status == nullptr) {
    report.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
    AddCheck(report, "status", true, "the credential names no status list");
  } else if (status_check_) {
    EdcStatus result = status_check_(credential, report.issuer(), now);
    report.set_status(result.status);
    AddCheck(report, "status", result.passed, result.detail);
  } else {
    AddCheck(report, "status", true,
             "not checked: the credential names a credentialStatus, which this node does not "
             "fetch for European Digital Credentials");
  }
  CheckValidity(credential, now, report);

  bool valid = true;
  for (const issuance::v1::VerificationCheck& check : report.checks()) valid &= check.passed();
  report.set_valid(valid);
  out.facts = ReadElmFacts(credential);
  return out;
}

}  // namespace microcred::verification
