#include "libs/credentials/internal/document_parts.h"

#include <algorithm>
#include <cmath>

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

Json StatusEntry(const StatusEntryFacts& entry) {
  const std::string index = Cat(entry.status_list_index);
  return {{"id", Cat(entry.status_list_url, "#", index)},
          {"type", "BitstringStatusListEntry"},
          {"statusPurpose", entry.status_purpose},
          {"statusListIndex", index},
          {"statusListCredential", entry.status_list_url}};
}

Json QualityAssurance(const catalogue::v1::QualityAssurance& qa) {
  Json out = {{"type", "QualityAssurance"}, {"qaType", VocabularyTerm(qa.type())}};
  if (!qa.qa_body().empty()) out["qaBody"] = qa.qa_body();
  if (!qa.deqar_reference().empty()) out["deqarReference"] = qa.deqar_reference();
  if (!qa.description().empty()) out["qaDescription"] = qa.description();
  return out;
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

Json StatusEntries(const CredentialFacts& facts) {
  std::vector<const StatusEntryFacts*> entries;
  for (const auto& entry : facts.status_entries) entries.push_back(&entry);
  // "revocation" sorts before "suspension": a fixed order whatever order the caller used.
  std::sort(entries.begin(), entries.end(),
            [](auto* a, auto* b) { return a->status_purpose < b->status_purpose; });
  Json out = Json::array();
  for (const auto* entry : entries) out.push_back(StatusEntry(*entry));
  return out;
}

Json SpecificationExtension(const catalogue::v1::Specification& spec) {
  const auto& c = spec.content();
  Json out = {{"type", "MicroCredentialSpecification"},
              {"specificationId", spec.specification_id()},
              {"specificationVersion", spec.version()},
              {"creditBearing", c.credit_bearing()},
              {"qualityAssurance", QualityAssurance(c.quality_assurance())}};
  if (c.qf_ehea_cycle() != 0) out["qfEheaCycle"] = VocabularyTerm(c.qf_ehea_cycle());
  if (c.supervision() != 0) out["supervision"] = VocabularyTerm(c.supervision());
  if (c.stackability() != 0) out["stackability"] = VocabularyTerm(c.stackability());
  return out;
}

Json AwardExtension(const issuance::v1::IssueCredentialRequest& issuance) {
  return {{"type", "MicroCredentialAward"},
          {"modeOfAcquisition", VocabularyTerm(issuance.mode_of_acquisition())}};
}

}  // namespace microcred::credentials::internal
