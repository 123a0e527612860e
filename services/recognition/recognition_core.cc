// RecognitionCore (recognition_internal.h): what the parts of the recognition service share,
// the learners' pseudonyms, and who may act on a request.
#include <algorithm>

#include "libs/auth/roles.h"
#include "libs/privacy/pseudonym.h"
#include "services/recognition/recognition_internal.h"

namespace microcred::recognition::internal {
namespace {

namespace roles = auth::roles;

// The options with the appeal route a decision names by default.
RecognitionOptions WithDefaults(RecognitionOptions options, const std::string& institution) {
  if (options.appeal_route.empty()) {
    options.appeal_route = "An appeal is lodged with the recognition appeal board of " +
                           institution + ", in writing, within the period stated.";
  }
  return options;
}

}  // namespace

RecognitionCore::RecognitionCore(ServiceContext context_in, RecognitionOptions options_in,
                                 std::unique_ptr<RecognitionReadModel> read_model_in,
                                 const verification::PresentedCredentialVerifier& verifier_in)
    : context(std::move(context_in)),
      options(WithDefaults(std::move(options_in), context.institution_id())),
      read_model(std::move(read_model_in)),
      verifier(verifier_in),
      requests(context.store),
      path(context, read_model->projector(), "client_request_id"),
      vault(context.store, *privacy::VaultMasterKey::FromBytes(options.vault_master_key)),
      policies(*read_model, context.institution_id(), options.issuer_groups) {}

absl::StatusOr<std::string> RecognitionCore::Pseudonym(const std::string& learner_id) const {
  return privacy::LearnerPseudonym(options.pseudonym_secret, institution(), learner_id);
}

absl::StatusOr<std::vector<std::string>> RecognitionCore::CredentialTags(
    const v1::RecognitionRequest& request) const {
  std::vector<std::string> tags;
  for (const v1::PresentedCredential& credential : request.credentials()) {
    const std::string& id = credential.facts().credential_id();
    if (id.empty()) {
      tags.emplace_back();
      continue;
    }
    auto tag = read_model->CredentialTag(id);
    if (!tag.ok()) return tag.status();
    tags.push_back(*std::move(tag));
  }
  return tags;
}

absl::Status RecognitionCore::CheckInstitution(const auth::Caller& caller) const {
  if (caller.institution_id != institution()) {
    return absl::PermissionDeniedError("caller: this node receives requests for institution " +
                                       institution() + " only; the token is for " +
                                       caller.institution_id);
  }
  return absl::OkStatus();
}

absl::Status RecognitionCore::CheckOwnRequest(const auth::Caller& caller,
                                              const v1::RecognitionRequest& request) const {
  auto pseudonym = Pseudonym(caller.subject);
  if (!pseudonym.ok()) return pseudonym.status();
  if (!caller.HasRole(roles::kLearner) || *pseudonym != request.learner_pseudonym()) {
    return absl::PermissionDeniedError("caller: a learner acts only on their own requests");
  }
  return absl::OkStatus();
}

absl::Status RecognitionCore::CheckMaySee(const auth::Caller& caller,
                                          const v1::RecognitionRequest& request) const {
  if (IsStaff(caller)) return absl::OkStatus();
  return CheckOwnRequest(caller, request);
}

bool HasAny(const auth::Caller& caller, std::initializer_list<std::string_view> any_of) {
  return std::any_of(any_of.begin(), any_of.end(),
                     [&](std::string_view role) { return caller.HasRole(role); });
}

bool IsStaff(const auth::Caller& caller) {
  return HasAny(caller, {roles::kRecognitionOfficer, roles::kAppealOfficer, roles::kJuryMember});
}

std::string RoleList(std::initializer_list<std::string_view> roles) {
  std::string text;
  for (std::string_view role : roles) {
    if (!text.empty()) text += " or ";
    text += role;
  }
  return text;
}

absl::Status NotReceivedHere(const std::string& request_id) {
  return absl::NotFoundError("request_id: " + request_id + " is not a request received here");
}

std::string LearnerActor(const v1::RecognitionRequest& request) {
  return "learner:" + request.learner_pseudonym();
}

}  // namespace microcred::recognition::internal
