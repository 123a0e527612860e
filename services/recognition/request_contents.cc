// What a recognition command puts into a request (recognition_internal.h): the checks of what
// the caller sent, the verified credentials, the submission, the decision a policy takes at
// once, and the defaults of a person's decision.
#include <algorithm>

#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/jose/jws.h"
#include "services/recognition/automatic_decision.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/recognition_internal.h"

namespace microcred::recognition::internal {
namespace {

using strings::Cat;

constexpr int kMaxCredentials = 20;
constexpr size_t kMaxJwsBytes = 256 * 1024;
constexpr size_t kMaxTextChars = 5000;
constexpr int kMaxLearnerIdentifiers = 10;
constexpr size_t kMaxIdentifierChars = 320;  // an e-mail address's longest
constexpr size_t kMaxProofBytes = 16 * 1024;

bool IsDateSet(const common::v1::Date& date) { return date.year() != 0; }

std::string LocalPart(const std::string& request_id) {
  return request_id.substr(request_id.find('/') + 1);
}

std::string DecisionReference(const v1::RecognitionRequest& request, const std::string& kind) {
  return Cat(LocalPart(request.request_id()), "-", kind);
}

}  // namespace

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

absl::Status NewRequest(const RecognitionCore& core, const NewRequestStart& start,
                        v1::RecognitionPurpose purpose, const v1::RecognitionTarget& target,
                        Working& w) {
  auto pseudonym = core.Pseudonym(start.learner_id);
  if (!pseudonym.ok()) return pseudonym.status();
  v1::RecognitionRequest& request = w.request();
  request.set_request_id(start.request_id);
  request.set_receiving_institution(core.institution());
  request.set_learner_pseudonym(*pseudonym);
  request.set_purpose(purpose);
  *request.mutable_target() = target;
  const std::string by = start.actor.empty() ? LearnerActor(request) : start.actor;
  request.set_submitted_by(by);
  w.personal.set_learner_id(start.learner_id);
  w.personal_changed = true;
  // Recognition seals under its own learner reference: the same pseudonym's key in the
  // issuance part of a shared store has another writer.
  w.record.set_vault_ref(RecognitionService::VaultReference(*pseudonym));
  return RecordSubmission(request, core.options.deadlines, core.Acting(by));
}

absl::Status CheckHolderInputs(const auth::Caller& caller,
                               const google::protobuf::RepeatedPtrField<std::string>& identifiers,
                               const google::protobuf::RepeatedPtrField<std::string>& proofs) {
  if (!identifiers.empty() && !caller.HasRole(auth::roles::kRecognitionOfficer)) {
    return absl::InvalidArgumentError(
        "learner_identifiers: recorded by a recognition officer only; a learner proves a "
        "credential theirs by its identifiers or with holder_proofs");
  }
  if (identifiers.size() > kMaxLearnerIdentifiers) {
    return absl::InvalidArgumentError(
        Cat("learner_identifiers: at most ", kMaxLearnerIdentifiers, " identifiers"));
  }
  for (int i = 0; i < identifiers.size(); ++i) {
    const std::string path = Cat("learner_identifiers[", i, "]");
    if (auto s = CheckText(identifiers.Get(i), path, /*required=*/true); !s.ok()) return s;
    if (identifiers.Get(i).size() > kMaxIdentifierChars) {
      return absl::InvalidArgumentError(
          Cat(path, ": at most ", kMaxIdentifierChars, " characters"));
    }
  }
  if (proofs.size() > kMaxCredentials) {
    return absl::InvalidArgumentError(Cat("holder_proofs: at most ", kMaxCredentials, " proofs"));
  }
  for (int i = 0; i < proofs.size(); ++i) {
    const std::string path = Cat("holder_proofs[", i, "]");
    if (proofs.Get(i).size() > kMaxProofBytes) {
      return absl::InvalidArgumentError(Cat(path, ": longer than ", kMaxProofBytes, " bytes"));
    }
    if (auto parsed = jose::ParseCompact(proofs.Get(i)); !parsed.ok()) {
      return absl::InvalidArgumentError(Cat(path, ": ", parsed.status().message()));
    }
  }
  return absl::OkStatus();
}

absl::Status AddCredentials(const RecognitionCore& core,
                            const google::protobuf::RepeatedPtrField<std::string>& jws_list,
                            const std::string& field, const verification::HolderContext& holder,
                            Working& w) {
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
    v1::PresentedCredential presented = core.verifier.Verify(jws, core.Now(), holder);
    if (!presented.holder_binding().bound() && presented.failed_check() != "format") {
      return absl::FailedPreconditionError(
          Cat(path, ": holder: ", presented.holder_binding().detail()));
    }
    presented.clear_jws();  // kept sealed, with the personal parts
    *w.request().add_credentials() = std::move(presented);
    w.personal.add_credential_jws(jws);
  }
  w.personal_changed = true;
  return absl::OkStatus();
}

void DecideIfAPolicyMatches(RecognitionCore& core, Working& w) {
  v1::RecognitionRequest& request = w.request();
  auto index = core.policies.Get();
  if (!index.ok()) {
    w.record.set_manual_review_reason(Cat("policies unavailable: ", index.status().message()));
    return;
  }
  const AutomaticDecisionContext ctx{.decision_reference = DecisionReference(request, "D"),
                                     .today = core.Today(),
                                     .zone = core.options.zone,
                                     .appeal_route = core.options.appeal_route};
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
  auto tags = core.CredentialTags(request);
  if (!tags.ok()) {
    w.record.set_manual_review_reason(std::string(tags.status().message()));
    return;
  }
  const std::string actor = "policy:" + outcome.decision->decided_by_policy();
  if (auto s = RecordDecision(request, *std::move(outcome.decision), /*automatic=*/true,
                              core.Acting(actor));
      !s.ok()) {
    w.record.set_manual_review_reason(std::string(s.message()));
    return;
  }
  w.event = MakeRecognitionDecided(request, /*on_appeal=*/false, *std::move(tags));
}

void FillDecisionDefaults(const RecognitionCore& core, const v1::RecognitionRequest& request,
                          const std::string& kind, bool first, v1::RecognitionDecision& d) {
  const absl::CivilDay today = core.Today();
  *d.mutable_decided_on() = domain::ToDate(today);
  if (d.decision_reference().empty()) d.set_decision_reference(DecisionReference(request, kind));
  if (d.original_ects() == 0) {
    double presented = 0;
    for (const auto& c : request.credentials()) presented += c.facts().ects();
    d.set_original_ects(presented);
  }
  if (!first) return;
  if (d.appeal_route().empty()) d.set_appeal_route(core.options.appeal_route);
  if (!IsDateSet(d.appeal_deadline())) {
    *d.mutable_appeal_deadline() = domain::ToDate(AppealDeadline(today, request.deadlines()));
  }
}

}  // namespace microcred::recognition::internal
