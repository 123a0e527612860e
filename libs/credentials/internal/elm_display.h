// The EDC display image of an ELM document (DisplayParameter / IndividualDisplay /
// DisplayDetail.image), which the EDC profile requires: one page, an SVG drawn from the facts
// themselves as text (title, learner, awarding bodies, date of issuing, credential id) with no
// artwork, so that what a wallet shows is exactly what the credential says. Internal to
// libs/credentials; docs/CREDENTIALS.md says what is rendered.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_DISPLAY_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_DISPLAY_H_

#include <string>

#include "libs/credentials/credential_facts.h"

namespace microcred::credentials::internal {

// The SVG document (UTF-8, every text XML-escaped). Deterministic. Expects validated facts.
std::string DisplaySvg(const CredentialFacts& facts);

// Standard base64 with padding (RFC 4648 §4), as the EDC MediaObject content is encoded.
std::string Base64(std::string_view bytes);

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_DISPLAY_H_
