// The parts of RecognitionService's implementation (recognition_service.h) and what they share.
// Not an API: only the service's own files include it.
//
//   RecognitionCore     what every part reads: the node's context, the options, the read model,
//                       the verifier, this node's requests, the command path, the vault of
//                       personal parts and the policy index (recognition_core.cc: the clock,
//                       pseudonyms and who may act)
//   RequestVault        the personal parts of requests, sealed under learner keys; the one
//                       writer of learner keys (personal_parts.cc)
//   PolicyIndexCache    the institution's policies compiled for matching (policy_commands.cc)
//   request_contents.cc what a command puts into a request: verified credentials, the
//                       submission, an automatic decision, the defaults of a person's decision
//   RequestCommands     submit, VAE, information, review, decide, appeal, withdraw
//                       (request_commands.cc)
//   PolicyCommands      publishing a policy (policy_commands.cc)
//   RequestQueries      get, list, VAE eligibility (request_queries.cc)
//
// Locks: the command path claims the client request id and locks the request (or policy) for
// the whole of a command; within it, RequestVault::writer_mu_ serialises the commits that may
// create a learner key, and PolicyIndexCache::mu_ guards the cached index. Neither of those two
// is taken while the other is held.
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_INTERNAL_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "libs/auth/caller.h"
#include "libs/command/command_path.h"
#include "libs/command/service_context.h"
#include "libs/privacy/learner_vault.h"
#include "libs/verification/presented_credential.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "microcred/recognition/v1/recognition_records.pb.h"
#include "services/recognition/policy_matching.h"
#include "services/recognition/recognition_read_model.h"
#include "services/recognition/recognition_service.h"
#include "services/recognition/recognition_state.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition::internal {

// What a command is doing to one request; nothing is written until it is committed.
struct Working {
  v1::RequestRecord record;    // as stored: the personal parts sealed
  v1::PersonalParts personal;  // opened when the command needs them
  bool personal_changed = false;
  std::optional<v1::RecognitionDecided> event;
  v1::RecognitionRequest& request() { return *record.mutable_request(); }
};

// The personal parts of this node's requests (the learner's id, the JWS presented, the VAE
// file), sealed under the learner's key (libs/privacy/learner_vault.h). Thread-safe.
class RequestVault {
 public:
  RequestVault(StateStore& store, privacy::VaultMasterKey master_key);

  // The request with its personal parts opened (left out once the learner is erased).
  absl::StatusOr<v1::RecognitionRequest> Answer(const v1::RequestRecord& record) const;
  // Opens the stored personal parts of `w.record` into `w.personal`.
  absl::Status Open(Working& w) const;
  // Commits `outcome` through `path` with the request of `w` (its personal parts sealed again
  // when they changed) in one store write. One such commit at a time: a new learner's key is
  // created in the batch that first seals for them (LearnerVault has one writer per learner).
  absl::Status CommitRequest(Working& w, command::CommandOutcome& outcome,
                             command::CommandPath& path) ABSL_LOCKS_EXCLUDED(writer_mu_);

 private:
  absl::Status SealInto(Working& w, WriteBatch& writes) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  const privacy::VaultMasterKey master_key_;
  const privacy::LearnerVault vault_;  // over master_key_
  absl::Mutex writer_mu_;
};

// The institution's policies compiled for matching (PolicyIndex), rebuilt when a policy or the
// registry (the alliances' members) changed since the last build. Thread-safe.
class PolicyIndexCache {
 public:
  // `read_model` must outlive the cache; `local_groups` add to the registry's alliances.
  PolicyIndexCache(RecognitionReadModel& read_model, std::string institution,
                   IssuerGroups local_groups);

  absl::StatusOr<std::shared_ptr<const PolicyIndex>> Get() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // {policy generation, registry changes}: what the index was built from.
  using Generation = std::pair<uint64_t, uint64_t>;

  RecognitionReadModel& read_model_;
  const std::string institution_;
  const IssuerGroups local_groups_;
  absl::Mutex mu_;
  std::shared_ptr<const PolicyIndex> index_ ABSL_GUARDED_BY(mu_);
  Generation generation_ ABSL_GUARDED_BY(mu_) = {0, 0};
};

// What every part of the service shares. The members are thread-safe; the core is built once by
// RecognitionService::Start and outlives the parts.
struct RecognitionCore {
  RecognitionCore(ServiceContext context, RecognitionOptions options,
                  std::unique_ptr<RecognitionReadModel> read_model,
                  const verification::PresentedCredentialVerifier& verifier);

