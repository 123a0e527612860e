// The text output of mcctl (--output=text): what a person reads. --output=json prints the
// node's answers as they are instead (output.h).
#ifndef MICROCRED_TOOLS_MCCTL_PRINTING_H_
#define MICROCRED_TOOLS_MCCTL_PRINTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::mcctl {

// "ASSESSMENT_TYPE_PRACTICAL_DEMONSTRATION" with prefix "ASSESSMENT_TYPE_" -> "practical
// demonstration".
std::string EnumLabel(std::string_view name, std::string_view prefix);

std::string SpecificationText(const catalogue::v1::Specification& spec);
std::string SearchText(const catalogue::v1::SearchSpecificationsResponse& response);
// "credential_id: ..." lines: id, specification, status, issued at (the JWS is left out).
std::string CredentialText(const issuance::v1::IssuedCredential& credential);
// VALID / NOT VALID, what the credential is, then one line per check.
std::string VerificationText(const issuance::v1::VerificationReport& report);

struct RefusedRow {
  int row = 0;  // file row; the header is row 1
  std::string learner_id;
  std::string reason;  // "INVALID_ARGUMENT: learner.email: not an e-mail address"
};

struct CohortSummary {
  int rows = 0;            // learners in the file
  int issued_new = 0;      // issued by this run
  int already_issued = 0;  // issued by an earlier run of the same file (same request ids)
  std::vector<RefusedRow> refused;
  int not_sent = 0;  // rows not sent because the run stopped early
};

// "summary: 48 new, 0 already issued, 2 refused (50 rows)" then the refused rows by row number.
std::string CohortSummaryText(const CohortSummary& summary);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_PRINTING_H_
