// Validation of a provider profile: what an institution publishes about itself in the
// catalogue, including its policy for recognising other providers' micro-credentials
// (Recommendation §9c).
//
// Reports the FIRST violation, in the field order of ProviderProfile; messages start with the
// field path ("profile.recognition_policy.links[1]: must be an https URL (https://...)").
// INVALID_ARGUMENT for malformed content; FAILED_PRECONDITION where the profile contradicts
// the registry (another institution id, another provider type): the registry, signed by the
// ecosystem root, is the authority on who an institution is. Pure; thread-safe.
//
// Not checked here: public_key_ids (output only: the service fills them from the registry)
// and whether the institution is suspended (the caller decides whether a suspended member may
// still update its profile).
#ifndef MICROCRED_LIBS_DOMAIN_PROVIDER_H_
#define MICROCRED_LIBS_DOMAIN_PROVIDER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "libs/domain/institution.h"
#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::domain {

inline constexpr size_t kMaxLegalNameChars = 255;
inline constexpr size_t kMaxQaDeclarationChars = 20000;
inline constexpr size_t kMaxRecognitionPolicyChars = 20000;
inline constexpr int kMaxRecognitionPolicyLinks = 20;

// Rules, in order:
//   institution_id       required, ValidateInstitutionId; equal to registered.institution_id
//   legal_name           required, single line, <= 255 characters; equal to
//                        registered.legal_name
//   country              required ISO 3166-1 alpha-2;  region: optional ISO 3166-2 of country
//   provider_type        required; equal to registered.provider_type
//   qa_declaration       optional, <= 20000 characters
//   deqar_id             optional DEQAR institution id (DEQARINST0107)
//   recognition_policy   text required, <= 20000 characters; at most 20 links, each https
//   website              optional https URL
absl::Status ValidateProviderProfile(const catalogue::v1::ProviderProfile& profile,
                                     const InstitutionFacts& registered);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_PROVIDER_H_
