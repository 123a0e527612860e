// RFC 4180 comma-separated values: reading a whole file into records, and writing one record.
//
// Reading accepts what spreadsheets export: records end with CRLF, LF or a lone CR; a field in
// double quotes may hold commas, line breaks and doubled quotes (""); a UTF-8 byte order mark at
// the start is skipped; the line break after the last record is optional. Blank lines are
// skipped but still counted, so record numbers are the row numbers a spreadsheet shows (as long
// as no quoted field spans lines). A quote inside an unquoted field, text after a closing quote
// and an unterminated quoted field are errors naming the line: data that ends up in a signed
// credential is not guessed at.
#ifndef MICROCRED_TOOLS_MCCTL_CSV_H_
#define MICROCRED_TOOLS_MCCTL_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred::mcctl {

struct CsvRecord {
  int number = 0;  // 1-based: the first record of the file (usually the header) is 1
  int line = 0;    // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// One record with CRLF at the end; fields are quoted only when they need it.
std::string FormatCsvRecord(const std::vector<std::string>& fields);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CSV_H_
