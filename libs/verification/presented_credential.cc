#include "libs/verification/presented_credential.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/dates.h"
#include "libs/verification/credential_verifier.h"

namespace microcred::verification {
namespace {

using nlohmann::json;

constexpr char kEqfFramework[] = "European Qualifications Framework";
constexpr char kInstitutionIdType[] = "ext:microcredInstitutionId";

// The member at `path` (object keys), or null.
const json* At(const json& root, std::initializer_list<const char*> path) {
  const json* node = &root;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string StringAt(const json& root, std::initializer_list<const char*> path) {
  const json* node = At(root, path);
  return node != nullptr && node->is_string() ? node->get<std::string>() : std::string();
}

double NumberAt(const json& root, std::initializer_list<const char*> path) {
  const json* node = At(root, path);
  return node != nullptr && node->is_number() ? node->get<double>() : 0;
}

template <typename Enum, typename IsValid>
Enum EnumForTerm(const std::string& term, int max, IsValid is_valid) {
  if (term.empty()) return static_cast<Enum>(0);
  for (int v = 1; v <= max; ++v) {
    if (!is_valid(v)) continue;
    if (credentials::VocabularyTerm(static_cast<Enum>(v)) == term) return static_cast<Enum>(v);
  }
  return static_cast<Enum>(0);
}

// "Written exam", "Written exam: a two-hour paper", or the description alone.
std::string AssessmentText(std::string_view label, const std::string& description) {
  if (label.empty()) return description;
  if (description.empty()) return std::string(label);
  return std::string(label) + ": " + description;
}

// A closed-list term as a person reads it: its English label when this build knows the term,
// else the term as the document states it.
template <typename Enum, typename IsValid>
std::string LabelForTerm(const std::string& term, int max, IsValid is_valid) {
  const Enum value = EnumForTerm<Enum>(term, max, is_valid);
  return value != 0 ? std::string(credentials::EnglishLabel(value)) : term;
}

// The learning outcomes our documents list in the achievement's criteria narrative
// ("Learning outcomes:\n\n1. ...\n2. ...\n\nAssessment: ..."), the only place Open Badges
// gives them.
void ReadLearningOutcomes(const std::string& narrative, recognition::v1::CredentialFacts& facts) {
  constexpr std::string_view kHeading = "Learning outcomes:";
  if (narrative.rfind(kHeading, 0) != 0) return;
  for (absl::string_view line : absl::StrSplit(narrative.substr(kHeading.size()), '\n')) {
    if (absl::StartsWith(line, "Assessment:")) break;
    const size_t dot = line.find(". ");
    int number = 0;
    if (dot == absl::string_view::npos || !absl::SimpleAtoi(line.substr(0, dot), &number)) continue;
    const absl::string_view text = absl::StripAsciiWhitespace(line.substr(dot + 2));
    if (!text.empty()) facts.add_learning_outcomes(std::string(text));
  }
}

// Whether the document identifies its learner: a subject id or an identifier.
bool StatesLearner(const json& doc) {
  if (!StringAt(doc, {"credentialSubject", "id"}).empty()) return true;
  const json* ids = At(doc, {"credentialSubject", "identifier"});
  return ids != nullptr && ids->is_array() && !ids->empty();
}

// The Annex I elements as the credential document states them.
void ReadAnnexIFromDocument(const json& doc, recognition::v1::CredentialFacts& facts) {
  facts.set_title(StringAt(doc, {"name"}));
  facts.set_country(StringAt(doc, {"issuer", "address", "addressCountryCode"}));
  const json* achievement = At(doc, {"credentialSubject", "achievement"});
  if (achievement == nullptr) return;
  ReadLearningOutcomes(StringAt(*achievement, {"criteria", "narrative"}), facts);
  if (const json* alignments = At(*achievement, {"alignment"});
      alignments != nullptr && alignments->is_array()) {
    for (const json& a : *alignments) {
      if (StringAt(a, {"targetFramework"}) != kEqfFramework) continue;
      facts.set_eqf_level(std::atoi(StringAt(a, {"targetCode"}).c_str()));
    }
  }
  const json* mc = At(*achievement, {"microCredential"});
  if (mc == nullptr) return;
  facts.set_ects(NumberAt(*mc, {"ectsCredits"}));
  facts.set_hours(NumberAt(*mc, {"workloadHours"}));
  facts.set_quality_assurance_type(EnumForTerm<common::v1::QualityAssuranceType>(
      StringAt(*mc, {"qualityAssurance", "qaType"}), 8, common::v1::QualityAssuranceType_IsValid));
  facts.set_qa_body(StringAt(*mc, {"qualityAssurance", "qaBody"}));
  facts.set_deqar_reference(StringAt(*mc, {"qualityAssurance", "deqarReference"}));
  facts.set_assessment(
      AssessmentText(LabelForTerm<common::v1::AssessmentType>(StringAt(*mc, {"assessmentType"}), 16,
                                                              common::v1::AssessmentType_IsValid),
                     StringAt(*mc, {"assessmentDescription"})));
  facts.set_form_of_participation(LabelForTerm<common::v1::FormOfParticipation>(
      StringAt(*mc, {"formOfParticipation"}), 8, common::v1::FormOfParticipation_IsValid));
  if (const json* bodies = At(*mc, {"awardingBodies"}); bodies != nullptr && bodies->is_array()) {
    for (const json& body : *bodies) {
      const json* ids = At(body, {"otherIdentifier"});
      if (ids == nullptr || !ids->is_array()) continue;
      for (const json& id : *ids) {
        if (StringAt(id, {"identifierType"}) == kInstitutionIdType) {
          facts.add_awarding_bodies(StringAt(id, {"identifier"}));
        }
      }
    }
  }
}

// The same elements from the frozen specification version.
void ReadAnnexIFromSpecification(const catalogue::v1::Specification& spec,
                                 recognition::v1::CredentialFacts& facts) {
  const catalogue::v1::SpecificationContent& c = spec.content();
  facts.set_title(c.title());
  facts.set_country(c.country());
  *facts.mutable_awarding_bodies() = c.awarding_bodies();
  facts.set_eqf_level(c.eqf_level());
  facts.set_ects(c.workload().amount_case() == catalogue::v1::Workload::kEcts ? c.workload().ects()
                                                                              : 0);
  facts.set_hours(
      c.workload().amount_case() == catalogue::v1::Workload::kHours ? c.workload().hours() : 0);
  facts.set_quality_assurance_type(c.quality_assurance().type());
  facts.set_qa_body(c.quality_assurance().qa_body());
  facts.set_deqar_reference(c.quality_assurance().deqar_reference());
  facts.clear_learning_outcomes();
  for (const auto& outcome : c.learning_outcomes()) facts.add_learning_outcomes(outcome.text());
  facts.set_assessment(
      AssessmentText(credentials::EnglishLabel(c.assessment_type()), c.assessment_description()));
  facts.set_form_of_participation(
      std::string(credentials::EnglishLabel(c.form_of_participation())));
}

// The three parts of a compact JWS, undecoded; nullopt for any other text.
struct CompactParts {
  std::string_view header, payload;
};
std::optional<CompactParts> SplitCompact(std::string_view text) {
  const size_t first = text.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = text.find('.', first + 1);
  if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return CompactParts{text.substr(0, first), text.substr(first + 1, second - first - 1)};
}

// A base64url JSON part; discarded when it is neither.
json DecodedPart(std::string_view part) {
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(part);
  if (!bytes.ok()) return json(json::value_t::discarded);
  return json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
}

// The issuer ids a JWT payload states: the credential's issuer (VC 2.0 at the top level, VC
// 1.1 under "vc"), its id when it is an object, and the registered "iss" claim.
std::vector<std::string> IssuerIdsOf(const json& payload) {
  std::vector<std::string> ids;
  for (const json* issuer : {At(payload, {"issuer"}), At(payload, {"vc", "issuer"})}) {
    if (issuer == nullptr) continue;
    if (issuer->is_string()) ids.push_back(issuer->get<std::string>());
    if (std::string id = StringAt(*issuer, {"id"}); !id.empty()) ids.push_back(std::move(id));
  }
  if (std::string iss = StringAt(payload, {"iss"}); !iss.empty()) ids.push_back(std::move(iss));
  return ids;
}

// The institution an issuer id names in the ecosystem's forms (did_web.h): ".../institutions/
// <id>" or a did:web DID whose path ends "institutions:<id>"; empty for any other id.
std::string InstitutionOfIssuerId(std::string_view issuer_id) {
  if (issuer_id.substr(0, 4) == "did:") {
    auto did = discovery::ParseInstitutionDid(issuer_id);
    return did.ok() ? did->institution_id : std::string();
  }
  constexpr std::string_view kMarker = "/institutions/";
  const size_t at = issuer_id.rfind(kMarker);
  if (at == std::string_view::npos) return std::string();
  const std::string_view id = issuer_id.substr(at + kMarker.size());
  return id.find_first_of("/?#") == std::string_view::npos ? std::string(id) : std::string();
}

// What no verifier recognised: a failed format check, the rest not checked.
VerifiedCredential Unrecognised(bool accepts_outside) {
  VerifiedCredential out;
  issuance::v1::VerificationReport& report = out.report;
  report.set_valid(false);
  auto add = [&](const char* name, const std::string& detail) {
    issuance::v1::VerificationCheck& check = *report.add_checks();
    check.set_name(name);
    check.set_passed(false);
    check.set_detail(detail);
  };
  add("format", accepts_outside
                    ? "not a credential this node reads: neither a compact JWS (Open Badges 3.0 "
                      "/ VC 2.0) nor the JSON of a JAdES-sealed European Digital Credential "
                      "(payload and signatures)"
                    : "credentials from outside the ecosystem are not accepted by this node");
  for (const char* name : {"issuer", "signature", "status", "validity"}) {
    add(name, "not checked: format failed");
  }
  return out;
}

}  // namespace

std::vector<std::string> MissingAnnexIElements(const recognition::v1::CredentialFacts& facts,
                                               bool learner_stated) {
  const bool has_workload = facts.ects() > 0 || facts.hours() > 0;
  const bool has_qa = facts.quality_assurance_type() != 0 || !facts.qa_body().empty() ||
                      !facts.deqar_reference().empty();
  const std::pair<const char*, bool> elements[] = {
      {"learner", learner_stated},
      {"title", !facts.title().empty()},
      {"country", !facts.country().empty()},
      {"awarding_body", !facts.awarding_bodies().empty() || !facts.issuer_name().empty()},
      {"issued_on", facts.has_issued_on()},
      {"learning_outcomes", !facts.learning_outcomes().empty()},
      {"workload", has_workload},
      {"level", facts.eqf_level() > 0},
      {"assessment", !facts.assessment().empty()},
      {"form_of_participation", !facts.form_of_participation().empty()},
      {"quality_assurance", has_qa},
  };
  std::vector<std::string> missing;
  for (const auto& [name, stated] : elements) {
    if (!stated) missing.emplace_back(name);
  }
  return missing;
}

recognition::v1::CredentialFacts ExtractCredentialFacts(
    const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer) {
  recognition::v1::CredentialFacts facts;
  facts.set_credential_id(report.credential_id());
  facts.set_issuer(report.issuer());
  facts.set_specification_id(report.specification_id());
  facts.set_specification_version(report.specification_version());

  json doc = json::parse(report.credential_json(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) doc = json::object();
  // The catalogue's frozen version only stands for the credential's if it is that very version.
  const bool spec_matches = specification.has_value() &&
                            specification->specification_id() == report.specification_id() &&
                            specification->version() == report.specification_version();
  if (spec_matches) {
    ReadAnnexIFromSpecification(*specification, facts);
  } else {
    ReadAnnexIFromDocument(doc, facts);
  }
  if (issuer.has_value()) {
    facts.set_issuer_provider_type(issuer->admitted().provider_type());
    facts.set_issuer_name(issuer->admitted().legal_name());
  } else {
    facts.set_issuer_provider_type(EnumForTerm<common::v1::ProviderType>(
        StringAt(doc, {"issuer", "providerType"}), 32, common::v1::ProviderType_IsValid));
    facts.set_issuer_name(StringAt(doc, {"issuer", "name"}));
  }
  if (auto day = domain::DateWritten(StringAt(doc, {"validFrom"})))
    *facts.mutable_issued_on() = *day;
  if (auto day = domain::DateWritten(StringAt(doc, {"validUntil"})))
    *facts.mutable_valid_until() = *day;
  if (const json* results = At(doc, {"credentialSubject", "result"});
      results != nullptr && results->is_array() && !results->empty()) {
    facts.mutable_grade()->set_value(StringAt((*results)[0], {"value"}));
    const json* descriptions = At(doc, {"credentialSubject", "achievement", "resultDescription"});
    if (descriptions != nullptr && descriptions->is_array() && !descriptions->empty()) {
      facts.mutable_grade()->set_grading_scheme(StringAt((*descriptions)[0], {"name"}));
    }
  }
  for (std::string& name : MissingAnnexIElements(facts, StatesLearner(doc))) {
    facts.add_missing_elements(std::move(name));
  }
  return facts;
}

recognition::v1::PresentedCredential PresentedFromVerified(std::string presented,
                                                           const VerifiedCredential& verified) {
  const issuance::v1::VerificationReport& report = verified.report;
  recognition::v1::PresentedCredential out;
  out.set_jws(std::move(presented));
  *out.mutable_checks() = report.checks();
  out.set_authenticity(report.valid() ? recognition::v1::AUTHENTICITY_AUTHENTIC
                                      : recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
  if (!report.valid()) {
    for (const issuance::v1::VerificationCheck& check : report.checks()) {
      if (check.passed()) continue;
      out.set_failed_check(check.name());
      out.set_failed_detail(check.detail());
      break;
    }
  }
  out.set_format(report.format());
  out.set_ecosystem_id(report.ecosystem_id());  // where a decision on it is published
  if (report.has_trust_basis()) *out.mutable_trust_basis() = report.trust_basis();
  *out.mutable_facts() = verified.facts;
  return out;
}

recognition::v1::PresentedCredential PresentedFromReport(
    std::string jws, const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer) {
  return PresentedFromVerified(
      std::move(jws),
      {.report = report, .facts = ExtractCredentialFacts(report, specification, issuer)});
}

bool EcosystemVerifier::Recognises(std::string_view presented) const {
  const std::optional<CompactParts> parts = SplitCompact(presented);
  if (!parts) return false;
  const json header = DecodedPart(parts->header);
  if (const json* kid = At(header, {"kid"}); kid != nullptr && kid->is_string()) {
    auto named = ParseCredentialKeyId(kid->get<std::string>());
    if (named.ok() && sources_.FindMember(named->first).has_value()) return true;
  }
  const json payload = DecodedPart(parts->payload);
  for (const std::string& issuer_id : IssuerIdsOf(payload)) {
    const std::string institution = InstitutionOfIssuerId(issuer_id);
    if (!institution.empty() && sources_.FindMember(institution).has_value()) return true;
  }
  return false;
}

VerifiedCredential EcosystemVerifier::Verify(std::string_view presented, absl::Time now) const {
  const VerificationInputs inputs{
      .find_member = [this](const std::string& id) { return sources_.FindMember(id); },
      .find_member_in = [this](
                            std::string_view ecosystem,
                            const std::string& id) { return sources_.FindMemberIn(ecosystem, id); },
      .find_credential = [this](const std::string& id) { return sources_.FindCredential(id); },
      .profile_in = [this](std::string_view ecosystem) -> std::optional<domain::PolicyProfile> {
        std::optional<domain::PolicyProfile> rules = sources_.ProfileIn(ecosystem);
        return rules.has_value() ? rules : profile_;
      },
      .now = now};
  VerifiedCredential out{.report = VerifyCredential(presented, inputs)};
  const issuance::v1::VerificationReport& report = out.report;
  std::optional<catalogue::v1::Specification> spec;
  if (!report.specification_id().empty()) {
    auto found =
        sources_.FindSpecification(report.specification_id(), report.specification_version());
    if (found.ok()) spec = *std::move(found);  // unknown: the document's own facts stand
  }
  std::optional<registry::v1::Member> issuer;
  if (!report.issuer().empty()) {
    issuer = report.ecosystem_id().empty()
                 ? sources_.FindMember(report.issuer())
                 : sources_.FindMemberIn(report.ecosystem_id(), report.issuer());
  }
  out.facts = ExtractCredentialFacts(report, spec, issuer);
  return out;
}

PresentedCredentialVerifier::PresentedCredentialVerifier(
    const CredentialSources& sources, const domain::PolicyProfile& profile,
    std::vector<std::unique_ptr<FormatVerifier>> outside, HolderKeyResolver holder_keys)
    : sources_(sources),
      ecosystem_(sources, profile),
      outside_(std::move(outside)),
      holder_keys_(std::move(holder_keys)) {}

VerifiedCredential PresentedCredentialVerifier::VerifyOnce(std::string_view presented,
                                                           absl::Time now) const {
  if (ecosystem_.Recognises(presented)) return ecosystem_.Verify(presented, now);
  for (const std::unique_ptr<FormatVerifier>& verifier : outside_) {
    if (verifier->Recognises(presented)) return verifier->Verify(presented, now);
  }
  return Unrecognised(!outside_.empty());
}

recognition::v1::PresentedCredential PresentedCredentialVerifier::Verify(
    const std::string& presented, absl::Time now) const {
  return PresentedFromVerified(presented, VerifyOnce(presented, now));
}

recognition::v1::PresentedCredential PresentedCredentialVerifier::Verify(
    const std::string& presented, absl::Time now, const HolderContext& holder) const {
  const VerifiedCredential verified = VerifyOnce(presented, now);
  recognition::v1::PresentedCredential out = PresentedFromVerified(presented, verified);
  if (verified.report.credential_json().empty()) {
    out.mutable_holder_binding()->set_detail("not checked: the credential could not be read");
    out.mutable_holder_binding()->set_checked_at_ms(absl::ToUnixMillis(now));
  } else {
    *out.mutable_holder_binding() =
        BindHolder(verified.report.credential_json(), holder, holder_keys_, now);
  }
  return out;
}

}  // namespace microcred::verification
