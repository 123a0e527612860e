#include "services/stacking/stacking_service.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/domain/versioning.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "libs/verification/credential_verifier.h"
#include "libs/verification/presented_credential.h"
#include "services/stacking/evaluation.h"
#include "services/stacking/pathway_rules.h"
#include "services/stacking/stacking_projection.h"
#include "services/stacking/stacking_state.h"
#include "services/stacking/suggestions.h"

namespace microcred::stacking {
namespace {

using strings::Cat;
namespace roles = auth::roles;
namespace rv1 = recognition::v1;

constexpr int kMaxCredentials = 100;
constexpr size_t kMaxJwsBytes = 256 * 1024;
constexpr int kMaxHypothetical = 50;
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;
constexpr int kCataloguePage = 100;

bool IsValidLocalId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "16/20" or "8.5 / 10" as a grade out of 100; std::nullopt for anything else.
std::optional<double> NormalisedGrade(const std::string& value) {
  const size_t slash = value.find('/');
  if (slash == std::string::npos) return std::nullopt;
  double score = 0;
  double scale = 0;
  if (!absl::SimpleAtod(value.substr(0, slash), &score) ||
      !absl::SimpleAtod(value.substr(slash + 1), &scale) || scale <= 0 || score < 0 ||
      score > scale) {
    return std::nullopt;
  }
  return 100 * score / scale;
}

// What stacking reads of a specification, the same for a held credential, a hypothetical one
// and a catalogue entry.
void AddSpecificationFacts(const catalogue::v1::Specification& spec, v1::CredentialFacts& f) {
  const auto& content = spec.content();
  if (f.isced_f_code().empty()) f.set_isced_f_code(content.isced_f_code());
  if (f.esco_skill_uris().empty()) {
    for (const auto& outcome : content.learning_outcomes()) {
      if (!outcome.esco_skill_uri().empty()) f.add_esco_skill_uris(outcome.esco_skill_uri());
    }
  }
  if (f.assessment_type() == 0) f.set_assessment_type(content.assessment_type());
  if (f.supervision() == 0) f.set_supervision(content.supervision());
}

v1::SpecificationSummary Summary(const catalogue::v1::Specification& spec,
                                 const std::optional<registry::v1::Member>& owner) {
  v1::SpecificationSummary s;
  s.mutable_specification()->set_specification_id(spec.specification_id());
  s.mutable_specification()->set_version(spec.version());
  s.set_issuer_institution_id(spec.owner_institution());
  if (owner.has_value()) {
    *s.mutable_issuer_groups() = owner->admitted().groups();
    s.set_provider_type(owner->admitted().provider_type());
  }
  const auto& content = spec.content();
  s.set_eqf_level(content.eqf_level());
  s.set_isced_f_code(content.isced_f_code());
  for (const auto& outcome : content.learning_outcomes()) {
    if (!outcome.esco_skill_uri().empty()) s.add_esco_skill_uris(outcome.esco_skill_uri());
  }
  s.set_assessment_type(content.assessment_type());
  s.set_supervision(content.supervision());
  s.set_ects(content.workload().ects());
  return s;
}

}  // namespace

class StackingService::Impl {
 public:
  Impl(EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
       const domain::PolicyProfile& profile, StackingDependencies deps, StackingOptions options)
      : log_(log),
        store_(store),
        signer_(signer),
        profile_(profile),
        deps_(deps),
        options_(std::move(options)),
        state_(store),
        projection_(profile) {}

  absl::Status Start() {
    projector_ = std::make_unique<Projector>(log_, store_, projection_,
                                             ProjectorOptionsOf(options_, signer_.sealed()));
    return projector_->Start();
  }

  const std::string& institution() const { return signer_.institution_id(); }
  Projector& projector() { return *projector_; }

  // ---- pathways ----

  absl::StatusOr<v1::Pathway> PublishPathway(const auth::Caller& caller,
                                             const v1::PublishPathwayRequest& r) {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    if (!caller.HasRole(roles::kRecognitionOfficer) && !caller.HasRole(roles::kPathwayEditor)) {
      return absl::PermissionDeniedError(
          "caller: a recognition_officer or a pathway_editor publishes the institution's "
          "pathways");
    }
    if (auto s = ValidateClientId(r.request_id()); !s.ok()) return s;
    std::lock_guard command(command_mu_);
    auto prior = PriorCommand(r.request_id(), "publish");
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) return StoredPathway((*prior)->resource_id(), (*prior)->version());

