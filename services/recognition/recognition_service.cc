#include "services/recognition/recognition_service.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <mutex>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/domain/versioning.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "libs/privacy/learner_vault.h"
#include "libs/privacy/pseudonym.h"
#include "libs/verification/credential_verifier.h"
#include "libs/verification/presented_credential.h"
#include "microcred/recognition/v1/recognition_records.pb.h"
#include "services/recognition/automatic_decision.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/recognition_projection.h"
#include "services/recognition/recognition_state.h"
#include "services/recognition/request_lifecycle.h"
#include "services/recognition/vae_rules.h"

namespace microcred::recognition {
namespace {

using strings::Cat;
namespace roles = auth::roles;

constexpr int kMaxCredentials = 20;
constexpr size_t kMaxJwsBytes = 256 * 1024;
constexpr size_t kMaxTextChars = 5000;
constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;

bool HasAny(const auth::Caller& caller, std::initializer_list<std::string_view> any_of) {
  return std::any_of(any_of.begin(), any_of.end(),
                     [&](std::string_view role) { return caller.HasRole(role); });
}

// The proto names the field client_request_id; events::ValidateRequestId says "request_id".
absl::Status ValidateClientId(const std::string& id) {
  if (events::ValidateRequestId(id).ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "client_request_id: required, 1 to 128 characters from [A-Za-z0-9._:-]");
}

absl::Status CheckText(const std::string& text, const std::string& field, bool required) {
  if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError(field + ": is required");
  }
  if (text.size() > kMaxTextChars) {
    return absl::InvalidArgumentError(Cat(field, ": at most ", kMaxTextChars, " characters"));
  }
  return absl::OkStatus();
}

absl::Status CheckPurposeAndTarget(v1::RecognitionPurpose purpose,
                                   const v1::RecognitionTarget& target) {
  if (purpose == v1::RECOGNITION_PURPOSE_UNSPECIFIED || !v1::RecognitionPurpose_IsValid(purpose)) {
    return absl::InvalidArgumentError(
        "purpose: required: ADMISSION, CREDIT_TRANSFER, EXEMPTION, PATHWAY or EMPLOYMENT");
  }
  switch (target.target_case()) {
    case v1::RecognitionTarget::kProgrammeId:
      if (target.programme_id().empty()) {
        return absl::InvalidArgumentError("target.programme_id: is required");
      }
      break;
    case v1::RecognitionTarget::kComponent:
      if (target.component().programme_id().empty() || target.component().component_id().empty()) {
        return absl::InvalidArgumentError(
            "target.component: programme_id and component_id are required");
      }
      break;
    case v1::RecognitionTarget::kPathwayId:
      if (target.pathway_id().empty()) {
        return absl::InvalidArgumentError("target.pathway_id: is required");
      }
      break;
    case v1::RecognitionTarget::kPosition:
      if (target.position().empty()) {
        return absl::InvalidArgumentError("target.position: is required");
      }
      break;
    default:
      return absl::InvalidArgumentError(
          "target: a programme, a component, a pathway or a position is required");
  }
  return absl::OkStatus();
}

std::string RoleList(std::initializer_list<std::string_view> roles) {
  std::string text;
  for (std::string_view role : roles) {
    if (!text.empty()) text += " or ";
    text += role;
  }
  return text;
}

bool IsDateSet(const common::v1::Date& date) { return date.year() != 0; }

std::string LocalPart(const std::string& request_id) {
  return request_id.substr(request_id.find('/') + 1);
}

// What a command is doing to one request; nothing is written until it is committed.
struct Working {
  v1::RequestRecord record;    // as stored: the personal parts sealed
  v1::PersonalParts personal;  // opened when the command needs them
  bool personal_changed = false;
  std::optional<v1::RecognitionDecided> event;
  v1::RecognitionRequest& request() { return *record.mutable_request(); }
};

}  // namespace

class RecognitionService::Impl {
 public:
  Impl(EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
       const domain::PolicyProfile& profile, const CredentialLookup& lookup,
       RecognitionOptions options)
      : log_(log),
        store_(store),
        signer_(signer),
        profile_(profile),
        lookup_(lookup),
        options_(std::move(options)),
        state_(store),
        master_key_(*privacy::VaultMasterKey::FromBytes(options_.vault_master_key)),
        vault_(store, master_key_) {
    if (options_.appeal_route.empty()) {
      options_.appeal_route = "An appeal is lodged with the recognition appeal board of " +
                              signer.institution_id() + ", in writing, within the period stated.";
    }
  }

