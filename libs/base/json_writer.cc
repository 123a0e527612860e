#include "libs/base/json_writer.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "libs/base/strings.h"
#include "libs/base/utf8.h"

namespace microcred {
namespace {

// Bytes that may be copied as they are: printable ASCII other than '"' and '\\', and every
// byte of a multi-byte sequence (checked separately).
bool CopiesVerbatim(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c < 0x80; }

void AppendControlEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    default: {
      constexpr char kHex[] = "0123456789abcdef";
      const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(escape, sizeof escape);
    }
  }
}

}  // namespace

JsonWriter::JsonWriter(size_t reserve_bytes) { out_.reserve(reserve_bytes); }

void JsonWriter::BeforeValue() {
  if (needs_comma_) out_.push_back(',');
  needs_comma_ = true;
}

void JsonWriter::Fail(std::string_view reason) {
  if (!error_.empty()) return;
  if (last_key_size_ == 0) {
    error_ = reason;
  } else {
    error_ = strings::Cat("member \"", std::string_view(out_).substr(last_key_at_, last_key_size_),
                          "\": ", reason);
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  open_.push_back('{');
  needs_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  if (open_.empty() || open_.back() != '{') Fail("EndObject without an open object");
  if (!open_.empty()) open_.pop_back();
  out_.push_back('}');
  needs_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  open_.push_back('[');
  needs_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  if (open_.empty() || open_.back() != '[') Fail("EndArray without an open array");
  if (!open_.empty()) open_.pop_back();
  out_.push_back(']');
  needs_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  if (open_.empty() || open_.back() != '{') Fail("a key outside an object");
  BeforeValue();
  last_key_at_ = out_.size() + 1;
  AppendEscaped(key);
  last_key_size_ = out_.size() - 1 - last_key_at_;
  out_.push_back(':');
  needs_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendEscaped(value);
  return *this;
}

void JsonWriter::AppendEscaped(std::string_view value) {
  out_.push_back('"');
  size_t pos = 0;
  while (pos < value.size()) {
    const size_t run_start = pos;
    while (pos < value.size() && CopiesVerbatim(static_cast<unsigned char>(value[pos]))) ++pos;
    out_.append(value.data() + run_start, pos - run_start);
    if (pos == value.size()) break;
    const auto c = static_cast<unsigned char>(value[pos]);
    if (c >= 0x80) {
      const size_t sequence_start = pos;
      if (utf8::Decode(value, &pos) == utf8::kMalformed) {
        Fail("not valid UTF-8");
        continue;
      }
      out_.append(value.data() + sequence_start, pos - sequence_start);
    } else if (c == '"' || c == '\\') {
      out_.push_back('\\');
      out_.push_back(static_cast<char>(c));
      ++pos;
    } else {
      AppendControlEscape(c, &out_);
      ++pos;
    }
  }
  out_.push_back('"');
}

JsonWriter& JsonWriter::Number(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    Fail("a number that is not finite");
    out_.push_back('0');
    return *this;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Field(std::string_view key, std::string_view value) {
  return Key(key).String(value);
}
JsonWriter& JsonWriter::Field(std::string_view key, const char* value) {
  return Key(key).String(value);
}
JsonWriter& JsonWriter::Field(std::string_view key, double value) { return Key(key).Number(value); }
JsonWriter& JsonWriter::Field(std::string_view key, bool value) { return Key(key).Bool(value); }

JsonWriter& JsonWriter::FieldIfNotEmpty(std::string_view key, std::string_view value) {
  if (!value.empty()) Field(key, value);
  return *this;
}

absl::StatusOr<std::string> JsonWriter::Finish() && {
  if (!error_.empty()) return absl::InvalidArgumentError(error_);
  if (!open_.empty()) return absl::InternalError("JSON writer: a container was left open");
  return std::move(out_);
}

}  // namespace microcred