    v1::Pathway pathway = r.pathway();
    if (pathway.owner_institution().empty()) pathway.set_owner_institution(institution());
    if (pathway.owner_institution() != institution()) {
      return absl::PermissionDeniedError(Cat("pathway.owner_institution: this node publishes ",
                                             institution(), "'s pathways only, not ",
                                             pathway.owner_institution(), "'s"));
    }
    if (r.expected_version() == 0) {
      if (!IsValidLocalId(r.local_id())) {
        return absl::InvalidArgumentError("local_id: required to publish, [a-z0-9-]{1,64}");
      }
      const std::string id = institution() + "/" + r.local_id();
      if (!pathway.pathway_id().empty() && pathway.pathway_id() != id) {
        return absl::InvalidArgumentError(
            Cat("pathway.pathway_id: must be empty or \"", id, "\" (owner/local_id)"));
      }
      pathway.set_pathway_id(id);
    } else if (pathway.pathway_id().empty()) {
      return absl::InvalidArgumentError("pathway.pathway_id: required to revise a pathway");
    }
    auto current = state_.Pathway(pathway.pathway_id(), 0);
    if (!current.ok()) return current.status();
    auto version = domain::NextVersion(
        "expected_version", pathway.pathway_id(), r.expected_version(),
        current->has_value() ? std::optional<uint32_t>((*current)->version()) : std::nullopt);
    if (!version.ok()) return version.status();
    pathway.set_version(*version);
    pathway.set_published_at_ms(NowMs());
    v1::PathwayPublished event;
    event.set_pathway_id(pathway.pathway_id());
    event.set_version(pathway.version());
    event.set_title(pathway.title());
    event.set_minimum_ects(pathway.rules().min_ects());
    *event.mutable_pathway() = pathway;
    if (auto s = CheckPathwayPublished(event, institution(), *current, profile_); !s.ok()) {
      return s;
    }
    // The pathway is the event: nothing is written here before it.
    if (auto s = Append(pathway.pathway_id(), r.request_id(), event); !s.ok()) return s;
    auto applied = state_.Command(institution(), r.request_id());
    if (!applied.ok()) return applied.status();
    if (!applied->has_value()) return RefusedByOwnProjection();
    return StoredPathway(pathway.pathway_id(), pathway.version());
  }

  absl::StatusOr<v1::Pathway> GetPathway(const v1::GetPathwayRequest& r) const {
    if (r.pathway_id().empty()) return absl::InvalidArgumentError("pathway_id: is required");
    return StoredPathway(r.pathway_id(), r.version());
  }

  absl::StatusOr<v1::ListPathwaysResponse> ListPathways(const v1::ListPathwaysRequest& r) const {
    if (r.page_size() < 0 || r.page_size() > kMaxPageSize) {
      return absl::InvalidArgumentError(Cat("page_size: 0 to ", kMaxPageSize));
    }
    const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
    auto all = state_.LatestPathways(r.owner_institution());
    if (!all.ok()) return all.status();
    v1::ListPathwaysResponse response;
    for (v1::Pathway& pathway : *all) {  // by pathway id (the store's key order)
      if (!r.page_token().empty() && pathway.pathway_id() <= r.page_token()) continue;
      if (response.pathways_size() == size) {
        response.set_next_page_token(response.pathways(size - 1).pathway_id());
        break;
      }
      *response.add_pathways() = std::move(pathway);
    }
    return response;
  }

  // ---- evaluation ----

  absl::StatusOr<v1::EvaluateResponse> Evaluate(const auth::Caller& caller,
                                                const v1::EvaluateRequest& r,
                                                const std::string& field_prefix = "") const {
    return EvaluateWith(caller, r, {}, field_prefix);
  }

