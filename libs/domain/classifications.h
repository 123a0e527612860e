// The shapes of the EU classifications a specification, and the filters that select
// specifications, may name: ESCO skills and ISCED-F 2013 fields of education. Shapes only: the
// concepts themselves are not listed here (ESCO alone has 13,000 skills, revised yearly).
//
// Pure functions; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_CLASSIFICATIONS_H_
#define MICROCRED_LIBS_DOMAIN_CLASSIFICATIONS_H_

#include <string_view>

namespace microcred::domain {

// "http://data.europa.eu/esco/skill/" followed by a lower-case UUID.
bool IsEscoSkillUri(std::string_view uri);

// 2, 3 or 4 digits (broad, narrow, detailed field) whose first two, the broad field, are 00 to
// 10, or 99 ("field unknown").
bool IsIscedFCode(std::string_view code);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_CLASSIFICATIONS_H_
