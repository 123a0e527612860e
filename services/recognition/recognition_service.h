// RecognitionService: one receiving institution's node handles the recognition requests it
// receives, publishes its policies for automatic recognition, and knows every institution's
// decisions.
//
// A request lives at the receiving node only: the presented JWS, the VAE file and the learner's
// id are sealed under the learner's key (libs/privacy), and the learner is a pseudonym
// everywhere else. Submitting verifies each credential (verification::PresentedCredentialVerifier)
// and reads its facts; when every credential is authentic and matched by one of the
// institution's policies, the request is decided at once (FULL), otherwise it waits for a
// person. Every command checks the lifecycle (request_lifecycle.h) and the decision rules
// (decision_rules.h) before anything is written; a refused command writes nothing and appends
// nothing.
//
// Every command runs the node's one command path (libs/command/command_path.h), which names the
// client request id "client_request_id": the id is claimed and the request (or policy) locked, a
// retry is answered with the first answer (also after a restart), and a request command commits
// the request, its CommandRecord and, for a decision, its sealed RecognitionDecided event in one
// store write, then appends the event and answers once this node has applied it (the event is
// appended again at start if a crash came in between; its id is derived from the client request
// id, so it is applied once). Policies are events (RecognitionPolicyPublished) every node
// applies; the projection keeps the publishing command's record.
//
// Queries on policies and decisions answer from the RecognitionReadModel the service starts
// (recognition_read_model.h), which is what a process that only reads decisions runs.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_SERVICE_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/caller.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "libs/verification/presented_credential.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "services/recognition/policy_matching.h"
#include "services/recognition/recognition_read_model.h"

namespace microcred::recognition {

// What is recognition's own; what every service of the node shares is in ServiceContext.
struct RecognitionOptions {
  std::string pseudonym_secret;    // 32 bytes: the institution's learner pseudonyms (as issuance)
  std::string vault_master_key;    // 32 bytes: wraps the per-learner keys
  v1::DeadlineSettings deadlines;  // the periods fixed in advance; zero fields: the defaults
  absl::TimeZone zone = absl::UTCTimeZone();  // the institution's days and deadlines
  // The published appeal route a decision names when the officer gives none.
  std::string appeal_route;
  // Alliances its policies may name, besides the registry's groups (MemberAdmitted.groups),
  // which are always used.
  IssuerGroups issuer_groups;
};

class RecognitionService {
 public:
  // Starts the recognition read model (it has caught up with the log when this returns), then
  // appends the events a crash left in the outbox. `verifier` must outlive the service.
  static absl::StatusOr<std::unique_ptr<RecognitionService>> Start(
      ServiceContext context, RecognitionOptions options,
      const verification::PresentedCredentialVerifier& verifier);
  ~RecognitionService();

  // Learners submit for themselves (learner role, subject = learner id); a recognition officer
  // may submit on a learner's behalf.
  absl::StatusOr<v1::RecognitionRequest> Submit(const auth::Caller& caller,
                                                const v1::SubmitRequestRequest& request);
  absl::StatusOr<v1::RecognitionRequest> SubmitVae(const auth::Caller& caller,
                                                   const v1::SubmitVaeRequestRequest& request);
  absl::StatusOr<v1::RecognitionRequest> RequestInformation(
      const auth::Caller& caller, const v1::RequestInformationRequest& request);
  absl::StatusOr<v1::RecognitionRequest> ProvideInformation(
      const auth::Caller& caller, const v1::ProvideInformationRequest& request);
  absl::StatusOr<v1::RecognitionRequest> StartReview(const auth::Caller& caller,
                                                     const v1::StartReviewRequest& request);
  absl::StatusOr<v1::RecognitionRequest> Decide(const auth::Caller& caller,
                                                const v1::DecideRequest& request);
  absl::StatusOr<v1::RecognitionRequest> Appeal(const auth::Caller& caller,
                                                const v1::AppealRequest& request);
  absl::StatusOr<v1::RecognitionRequest> DecideAppeal(const auth::Caller& caller,
                                                      const v1::DecideAppealRequest& request);
  absl::StatusOr<v1::RecognitionRequest> Withdraw(const auth::Caller& caller,
                                                  const v1::WithdrawRequest& request);
  absl::StatusOr<v1::RecognitionRequest> Get(const auth::Caller& caller,
                                             const v1::GetRequestRequest& request) const;
  // Officers see every request; a learner sees their own.
  absl::StatusOr<v1::ListRequestsResponse> List(const auth::Caller& caller,
                                                const v1::ListRequestsRequest& request) const;

  absl::StatusOr<v1::RecognitionPolicy> PublishPolicy(const auth::Caller& caller,
                                                      const v1::PublishPolicyRequest& request);
  // Public: any institution's published policies, in rank order.
  absl::StatusOr<v1::ListPoliciesResponse> ListPolicies(
      const v1::ListPoliciesRequest& request) const;
  // Public: the art. 119 computation for a file.
  absl::StatusOr<v1::VaeEligibility> CheckVaeEligibility(
      const v1::CheckVaeEligibilityRequest& request) const;

  // This institution's decisions (the latest per request: an appeal's replaces the first) on
  // requests that presented `credential_id`, and every institution's decisions on the learner
  // `learner_pseudonym`, as this node has applied them (the read model's).
  absl::StatusOr<std::vector<v1::RecognitionDecided>> FindDecisionsForCredential(
      const std::string& credential_id) const;
  absl::StatusOr<std::vector<v1::RecognitionDecided>> FindDecisionsForLearner(
      const std::string& learner_pseudonym) const;

  // The vault reference under which a learner's personal parts (their id, the JWS presented,
  // the VAE file) are sealed: "recognition:<pseudonym>". Deleting its key (LearnerVault::Erase)
  // erases them; the node's EraseLearner does (IssuanceOptions::further_erasure). The request
  // and its decisions, which name the learner by pseudonym only, remain.
  static std::string VaultReference(const std::string& learner_pseudonym);

  const std::string& institution_id() const;
  RecognitionReadModel& read_model();
  Projector& projector();

 private:
  class Impl;
  explicit RecognitionService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_SERVICE_H_
