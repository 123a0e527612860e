#include "tools/mcctl/csv.h"

#include <utility>

namespace microcred::mcctl {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.starts_with(kUtf8Bom)) text_.remove_prefix(kUtf8Bom.size());
  }

  absl::StatusOr<std::vector<CsvRecord>> ReadAll() {
    std::vector<CsvRecord> records;
    int number = 0;
    while (!AtEnd()) {
      ++number;
      const int start_line = line_;
      if (AtLineEnd()) {  // a blank line: counted, not returned
        SkipLineEnd();
        continue;
      }
      auto fields = Record();
      if (!fields.ok()) return fields.status();
      records.push_back({.number = number, .line = start_line, .fields = *std::move(fields)});
    }
    return records;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool AtLineEnd() const { return !AtEnd() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }
  char Next() const { return pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0'; }

  // Consumes one CRLF, LF or CR.
  void SkipLineEnd() {
    if (text_[pos_] == '\r' && Next() == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  absl::Status Error(int line, std::string_view what) const {
    return absl::InvalidArgumentError("line " + std::to_string(line) + ": " + std::string(what));
  }

  absl::StatusOr<std::vector<std::string>> Record() {
    std::vector<std::string> fields;
    while (true) {
      auto field = (!AtEnd() && text_[pos_] == '"') ? QuotedField() : PlainField();
      if (!field.ok()) return field.status();
      fields.push_back(*std::move(field));
      if (AtEnd()) return fields;
      if (AtLineEnd()) {
        SkipLineEnd();
        return fields;
      }
      ++pos_;  // the comma
    }
  }

  absl::StatusOr<std::string> PlainField() {
    std::string field;
    while (!AtEnd() && !AtLineEnd() && text_[pos_] != ',') {
      if (text_[pos_] == '"') {
        return Error(line_,
                     "a double quote inside an unquoted field; put the whole field in double "
                     "quotes and double the quote (\"\")");
      }
      field.push_back(text_[pos_++]);
    }
    return field;
  }

  absl::StatusOr<std::string> QuotedField() {
    const int start_line = line_;
    std::string field;
    ++pos_;  // the opening quote
    while (true) {
      if (AtEnd()) return Error(start_line, "a quoted field is not closed");
      const char c = text_[pos_];
      if (c == '"' && Next() == '"') {
        field.push_back('"');
        pos_ += 2;
        continue;
      }
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c == '\n' || (c == '\r' && Next() != '\n')) ++line_;
      field.push_back(c);
      ++pos_;
    }
    if (!AtEnd() && !AtLineEnd() && text_[pos_] != ',') {
      return Error(line_, "text after the closing quote of a field");
    }
    return field;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool NeedsQuotes(const std::string& field) {
  return field.find_first_of(",\"\r\n") != std::string::npos;
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  return CsvReader(text).ReadAll();
}

std::string FormatCsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (!NeedsQuotes(fields[i])) {
      out += fields[i];
      continue;
    }
    out.push_back('"');
    for (char c : fields[i]) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

}  // namespace microcred::mcctl
