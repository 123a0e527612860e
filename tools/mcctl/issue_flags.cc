#include "tools/mcctl/issue_flags.h"

#include <optional>

#include "libs/verification/securing_profile.h"
#include "tools/mcctl/cli.h"
#include "tools/mcctl/dates.h"

namespace microcred::mcctl {

using issuance::v1::IssueCredentialRequest;

std::vector<host::ConfigOption> IssueOptions() {
  return {
      {"spec", "the specification to issue against, <institution>/<local id> (required)"},
      {"spec-version", "a version of the specification (default: the latest)"},
      {"issued-on", "date of issuing, YYYY-MM-DD (required)"},
      {"place", "place of issuing, e.g. \"Louvain-la-Neuve, BE\" (required)"},
      {"mode",
       "course (completed course, default) or prior-learning (validation of prior "
       "learning)"},
      {"supervision",
       "supervision and identity check of the assessment: unsupervised, "
       "supervised, supervised-online or onsite-id-check (required)"},
      {"valid-until", "end of validity, YYYY-MM-DD (default: no end)"},
      {"algorithm",
       "es256, eddsa or rs256: how the node signs (default: the node's, ES256 once it has a "
       "P-256 key registered)"},
      {"profile",
       "open-badges-jwt or vc-jose-cose: how the credential is secured (default: the node's, "
       "open-badges-jwt; docs/CREDENTIALS.md)"},
      {"learner-id", "one learner: the institution's id of the learner (student number)"},
      {"given-name", "one learner: given name(s)"},
      {"family-name", "one learner: family name(s)"},
      {"email", "one learner: e-mail address"},
      {"date-of-birth", "one learner: YYYY-MM-DD"},
      {"grade", "the grade, e.g. 16/20 (cohort: for rows that give none)"},
      {"grading-scheme",
       "the grading scheme, e.g. \"Belgian 0-20 scale\" (cohort: for rows "
       "that give none)"},
      {"request-id",
       "one learner: the request id (default: derived from the request, so the "
       "same command returns the same credential)"},
      {"out", "one learner: write the JWS to this file instead of stdout"},
      {"cohort", "issue to every learner of this CSV file (see below)"},
      {"out-dir", "cohort: write each credential to DIR/<learner_id>.jws"},
      {"batch-size", "cohort: rows per call to the node (default 500)"},
      {"refused-out", "cohort: write the refused rows, with the header, to this CSV file"},
  };
}

absl::StatusOr<issuance::v1::ModeOfAcquisition> ParseMode(std::string_view text) {
  if (text == "course") return issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE;
  if (text == "prior-learning") return issuance::v1::MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION;
  return absl::InvalidArgumentError("--mode: expected course or prior-learning, got \"" +
                                    std::string(text) + "\"");
}

absl::StatusOr<common::v1::Supervision> ParseSupervision(std::string_view text) {
  if (text == "unsupervised") return common::v1::SUPERVISION_UNSUPERVISED_NO_ID_CHECK;
  if (text == "supervised") return common::v1::SUPERVISION_SUPERVISED_NO_ID_CHECK;
  if (text == "supervised-online") return common::v1::SUPERVISION_SUPERVISED_ONLINE;
  if (text == "onsite-id-check") return common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK;
  return absl::InvalidArgumentError(
      "--supervision: expected unsupervised, supervised, supervised-online or onsite-id-check, "
      "got \"" +
      std::string(text) + "\"");
}

namespace {

absl::Status SetDates(const host::Config& flags, IssueCredentialRequest& request) {
  auto issued_on_text = RequiredFlag(flags, "issued-on");
  if (!issued_on_text.ok()) return issued_on_text.status();
  auto issued_on = ParseDate(*issued_on_text, "--issued-on");
  if (!issued_on.ok()) return issued_on.status();
  *request.mutable_issued_on() = *issued_on;
  auto valid_until_text = flags.GetString("valid-until", "");
  if (!valid_until_text.ok()) return valid_until_text.status();
  if (valid_until_text->empty()) return absl::OkStatus();
  auto valid_until = ParseDate(*valid_until_text, "--valid-until");
  if (!valid_until.ok()) return valid_until.status();
  *request.mutable_valid_until() = *valid_until;
  return absl::OkStatus();
}

absl::Status SetSpecification(const host::Config& flags, IssueCredentialRequest& request) {
  auto spec = RequiredFlag(flags, "spec");
  if (!spec.ok()) return spec.status();
  auto version = flags.GetInt("spec-version", 0);
  if (!version.ok()) return version.status();
  if (*version < 0) return absl::InvalidArgumentError("--spec-version: must be 1 or more");
  request.set_specification_id(*spec);
  request.set_specification_version(static_cast<uint32_t>(*version));
  return absl::OkStatus();
}

absl::Status SetHowAcquired(const host::Config& flags, IssueCredentialRequest& request) {
  auto mode_text = flags.GetString("mode", "course");
  if (!mode_text.ok()) return mode_text.status();
  auto mode = ParseMode(*mode_text);
  if (!mode.ok()) return mode.status();
  auto supervision_text = RequiredFlag(flags, "supervision");
  if (!supervision_text.ok()) return supervision_text.status();
  auto supervision = ParseSupervision(*supervision_text);
  if (!supervision.ok()) return supervision.status();
  request.set_mode_of_acquisition(*mode);
  request.set_supervision_applied(*supervision);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<issuance::v1::SignatureAlgorithm> ParseAlgorithm(std::string_view text) {
  if (text.empty()) return issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
  if (text == "es256") return issuance::v1::SIGNATURE_ALGORITHM_ES256;
  if (text == "eddsa") return issuance::v1::SIGNATURE_ALGORITHM_EDDSA;
  if (text == "rs256") return issuance::v1::SIGNATURE_ALGORITHM_RS256;
  return absl::InvalidArgumentError("--algorithm: expected es256, eddsa or rs256, got \"" +
                                    std::string(text) + "\"");
}

absl::StatusOr<issuance::v1::SecuringProfile> ParseSecuringProfile(std::string_view text) {
  if (text.empty()) return issuance::v1::SECURING_PROFILE_UNSPECIFIED;
  std::optional<issuance::v1::SecuringProfile> profile =
      verification::SecuringProfileFromName(text);
  if (!profile) {
    return absl::InvalidArgumentError(
        "--profile: expected open-badges-jwt or vc-jose-cose, got \"" + std::string(text) + "\"");
  }
  return *profile;
}

absl::StatusOr<IssueCredentialRequest> SharedIssueRequest(const host::Config& flags) {
  IssueCredentialRequest request;
  auto algorithm = ParseAlgorithm(*flags.GetString("algorithm", ""));
  if (!algorithm.ok()) return algorithm.status();
  request.set_signature_algorithm(*algorithm);
  auto profile = ParseSecuringProfile(*flags.GetString("profile", ""));
  if (!profile.ok()) return profile.status();
  request.set_securing_profile(*profile);
  if (auto s = SetSpecification(flags, request); !s.ok()) return s;
  if (auto s = SetDates(flags, request); !s.ok()) return s;
  auto place = RequiredFlag(flags, "place");
  if (!place.ok()) return place.status();
  request.set_place_of_issuing(*place);
  if (auto s = SetHowAcquired(flags, request); !s.ok()) return s;
  return request;
}

absl::StatusOr<issuance::v1::LearnerIdentity> LearnerFromFlags(const host::Config& flags) {
  issuance::v1::LearnerIdentity learner;
  auto id = RequiredFlag(flags, "learner-id");
  auto given = RequiredFlag(flags, "given-name");
  auto family = RequiredFlag(flags, "family-name");
  auto email = flags.GetString("email", "");
  auto birth = flags.GetString("date-of-birth", "");
  for (const auto* value : {&id, &given, &family, &email, &birth}) {
    if (!value->ok()) return value->status();
  }
  learner.set_learner_id(*id);
  learner.set_given_name(*given);
  learner.set_family_name(*family);
  learner.set_email(*email);
  if (!birth->empty()) {
    auto date = ParseDate(*birth, "--date-of-birth");
    if (!date.ok()) return date.status();
    *learner.mutable_date_of_birth() = *date;
  }
  return learner;
}

void SetGrade(const std::string& value, const std::string& scheme,
              IssueCredentialRequest& request) {
  if (value.empty() && scheme.empty()) return;
  request.mutable_grade()->set_value(value);
  request.mutable_grade()->set_grading_scheme(scheme);
}

absl::Status RejectFlags(const host::Config& flags, const std::vector<std::string>& names,
                         std::string_view why) {
  for (const std::string& name : names) {
    if (flags.IsSet(name)) {
      return absl::InvalidArgumentError("--" + name + " " + std::string(why));
    }
  }
  return absl::OkStatus();
}

bool IssuedEarlier(const issuance::v1::IssuedCredential& credential, int64_t run_started_ms) {
  return credential.issued_at_ms() > 0 && credential.issued_at_ms() < run_started_ms;
}

}  // namespace microcred::mcctl
