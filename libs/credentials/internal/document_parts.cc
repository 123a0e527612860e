#include "libs/credentials/internal/document_parts.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"

namespace microcred::credentials::internal {
namespace {

std::string DateString(const common::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string Trimmed(std::string_view text) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

void WriteQualityAssurance(const catalogue::v1::QualityAssurance& qa, JsonWriter& w) {
  w.BeginObject().Field("type", "QualityAssurance").Field("qaType", VocabularyTerm(qa.type()));
  w.FieldIfNotEmpty("qaBody", qa.qa_body())
      .FieldIfNotEmpty("deqarReference", qa.deqar_reference())
      .FieldIfNotEmpty("qaDescription", qa.description())
      .EndObject();
}

// A part written by `write` as a tree, for the ELM document (built as a tree, off the hot path).
Json AsTree(const std::function<void(JsonWriter&)>& write) {
  JsonWriter w(512);
  write(w);
  absl::StatusOr<std::string> text = std::move(w).Finish();
  // The facts were validated before any part is written; a failure here is a bug, and
  // CheckedBuild turns the exception into INTERNAL.
  if (!text.ok()) throw std::logic_error(std::string(text.status().message()));
  return Json::parse(*text);
}

}  // namespace

std::string_view TextLanguage(const CredentialFacts& facts) {
  if (!facts.text_language.empty()) return facts.text_language;
  return facts.specification.content().languages(0);
}

std::string StartOfDayUtc(const common::v1::Date& date) {
  return Cat(DateString(date), "T00:00:00Z");
}

std::string EndOfDayUtc(const common::v1::Date& date) {
  return Cat(DateString(date), "T23:59:59Z");
}

std::string InstantUtc(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(unix_ms), absl::UTCTimeZone());
}

bool IsSet(const common::v1::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

std::string SpecificationUri(const catalogue::v1::Specification& spec) {
  return Cat("urn:microcred:specification:", spec.specification_id(), "/v", spec.version());
}

std::string LearnerFullName(const issuance::v1::LearnerIdentity& learner) {
  const std::string given = Trimmed(learner.given_name());
  const std::string family = Trimmed(learner.family_name());
  if (given.empty()) return family;
  if (family.empty()) return given;
  return Cat(given, " ", family);
}

std::string SaltedIdentityHash(std::string_view value, std::string_view salt) {
  return Cat("sha256$", crypto::HexEncode(crypto::Sha256(Cat(value, salt))));
}

std::string NormalizedEmail(std::string_view email) {
  return absl::AsciiStrToLower(Trimmed(email));
}

std::vector<HashedIdentifier> HashedLearnerIdentifiers(const CredentialFacts& facts) {
  const auto& learner = facts.issuance.learner();
  std::vector<HashedIdentifier> out;
  if (!Trimmed(learner.email()).empty()) {
    out.push_back({"emailAddress",
                   SaltedIdentityHash(NormalizedEmail(learner.email()), facts.identifier_salt)});
  }
  if (!Trimmed(learner.learner_id()).empty()) {
    out.push_back(
        {"learnerId", SaltedIdentityHash(Trimmed(learner.learner_id()), facts.identifier_salt)});
  }
  return out;
}

std::vector<const IssuerFacts*> AwardingBodiesInOrder(const CredentialFacts& facts) {
  std::vector<const IssuerFacts*> out = {&facts.issuers.front()};
  for (const std::string& body : facts.specification.content().awarding_bodies()) {
    if (body == facts.issuers.front().institution_id) continue;
    auto it = std::find_if(facts.issuers.begin(), facts.issuers.end(),
                           [&](const IssuerFacts& i) { return i.institution_id == body; });
    if (it != facts.issuers.end()) out.push_back(&*it);
  }
  return out;
}

std::string DecimalString(double value) {
  std::string text = absl::StrFormat("%.6f", value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string HoursAsDuration(double hours) {
  const int64_t total_seconds = std::llround(hours * 3600);
  const int64_t h = total_seconds / 3600;
  const int64_t m = (total_seconds % 3600) / 60;
  const int64_t s = total_seconds % 60;
  std::string out = "PT";
  if (h > 0) absl::StrAppend(&out, h, "H");
  if (m > 0) absl::StrAppend(&out, m, "M");
  if (s > 0 || out == "PT") absl::StrAppend(&out, s, "S");
  return out;
}

bool AwardsEcts(const catalogue::v1::SpecificationContent& content) {
  return content.credit_bearing() &&
         content.workload().amount_case() == catalogue::v1::Workload::kEcts;
}

void WriteSpecificationExtensionMembers(const catalogue::v1::Specification& spec, JsonWriter& w) {
  const auto& c = spec.content();
  w.Field("type", "MicroCredentialSpecification")
      .Field("specificationId", spec.specification_id())
      .Field("specificationVersion", spec.version())
      .Field("creditBearing", c.credit_bearing())
      .Key("qualityAssurance");
  WriteQualityAssurance(c.quality_assurance(), w);
  if (c.qf_ehea_cycle() != 0) w.Field("qfEheaCycle", VocabularyTerm(c.qf_ehea_cycle()));
  if (c.supervision() != 0) w.Field("supervision", VocabularyTerm(c.supervision()));
  if (c.stackability() != 0) w.Field("stackability", VocabularyTerm(c.stackability()));
}

void WriteAwardExtensionMembers(const issuance::v1::IssueCredentialRequest& issuance,
                                JsonWriter& w) {
  w.Field("type", "MicroCredentialAward")
      .Field("modeOfAcquisition", VocabularyTerm(issuance.mode_of_acquisition()));
}

Json SpecificationExtension(const catalogue::v1::Specification& spec) {
  return AsTree([&](JsonWriter& w) {
    w.BeginObject();
    WriteSpecificationExtensionMembers(spec, w);
    w.EndObject();
  });
}

Json AwardExtension(const issuance::v1::IssueCredentialRequest& issuance) {
  return AsTree([&](JsonWriter& w) {
    w.BeginObject();
    WriteAwardExtensionMembers(issuance, w);
    w.EndObject();
  });
}

}  // namespace microcred::credentials::internal