  const std::string& institution() const { return context.institution_id(); }

  // The node's clock, in the institution's time zone for days.
  absl::Time Now() const { return context.clock.Now(); }
  absl::CivilDay Today() const { return context.clock.Today(options.zone); }
  absl::CivilMonth CurrentMonth() const { return absl::CivilMonth(Today()); }
  // The lifecycle's context for an action by `actor` now.
  ActionContext Acting(std::string actor) const {
    return {.actor = std::move(actor), .now = Now(), .zone = options.zone};
  }

  // The institution's pseudonym of a learner (libs/privacy/pseudonym.h).
  absl::StatusOr<std::string> Pseudonym(const std::string& learner_id) const;
  // The request's credentials as this institution's tags, in order (the read model's
  // CredentialTag); "" for a credential whose id could not be read.
  absl::StatusOr<std::vector<std::string>> CredentialTags(
      const v1::RecognitionRequest& request) const;

  // Who may act: PERMISSION_DENIED naming "caller" otherwise.
  absl::Status CheckInstitution(const auth::Caller& caller) const;
  // A learner acting on their own request.
  absl::Status CheckOwnRequest(const auth::Caller& caller,
                               const v1::RecognitionRequest& request) const;
  // Staff see every request; a learner their own.
  absl::Status CheckMaySee(const auth::Caller& caller, const v1::RecognitionRequest& request) const;

  const ServiceContext context;
  const RecognitionOptions options;  // the appeal route filled in when none was given
  const std::unique_ptr<RecognitionReadModel> read_model;
  const verification::PresentedCredentialVerifier& verifier;
  const RecognitionState requests;  // this node's requests (the store is thread-safe)
  command::CommandPath path;        // over `context` and the read model's projector
  RequestVault vault;
  PolicyIndexCache policies;
};

// ---- who (recognition_core.cc) ----

bool HasAny(const auth::Caller& caller, std::initializer_list<std::string_view> any_of);
// A recognition officer, an appeal officer or a jury member.
bool IsStaff(const auth::Caller& caller);
// "a or b or c".
std::string RoleList(std::initializer_list<std::string_view> roles);
// NOT_FOUND naming request_id.
absl::Status NotReceivedHere(const std::string& request_id);
// The learner as the history names them: by pseudonym, never by their id.
std::string LearnerActor(const v1::RecognitionRequest& request);

// ---- what a command puts into a request (request_contents.cc) ----

// INVALID_ARGUMENT naming `field` when a required text is blank or a text is too long.
absl::Status CheckText(const std::string& text, const std::string& field, bool required);
absl::Status CheckPurposeAndTarget(v1::RecognitionPurpose purpose,
                                   const v1::RecognitionTarget& target);

// Who submits a new request, and the request id its client request id gives.
struct NewRequestStart {
  std::string learner_id;
  std::string request_id;  // the same on a retry
  std::string actor;       // the officer submitting; empty: the learner
};

// Fills in a new request and records its submission.
absl::Status NewRequest(const RecognitionCore& core, const NewRequestStart& start,
                        v1::RecognitionPurpose purpose, const v1::RecognitionTarget& target,
                        Working& w);
// INVALID_ARGUMENT naming the field when the holder's further identifiers or proofs are
// malformed, too many, or (identifiers) sent by anyone but a recognition officer.
absl::Status CheckHolderInputs(const auth::Caller& caller,
                               const google::protobuf::RepeatedPtrField<std::string>& identifiers,
                               const google::protobuf::RepeatedPtrField<std::string>& proofs);
// Verifies each presented credential, binds it to its holder (libs/verification/
// holder_binding.h) and adds it to the request (the text to the personal parts).
// FAILED_PRECONDITION "<field>[i]: holder: <why>" when a credential whose document could be
// read is not the learner's: nothing of the command is then stored.
absl::Status AddCredentials(const RecognitionCore& core,
                            const google::protobuf::RepeatedPtrField<std::string>& jws_list,
                            const std::string& field, const verification::HolderContext& holder,
                            Working& w);
// A CREDENTIALS request is decided at once when the institution's policies cover it; otherwise
// the record says why a person must look at it.
void DecideIfAPolicyMatches(RecognitionCore& core, Working& w);
// What the service fills in when the person deciding leaves it out: the day, the reference
// ("<local id>-<kind>"), the ECTS presented, the appeal route and last day (first decisions).
void FillDecisionDefaults(const RecognitionCore& core, const v1::RecognitionRequest& request,
                          const std::string& kind, bool first, v1::RecognitionDecision& d);

