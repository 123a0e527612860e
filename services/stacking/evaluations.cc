// Evaluations (stacking_internal.h): Evaluate and WhatIf on presented credentials (and
// hypothetical ones), with a suggestion from the whole catalogue when asked; Prepare is the
// reading of a request's credentials that Confer shares.
#include <set>

#include "libs/base/strings.h"
#include "services/stacking/stacking_internal.h"
#include "services/stacking/suggestions.h"

namespace microcred::stacking::internal {
namespace {

using strings::Cat;

constexpr int kMaxCredentials = 100;
constexpr int kMaxHypothetical = 50;

}  // namespace

absl::StatusOr<v1::EvaluateResponse> Evaluations::Evaluate(const auth::Caller& caller,
                                                           const v1::EvaluateRequest& r) const {
  return EvaluateWith(caller, r, {}, "");
}

absl::StatusOr<v1::EvaluateResponse> Evaluations::WhatIf(const auth::Caller& caller,
                                                         const v1::WhatIfRequest& r) const {
  if (r.hypothetical_size() > kMaxHypothetical) {
    return absl::InvalidArgumentError(Cat("hypothetical: at most ", kMaxHypothetical));
  }
  return EvaluateWith(caller, r.evaluation(), r.hypothetical(), "evaluation.");
}

absl::StatusOr<Prepared> Evaluations::Prepare(
    const auth::Caller& caller, const std::string& pathway_id, uint32_t version,
    const google::protobuf::RepeatedPtrField<std::string>& jws,
    const google::protobuf::RepeatedPtrField<std::string>& ids, const common::v1::Date& date,
    const std::string& p) const {
  if (caller.subject.empty()) return absl::UnauthenticatedError("caller: a token is required");
  if (pathway_id.empty()) return absl::InvalidArgumentError(p + "pathway_id: is required");
  Prepared out;
  auto pathway = core_.read_model->Stored(pathway_id, version);
  if (!pathway.ok()) {
    return absl::Status(pathway.status().code(), p + std::string(pathway.status().message()));
  }
  out.pathway = *std::move(pathway);
  out.context.policy_equivalences = core_.options.policy_equivalences;
  if (date.year() != 0) {
    const absl::CivilDay day(date.year(), date.month(), date.day());
    if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
      return absl::InvalidArgumentError(p + "evaluation_date: not a valid calendar date");
    }
    out.context.evaluation_date = day;
  } else {
    out.context.evaluation_date = core_.Today();
  }
  if (jws.size() > kMaxCredentials) {
    return absl::InvalidArgumentError(
        Cat(p, "credential_jws: at most ", kMaxCredentials, " credentials"));
  }
  std::set<std::string> wanted(ids.begin(), ids.end());
  std::set<std::string> seen;
  for (int i = 0; i < jws.size(); ++i) {
    const std::string path = Cat(p, "credential_jws[", i, "]");
    auto facts = presented_.Read(jws.Get(i), out.pathway, path);
    if (!facts.ok()) return facts.status();
    if (!seen.insert(facts->credential_id()).second) {
      return absl::InvalidArgumentError(path + ": this credential is already presented");
    }
    if (!wanted.empty() && !wanted.contains(facts->credential_id())) continue;
    out.held.push_back(*std::move(facts));
  }
  for (int i = 0; i < ids.size(); ++i) {
    if (!seen.contains(ids.Get(i))) {
      return absl::InvalidArgumentError(Cat(p, "credential_ids[", i, "]: ", ids.Get(i),
                                            " is not among the presented credentials"));
    }
  }
  return out;
}

absl::StatusOr<v1::EvaluateResponse> Evaluations::EvaluateWith(
    const auth::Caller& caller, const v1::EvaluateRequest& r,
    const google::protobuf::RepeatedPtrField<v1::SpecificationRef>& hypothetical,
    const std::string& p) const {
  auto prepared = Prepare(caller, r.pathway_id(), r.pathway_version(), r.credential_jws(),
                          r.credential_ids(), r.evaluation_date(), p);
  if (!prepared.ok()) return prepared.status();
  std::vector<v1::CredentialFacts> extra;
  for (int i = 0; i < hypothetical.size(); ++i) {
    auto facts =
        catalogue_.Hypothetical(hypothetical.Get(i), prepared->pathway,
                                prepared->context.evaluation_date, Cat("hypothetical[", i, "]"));
    if (!facts.ok()) return facts.status();
    extra.push_back(*std::move(facts));
  }
  v1::EvaluateResponse response;
  auto result = hypothetical.empty()
                    ? stacking::Evaluate(prepared->pathway, prepared->held, prepared->context)
                    : stacking::WhatIf(prepared->pathway, prepared->held, extra, prepared->context);
  if (!result.ok()) return result.status();
  *response.mutable_result() = *std::move(result);
  if (r.include_suggestion()) {
    auto suggestion = Suggestion(*prepared, extra);
    if (!suggestion.ok()) return suggestion.status();
    *response.mutable_suggestion() = *std::move(suggestion);
  }
  return response;
}

absl::StatusOr<v1::Suggestion> Evaluations::Suggestion(
    const Prepared& prepared, const std::vector<v1::CredentialFacts>& extra) const {
  std::vector<v1::CredentialFacts> all = prepared.held;
  for (const v1::CredentialFacts& f : extra) all.push_back(f);
  auto catalogue = catalogue_.All();
  if (!catalogue.ok()) return catalogue.status();
  const CatalogueIndex index(*catalogue);
  return Suggest(prepared.pathway, all, index, prepared.context);
}

}  // namespace microcred::stacking::internal
