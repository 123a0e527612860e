// JsonWriter: writes one JSON text straight into a string, without building a tree. It is how
// documents on hot paths are made (a credential is written in a few microseconds, where
// building and dumping a nlohmann::json tree took ten times longer).
//
//   JsonWriter w;
//   w.BeginObject().Field("id", id).Key("type").BeginArray().String("Profile").EndArray();
//   w.EndObject();
//   absl::StatusOr<std::string> text = std::move(w).Finish();
//
// The caller states the structure; the writer adds the commas, colons and escapes. Members are
// written in the order the caller gives, so equal calls give equal bytes.
//
// Strings are checked as they are written: a string that is not valid UTF-8, or a number that
// is not finite, puts the writer in error, and Finish() returns INVALID_ARGUMENT naming the
// member's key. Finish() also refuses an unbalanced structure (INTERNAL: a bug in the caller).
// Not thread-safe; one writer per document.
#ifndef MICROCRED_LIBS_BASE_JSON_WRITER_H_
#define MICROCRED_LIBS_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred {

class JsonWriter {
 public:
  explicit JsonWriter(size_t reserve_bytes = 4096);

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();

  // A member's key; the next call writes its value.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  // Shortest text that reads back as the same double; integral values have no ".0".
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);

  // Key(key) followed by the value.
  JsonWriter& Field(std::string_view key, std::string_view value);
  JsonWriter& Field(std::string_view key, const char* value);
  JsonWriter& Field(std::string_view key, double value);
  template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer> &&
                                                          !std::is_same_v<Integer, bool>>>
  JsonWriter& Field(std::string_view key, Integer value) {
    return Key(key).Int(static_cast<int64_t>(value));
  }
  JsonWriter& Field(std::string_view key, bool value);
  // A field written only when `value` is not empty: optional texts.
  JsonWriter& FieldIfNotEmpty(std::string_view key, std::string_view value);

  // The JSON text, or the first error (see the file comment).
  absl::StatusOr<std::string> Finish() &&;

 private:
  void BeforeValue();
  void Fail(std::string_view reason);
  void AppendEscaped(std::string_view value);

  std::string out_;
  std::vector<char> open_;  // '{' or '[' for each open container
  bool needs_comma_ = false;
  size_t last_key_at_ = 0;  // where the last key's text starts in out_, and its length
  size_t last_key_size_ = 0;
  std::string error_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_BASE_JSON_WRITER_H_
