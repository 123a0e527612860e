// LearnerRecords: what this node keeps for its learners, read and erased (internal to
// IssuanceService): a learner's credentials, one credential exported in each format, and the
// erasure of a learner (GDPR art. 17).
//
// A registrar of the node's institution, or the learner themself (the token's subject is the
// learner id), may read a learner's records; only a registrar erases.
#ifndef MICROCRED_SERVICES_ISSUANCE_LEARNER_RECORDS_H_
#define MICROCRED_SERVICES_ISSUANCE_LEARNER_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/issuance/issuance_core.h"

namespace microcred::issuance {

class LearnerRecords {
 public:
  explicit LearnerRecords(IssuanceCore& core) : core_(core) {}

  absl::StatusOr<v1::ListLearnerCredentialsResponse> List(
      const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const;
  absl::StatusOr<v1::ExportedCredential> Export(const auth::Caller& caller,
                                                const v1::ExportCredentialRequest& request) const;
  // Through the log, so that every process of the node erases what it holds (the issuance
  // read model's projection deletes the keys); this one has when it returns. Erasing twice
  // erases nothing more, and each call must act (a learner may be erased again after new
  // credentials): the event has a fresh id and no record answers a retry. The event goes to
  // the home ecosystem (the learner may have no credential) and to every other ecosystem the
  // learner holds a credential of, beside that credential's CredentialIssued, and nowhere else
  // (an ecosystem that never saw the pseudonym is not told it).
  absl::StatusOr<v1::EraseLearnerResponse> Erase(const auth::Caller& caller,
                                                 const v1::EraseLearnerRequest& request);

 private:
  absl::Status CheckLearnerAccess(const auth::Caller& caller, const std::string& learner_id) const;
  // Where a learner's erasure goes: the home first, then the ecosystems of `credential_ids`.
  absl::StatusOr<std::vector<std::string>> ErasureEcosystems(
      const std::vector<std::string>& credential_ids) const;
  // The credential as an ELM v3 (EDC) JSON-LD document, from the issuer's record and request,
  // sealed with the institution's e-seal (JAdES, JWS JSON serialisation).
  absl::StatusOr<std::string> ElmOf(const v1::IssuedRecord& record,
                                    const v1::IssueCredentialRequest& issuance) const;

  IssuanceCore& core_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_LEARNER_RECORDS_H_
