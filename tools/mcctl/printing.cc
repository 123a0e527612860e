#include "tools/mcctl/printing.h"

#include <algorithm>
#include <cstdio>

#include "absl/time/time.h"
#include "microcred/common/v1/common.pb.h"

namespace microcred::mcctl {
namespace {

using catalogue::v1::Specification;

std::string Line(std::string_view label, std::string_view value) {
  std::string line(label);
  line += ":";
  line.resize(std::max<size_t>(line.size() + 1, 20), ' ');
  return line + std::string(value) + "\n";
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string TimeText(int64_t ms) {
  if (ms == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(ms), absl::UTCTimeZone());
}

std::string Workload(const catalogue::v1::Workload& workload) {
  if (workload.has_ects()) return Number(workload.ects()) + " ECTS";
  if (workload.has_hours()) return Number(workload.hours()) + " hours";
  return "";
}

std::string SpecificationStatusLabel(catalogue::v1::SpecificationStatus status) {
  return EnumLabel(catalogue::v1::SpecificationStatus_Name(status), "SPECIFICATION_STATUS_");
}

std::string CredentialStatusLabel(issuance::v1::CredentialStatus status) {
  return EnumLabel(issuance::v1::CredentialStatus_Name(status), "CREDENTIAL_STATUS_");
}

std::string QualityAssurance(const catalogue::v1::QualityAssurance& qa) {
  std::string text =
      EnumLabel(common::v1::QualityAssuranceType_Name(qa.type()), "QUALITY_ASSURANCE_TYPE_");
  if (!qa.qa_body().empty()) text += ", " + qa.qa_body();
  if (!qa.deqar_reference().empty()) text += " (DEQAR " + qa.deqar_reference() + ")";
  return text;
}

std::string ContentText(const catalogue::v1::SpecificationContent& c) {
  std::string out = Line("title", c.title());
  out += Line("awarding bodies", Join(c.awarding_bodies()));
  out += Line("country", c.region().empty() ? c.country() : c.country() + " (" + c.region() + ")");
  std::string eqf = std::to_string(c.eqf_level());
  if (c.qf_ehea_cycle() != common::v1::QF_EHEA_CYCLE_UNSPECIFIED) {
    eqf += " (QF-EHEA " +
           EnumLabel(common::v1::QfEheaCycle_Name(c.qf_ehea_cycle()), "QF_EHEA_CYCLE_") + " cycle)";
  }
  out += Line("EQF level", eqf);
  out += Line("workload", Workload(c.workload()));
  out += Line("assessment",
              EnumLabel(common::v1::AssessmentType_Name(c.assessment_type()), "ASSESSMENT_TYPE_"));
  out += Line("participation",
              EnumLabel(common::v1::FormOfParticipation_Name(c.form_of_participation()),
                        "FORM_OF_PARTICIPATION_"));
  out += Line("quality assurance", QualityAssurance(c.quality_assurance()));
  if (c.languages_size() > 0) out += Line("languages", Join(c.languages()));
  if (!c.isced_f_code().empty()) out += Line("ISCED-F", c.isced_f_code());
  out += Line("credit-bearing", c.credit_bearing() ? "yes" : "no");
  if (c.supervision() != common::v1::SUPERVISION_UNSPECIFIED) {
    out += Line("supervision",
                EnumLabel(common::v1::Supervision_Name(c.supervision()), "SUPERVISION_"));
  }
  if (c.stackability() != common::v1::STACKABILITY_UNSPECIFIED) {
    out += Line("stackability",
                EnumLabel(common::v1::Stackability_Name(c.stackability()), "STACKABILITY_"));
  }
  if (!c.prerequisites().empty()) out += Line("prerequisites", c.prerequisites());
  out += "learning outcomes:\n";
  for (const catalogue::v1::LearningOutcome& outcome : c.learning_outcomes()) {
    out += "  - " + outcome.text();
    if (!outcome.esco_skill_uri().empty()) out += " [" + outcome.esco_skill_uri() + "]";
    out += "\n";
  }
  return out;
}

// The profile as the node's --securing-profile names it, with what it is.
std::string SecuringProfileLabel(issuance::v1::SecuringProfile profile) {
  switch (profile) {
    case issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT:
      return "open-badges-jwt (Open Badges 3.0 VC-JWT)";
    case issuance::v1::SECURING_PROFILE_VC_JOSE_COSE:
      return "vc-jose-cose (W3C VC-JOSE-COSE)";
    default:
      return "unknown";
  }
}

std::string SignatureAlgorithmLabel(issuance::v1::SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case issuance::v1::SIGNATURE_ALGORITHM_EDDSA:
      return "EdDSA";
    case issuance::v1::SIGNATURE_ALGORITHM_RS256:
      return "RS256";
    case issuance::v1::SIGNATURE_ALGORITHM_ES256:
      return "ES256";
    default:
      return "unknown algorithm";
  }
}

}  // namespace

std::string EnumLabel(std::string_view name, std::string_view prefix) {
  if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  std::string label(name);
  for (char& c : label) {
    if (c == '_') c = ' ';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return label;
}

std::string SpecificationText(const Specification& spec) {
  std::string out = spec.specification_id() + "  version " + std::to_string(spec.version()) + "  " +
                    SpecificationStatusLabel(spec.status()) + "\n";
  if (!spec.ecosystem_id().empty()) out += Line("ecosystem", spec.ecosystem_id());
  out += ContentText(spec.content());
  out += Line("published at", TimeText(spec.published_at_ms()));
  if (!spec.withdrawal_reason().empty()) out += Line("withdrawn", spec.withdrawal_reason());
  return out;
}

std::string SearchText(const catalogue::v1::SearchSpecificationsResponse& response) {
  std::string out = std::to_string(response.total()) +
                    (response.total() == 1 ? " specification" : " specifications") + "\n";
  for (const Specification& spec : response.results()) {
    out += spec.specification_id() + "  v" + std::to_string(spec.version()) + "  EQF " +
           std::to_string(spec.content().eqf_level()) + "  " + Workload(spec.content().workload()) +
           "  " + spec.content().title();
    if (!spec.ecosystem_id().empty()) out += "  [" + spec.ecosystem_id() + "]";
    if (spec.status() == catalogue::v1::SPECIFICATION_STATUS_WITHDRAWN) out += "  (withdrawn)";
    out += "\n";
  }
  // Where the results are published, over every page: what --ecosystem narrows to.
  for (const catalogue::v1::Facet& facet : response.facets()) {
    if (facet.name() != "ecosystem") continue;
    std::string counts;
    for (const catalogue::v1::FacetCount& count : facet.counts()) {
      counts += (counts.empty() ? "" : ", ") + count.value() + " " + std::to_string(count.count());
    }
    out += "by ecosystem: " + counts + "\n";
  }
  if (!response.next_page_token().empty()) {
    out += "more: --page-token=" + response.next_page_token() + "\n";
  }
  return out;
}

std::string CredentialText(const issuance::v1::IssuedCredential& credential) {
  std::string out = Line("credential_id", credential.credential_id());
  out += Line("specification", credential.specification_id() + " version " +
                                   std::to_string(credential.specification_version()));
  std::string status = CredentialStatusLabel(credential.status());
  if (!credential.status_reason().empty()) status += " (" + credential.status_reason() + ")";
  out += Line("status", status);
  out += Line("issued at", TimeText(credential.issued_at_ms()));
  if (!credential.ecosystem_id().empty()) out += Line("ecosystem", credential.ecosystem_id());
  return out;
}

std::string VerificationText(const issuance::v1::VerificationReport& report) {
  std::string out = report.valid() ? "VALID\n" : "NOT VALID\n";
  if (!report.credential_id().empty()) out += Line("credential_id", report.credential_id());
  if (!report.issuer().empty()) {
    out += Line("issuer", report.issuer_name().empty()
                              ? report.issuer()
                              : report.issuer_name() + " (" + report.issuer() + ")");
  }
  if (!report.credential_issuer_name().empty()) {
    out += Line("claimed issuer", report.credential_issuer_name() +
                                      " (written in the credential; not the registry's name)");
  }
  if (!report.specification_id().empty()) {
    out += Line("specification", report.specification_id() + " version " +
                                     std::to_string(report.specification_version()));
  }
  if (!report.ecosystem_id().empty()) out += Line("ecosystem", report.ecosystem_id());
  if (report.status() != issuance::v1::CREDENTIAL_STATUS_UNSPECIFIED) {
    out += Line("status", CredentialStatusLabel(report.status()));
  }
  if (report.securing_profile() != issuance::v1::SECURING_PROFILE_UNSPECIFIED) {
    out += Line("secured as", SecuringProfileLabel(report.securing_profile()) + ", " +
                                  SignatureAlgorithmLabel(report.signature_algorithm()));
  }
  out += "checks:\n";
  for (const issuance::v1::VerificationCheck& check : report.checks()) {
    out += std::string(check.passed() ? "  passed  " : "  FAILED  ") + check.name();
    if (!check.detail().empty()) out += ": " + check.detail();
    out += "\n";
  }
  return out;
}

std::string CohortSummaryText(const CohortSummary& summary) {
  std::string out = "summary: " + std::to_string(summary.issued_new) + " new, " +
                    std::to_string(summary.already_issued) + " already issued, " +
                    std::to_string(summary.refused.size()) + " refused";
  if (summary.not_sent > 0) out += ", " + std::to_string(summary.not_sent) + " not sent";
  out += " (" + std::to_string(summary.rows) + " rows)\n";
  std::vector<RefusedRow> refused = summary.refused;
  std::sort(refused.begin(), refused.end(),
            [](const RefusedRow& a, const RefusedRow& b) { return a.row < b.row; });
  if (!refused.empty()) out += "refused rows:\n";
  for (const RefusedRow& row : refused) {
    out += "  row " + std::to_string(row.row);
    if (!row.learner_id.empty()) out += " (learner " + row.learner_id + ")";
    out += ": " + row.reason + "\n";
  }
  return out;
}

}  // namespace microcred::mcctl
