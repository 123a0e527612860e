#include "libs/domain/text.h"

#include <cstdint>

#include "absl/strings/str_join.h"
#include "libs/base/utf8.h"

namespace microcred::domain {
namespace {

using utf8::kMalformed;

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Folding of U+00C0..U+00FF. One character per code point: a lower-case base letter, or a
// placeholder for a two-letter expansion ('A' = "ae", 'T' = "th", 'S' = "ss"), or ' ' for the
// two symbols of the block (× and ÷) that separate words.
constexpr std::string_view kLatin1Fold =
    "aaaaaaAceeeeiiii"   // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "dnooooo ouuuuyTS"   // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "aaaaaaAceeeeiiii"   // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "dnooooo ouuuuyTy";  // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
static_assert(kLatin1Fold.size() == 0x40);

// Folding of U+0100..U+017F (Latin Extended-A), same scheme: 'J' = "ij", 'O' = "oe".
constexpr std::string_view kLatinExtendedAFold =
    "aaaaaa"        // U+0100 Ā ā Ă ă Ą ą
    "cccccccc"      // U+0106 Ć ć Ĉ ĉ Ċ ċ Č č
    "dddd"          // U+010E Ď ď Đ đ
    "eeeeeeeeee"    // U+0112 Ē ē Ĕ ĕ Ė ė Ę ę Ě ě
    "gggggggg"      // U+011C Ĝ ĝ Ğ ğ Ġ ġ Ģ ģ
    "hhhh"          // U+0124 Ĥ ĥ Ħ ħ
    "iiiiiiiiii"    // U+0128 Ĩ ĩ Ī ī Ĭ ĭ Į į İ ı
    "JJ"            // U+0132 Ĳ ĳ
    "jj"            // U+0134 Ĵ ĵ
    "kkk"           // U+0136 Ķ ķ ĸ
    "llllllllll"    // U+0139 Ĺ ĺ Ļ ļ Ľ ľ Ŀ ŀ Ł ł
    "nnnnnnnnn"     // U+0143 Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ
    "oooooo"        // U+014C Ō ō Ŏ ŏ Ő ő
    "OO"            // U+0152 Œ œ
    "rrrrrr"        // U+0154 Ŕ ŕ Ŗ ŗ Ř ř
    "ssssssss"      // U+015A Ś ś Ŝ ŝ Ş ş Š š
    "tttttt"        // U+0162 Ţ ţ Ť ť Ŧ ŧ
    "uuuuuuuuuuuu"  // U+0168 Ũ ũ Ū ū Ŭ ŭ Ů ů Ű ű Ų ų
    "ww"            // U+0174 Ŵ ŵ
    "yyy"           // U+0176 Ŷ ŷ Ÿ
    "zzzzzz"        // U+0179 Ź ź Ż ż Ž ž
    "s";            // U+017F ſ
static_assert(kLatinExtendedAFold.size() == 0x80);

std::string_view ExpandPlaceholder(char folded) {
  switch (folded) {
    case 'A':
      return "ae";
    case 'T':
      return "th";
    case 'S':
      return "ss";
    case 'J':
      return "ij";
    case 'O':
      return "oe";
    default:
      return {};
  }
}

// Alphabetic presentation forms U+FB00..U+FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ.
constexpr std::string_view kLigatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

bool IsSeparatorOutsideAscii(char32_t c) {
  return IsUnicodeWhiteSpace(c) || IsControl(c) ||
         (c >= 0x00A0 && c <= 0x00BF) ||  // Latin-1 punctuation and symbols: « » ¿ ° ...
         (c >= 0x2000 && c <= 0x206F) ||  // General Punctuation: ’ “ ” – — … ‹ ›
         (c >= 0x3000 && c <= 0x303F) ||  // CJK symbols and punctuation
         (c >= 0xFE10 && c <= 0xFE6F) ||  // vertical, small and compatibility punctuation
         (c >= 0xFF00 && c <= 0xFF0F);    // full-width ASCII punctuation
}

}  // namespace

std::optional<size_t> Utf8CodePointCount(std::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (utf8::Decode(text, &pos) == kMalformed) return std::nullopt;
    ++count;
  }
  return count;
}

bool IsUnicodeWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

std::string_view TrimWhiteSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t next = begin;
    if (!IsUnicodeWhiteSpace(utf8::Decode(text, &next))) break;
    begin = next;
  }
  // Scan forward remembering where the last non-white-space code point ends: decoding
  // backwards would have to re-synchronise on continuation bytes for no gain at these sizes.
  size_t end = begin;
  for (size_t pos = begin; pos < text.size();) {
    if (!IsUnicodeWhiteSpace(utf8::Decode(text, &pos))) end = pos;
  }
  return text.substr(begin, end - begin);
}

bool ContainsControlCharacter(std::string_view text, bool allow_tab_and_line_breaks) {
  for (size_t pos = 0; pos < text.size();) {
    const char32_t c = utf8::Decode(text, &pos);
    if (c == kMalformed || !IsControl(c)) continue;
    if (allow_tab_and_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
    return true;
  }
  return false;
}

std::vector<std::string> FoldToWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  const auto end_word = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  const auto append_folded = [&](char folded) {
    if (folded == ' ') return end_word();
    const std::string_view expansion = ExpandPlaceholder(folded);
    if (expansion.empty()) {
      word.push_back(folded);
    } else {
      word.append(expansion);
    }
  };

  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    const char32_t c = utf8::Decode(text, &pos);
    if (c == kMalformed) {
      end_word();
    } else if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        word.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.push_back(static_cast<char>(c));
      } else {
        end_word();
      }
    } else if (c >= 0x00C0 && c <= 0x00FF) {
      append_folded(kLatin1Fold[c - 0x00C0]);
    } else if (c >= 0x0100 && c <= 0x017F) {
      append_folded(kLatinExtendedAFold[c - 0x0100]);
    } else if (c >= 0x0300 && c <= 0x036F) {
      // A combining mark: part of the letter before it, and folding drops diacritics.
    } else if (c == 0x1E9E) {  // ẞ, capital sharp s
      word.append("ss");
    } else if (c >= 0xFB00 && c <= 0xFB06) {
      word.append(kLigatures[c - 0xFB00]);
    } else if (IsSeparatorOutsideAscii(c)) {
      end_word();
    } else {
      word.append(text.substr(start, pos - start));
    }
  }
  end_word();
  return words;
}

std::string FoldForMatching(std::string_view text) { return absl::StrJoin(FoldToWords(text), " "); }

}  // namespace microcred::domain