  absl::Status Start() {
    projector_ = std::make_unique<Projector>(log_, store_, projection_,
                                             ProjectorOptionsOf(options_, signer_.sealed()));
    if (auto s = projector_->Start(); !s.ok()) return s;
    // Events a crash left between their commit and their append.
    auto pending = state_.Outbox();
    if (!pending.ok()) return pending.status();
    for (const auto& [event_id, entry] : *pending) {
      if (auto s = Publish(event_id, entry); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  const std::string& institution() const { return signer_.institution_id(); }
  Projector& projector() { return *projector_; }

  // ---- commands on requests ----

  absl::StatusOr<v1::RecognitionRequest> Submit(const auth::Caller& caller,
                                                const v1::SubmitRequestRequest& r) {
    auto start = StartNewRequest(caller, r.client_request_id(), r.learner_id());
    if (!start.ok()) return start.status();
    auto [learner_id, request_id, actor] = *std::move(start);
    CommandScope scope(*this, r.client_request_id(), request_id);
    if (!scope.status().ok()) return scope.status();
    if (auto prior = Replay(caller, r.client_request_id(), "submit"); !prior.ok() || *prior) {
      if (!prior.ok()) return prior.status();
      return **prior;
    }
    if (auto s = CheckPurposeAndTarget(r.purpose(), r.target()); !s.ok()) return s;
    if (r.credential_jws().empty()) {
      return absl::InvalidArgumentError("credential_jws: at least one credential is required");
    }
    Working w;
    if (auto s = AddCredentials(r.credential_jws(), "credential_jws", w); !s.ok()) return s;
    v1::RecognitionRequest& request = w.request();
    request.set_type(v1::REQUEST_TYPE_CREDENTIALS);
    if (auto s = NewRequest(request_id, learner_id, actor, r.purpose(), r.target(), w); !s.ok()) {
      return s;
    }
    DecideIfAPolicyMatches(w);
    return Commit(r.client_request_id(), "submit", w);
  }

  absl::StatusOr<v1::RecognitionRequest> SubmitVae(const auth::Caller& caller,
                                                   const v1::SubmitVaeRequestRequest& r) {
    auto start = StartNewRequest(caller, r.client_request_id(), r.learner_id());
    if (!start.ok()) return start.status();
    auto [learner_id, request_id, actor] = *std::move(start);
    CommandScope scope(*this, r.client_request_id(), request_id);
    if (!scope.status().ok()) return scope.status();
    if (auto prior = Replay(caller, r.client_request_id(), "submit-vae"); !prior.ok() || *prior) {
      if (!prior.ok()) return prior.status();
      return **prior;
    }
    if (r.purpose() != v1::RECOGNITION_PURPOSE_ADMISSION &&
        r.purpose() != v1::RECOGNITION_PURPOSE_EXEMPTION) {
      return absl::InvalidArgumentError("purpose: a VAE request asks for ADMISSION or EXEMPTION");
    }
    if (auto s = CheckPurposeAndTarget(r.purpose(), r.target()); !s.ok()) return s;
    if (auto s = ValidateVaeFile(r.file(), CurrentMonth()); !s.ok()) return s;
    Working w;
    v1::RecognitionRequest& request = w.request();
    request.set_type(v1::REQUEST_TYPE_VAE);
    *request.mutable_vae_eligibility() = ComputeVaeEligibility(r.file());
    *w.personal.mutable_vae_file() = r.file();
    if (auto s = NewRequest(request_id, learner_id, actor, r.purpose(), r.target(), w); !s.ok()) {
      return s;
    }
    w.record.set_manual_review_reason("a VAE request is examined by a jury");
    return Commit(r.client_request_id(), "submit-vae", w);
  }

  absl::StatusOr<v1::RecognitionRequest> RequestInformation(
      const auth::Caller& caller, const v1::RequestInformationRequest& r) {
    return RunCommand(caller, r.client_request_id(), "request-information", r.request_id(),
                      {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
                      [&](Working& w, const ActionContext& ctx) -> absl::Status {
                        if (auto s = CheckText(r.what(), "what", /*required=*/true); !s.ok())
                          return s;
                        return RecordInformationRequest(w.request(), r.what(), ctx);
                      });
  }

  absl::StatusOr<v1::RecognitionRequest> ProvideInformation(
      const auth::Caller& caller, const v1::ProvideInformationRequest& r) {
    return RunCommand(
        caller, r.client_request_id(), "provide-information", r.request_id(),
        {roles::kRecognitionOfficer}, /*learner_may=*/true,
        [&](Working& w, const ActionContext& ctx) -> absl::Status {
          if (auto s = CheckText(r.note(), "note", /*required=*/false); !s.ok()) return s;
          if (auto s = NextState(w.request().state(), Action::kProvideInformation); !s.ok()) {
            return s.status();
          }
          const bool vae = w.request().type() == v1::REQUEST_TYPE_VAE;
          if (vae && !r.additional_credential_jws().empty()) {
            return absl::InvalidArgumentError(
                "additional_credential_jws: a VAE request presents a file, not credentials");
          }
          if (!vae && r.has_updated_vae_file()) {
            return absl::InvalidArgumentError("updated_vae_file: only a VAE request has a file");
          }
          if (!r.additional_credential_jws().empty() || r.has_updated_vae_file()) {
            if (auto s = OpenPersonal(w); !s.ok()) return s;
          }
          if (!r.additional_credential_jws().empty()) {
            if (auto s =
                    AddCredentials(r.additional_credential_jws(), "additional_credential_jws", w);
                !s.ok()) {
              return s;
            }
          }
          if (r.has_updated_vae_file()) {
            if (auto s = ValidateVaeFile(r.updated_vae_file(), CurrentMonth()); !s.ok()) {
              return absl::InvalidArgumentError(Cat("updated_vae_", s.message()));
            }
            *w.personal.mutable_vae_file() = r.updated_vae_file();
            *w.request().mutable_vae_eligibility() = ComputeVaeEligibility(r.updated_vae_file());
            w.personal_changed = true;
          }
          return RecordInformationProvided(w.request(), r.note(), ctx);
        });
  }

  absl::StatusOr<v1::RecognitionRequest> StartReview(const auth::Caller& caller,
                                                     const v1::StartReviewRequest& r) {
    return RunCommand(caller, r.client_request_id(), "start-review", r.request_id(),
                      {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
                      [&](Working& w, const ActionContext& ctx) {
                        return RecordReviewStarted(w.request(), ctx);
                      });
  }

  absl::StatusOr<v1::RecognitionRequest> Decide(const auth::Caller& caller,
                                                const v1::DecideRequest& r) {
    return RunCommand(
        caller, r.client_request_id(), "decide", r.request_id(),
        {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
        [&](Working& w, const ActionContext& ctx) -> absl::Status {
          v1::RecognitionRequest& request = w.request();
          if (auto s = NextState(request.state(), Action::kDecide); !s.ok()) return s.status();
          v1::RecognitionDecision d = r.decision();
          const bool vae = request.type() == v1::REQUEST_TYPE_VAE;
          d.set_decided_by(caller.subject);
          d.set_decided_by_role(vae && caller.HasRole(roles::kJuryMember)
                                    ? roles::kJuryMember
                                    : (caller.HasRole(roles::kRecognitionOfficer)
                                           ? roles::kRecognitionOfficer
                                           : roles::kJuryMember));
          // A person decides: nothing of a policy's decision can be claimed.
          d.clear_decided_by_policy();
          d.clear_policy_version();
          d.clear_policy_matches();
          FillDecisionDefaults(request, "D", /*first=*/true, d);
          if (auto s = ValidateDecision(d, request); !s.ok()) return s;
          if (auto s = RecordDecision(request, std::move(d), /*automatic=*/false, ctx); !s.ok()) {
            return s;
          }
          w.event = MakeRecognitionDecided(request, /*on_appeal=*/false);
          return absl::OkStatus();
        });
  }

  absl::StatusOr<v1::RecognitionRequest> Appeal(const auth::Caller& caller,
                                                const v1::AppealRequest& r) {
    return RunCommand(caller, r.client_request_id(), "appeal", r.request_id(),
                      {roles::kRecognitionOfficer}, /*learner_may=*/true,
                      [&](Working& w, const ActionContext& ctx) -> absl::Status {
                        v1::RecognitionRequest& request = w.request();
                        if (auto s = NextState(request.state(), Action::kAppeal); !s.ok()) {
                          return s.status();
                        }
                        v1::Appeal appeal;
                        appeal.set_grounds(r.grounds());
                        *appeal.mutable_lodged_on() = domain::ToDate(Today());
                        if (auto s = ValidateAppeal(appeal, request); !s.ok()) return s;
                        return RecordAppeal(request, std::move(appeal), ctx);
                      });
  }

  absl::StatusOr<v1::RecognitionRequest> DecideAppeal(const auth::Caller& caller,
                                                      const v1::DecideAppealRequest& r) {
    return RunCommand(
        caller, r.client_request_id(), "decide-appeal", r.request_id(), {roles::kAppealOfficer},
        /*learner_may=*/false, [&](Working& w, const ActionContext& ctx) -> absl::Status {
          v1::RecognitionRequest& request = w.request();
          if (auto s = NextState(request.state(), Action::kDecideAppeal); !s.ok()) {
            return s.status();
          }
          v1::RecognitionDecision d = r.decision();
          d.set_decided_by(caller.subject);
          d.set_decided_by_role(roles::kAppealOfficer);
          d.clear_decided_by_policy();
          d.clear_policy_version();
          d.clear_policy_matches();
          FillDecisionDefaults(request, "A", /*first=*/false, d);
          if (auto s = ValidateAppealDecision(d, request); !s.ok()) return s;
          if (auto s = RecordAppealDecision(request, std::move(d), ctx); !s.ok()) return s;
          w.event = MakeRecognitionDecided(request, /*on_appeal=*/true);
          return absl::OkStatus();
        });
  }

  absl::StatusOr<v1::RecognitionRequest> Withdraw(const auth::Caller& caller,
                                                  const v1::WithdrawRequest& r) {
    return RunCommand(caller, r.client_request_id(), "withdraw", r.request_id(),
                      {roles::kRecognitionOfficer}, /*learner_may=*/true,
                      [&](Working& w, const ActionContext& ctx) -> absl::Status {
                        if (auto s = CheckText(r.reason(), "reason", /*required=*/false); !s.ok()) {
                          return s;
                        }
                        return RecordWithdrawal(w.request(), r.reason(), ctx);
                      });
  }

  // ---- queries ----

  absl::StatusOr<v1::RecognitionRequest> Get(const auth::Caller& caller,
                                             const v1::GetRequestRequest& r) const {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    if (r.request_id().empty()) return absl::InvalidArgumentError("request_id: is required");
    auto record = state_.Request(r.request_id());
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NotReceivedHere(r.request_id());
    if (auto s = CheckMaySee(caller, (*record)->request()); !s.ok()) return s;
    return Answer(**record);
  }

  absl::StatusOr<v1::ListRequestsResponse> List(const auth::Caller& caller,
                                                const v1::ListRequestsRequest& r) const {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    std::optional<std::string> only_learner;
    if (!IsStaff(caller)) {
      if (!caller.HasRole(roles::kLearner)) {
        return absl::PermissionDeniedError(
            "caller: recognition staff, or a learner for their own requests");
      }
      auto pseudonym = Pseudonym(caller.subject);
      if (!pseudonym.ok()) return pseudonym.status();
      only_learner = *pseudonym;
    }
    if (r.page_size() < 0 || r.page_size() > kMaxPageSize) {
      return absl::InvalidArgumentError(Cat("page_size: 0 to ", kMaxPageSize));
    }
    const int page_size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
    auto all = state_.AllRequests();
    if (!all.ok()) return all.status();
    const absl::Time now = Now();
    const std::set<int> states(r.states().begin(), r.states().end());
    std::vector<const v1::RequestRecord*> selected;
    v1::ListRequestsResponse response;
    for (const v1::RequestRecord& record : *all) {
      const v1::RecognitionRequest& q = record.request();
      if (only_learner && q.learner_pseudonym() != *only_learner) continue;
      if (!states.empty() && !states.contains(q.state())) continue;
      if (r.type() != v1::REQUEST_TYPE_UNSPECIFIED && q.type() != r.type()) continue;
      const bool overdue = IsOverdue(q, now);
      if (r.overdue_only() && !overdue) continue;
      if (overdue) response.set_overdue_count(response.overdue_count() + 1);
      selected.push_back(&record);
    }
    // Oldest first; the page token is the last request's sort key.
    auto key = [](const v1::RequestRecord* record) {
      return Cat(absl::Dec(record->request().received_at_ms(), absl::kZeroPad20), "|",
                 record->request().request_id());
    };
    std::sort(selected.begin(), selected.end(),
              [&](const auto* a, const auto* b) { return key(a) < key(b); });
    std::string last_key;
    for (const v1::RequestRecord* record : selected) {
      if (!r.page_token().empty() && key(record) <= r.page_token()) continue;
      if (response.requests_size() == page_size) {
        response.set_next_page_token(last_key);
        break;
      }
      auto answer = Answer(*record);
      if (!answer.ok()) return answer.status();
      *response.add_requests() = *std::move(answer);
      last_key = key(record);
    }
    return response;
  }

  // ---- policies ----

  absl::StatusOr<v1::RecognitionPolicy> PublishPolicy(const auth::Caller& caller,
                                                      const v1::PublishPolicyRequest& r) {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    if (!HasAny(caller, {roles::kRecognitionOfficer, roles::kRegistrar})) {
      return absl::PermissionDeniedError(
          "caller: a recognition_officer or a registrar publishes the institution's policies");
    }
    if (auto s = ValidateClientId(r.client_request_id()); !s.ok()) return s;
    v1::RecognitionPolicy policy = r.policy();
    if (policy.receiving_institution().empty()) policy.set_receiving_institution(institution());
    if (policy.status() == v1::POLICY_STATUS_UNSPECIFIED) {
      policy.set_status(v1::POLICY_STATUS_ACTIVE);
    }
    CommandScope scope(*this, r.client_request_id(), policy.policy_id());
    if (!scope.status().ok()) return scope.status();
    auto prior = PriorCommand(r.client_request_id(), "policy");
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) return StoredPolicy((*prior)->resource_id());

    auto current = state_.Policy(policy.policy_id());
    if (!current.ok()) return current.status();
    auto version = domain::NextVersion(
        "policy.version", policy.policy_id(), policy.version(),
        current->has_value() ? std::optional<uint32_t>((*current)->version()) : std::nullopt);
    if (!version.ok()) return version.status();
    policy.set_version(*version);
    v1::RecognitionPolicyPublished event;
    event.set_policy_id(policy.policy_id());
    event.set_version(policy.version());
    event.set_title(policy.title());
    *event.mutable_policy() = policy;
    auto policies = state_.PoliciesOf(institution());
    if (!policies.ok()) return policies.status();
    if (auto s = CheckPolicyPublished(event, institution(), *current, *policies); !s.ok()) {
      return s;
    }
    const std::string event_id = events::EventIdForRequest(institution(), r.client_request_id());
    v1::OutboxEntry entry;
    entry.set_topic(topics::kRecognition);
    entry.set_key(policy.policy_id());
    entry.set_envelope(signer_.Seal(event, {.partition_key = policy.policy_id(),
                                            .request_id = r.client_request_id(),
                                            .event_id = event_id,
                                            .occurred_at_ms = NowMs()}));
    // The policy is the event: nothing is written here before it (no outbox needed).
    auto appended = log_.Append({entry.topic(), entry.key(), entry.envelope()});
    if (!appended.ok()) return appended.status();
    if (auto s = projector_->WaitApplied(topics::kRecognition, *appended, options_.apply_timeout);
        !s.ok()) {
      return s;
    }
    auto applied = state_.Command(institution(), r.client_request_id());
    if (!applied.ok()) return applied.status();
    if (!applied->has_value()) return RefusedByOwnProjection();
    return StoredPolicy(policy.policy_id());
  }

  absl::StatusOr<v1::ListPoliciesResponse> ListPolicies(const v1::ListPoliciesRequest& r) const {
    const std::string& of =
        r.receiving_institution().empty() ? institution() : r.receiving_institution();
    auto policies = state_.PoliciesOf(of);
    if (!policies.ok()) return policies.status();
    std::sort(policies->begin(), policies->end(), [](const auto& a, const auto& b) {
      return std::make_tuple(a.rank(), a.policy_id()) < std::make_tuple(b.rank(), b.policy_id());
    });
    v1::ListPoliciesResponse response;
    for (v1::RecognitionPolicy& policy : *policies) {
      if (!r.include_retired() && policy.status() == v1::POLICY_STATUS_RETIRED) continue;
      *response.add_policies() = std::move(policy);
    }
    return response;
  }

  absl::StatusOr<v1::VaeEligibility> CheckVae(const v1::CheckVaeEligibilityRequest& r) const {
    if (auto s = ValidateVaeFile(r.file(), CurrentMonth()); !s.ok()) return s;
    return ComputeVaeEligibility(r.file());
  }

  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsForCredential(
      const std::string& credential_id) const {
    return state_.DecisionsForCredential(credential_id);
  }
  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsForLearner(
      const std::string& pseudonym) const {
    return state_.DecisionsForLearner(pseudonym);
  }

 private:
  // Serialises commands on one request (a stripe of them) and refuses a client request id that
  // is already being processed, so two concurrent retries cannot both pass the dedup check.
  class CommandScope {
   public:
    CommandScope(Impl& impl, const std::string& client_id, const std::string& resource_id)
        : impl_(impl),
          client_id_(client_id),
          lock_(impl.locks_[std::hash<std::string>{}(resource_id) % kLockStripes]) {
      std::lock_guard guard(impl_.mu_);
      claimed_ = impl_.in_flight_.insert(client_id_).second;
    }
    ~CommandScope() {
      if (!claimed_) return;
      std::lock_guard guard(impl_.mu_);
      impl_.in_flight_.erase(client_id_);
    }
    absl::Status status() const {
      if (claimed_) return absl::OkStatus();
      return absl::AbortedError(
          "client_request_id: the same request is already being processed; retry");
    }

   private:
    Impl& impl_;
    const std::string client_id_;
    std::lock_guard<std::mutex> lock_;
    bool claimed_ = false;
  };

  using Mutation = std::function<absl::Status(Working&, const ActionContext&)>;

  // The frame of every command on an existing request: caller, client id and request checked,
  // the request locked, a retry answered with its first result, the change decided on a copy
  // and committed in one write.
  absl::StatusOr<v1::RecognitionRequest> RunCommand(
      const auth::Caller& caller, const std::string& client_id, const std::string& kind,
      const std::string& request_id, std::initializer_list<std::string_view> staff_roles,
      bool learner_may, const Mutation& mutate) {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    if (!HasAny(caller, staff_roles) && !(learner_may && caller.HasRole(roles::kLearner))) {
      return absl::PermissionDeniedError(Cat("caller: ", kind, " needs the role ",
                                             RoleList(staff_roles),
                                             learner_may ? ", or the learner themself" : ""));
    }
    if (auto s = ValidateClientId(client_id); !s.ok()) return s;
    if (request_id.empty()) return absl::InvalidArgumentError("request_id: is required");
    CommandScope scope(*this, client_id, request_id);
    if (!scope.status().ok()) return scope.status();
    if (auto prior = Replay(caller, client_id, kind); !prior.ok() || *prior) {
      if (!prior.ok()) return prior.status();
      return **prior;
    }
    auto stored = state_.Request(request_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotReceivedHere(request_id);
    const bool as_staff = HasAny(caller, staff_roles);
    if (!as_staff) {
      if (auto s = CheckOwnRequest(caller, (*stored)->request()); !s.ok()) return s;
    }
    Working w;
    w.record = **std::move(stored);
    const ActionContext ctx{.actor = as_staff ? caller.subject : LearnerActor(w.request()),
                            .now = Now(),
                            .zone = options_.zone};
    if (auto s = mutate(w, ctx); !s.ok()) return s;
    return Commit(client_id, kind, w);
  }

  struct NewRequestStart {
    std::string learner_id;
    std::string request_id;
    std::string actor;
  };

  // Who submits for whom, and the request id a client request id gives (the same on a retry).
  absl::StatusOr<NewRequestStart> StartNewRequest(const auth::Caller& caller,
                                                  const std::string& client_id,
                                                  const std::string& learner_id) const {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    const bool officer = caller.HasRole(roles::kRecognitionOfficer);
    if (!officer && !caller.HasRole(roles::kLearner)) {
      return absl::PermissionDeniedError(
          "caller: a learner submits for themself, or a recognition_officer on their behalf");
    }
    NewRequestStart start;
    start.learner_id = learner_id.empty() && !officer ? caller.subject : learner_id;
    if (start.learner_id.empty()) return absl::InvalidArgumentError("learner_id: is required");
    if (!officer && start.learner_id != caller.subject) {
      return absl::PermissionDeniedError(
          "learner_id: a learner submits only for themself (the token's subject)");
    }
    if (auto s = ValidateClientId(client_id); !s.ok()) return s;
    start.request_id =
        institution() + "/" + events::EventIdForRequest(institution(), client_id).substr(0, 20);
    start.actor = officer ? caller.subject : "";  // the learner's actor is set with the pseudonym
    return start;
  }

  // Fills in a new request and records its submission.
  absl::Status NewRequest(const std::string& request_id, const std::string& learner_id,
                          const std::string& actor, v1::RecognitionPurpose purpose,
                          const v1::RecognitionTarget& target, Working& w) {
    auto pseudonym = Pseudonym(learner_id);
    if (!pseudonym.ok()) return pseudonym.status();
    v1::RecognitionRequest& request = w.request();
    request.set_request_id(request_id);
    request.set_receiving_institution(institution());
    request.set_learner_pseudonym(*pseudonym);
    request.set_purpose(purpose);
    *request.mutable_target() = target;
    const std::string by = actor.empty() ? LearnerActor(request) : actor;
    request.set_submitted_by(by);
    w.personal.set_learner_id(learner_id);
    w.personal_changed = true;
    w.record.set_vault_ref(VaultRef(*pseudonym));
    return RecordSubmission(request, options_.deadlines,
                            {.actor = by, .now = Now(), .zone = options_.zone});
  }

  // Verifies each JWS and adds it to the request (the JWS to the personal parts).
  absl::Status AddCredentials(const google::protobuf::RepeatedPtrField<std::string>& jws_list,
                              const std::string& field, Working& w) {
    if (w.request().credentials_size() + jws_list.size() > kMaxCredentials) {
      return absl::InvalidArgumentError(
          Cat(field, ": at most ", kMaxCredentials, " credentials per request"));
    }
    for (int i = 0; i < jws_list.size(); ++i) {
      const std::string& jws = jws_list.Get(i);
      const std::string path = Cat(field, "[", i, "]");
      if (jws.empty()) return absl::InvalidArgumentError(path + ": is empty");
      if (jws.size() > kMaxJwsBytes) {
        return absl::InvalidArgumentError(Cat(path, ": longer than ", kMaxJwsBytes, " bytes"));
      }
      if (std::find(w.personal.credential_jws().begin(), w.personal.credential_jws().end(), jws) !=
          w.personal.credential_jws().end()) {
        return absl::InvalidArgumentError(path + ": this credential is already presented");
      }
      v1::PresentedCredential presented = Verify(jws);
      presented.clear_jws();  // kept sealed, with the personal parts
      *w.request().add_credentials() = std::move(presented);
      w.personal.add_credential_jws(jws);
    }
    w.personal_changed = true;
    return absl::OkStatus();
  }

  v1::PresentedCredential Verify(const std::string& jws) const {
    const verification::VerificationInputs inputs{
        .find_member = [this](const std::string& id) { return lookup_.FindMember(id); },
        .find_credential = [this](const std::string& id) { return lookup_.FindCredential(id); },
        .profile = profile_,
        .now = Now()};
    const issuance::v1::VerificationReport report = verification::VerifyCredential(jws, inputs);
    std::optional<catalogue::v1::Specification> spec;
    if (!report.specification_id().empty()) {
      auto found =
          lookup_.FindSpecification(report.specification_id(), report.specification_version());
      if (found.ok()) spec = *std::move(found);  // unknown: the document's own facts stand
    }
    std::optional<registry::v1::Member> issuer;
    if (!report.issuer().empty()) issuer = lookup_.FindMember(report.issuer());
    return verification::PresentedFromReport(jws, report, spec, issuer);
  }

  // A CREDENTIALS request is decided at once when the institution's policies cover it.
  void DecideIfAPolicyMatches(Working& w) {
    v1::RecognitionRequest& request = w.request();
    auto index = Policies();
    if (!index.ok()) {
      w.record.set_manual_review_reason(Cat("policies unavailable: ", index.status().message()));
      return;
    }
    const AutomaticDecisionContext ctx{.decision_reference = DecisionReference(request, "D"),
                                       .today = Today(),
                                       .zone = options_.zone,
                                       .appeal_route = options_.appeal_route};
    AutomaticOutcome outcome = DecideAutomatically(request, **index, ctx);
    if (!outcome.decision) {
      w.record.set_manual_review_reason(outcome.manual_review_reason);
      return;
    }
    // The same rules as any decision; a policy's decision that failed them would be a bug, and
    // the request then goes to a person.
    if (auto s = ValidateDecision(*outcome.decision, request); !s.ok()) {
      w.record.set_manual_review_reason(Cat("automatic decision refused: ", s.message()));
      return;
    }
    const std::string actor = "policy:" + outcome.decision->decided_by_policy();
    if (auto s = RecordDecision(request, *std::move(outcome.decision), /*automatic=*/true,
                                {.actor = actor, .now = Now(), .zone = options_.zone});
        !s.ok()) {
      w.record.set_manual_review_reason(std::string(s.message()));
      return;
    }
    w.event = MakeRecognitionDecided(request, /*on_appeal=*/false);
  }

  // What the service fills in when the person deciding leaves it out: the day, the reference,
  // the ECTS presented, the appeal route and last day (first decisions).
  void FillDecisionDefaults(const v1::RecognitionRequest& request, const std::string& kind,
                            bool first, v1::RecognitionDecision& d) const {
    *d.mutable_decided_on() = domain::ToDate(Today());
    if (d.decision_reference().empty()) d.set_decision_reference(DecisionReference(request, kind));
    if (d.original_ects() == 0) {
      double presented = 0;
      for (const auto& c : request.credentials()) presented += c.facts().ects();
      d.set_original_ects(presented);
    }
    if (!first) return;
    if (d.appeal_route().empty()) d.set_appeal_route(options_.appeal_route);
    if (!IsDateSet(d.appeal_deadline())) {
      *d.mutable_appeal_deadline() = domain::ToDate(AppealDeadline(Today(), request.deadlines()));
    }
  }

  static std::string DecisionReference(const v1::RecognitionRequest& request,
                                       const std::string& kind) {
    return Cat(LocalPart(request.request_id()), "-", kind);
  }

  absl::StatusOr<std::shared_ptr<const PolicyIndex>> Policies() {
    // Rebuilt when a policy or the registry (the alliances' members) changed.
    const std::pair<uint64_t, uint64_t> generation = {projection_.policy_generation(),
                                                      projector_->registry_changes()};
    {
      std::lock_guard guard(mu_);
      if (index_ && index_generation_ == generation) return index_;
    }
    auto policies = state_.PoliciesOf(institution());
    if (!policies.ok()) return policies.status();
    IssuerGroups groups = projector_->IssuerGroups();
    for (const auto& [group, members] : options_.issuer_groups) {
      auto& merged = groups[group];
      merged.insert(merged.end(), members.begin(), members.end());
    }
    auto built = PolicyIndex::Build(*std::move(policies), groups);
    if (!built.ok()) return built.status();
    auto index = std::make_shared<const PolicyIndex>(*std::move(built));
    std::lock_guard guard(mu_);
    index_ = index;
    index_generation_ = generation;
    return index;
  }

  // Seals what changed, writes the request, the command and its event in one batch, then
  // appends the event and answers once this node has applied it.
  absl::StatusOr<v1::RecognitionRequest> Commit(const std::string& client_id,
                                                const std::string& kind, Working& w) {
    WriteBatch writes;
    std::optional<std::pair<std::string, v1::OutboxEntry>> outbox;
    if (w.event) {
      const std::string& request_id = w.request().request_id();
      const std::string event_id = events::EventIdForRequest(institution(), client_id);
      v1::OutboxEntry entry;
      entry.set_topic(topics::kRecognition);
      entry.set_key(request_id);
      entry.set_envelope(signer_.Seal(*w.event, {.partition_key = request_id,
                                                 .request_id = client_id,
                                                 .event_id = event_id,
                                                 .occurred_at_ms = NowMs()}));
      RecognitionState::PutOutbox(event_id, entry, writes);
      outbox.emplace(event_id, std::move(entry));
    }
    v1::CommandRecord command;
    command.set_kind(kind);
    command.set_resource_id(w.request().request_id());
    RecognitionState::PutCommand(institution(), client_id, command, writes);
    {
      // One writer of learner keys at a time (LearnerVault: a new learner's key is created in
      // the batch that first seals for them).
      std::lock_guard guard(vault_mu_);
      if (w.personal_changed) {
        auto sealed = vault_.Seal(w.record.vault_ref(), w.personal.SerializeAsString(), writes);
        if (!sealed.ok()) return sealed.status();
        w.record.set_sealed_personal(*sealed);
      }
      RecognitionState::PutRequest(w.record, writes);
      if (auto s = store_.Commit(writes); !s.ok()) return s;
    }
    if (outbox) {
      if (auto s = Publish(outbox->first, outbox->second); !s.ok()) return s;
    }
    return Answer(w.record);
  }

  // Appends an outbox event (again, after a crash: its id makes it count once), waits until
  // this node applied it, and clears it from the outbox.
  absl::Status Publish(const std::string& event_id, const v1::OutboxEntry& entry) {
    auto appended = log_.Append({entry.topic(), entry.key(), entry.envelope()});
    if (!appended.ok()) return appended.status();
    if (auto s = projector_->WaitApplied(entry.topic(), *appended, options_.apply_timeout);
        !s.ok()) {
      return s;
    }
    auto decided = state_.Decided(entry.key());
    if (!decided.ok()) return decided.status();
    if (!decided->has_value()) return RefusedByOwnProjection();
    WriteBatch done;
    done.Delete(RecognitionState::OutboxKey(event_id));
    return store_.Commit(done);
  }

  static absl::Status RefusedByOwnProjection() {
    return absl::InternalError(
        "the event was written but this node's projection refused it; see the dead-letter topic");
  }

  absl::StatusOr<std::optional<v1::CommandRecord>> PriorCommand(const std::string& client_id,
                                                                const std::string& kind) const {
    auto prior = state_.Command(institution(), client_id);
    if (!prior.ok() || !prior->has_value()) return prior;
    if ((*prior)->kind() != kind) {
      return absl::FailedPreconditionError(Cat("client_request_id: ", client_id,
                                               " was already used for a ", (*prior)->kind(),
                                               " command"));
    }
    return prior;
  }

  // The first answer to a retried client request id (its event appended if a crash kept it in
  // the outbox), or nullopt for a new command.
  absl::StatusOr<std::optional<v1::RecognitionRequest>> Replay(const auth::Caller& caller,
                                                               const std::string& client_id,
                                                               const std::string& kind) {
    auto prior = PriorCommand(client_id, kind);
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) return std::optional<v1::RecognitionRequest>();
    const std::string event_id = events::EventIdForRequest(institution(), client_id);
    auto pending = store_.Get(RecognitionState::OutboxKey(event_id));
    if (!pending.ok()) return pending.status();
    if (pending->has_value()) {
      v1::OutboxEntry entry;
      if (!entry.ParseFromString(**pending)) return absl::DataLossError("unreadable outbox entry");
      if (auto s = Publish(event_id, entry); !s.ok()) return s;
    }
    auto record = state_.Request((*prior)->resource_id());
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NotReceivedHere((*prior)->resource_id());
    if (auto s = CheckMaySee(caller, (*record)->request()); !s.ok()) return s;
    auto answer = Answer(**record);
    if (!answer.ok()) return answer.status();
    return std::optional<v1::RecognitionRequest>(*std::move(answer));
  }

  // The request with its personal parts opened (left out once the learner is erased).
  absl::StatusOr<v1::RecognitionRequest> Answer(const v1::RequestRecord& record) const {
    v1::RecognitionRequest request = record.request();
    if (record.sealed_personal().empty()) return request;
    auto opened = vault_.Open(record.vault_ref(), record.sealed_personal());
    if (opened.status().code() == absl::StatusCode::kFailedPrecondition) return request;
    if (!opened.ok()) return opened.status();
    v1::PersonalParts personal;
    if (!personal.ParseFromString(*opened)) return absl::DataLossError("unreadable personal parts");
    for (int i = 0; i < request.credentials_size() && i < personal.credential_jws_size(); ++i) {
      request.mutable_credentials(i)->set_jws(personal.credential_jws(i));
    }
    if (personal.has_vae_file()) *request.mutable_vae_file() = personal.vae_file();
    return request;
  }

  absl::Status OpenPersonal(Working& w) const {
    auto opened = vault_.Open(w.record.vault_ref(), w.record.sealed_personal());
    if (!opened.ok()) return opened.status();
    if (!w.personal.ParseFromString(*opened)) {
      return absl::DataLossError("unreadable personal parts");
    }
    return absl::OkStatus();
  }

  // ---- who ----

  absl::Status CheckInstitution(const auth::Caller& caller) const {
    if (caller.institution_id != institution()) {
      return absl::PermissionDeniedError("caller: this node receives requests for institution " +
                                         institution() + " only; the token is for " +
                                         caller.institution_id);
    }
    return absl::OkStatus();
  }

  static bool IsStaff(const auth::Caller& caller) {
    return HasAny(caller, {roles::kRecognitionOfficer, roles::kAppealOfficer, roles::kJuryMember});
  }

  absl::Status CheckOwnRequest(const auth::Caller& caller,
                               const v1::RecognitionRequest& request) const {
    auto pseudonym = Pseudonym(caller.subject);
    if (!pseudonym.ok()) return pseudonym.status();
    if (!caller.HasRole(roles::kLearner) || *pseudonym != request.learner_pseudonym()) {
      return absl::PermissionDeniedError("caller: a learner acts only on their own requests");
    }
    return absl::OkStatus();
  }

  absl::Status CheckMaySee(const auth::Caller& caller,
                           const v1::RecognitionRequest& request) const {
    if (IsStaff(caller)) return absl::OkStatus();
    return CheckOwnRequest(caller, request);
  }

  static absl::Status NotReceivedHere(const std::string& request_id) {
    return absl::NotFoundError("request_id: " + request_id + " is not a request received here");
  }

  // The learner as the history names them: by pseudonym, never by their id.
  static std::string LearnerActor(const v1::RecognitionRequest& request) {
    return "learner:" + request.learner_pseudonym();
  }

  // Recognition seals under its own learner reference: the same pseudonym's key in the
  // issuance part of a shared store has another writer.
  static std::string VaultRef(const std::string& pseudonym) {
    return RecognitionService::VaultReference(pseudonym);
  }

  absl::StatusOr<std::string> Pseudonym(const std::string& learner_id) const {
    return privacy::LearnerPseudonym(options_.pseudonym_secret, institution(), learner_id);
  }

  absl::StatusOr<v1::RecognitionPolicy> StoredPolicy(const std::string& policy_id) const {
    auto policy = state_.Policy(policy_id);
    if (!policy.ok()) return policy.status();
    if (!policy->has_value()) {
      return absl::NotFoundError("policy_id: " + policy_id + " is not published");
    }
    return **policy;
  }

  // ---- time ----

  int64_t NowMs() const {
    if (options_.now_ms) return options_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  absl::Time Now() const { return absl::FromUnixMillis(NowMs()); }
  absl::CivilDay Today() const { return absl::ToCivilDay(Now(), options_.zone); }
  absl::CivilMonth CurrentMonth() const { return absl::CivilMonth(Today()); }

  static constexpr size_t kLockStripes = 64;

  EventLog& log_;
  StateStore& store_;
  const events::EnvelopeSigner& signer_;
  const domain::PolicyProfile& profile_;
  const CredentialLookup& lookup_;
  RecognitionOptions options_;
  RecognitionState state_;
  RecognitionProjection projection_;
  privacy::VaultMasterKey master_key_;
  privacy::LearnerVault vault_;
  std::unique_ptr<Projector> projector_;

  std::array<std::mutex, kLockStripes> locks_;
  std::mutex vault_mu_;
  mutable std::mutex mu_;
  std::set<std::string> in_flight_;
  std::shared_ptr<const PolicyIndex> index_;
  std::pair<uint64_t, uint64_t> index_generation_ = {0, 0};
};

RecognitionService::RecognitionService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecognitionService::~RecognitionService() = default;

absl::StatusOr<std::unique_ptr<RecognitionService>> RecognitionService::Start(
    EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
    const domain::PolicyProfile& profile, const CredentialLookup& lookup,
    RecognitionOptions options) {
  if (options.pseudonym_secret.size() != 32 || options.vault_master_key.size() != 32) {
    return absl::InvalidArgumentError(
        "recognition: the pseudonym secret and the vault master key must be 32 bytes each");
  }
  if (auto s = ValidateDeadlineSettings(options.deadlines); !s.ok()) return s;
  auto impl = std::make_unique<Impl>(log, store, signer, profile, lookup, std::move(options));
  if (auto s = impl->Start(); !s.ok()) return s;
  return std::unique_ptr<RecognitionService>(new RecognitionService(std::move(impl)));
}

absl::StatusOr<v1::RecognitionRequest> RecognitionService::Submit(
    const auth::Caller& caller, const v1::SubmitRequestRequest& request) {
  return impl_->Submit(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::SubmitVae(
    const auth::Caller& caller, const v1::SubmitVaeRequestRequest& request) {
  return impl_->SubmitVae(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::RequestInformation(
    const auth::Caller& caller, const v1::RequestInformationRequest& request) {
  return impl_->RequestInformation(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::ProvideInformation(
    const auth::Caller& caller, const v1::ProvideInformationRequest& request) {
  return impl_->ProvideInformation(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::StartReview(
    const auth::Caller& caller, const v1::StartReviewRequest& request) {
  return impl_->StartReview(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Decide(
    const auth::Caller& caller, const v1::DecideRequest& request) {
  return impl_->Decide(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Appeal(
    const auth::Caller& caller, const v1::AppealRequest& request) {
  return impl_->Appeal(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::DecideAppeal(
    const auth::Caller& caller, const v1::DecideAppealRequest& request) {
  return impl_->DecideAppeal(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Withdraw(
    const auth::Caller& caller, const v1::WithdrawRequest& request) {
  return impl_->Withdraw(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Get(
    const auth::Caller& caller, const v1::GetRequestRequest& request) const {
  return impl_->Get(caller, request);
}
absl::StatusOr<v1::ListRequestsResponse> RecognitionService::List(
    const auth::Caller& caller, const v1::ListRequestsRequest& request) const {
  return impl_->List(caller, request);
}
absl::StatusOr<v1::RecognitionPolicy> RecognitionService::PublishPolicy(
    const auth::Caller& caller, const v1::PublishPolicyRequest& request) {
  return impl_->PublishPolicy(caller, request);
}
absl::StatusOr<v1::ListPoliciesResponse> RecognitionService::ListPolicies(
    const v1::ListPoliciesRequest& request) const {
  return impl_->ListPolicies(request);
}
absl::StatusOr<v1::VaeEligibility> RecognitionService::CheckVaeEligibility(
    const v1::CheckVaeEligibilityRequest& request) const {
  return impl_->CheckVae(request);
}
absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionService::FindDecisionsForCredential(
    const std::string& credential_id) const {
  return impl_->DecisionsForCredential(credential_id);
}
absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionService::FindDecisionsForLearner(
    const std::string& learner_pseudonym) const {
  return impl_->DecisionsForLearner(learner_pseudonym);
}
std::string RecognitionService::VaultReference(const std::string& learner_pseudonym) {
  return "recognition:" + learner_pseudonym;
}
const std::string& RecognitionService::institution_id() const { return impl_->institution(); }
Projector& RecognitionService::projector() { return impl_->projector(); }

}  // namespace microcred::recognition
