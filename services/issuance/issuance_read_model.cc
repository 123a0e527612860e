#include "services/issuance/issuance_read_model.h"

#include <algorithm>

#include "libs/crypto/crypto.h"
#include "libs/privacy/learner_vault.h"
#include "libs/verification/credential_verifier.h"

namespace microcred::issuance {

namespace {

// Present while a scrub is owed: written in the commit of an erasure, deleted after a scrub.
constexpr char kScrubOwedKey[] = "issuance/erasure/scrub-owed";

}  // namespace

IssuanceReadModel::IssuanceReadModel(ServiceContext context, LearnerEraser further_erasure)
    : context_(std::move(context)),
      further_erasure_(std::move(further_erasure)),
      state_(context_.store, context_.home_ecosystem()),
      projection_(context_.institution_id(), *this, context_.home_ecosystem()) {}

absl::StatusOr<std::unique_ptr<IssuanceReadModel>> IssuanceReadModel::Start(
    ServiceContext context, LearnerEraser further_erasure) {
  std::unique_ptr<IssuanceReadModel> model(
      new IssuanceReadModel(std::move(context), std::move(further_erasure)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

absl::Status IssuanceReadModel::Erase(const std::string& pseudonym, StateStore& state,
                                      Effects& effects) {
  WriteBatch erasure;
  privacy::LearnerVault::Erase(pseudonym, erasure);
  if (further_erasure_) {
    if (auto s = further_erasure_(pseudonym, state, erasure); !s.ok()) return s;
  }
  std::vector<std::string> keys;
  for (const WriteBatch::Op& op : erasure.ops()) {
    keys.push_back(op.key);
    effects.writes.Delete(op.key);
  }
  // Nothing of the learner here (a rebuild, another process's learner): nothing to scrub. What
  // an earlier erasure deleted was scrubbed then, or its scrub is still recorded as owed.
  auto found = state.GetMany(keys);
  if (!found.ok()) return found.status();
  if (std::none_of(found->begin(), found->end(), [](const auto& v) { return v.has_value(); })) {
    return absl::OkStatus();
  }
  // A value of its own, so that a scrub that began before this commit leaves the record.
  effects.writes.Put(kScrubOwedKey, crypto::HexEncode(crypto::RandomBytes(16)));
  // The first of a batch's erasures to run this scrubs for all of them (the others then find
  // no scrub owed). A failure leaves the record, for FinishErasures and the next start.
  effects.after_commit = [this] { ScrubIfOwed().IgnoreError(); };
  return absl::OkStatus();
}

void IssuanceReadModel::Resume() {
  // Not fatal at start: the record stays, and the next erasure or start scrubs again.
  ScrubIfOwed().IgnoreError();
}

absl::Status IssuanceReadModel::FinishErasures() { return ScrubIfOwed(); }

absl::Status IssuanceReadModel::ScrubIfOwed() {
  std::lock_guard lock(scrub_mu_);
  auto owed = context_.store.Get(kScrubOwedKey);
  if (!owed.ok()) return owed.status();
  if (!owed->has_value()) return absl::OkStatus();
  if (auto s = context_.store.Scrub(); !s.ok()) {
    return absl::Status(s.code(), "erasure: the store could not be scrubbed of the erased keys (" +
                                      std::string(s.message()) + "); retry the erasure");
  }
  // An erasure committed during the scrub wrote the record again: leave it to that erasure.
  auto now = context_.store.Get(kScrubOwedKey);
  if (!now.ok()) return now.status();
  if (*now != *owed) return absl::OkStatus();
  WriteBatch done;
  done.Delete(kScrubOwedKey);
  return context_.store.Commit(done);
}

absl::StatusOr<std::optional<v1::KnownCredential>> IssuanceReadModel::FindCredential(
    const std::string& credential_id) const {
  return state_.Known(credential_id);
}

std::optional<registry::v1::Member> IssuanceReadModel::FindMember(
    const std::string& institution_id) const {
  return projector_->FindMember(institution_id);
}

std::optional<registry::v1::Member> IssuanceReadModel::FindMemberIn(
    std::string_view ecosystem, const std::string& institution_id) const {
  return projector_->FindMemberIn(ecosystem, institution_id);
}

v1::VerificationReport IssuanceReadModel::Verify(const v1::VerifyCredentialRequest& request) const {
  verification::VerificationInputs inputs{
      .find_member = [this](const std::string& id) { return projector_->FindMember(id); },
      .find_member_in = [this](std::string_view ecosystem,
                               const std::string& id) { return FindMemberIn(ecosystem, id); },
      .find_credential = [this](const std::string& id) { return state_.Known(id); },
      .profile_in = [this](std::string_view ecosystem) { return projector_->Profile(ecosystem); },
      .now = context_.clock.Now()};
  return verification::VerifyCredential(request.jws(), inputs);
}

}  // namespace microcred::issuance
