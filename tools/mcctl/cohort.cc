#include "tools/mcctl/cohort.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "tools/mcctl/csv.h"
#include "tools/mcctl/dates.h"

namespace microcred::mcctl {
namespace {

enum Column { kLearnerId, kGivenName, kFamilyName, kEmail, kGrade, kGradingScheme, kDateOfBirth };

struct ColumnInfo {
  Column column;
  const char* name;
  bool required;
  const char* help;
};

constexpr std::array<ColumnInfo, 7> kColumns = {{
    {kLearnerId, "learner_id", true, "the institution's own id of the learner (student number)"},
    {kGivenName, "given_name", true, "given name(s)"},
    {kFamilyName, "family_name", true, "family name(s)"},
    {kEmail, "email", false, "e-mail address"},
    {kGrade, "grade", false, "\"16/20\", \"A\", \"pass\""},
    {kGradingScheme, "grading_scheme", false, "required by the node when grade is set"},
    {kDateOfBirth, "date_of_birth", false, "YYYY-MM-DD"},
}};

std::string Trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string NormalizeColumnName(std::string_view name) {
  std::string out = Trim(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

std::string KnownColumns() {
  std::string names;
  for (const ColumnInfo& info : kColumns) {
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

// Which field index holds each column (nullopt when the file has no such column).
using ColumnMap = std::array<std::optional<size_t>, kColumns.size()>;

absl::StatusOr<ColumnMap> MapHeader(const std::vector<std::string>& header) {
  ColumnMap map;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = NormalizeColumnName(header[i]);
    auto info = std::find_if(kColumns.begin(), kColumns.end(),
                             [&](const ColumnInfo& c) { return name == c.name; });
    if (info == kColumns.end()) {
      return absl::InvalidArgumentError("header: unknown column \"" + header[i] +
                                        "\"; the columns are " + KnownColumns());
    }
    if (map[info->column].has_value()) {
      return absl::InvalidArgumentError("header: column " + name + " appears twice");
    }
    map[info->column] = i;
  }
  for (const ColumnInfo& info : kColumns) {
    if (info.required && !map[info.column].has_value()) {
      return absl::InvalidArgumentError(std::string("header: the column ") + info.name +
                                        " is required; the header row names the columns (" +
                                        KnownColumns() + ")");
    }
  }
  return map;
}

bool AllEmpty(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& f) { return Trim(f).empty(); });
}

// The row as a CohortRow, or the reason it is refused.
absl::StatusOr<CohortRow> ReadRow(const CsvRecord& record, const ColumnMap& columns,
                                  size_t header_size) {
  if (record.fields.size() != header_size) {
    return absl::InvalidArgumentError("has " + std::to_string(record.fields.size()) +
                                      " fields, the header has " + std::to_string(header_size));
  }
  auto value = [&](Column c) {
    return columns[c].has_value() ? Trim(record.fields[*columns[c]]) : std::string();
  };
  CohortRow row{.row = record.number, .fields = record.fields};
  row.learner.set_learner_id(value(kLearnerId));
  row.learner.set_given_name(value(kGivenName));
  row.learner.set_family_name(value(kFamilyName));
  row.learner.set_email(value(kEmail));
  if (std::string birth = value(kDateOfBirth); !birth.empty()) {
    auto date = ParseDate(birth, "date_of_birth");
    if (!date.ok()) return date.status();
    *row.learner.mutable_date_of_birth() = *date;
  }
  row.grade = value(kGrade);
  row.grading_scheme = value(kGradingScheme);
  return row;
}

}  // namespace

absl::StatusOr<Cohort> ParseCohort(std::string_view csv_text) {
  auto records = ParseCsv(csv_text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError("the file is empty; it needs a header row and learners");
  }
  Cohort cohort;
  cohort.header = records->front().fields;
  auto columns = MapHeader(cohort.header);
  if (!columns.ok()) return columns.status();
  std::map<std::string, int> first_row_of_learner;
  for (size_t i = 1; i < records->size(); ++i) {
    const CsvRecord& record = (*records)[i];
    if (AllEmpty(record.fields)) continue;
    auto row = ReadRow(record, *columns, cohort.header.size());
    const size_t id_field = *(*columns)[kLearnerId];
    std::string learner_id = id_field < record.fields.size() ? Trim(record.fields[id_field]) : "";
    if (row.ok() && !learner_id.empty()) {
      auto [it, first] = first_row_of_learner.emplace(learner_id, record.number);
      if (!first) {
        row = absl::InvalidArgumentError("learner_id " + learner_id + " is already on row " +
                                         std::to_string(it->second));
      }
    }
    if (!row.ok()) {
      cohort.refused.push_back({.row = record.number,
                                .learner_id = std::move(learner_id),
                                .reason = std::string(row.status().message()),
                                .fields = record.fields});
      continue;
    }
    cohort.rows.push_back(*std::move(row));
  }
  if (cohort.total() == 0) {
    return absl::InvalidArgumentError("the file has a header row but no learners");
  }
  return cohort;
}

std::string SafeFileName(const std::string& learner_id) {
  std::string name = learner_id;
  for (char& c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '@' || c == '-';
    if (!safe) c = '_';
  }
  if (name.empty() || name.front() == '.') name.insert(name.begin(), '_');
  return name;
}

std::string CohortColumnsHelp() {
  std::string help;
  for (const ColumnInfo& info : kColumns) {
    std::string name = info.name;
    name.resize(16, ' ');
    help += "  " + name + (info.required ? "required  " : "optional  ") + info.help + "\n";
  }
  return help;
}

}  // namespace microcred::mcctl
