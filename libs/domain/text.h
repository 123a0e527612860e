// Unicode text helpers for validation and matching: UTF-8 well-formedness, lengths counted in
// code points (what a person calls "characters"), white space, control characters, and a
// folding that lets Latin-script text be compared without regard to case or accents.
//
// Pure functions; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_TEXT_H_
#define MICROCRED_LIBS_DOMAIN_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcred::domain {

// The number of code points in `text`, or std::nullopt when `text` is not well-formed UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence).
std::optional<size_t> Utf8CodePointCount(std::string_view text);

// Unicode White_Space property (tab, line breaks, space, NBSP, the U+2000 spaces, ...).
bool IsUnicodeWhiteSpace(char32_t code_point);

// `text` without its leading and trailing Unicode white space. Malformed UTF-8 bytes are not
// white space and stop the trimming.
std::string_view TrimWhiteSpace(std::string_view text);

// True when `text` holds a control character: C0 (U+0000-U+001F), DEL or C1 (U+0080-U+009F).
// With `allow_tab_and_line_breaks`, TAB, LF and CR are tolerated (multi-line free text).
bool ContainsControlCharacter(std::string_view text, bool allow_tab_and_line_breaks);

// Splits `text` into words folded for matching:
//  - ASCII letters are lower-cased; digits are kept;
//  - Latin letters with diacritics (Latin-1 Supplement and Latin Extended-A: é è ê ë à â ä î ï
//    ô ö ù û ü ç ñ å ø ł ... and their capitals) become their base letter; ligatures and
//    digraph letters are expanded (œ→oe, æ→ae, ĳ→ij, ß→ss, þ→th, U+FB00-U+FB06 ﬁ→fi ...);
//  - combining diacritical marks (U+0300-U+036F, as in decomposed NFD input) are dropped, so
//    "e\u0301" folds like "é";
//  - everything else that is ASCII, white space or punctuation (Latin-1 and General
//    Punctuation blocks: apostrophes ’, dashes, guillemets « », NBSP ...) separates words;
//  - code points of other scripts are kept unchanged as word characters;
//  - malformed UTF-8 bytes separate words.
// "L’Agrégée  de\u00a0Œuvres" -> {"l", "agregee", "de", "oeuvres"}.
std::vector<std::string> FoldToWords(std::string_view text);

// FoldToWords joined by single spaces: a key for case- and accent-insensitive comparison.
std::string FoldForMatching(std::string_view text);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_TEXT_H_
