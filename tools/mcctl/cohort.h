// A cohort file: the learners of one `mcctl issue --cohort=FILE.csv` run.
//
// CSV (RFC 4180, see csv.h) with a header row naming the columns, in any order (names are
// case-insensitive; spaces and '-' count as '_'):
//
//   learner_id      required  the institution's own id of the learner (student number)
//   given_name      required
//   family_name     required
//   email           optional
//   grade           optional  "16/20", "A", "pass"
//   grading_scheme  optional  required by the node when grade is set
//   date_of_birth   optional  YYYY-MM-DD
//
// An unknown or repeated column name, a missing required column, or a file without rows is an
// error for the whole file. Some rows are refused here, before anything is sent: a row whose
// number of fields differs from the header's, a malformed date of birth, a learner id already on
// an earlier row (one learner, one credential per run). Rows whose fields are all empty
// (spreadsheets export them) are skipped. Values are trimmed of surrounding spaces.
#ifndef MICROCRED_TOOLS_MCCTL_COHORT_H_
#define MICROCRED_TOOLS_MCCTL_COHORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::mcctl {

struct CohortRow {
  int row = 0;                      // row number in the file; the header is row 1
  std::vector<std::string> fields;  // as read (for --refused-out)
  issuance::v1::LearnerIdentity learner;
  std::string grade;           // empty when the file gives none
  std::string grading_scheme;  // empty when the file gives none
};

struct CohortRefusal {
  int row = 0;
  std::string learner_id;  // may be empty
  std::string reason;
  std::vector<std::string> fields;  // as read
};

struct Cohort {
  std::vector<std::string> header;     // as read
  std::vector<CohortRow> rows;         // to send, in file order
  std::vector<CohortRefusal> refused;  // refused before sending, in file order
  int total() const { return static_cast<int>(rows.size() + refused.size()); }
};

absl::StatusOr<Cohort> ParseCohort(std::string_view csv_text);

// A file name for a learner id: characters other than [A-Za-z0-9._@-] become '_', and a name
// starting with '.' gets a '_' in front (no hidden files, no "..", no sub-directories).
std::string SafeFileName(const std::string& learner_id);

// The documentation of the columns, for --help.
std::string CohortColumnsHelp();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_COHORT_H_