  absl::StatusOr<v1::EvaluateResponse> WhatIf(const auth::Caller& caller,
                                              const v1::WhatIfRequest& r) const {
    if (r.hypothetical_size() > kMaxHypothetical) {
      return absl::InvalidArgumentError(Cat("hypothetical: at most ", kMaxHypothetical));
    }
    return EvaluateWith(caller, r.evaluation(), r.hypothetical(), "evaluation.");
  }

  struct Evaluated {
    v1::Pathway pathway;
    std::vector<v1::CredentialFacts> held;
    EvaluationContext context;
  };

  absl::StatusOr<Evaluated> Prepare(const auth::Caller& caller, const std::string& pathway_id,
                                    uint32_t version,
                                    const google::protobuf::RepeatedPtrField<std::string>& jws,
                                    const google::protobuf::RepeatedPtrField<std::string>& ids,
                                    const common::v1::Date& date, const std::string& p) const {
    if (caller.subject.empty()) return absl::UnauthenticatedError("caller: a token is required");
    if (pathway_id.empty()) return absl::InvalidArgumentError(p + "pathway_id: is required");
    Evaluated out;
    auto pathway = StoredPathway(pathway_id, version);
    if (!pathway.ok()) {
      return absl::Status(pathway.status().code(), p + std::string(pathway.status().message()));
    }
    out.pathway = *std::move(pathway);
    out.context.policy_equivalences = options_.policy_equivalences;
    if (date.year() != 0) {
      const absl::CivilDay day(date.year(), date.month(), date.day());
      if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
        return absl::InvalidArgumentError(p + "evaluation_date: not a valid calendar date");
      }
      out.context.evaluation_date = day;
    } else {
      out.context.evaluation_date = Today();
    }
    if (jws.size() > kMaxCredentials) {
      return absl::InvalidArgumentError(
          Cat(p, "credential_jws: at most ", kMaxCredentials, " credentials"));
    }
    std::set<std::string> wanted(ids.begin(), ids.end());
    std::set<std::string> seen;
    for (int i = 0; i < jws.size(); ++i) {
      const std::string path = Cat(p, "credential_jws[", i, "]");
      auto facts = ReadCredential(jws.Get(i), out.pathway, path);
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

  absl::StatusOr<v1::EvaluateResponse> EvaluateWith(
      const auth::Caller& caller, const v1::EvaluateRequest& r,
      const google::protobuf::RepeatedPtrField<v1::SpecificationRef>& hypothetical,
      const std::string& p) const {
    auto prepared = Prepare(caller, r.pathway_id(), r.pathway_version(), r.credential_jws(),
                            r.credential_ids(), r.evaluation_date(), p);
    if (!prepared.ok()) return prepared.status();
    std::vector<v1::CredentialFacts> extra;
    for (int i = 0; i < hypothetical.size(); ++i) {
      auto facts = Hypothetical(hypothetical.Get(i), prepared->pathway,
                                prepared->context.evaluation_date, Cat("hypothetical[", i, "]"));
      if (!facts.ok()) return facts.status();
      extra.push_back(*std::move(facts));
    }
    v1::EvaluateResponse response;
    auto result =
        hypothetical.empty()
            ? stacking::Evaluate(prepared->pathway, prepared->held, prepared->context)
            : stacking::WhatIf(prepared->pathway, prepared->held, extra, prepared->context);
    if (!result.ok()) return result.status();
    *response.mutable_result() = *std::move(result);
    if (r.include_suggestion()) {
      std::vector<v1::CredentialFacts> all = prepared->held;
      for (v1::CredentialFacts& f : extra) all.push_back(f);
      auto catalogue = Catalogue();
      if (!catalogue.ok()) return catalogue.status();
      const CatalogueIndex index(*catalogue);
      auto suggestion = Suggest(prepared->pathway, all, index, prepared->context);
      if (!suggestion.ok()) return suggestion.status();
      *response.mutable_suggestion() = *std::move(suggestion);
    }
    return response;
  }

  // Verifies a presented credential and reads its facts, with the owner's recognition.
  absl::StatusOr<v1::CredentialFacts> ReadCredential(const std::string& jws,
                                                     const v1::Pathway& pathway,
                                                     const std::string& path) const {
    if (jws.empty()) return absl::InvalidArgumentError(path + ": is empty");
    if (jws.size() > kMaxJwsBytes) {
      return absl::InvalidArgumentError(Cat(path, ": longer than ", kMaxJwsBytes, " bytes"));
    }
    const verification::VerificationInputs inputs{
        .find_member = [this](const std::string& id) { return deps_.credentials.FindMember(id); },
        .find_credential =
            [this](const std::string& id) { return deps_.credentials.FindCredential(id); },
        .profile = profile_,
        .now = absl::FromUnixMillis(NowMs())};
    const issuance::v1::VerificationReport report = verification::VerifyCredential(jws, inputs);
    std::optional<catalogue::v1::Specification> spec;
    if (!report.specification_id().empty()) {
      auto found = deps_.credentials.FindSpecification(report.specification_id(),
                                                       report.specification_version());
      if (found.ok()) spec = *std::move(found);
    }
    std::optional<registry::v1::Member> issuer;
    if (!report.issuer().empty()) issuer = deps_.credentials.FindMember(report.issuer());
    const rv1::PresentedCredential presented =
        verification::PresentedFromReport(jws, report, spec, issuer);
    if (presented.authenticity() != rv1::AUTHENTICITY_AUTHENTIC) {
      return absl::InvalidArgumentError(Cat(path, ": not authentic: ", presented.failed_check(),
                                            ": ", presented.failed_detail()));
    }
    const rv1::CredentialFacts& rf = presented.facts();
    v1::CredentialFacts f;
    f.set_credential_id(rf.credential_id());
    f.mutable_specification()->set_specification_id(rf.specification_id());
    f.mutable_specification()->set_version(rf.specification_version());
    f.set_issuer_institution_id(rf.issuer());
    if (issuer.has_value()) *f.mutable_issuer_groups() = issuer->admitted().groups();
    f.set_provider_type(rf.issuer_provider_type());
    f.set_eqf_level(rf.eqf_level());
    f.set_ects(rf.ects());
    *f.mutable_issued_on() = rf.issued_on();
    if (auto grade = NormalisedGrade(rf.grade().value())) f.set_grade(*grade);
    if (spec.has_value()) AddSpecificationFacts(*spec, f);
    if (f.issuer_institution_id() != pathway.owner_institution()) {
      if (auto s = AddRecognition(pathway.owner_institution(), f); !s.ok()) return s;
    }
    return f;
  }

  // The owner's decisions on the credential: a positive one (FULL or PARTIAL) counts, at its
  // recognised ECTS (the credential's share of them when the request presented several).
  absl::Status AddRecognition(const std::string& owner, v1::CredentialFacts& f) const {
    auto decisions = deps_.recognition.FindDecisionsForCredential(f.credential_id());
    if (!decisions.ok()) return decisions.status();
    bool refused = false;
    std::optional<double> best;
    for (const rv1::RecognitionDecided& d : *decisions) {
      if (d.receiving_institution() != owner) continue;
      if (d.outcome() == rv1::RECOGNITION_OUTCOME_FULL ||
          d.outcome() == rv1::RECOGNITION_OUTCOME_PARTIAL) {
        double ects = f.ects();
        if (d.outcome() == rv1::RECOGNITION_OUTCOME_PARTIAL) {
          ects = d.original_ects() > 0 ? d.recognised_ects() * f.ects() / d.original_ects()
                                       : d.recognised_ects();
        }
        best = std::max(best.value_or(0.0), ects);
      } else if (d.outcome() == rv1::RECOGNITION_OUTCOME_REFUSED) {
        refused = true;
      }
    }
    if (best.has_value()) {
      f.set_recognition(v1::RECOGNITION_STATUS_RECOGNISED);
      if (*best < f.ects()) f.set_recognised_ects(*best);
    } else if (refused) {
      f.set_recognition(v1::RECOGNITION_STATUS_REFUSED);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<v1::CredentialFacts> Hypothetical(const v1::SpecificationRef& ref,
                                                   const v1::Pathway& pathway, absl::CivilDay today,
                                                   const std::string& path) const {
    if (ref.specification_id().empty()) {
      return absl::InvalidArgumentError(path + ".specification_id: is required");
    }
    auto spec = deps_.credentials.FindSpecification(ref.specification_id(), ref.version());
    if (!spec.ok()) return spec.status();
    if (!spec->has_value()) {
      return absl::NotFoundError(
          Cat(path, ".specification_id: ", ref.specification_id(), " is not in the catalogue"));
    }
    const v1::SpecificationSummary s =
        Summary(**spec, deps_.credentials.FindMember((*spec)->owner_institution()));
    v1::CredentialFacts f;
    f.set_credential_id(Cat("hypothetical:", s.specification().specification_id(), "@",
                            s.specification().version()));
    *f.mutable_specification() = s.specification();
    f.set_issuer_institution_id(s.issuer_institution_id());
    *f.mutable_issuer_groups() = s.issuer_groups();
    f.set_provider_type(s.provider_type());
    f.set_eqf_level(s.eqf_level());
    f.set_isced_f_code(s.isced_f_code());
    *f.mutable_esco_skill_uris() = s.esco_skill_uris();
    f.set_assessment_type(s.assessment_type());
    f.set_supervision(s.supervision());
    f.set_ects(s.ects());
    *f.mutable_issued_on() = domain::ToDate(today);
    if (f.issuer_institution_id() != pathway.owner_institution()) {
      f.set_recognition(v1::RECOGNITION_STATUS_RECOGNISED);  // assumed, as suggestions do
    }
    f.set_hypothetical(true);
    return f;
  }

  // Every published specification this node's catalogue knows, as suggestions read them.
  absl::StatusOr<std::vector<v1::SpecificationSummary>> Catalogue() const {
    std::vector<v1::SpecificationSummary> all;
    catalogue::v1::SearchSpecificationsRequest search;
    search.set_page_size(kCataloguePage);
    while (true) {
      auto page = deps_.catalogue.Search(search);
      if (!page.ok()) return page.status();
      for (const catalogue::v1::Specification& spec : page->results()) {
        if (!spec.content().workload().has_ects()) continue;  // hours only: no ECTS to stack
        all.push_back(Summary(spec, deps_.credentials.FindMember(spec.owner_institution())));
      }
      if (page->next_page_token().empty()) break;
      search.set_page_token(page->next_page_token());
    }
    return all;
  }

  // ---- conferral ----

  absl::StatusOr<v1::ConferResponse> Confer(const auth::Caller& caller,
                                            const v1::ConferRequest& r) {
    if (auto s = CheckInstitution(caller); !s.ok()) return s;
    if (!caller.HasRole(roles::kRecognitionOfficer)) {
      return absl::PermissionDeniedError(
          "caller: a recognition_officer of the pathway's owner confers");
    }
    if (auto s = ValidateClientId(r.request_id()); !s.ok()) return s;
    const std::string issue_id = "stack-" + r.request_id();
    if (!events::ValidateRequestId(issue_id).ok()) {
      return absl::InvalidArgumentError("request_id: at most 122 characters to confer");
    }
    std::lock_guard command(command_mu_);
    auto prior = PriorCommand(r.request_id(), "confer");
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) return (*prior)->confer();

    if (r.credential_jws().empty()) {
      return absl::InvalidArgumentError("credential_jws: the learner's credentials are required");
    }
    auto prepared = Prepare(caller, r.pathway_id(), r.pathway_version(), r.credential_jws(),
                            r.credential_ids(), common::v1::Date(), "");
    if (!prepared.ok()) return prepared.status();
    const v1::Pathway& pathway = prepared->pathway;
    if (pathway.owner_institution() != institution()) {
      return absl::PermissionDeniedError(Cat("pathway_id: ", pathway.pathway_id(), " belongs to ",
                                             pathway.owner_institution(),
                                             ", which alone confers on it"));
    }
    if (ConfersCredential(pathway.target()) && pathway.target().specification_id().empty()) {
      return absl::FailedPreconditionError(
          Cat("pathway.target.specification_id: ", pathway.pathway_id(), " version ",
              pathway.version(), " names no catalogue specification to issue as its ",
              v1::TargetKind_Name(pathway.target().kind()), "; publish a version that does"));
    }
    auto result = stacking::Evaluate(pathway, prepared->held, prepared->context);
    if (!result.ok()) return result.status();
    if (!result->satisfied()) {
      return absl::FailedPreconditionError(
          Cat("credential_jws: the evaluation of ", pathway.pathway_id(), " version ",
              pathway.version(), " is not satisfied (", result->ects_short(), " ECTS and ",
              result->credentials_short(), " credentials short); nothing is conferred"));
    }
    std::vector<std::string> constituents;
    for (const v1::Assignment& a : result->assignments()) constituents.push_back(a.credential_id());
    std::sort(constituents.begin(), constituents.end());

    v1::StackConferred event;
    event.set_pathway_id(pathway.pathway_id());
    event.set_pathway_version(pathway.version());
    event.set_target_kind(pathway.target().kind());
    event.set_programme_id(pathway.target().programme_id());
    for (const std::string& id : constituents) event.add_constituent_credential_ids(id);
    if (ConfersCredential(pathway.target())) {
      auto issued = IssueTarget(caller, r, pathway, constituents, prepared->context, issue_id);
      if (!issued.ok()) return issued.status();
      event.set_learner_pseudonym(issued->learner_pseudonym());
      event.set_conferred_credential_id(issued->credential_id());
    } else {
      if (r.learner().learner_id().empty()) {
        return absl::InvalidArgumentError("learner.learner_id: required to grant the " +
                                          v1::TargetKind_Name(pathway.target().kind()));
      }
      auto pseudonym = deps_.issuance.LearnerPseudonym(r.learner().learner_id());
      if (!pseudonym.ok()) return pseudonym.status();
      event.set_learner_pseudonym(*pseudonym);
    }
    if (auto s = CheckStackConferred(event, institution(), pathway); !s.ok()) return s;
    if (auto s = Append(pathway.pathway_id(), r.request_id(), event); !s.ok()) return s;

    v1::ConferResponse response;
    *response.mutable_conferral() = event;
    *response.mutable_result() = *std::move(result);
    v1::StackingCommand record;
    record.set_kind("confer");
    record.set_resource_id(pathway.pathway_id());
    record.set_version(pathway.version());
    *record.mutable_confer() = response;
    WriteBatch writes;
    StackingState::PutCommand(institution(), r.request_id(), record, writes);
    if (auto s = store_.Commit(writes); !s.ok()) return s;
    return response;
  }

  absl::StatusOr<std::vector<v1::StackConferred>> Conferrals(const std::string& id) const {
    return state_.Conferrals(id);
  }

 private:
  // Issues the pathway's target specification to the learner, listing the constituents.
  absl::StatusOr<issuance::v1::IssuedCredential> IssueTarget(
      const auth::Caller& caller, const v1::ConferRequest& r, const v1::Pathway& pathway,
      const std::vector<std::string>& constituents, const EvaluationContext& context,
      const std::string& issue_id) {
    issuance::v1::IssueCredentialRequest issue;
    issue.set_request_id(issue_id);
    issue.set_specification_id(pathway.target().specification_id());
    *issue.mutable_learner() = r.learner();
    *issue.mutable_issued_on() = domain::ToDate(context.evaluation_date);
    issue.set_place_of_issuing(r.place_of_issuing());
    issue.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    issue.set_supervision_applied(r.supervision_applied());
    for (const std::string& id : constituents) issue.add_constituent_credential_ids(id);
    // The node issues on the officer's confirmation, as its registrar would.
    const auth::Caller issuer{
        .subject = caller.subject, .institution_id = institution(), .roles = {roles::kRegistrar}};
    return deps_.issuer.Issue(issuer, issue);
  }

  static absl::Status ValidateClientId(const std::string& id) {
    if (events::ValidateRequestId(id).ok()) return absl::OkStatus();
    return absl::InvalidArgumentError(
        "request_id: required, 1 to 128 characters from [A-Za-z0-9._:-]");
  }

  absl::Status CheckInstitution(const auth::Caller& caller) const {
    if (caller.institution_id != institution()) {
      return absl::PermissionDeniedError("caller: this node acts for institution " + institution() +
                                         " only; the token is for " + caller.institution_id);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<v1::StackingCommand>> PriorCommand(const std::string& client_id,
                                                                  const std::string& kind) const {
    auto prior = state_.Command(institution(), client_id);
    if (!prior.ok() || !prior->has_value()) return prior;
    if ((*prior)->kind() != kind) {
      return absl::FailedPreconditionError(
          Cat("request_id: ", client_id, " was already used for a ", (*prior)->kind(), " command"));
    }
    return prior;
  }

  absl::StatusOr<v1::Pathway> StoredPathway(const std::string& id, uint32_t version) const {
    auto pathway = state_.Pathway(id, version);
    if (!pathway.ok()) return pathway.status();
    if (!pathway->has_value()) {
      return absl::NotFoundError(version == 0
                                     ? Cat("pathway_id: ", id, " is not published")
                                     : Cat("pathway_version: ", id, " has no version ", version));
    }
    return **pathway;
  }

  // Appends an event (its id derived from the client request id, so that a retry counts once)
  // and waits until this node applied it.
  absl::Status Append(const std::string& pathway_id, const std::string& client_id,
                      const google::protobuf::Message& event) {
    const std::string event_id = events::EventIdForRequest(institution(), client_id);
    const std::string envelope = signer_.Seal(event, {.partition_key = pathway_id,
                                                      .request_id = client_id,
                                                      .event_id = event_id,
                                                      .occurred_at_ms = NowMs()});
    auto appended = log_.Append({topics::kStacking, pathway_id, envelope});
    if (!appended.ok()) return appended.status();
    return projector_->WaitApplied(topics::kStacking, *appended, options_.apply_timeout);
  }

  static absl::Status RefusedByOwnProjection() {
    return absl::InternalError(
        "the event was written but this node's projection refused it; see the dead-letter topic");
  }

  int64_t NowMs() const {
    if (options_.now_ms) return options_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  absl::CivilDay Today() const {
    return absl::ToCivilDay(absl::FromUnixMillis(NowMs()), options_.zone);
  }

  EventLog& log_;
  StateStore& store_;
  const events::EnvelopeSigner& signer_;
  const domain::PolicyProfile& profile_;
  StackingDependencies deps_;
  StackingOptions options_;
  StackingState state_;
  StackingProjection projection_;
  std::unique_ptr<Projector> projector_;
  std::mutex command_mu_;  // one command at a time: simple, and commands are rare
};

StackingService::StackingService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StackingService::~StackingService() = default;

absl::StatusOr<std::unique_ptr<StackingService>> StackingService::Start(
    EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
    const domain::PolicyProfile& profile, StackingDependencies dependencies,
    StackingOptions options) {
  auto impl = std::make_unique<Impl>(log, store, signer, profile, dependencies, std::move(options));
  if (auto s = impl->Start(); !s.ok()) return s;
  return std::unique_ptr<StackingService>(new StackingService(std::move(impl)));
}

absl::StatusOr<v1::Pathway> StackingService::PublishPathway(
    const auth::Caller& caller, const v1::PublishPathwayRequest& request) {
  return impl_->PublishPathway(caller, request);
}
absl::StatusOr<v1::Pathway> StackingService::GetPathway(
    const v1::GetPathwayRequest& request) const {
  return impl_->GetPathway(request);
}
absl::StatusOr<v1::ListPathwaysResponse> StackingService::ListPathways(
    const v1::ListPathwaysRequest& request) const {
  return impl_->ListPathways(request);
}
absl::StatusOr<v1::EvaluateResponse> StackingService::Evaluate(
    const auth::Caller& caller, const v1::EvaluateRequest& request) const {
  return impl_->Evaluate(caller, request);
}
absl::StatusOr<v1::EvaluateResponse> StackingService::WhatIf(
    const auth::Caller& caller, const v1::WhatIfRequest& request) const {
  return impl_->WhatIf(caller, request);
}
absl::StatusOr<v1::ConferResponse> StackingService::Confer(const auth::Caller& caller,
                                                           const v1::ConferRequest& request) {
  return impl_->Confer(caller, request);
}
absl::StatusOr<std::vector<v1::StackConferred>> StackingService::FindConferrals(
    const std::string& pathway_id) const {
  return impl_->Conferrals(pathway_id);
}
const std::string& StackingService::institution_id() const { return impl_->institution(); }
Projector& StackingService::projector() { return impl_->projector(); }

}  // namespace microcred::stacking
