// UTF-8 decoding as RFC 3629 defines it: no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequence. The one decoder that validation, text folding and the JSON
// writer share. Header-only; pure; thread-safe.
#ifndef MICROCRED_LIBS_BASE_UTF8_H_
#define MICROCRED_LIBS_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace microcred::utf8 {

inline constexpr char32_t kMalformed = 0xFFFFFFFF;

// Decodes the code point that starts at text[*pos] and advances *pos past it. A malformed
// sequence yields kMalformed and advances by one byte, so that scanning always progresses.
inline char32_t Decode(std::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const size_t start = *pos;
  const uint8_t lead = byte(start);
  *pos = start + 1;
  if (lead < 0x80) return lead;

  size_t length;
  char32_t code_point;
  char32_t min_value;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, min_value = 0x10000;
  } else {
    return kMalformed;  // a continuation byte or 0xF8..0xFF cannot start a sequence
  }
  if (start + length > text.size()) return kMalformed;
  for (size_t i = 1; i < length; ++i) {
    const uint8_t continuation = byte(start + i);
    if ((continuation & 0xC0) != 0x80) return kMalformed;
    code_point = (code_point << 6) | (continuation & 0x3F);
  }
  if (code_point < min_value) return kMalformed;                        // overlong form
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return kMalformed;  // surrogate
  if (code_point > 0x10FFFF) return kMalformed;
  *pos = start + length;
  return code_point;
}

// True when `text` is well-formed UTF-8.
inline bool IsValid(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    if (static_cast<uint8_t>(text[pos]) < 0x80) {
      ++pos;
    } else if (Decode(text, &pos) == kMalformed) {
      return false;
    }
  }
  return true;
}

}  // namespace microcred::utf8

#endif  // MICROCRED_LIBS_BASE_UTF8_H_
