// The flags of `mcctl issue`, turned into an IssueCredentialRequest. The same for one learner
// and for a cohort: the specification, the date and place of issuing, the mode of acquisition,
// the supervision applied and the validity; one learner's identity and grade come from flags,
// a cohort's from its CSV file.
#ifndef MICROCRED_TOOLS_MCCTL_ISSUE_FLAGS_H_
#define MICROCRED_TOOLS_MCCTL_ISSUE_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/host/config.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::mcctl {

std::vector<host::ConfigOption> IssueOptions();

// course | prior-learning.
absl::StatusOr<issuance::v1::ModeOfAcquisition> ParseMode(std::string_view text);
// unsupervised | supervised | supervised-online | onsite-id-check.
absl::StatusOr<common::v1::Supervision> ParseSupervision(std::string_view text);

// es256 | eddsa | rs256; empty: UNSPECIFIED (the node's default).
absl::StatusOr<issuance::v1::SignatureAlgorithm> ParseAlgorithm(std::string_view text);

// open-badges-jwt | vc-jose-cose; empty: UNSPECIFIED (the node's default).
absl::StatusOr<issuance::v1::SecuringProfile> ParseSecuringProfile(std::string_view text);

// What every learner of the run shares (no learner, no grade, no request id).
absl::StatusOr<issuance::v1::IssueCredentialRequest> SharedIssueRequest(const host::Config& flags);

// One learner from --learner-id, --given-name, --family-name, --email, --date-of-birth.
absl::StatusOr<issuance::v1::LearnerIdentity> LearnerFromFlags(const host::Config& flags);

// Sets the grade when `value` or `scheme` is given (the node requires both together).
void SetGrade(const std::string& value, const std::string& scheme,
              issuance::v1::IssueCredentialRequest& request);

// Flags that only make sense in the other mode: "--learner-id" for a cohort, "--out-dir" for
// one learner. InvalidArgument naming the first one given.
absl::Status RejectFlags(const host::Config& flags, const std::vector<std::string>& names,
                         std::string_view why);

// True when the node answered with a credential issued before `run_started_ms` (this client's
// clock): the request id had been used, by an earlier run, and nothing new was issued. The node's
// answer does not say so itself; a clock skew between client and node larger than the time
// between two runs would blur it.
bool IssuedEarlier(const issuance::v1::IssuedCredential& credential, int64_t run_started_ms);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_ISSUE_FLAGS_H_