// ---- the parts ----

class RequestCommands {
 public:
  explicit RequestCommands(RecognitionCore& core) : core_(core) {}

  absl::StatusOr<v1::RecognitionRequest> Submit(const auth::Caller& caller,
                                                const v1::SubmitRequestRequest& r);
  absl::StatusOr<v1::RecognitionRequest> SubmitVae(const auth::Caller& caller,
                                                   const v1::SubmitVaeRequestRequest& r);
  absl::StatusOr<v1::RecognitionRequest> RequestInformation(const auth::Caller& caller,
                                                            const v1::RequestInformationRequest& r);
  absl::StatusOr<v1::RecognitionRequest> ProvideInformation(const auth::Caller& caller,
                                                            const v1::ProvideInformationRequest& r);
  absl::StatusOr<v1::RecognitionRequest> StartReview(const auth::Caller& caller,
                                                     const v1::StartReviewRequest& r);
  absl::StatusOr<v1::RecognitionRequest> Decide(const auth::Caller& caller,
                                                const v1::DecideRequest& r);
  absl::StatusOr<v1::RecognitionRequest> Appeal(const auth::Caller& caller,
                                                const v1::AppealRequest& r);
  absl::StatusOr<v1::RecognitionRequest> DecideAppeal(const auth::Caller& caller,
                                                      const v1::DecideAppealRequest& r);
  absl::StatusOr<v1::RecognitionRequest> Withdraw(const auth::Caller& caller,
                                                  const v1::WithdrawRequest& r);

 private:
  using Build = std::function<absl::Status(const NewRequestStart&, Working&)>;
  using Mutation = std::function<absl::Status(Working&, const ActionContext&)>;

  // The frame of the commands that create a request: caller and client id checked, the new
  // request locked, a retry answered with its first result, the request built and committed.
  absl::StatusOr<v1::RecognitionRequest> RunNewRequest(const auth::Caller& caller,
                                                       const std::string& client_id,
                                                       const std::string& learner_id,
                                                       const std::string& kind, const Build& build);
  // The frame of every command on an existing request: caller, client id and request checked,
  // the request locked, a retry answered with its first result, the change decided on a copy
  // and committed in one write.
  absl::StatusOr<v1::RecognitionRequest> RunCommand(
      const auth::Caller& caller, const std::string& client_id, const std::string& kind,
      const std::string& request_id, std::initializer_list<std::string_view> staff_roles,
      bool learner_may, const Mutation& mutate);
  absl::StatusOr<NewRequestStart> StartNewRequest(const auth::Caller& caller,
                                                  const std::string& client_id,
                                                  const std::string& learner_id) const;
  // The first answer to a retried client request id (its event appended first if a crash kept
  // it in the outbox), if the caller may see the request; std::nullopt for a new command.
  absl::StatusOr<std::optional<v1::RecognitionRequest>> Replay(const auth::Caller& caller,
                                                               const std::string& client_id,
                                                               const std::string& kind);
  // Writes the request, the command's record and its event (if any) in one commit, then
  // appends the event and answers once this node has applied it.
  absl::StatusOr<v1::RecognitionRequest> Commit(const std::string& client_id,
                                                const std::string& kind, Working& w);

  RecognitionCore& core_;
};

class PolicyCommands {
 public:
  explicit PolicyCommands(RecognitionCore& core) : core_(core) {}

  absl::StatusOr<v1::RecognitionPolicy> PublishPolicy(const auth::Caller& caller,
                                                      const v1::PublishPolicyRequest& r);

 private:
  RecognitionCore& core_;
};

class RequestQueries {
 public:
  explicit RequestQueries(const RecognitionCore& core) : core_(core) {}

  absl::StatusOr<v1::RecognitionRequest> Get(const auth::Caller& caller,
                                             const v1::GetRequestRequest& r) const;
  absl::StatusOr<v1::ListRequestsResponse> List(const auth::Caller& caller,
                                                const v1::ListRequestsRequest& r) const;
  absl::StatusOr<v1::VaeEligibility> CheckVae(const v1::CheckVaeEligibilityRequest& r) const;

 private:
  const RecognitionCore& core_;
};

}  // namespace microcred::recognition::internal

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_INTERNAL_H_
