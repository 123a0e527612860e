#include "libs/domain/provider.h"

#include <string>
#include <string_view>

#include "libs/base/strings.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/policy_profile.h"
#include "libs/domain/specification_id.h"

namespace microcred::domain {

using strings::Cat;

namespace {

using catalogue::v1::ProviderProfile;

absl::Status CheckInstitutionId(const ProviderProfile& profile,
                                const InstitutionFacts& registered) {
  constexpr std::string_view kPath = "profile.institution_id";
  if (absl::Status s = ValidateInstitutionId(profile.institution_id(), kPath); !s.ok()) return s;
  if (profile.institution_id() != registered.institution_id) {
    return absl::FailedPreconditionError(Cat(kPath, ": \"", profile.institution_id(),
                                             "\" does not match the registered institution \"",
                                             registered.institution_id, "\""));
  }
  return absl::OkStatus();
}

// The registry's name, not the member's say: else a member could present itself, its
// catalogue entries and its credentials under another institution's name.
absl::Status CheckLegalName(const ProviderProfile& profile, const InstitutionFacts& registered) {
  constexpr std::string_view kPath = "profile.legal_name";
  if (absl::Status s =
          ValidateText(profile.legal_name(), kPath,
                       {.required = true, .max_chars = kMaxLegalNameChars, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (profile.legal_name() != registered.legal_name) {
    return absl::FailedPreconditionError(Cat(kPath, ": \"", profile.legal_name(),
                                             "\" does not match the registered legal name \"",
                                             registered.legal_name, "\""));
  }
  return absl::OkStatus();
}

absl::Status CheckCountryAndRegion(const ProviderProfile& profile) {
  if (absl::Status s = ValidateCountryCode(profile.country(), "profile.country"); !s.ok()) {
    return s;
  }
  return ValidateRegionCode(profile.region(), profile.country(), "profile.region");
}

absl::Status CheckProviderType(const ProviderProfile& profile, const InstitutionFacts& registered) {
  constexpr std::string_view kPath = "profile.provider_type";
  const common::v1::ProviderType type = profile.provider_type();
  if (!common::v1::ProviderType_IsValid(type)) {
    return absl::InvalidArgumentError(Cat(kPath, ": unknown value ", type));
  }
  if (type == common::v1::PROVIDER_TYPE_UNSPECIFIED) {
    return absl::InvalidArgumentError(Cat(kPath, ": is required"));
  }
  if (type != registered.provider_type) {
    return absl::FailedPreconditionError(Cat(kPath, ": ", ProviderTypeLabel(type),
                                             " does not match the registered provider type ",
                                             ProviderTypeLabel(registered.provider_type)));
  }
  return absl::OkStatus();
}

absl::Status CheckQaDeclaration(const ProviderProfile& profile) {
  return ValidateText(profile.qa_declaration(), "profile.qa_declaration",
                      {.max_chars = kMaxQaDeclarationChars});
}

absl::Status CheckDeqarId(const ProviderProfile& profile) {
  return ValidateDeqarInstitutionId(profile.deqar_id(), "profile.deqar_id");
}

// Recommendation §9c: providers publish their own policy for recognising others'
// micro-credentials.
absl::Status CheckRecognitionPolicy(const ProviderProfile& profile) {
  constexpr std::string_view kPath = "profile.recognition_policy";
  const catalogue::v1::RecognitionPolicyText& policy = profile.recognition_policy();
  if (absl::Status s = ValidateText(policy.text(), Cat(kPath, ".text"),
                                    {.required = true, .max_chars = kMaxRecognitionPolicyChars});
      !s.ok()) {
    return s;
  }
  if (policy.links_size() > kMaxRecognitionPolicyLinks) {
    return absl::InvalidArgumentError(Cat(kPath, ".links: at most ", kMaxRecognitionPolicyLinks,
                                          " links (has ", policy.links_size(), ")"));
  }
  for (int i = 0; i < policy.links_size(); ++i) {
    if (absl::Status s = ValidateHttpsUrl(policy.links(i), Cat(kPath, ".links[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckWebsite(const ProviderProfile& profile) {
  if (profile.website().empty()) return absl::OkStatus();
  return ValidateHttpsUrl(profile.website(), "profile.website");
}

}  // namespace

absl::Status ValidateProviderProfile(const ProviderProfile& profile,
                                     const InstitutionFacts& registered) {
  if (absl::Status s = CheckInstitutionId(profile, registered); !s.ok()) return s;
  if (absl::Status s = CheckLegalName(profile, registered); !s.ok()) return s;
  if (absl::Status s = CheckCountryAndRegion(profile); !s.ok()) return s;
  if (absl::Status s = CheckProviderType(profile, registered); !s.ok()) return s;
  if (absl::Status s = CheckQaDeclaration(profile); !s.ok()) return s;
  if (absl::Status s = CheckDeqarId(profile); !s.ok()) return s;
  if (absl::Status s = CheckRecognitionPolicy(profile); !s.ok()) return s;
  return CheckWebsite(profile);
}

}  // namespace microcred::domain
