#include "services/recognition/automatic_decision.h"

#include <array>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {
namespace {

using strings::Cat;

constexpr std::array<v1::ComparisonElement, 5> kElements = {
    v1::COMPARISON_ELEMENT_LEVEL, v1::COMPARISON_ELEMENT_WORKLOAD,
    v1::COMPARISON_ELEMENT_QUALITY_ASSURANCE, v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES,
    v1::COMPARISON_ELEMENT_PROFILE};

AutomaticOutcome Manual(std::string reason) { return {std::nullopt, std::move(reason)}; }

void FillFullRecognition(const v1::RecognitionPolicy& deciding, v1::RecognitionDecision& d) {
  d.set_outcome(v1::RECOGNITION_OUTCOME_FULL);
  for (v1::ComparisonElement element : kElements) {
    v1::Finding& finding = *d.add_findings();
    finding.set_element(element);
    finding.set_assessment(v1::ASSESSMENT_COMPARABLE);
  }
  d.add_reason_codes(v1::REASON_CODE_AUTOMATIC_POLICY);
  d.set_reasons(Cat("Recognised under the published policy \"", deciding.title(), "\" (",
                    deciding.policy_id(), ", version ", deciding.version(), ")."));
  d.set_decided_by_policy(deciding.policy_id());
  d.set_policy_version(deciding.version());
}

void FillRemedies(const AutomaticDecisionContext& ctx, const v1::RecognitionRequest& request,
                  v1::RecognitionDecision& d) {
  d.add_remedies(v1::REMEDY_INTERNAL_APPEAL);
  d.set_appeal_route(ctx.appeal_route);
  *d.mutable_appeal_deadline() = domain::ToDate(AppealDeadline(ctx.today, request.deadlines()));
}

}  // namespace

AutomaticOutcome DecideAutomatically(const v1::RecognitionRequest& request,
                                     const PolicyIndex& policies,
                                     const AutomaticDecisionContext& ctx) {
  if (request.type() != v1::REQUEST_TYPE_CREDENTIALS) {
    return Manual("a VAE request is examined by a jury");
  }
  if (request.credentials().empty()) return Manual("no credential presented");
  const absl::CivilDay submitted_on =
      absl::ToCivilDay(absl::FromUnixMillis(request.received_at_ms()), ctx.zone);
  std::vector<PolicyMatchResult> matches;
  matches.reserve(request.credentials_size());
  for (int i = 0; i < request.credentials_size(); ++i) {
    const v1::PresentedCredential& credential = request.credentials(i);
    if (credential.authenticity() != v1::AUTHENTICITY_AUTHENTIC) {
      return Manual(
          Cat("credentials[", i, "] is not verified as authentic (",
              credential.failed_check().empty() ? "not checked" : credential.failed_check(), ")"));
    }
    const bool outside = IsOutsideCredential(credential);
    if (outside && !credential.facts().missing_elements().empty()) {
      return Manual(Cat("credentials[", i, "] comes from outside the ecosystem and does not state ",
                        absl::StrJoin(credential.facts().missing_elements(), ", "),
                        ": an officer asks for them"));
    }
    const MatchInput input{credential, request.purpose(), request.target(), submitted_on};
    std::optional<PolicyMatchResult> match = policies.FirstMatch(input);
    if (!match.has_value()) {
      return Manual(outside ? Cat("credentials[", i,
                                  "]: no policy matches; from outside the "
                                  "ecosystem, only a policy naming its issuer may (",
                                  credential.trust_basis().statement(), ")")
                            : Cat("credentials[", i, "]: no policy matches"));
    }
    matches.push_back(*match);
  }

  v1::RecognitionDecision d;
  d.set_decision_reference(ctx.decision_reference);
  *d.mutable_decided_on() = domain::ToDate(ctx.today);
  double original = 0;
  double recognised = 0;
  for (size_t i = 0; i < matches.size(); ++i) {
    const v1::PresentedCredential& credential = request.credentials(static_cast<int>(i));
    original += credential.facts().ects();
    recognised += matches[i].credited_ects;
    v1::PolicyMatch& recorded = *d.add_policy_matches();
    recorded.set_credential_id(credential.facts().credential_id());
    recorded.set_policy_id(matches[i].policy->policy_id());
    recorded.set_policy_version(matches[i].policy->version());
  }
  d.set_original_ects(original);
  d.set_recognised_ects(recognised);
  FillFullRecognition(*matches.front().policy, d);
  FillRemedies(ctx, request, d);
  return {std::move(d), ""};
}

v1::RecognitionDecided MakeRecognitionDecided(const v1::RecognitionRequest& request, bool on_appeal,
                                              std::vector<std::string> credential_tags) {
  const v1::RecognitionDecision& d = on_appeal ? request.appeal().decision() : request.decision();
  v1::RecognitionDecided event;
  event.set_request_id(request.request_id());
  event.set_learner_pseudonym(request.learner_pseudonym());
  event.set_credential_count(static_cast<uint32_t>(credential_tags.size()));
  for (std::string& tag : credential_tags) event.add_credential_tags(std::move(tag));
  event.set_outcome(d.outcome());
  event.set_original_ects(d.original_ects());
  event.set_recognised_ects(d.recognised_ects());
  event.set_decided_by_policy(d.decided_by_policy());
  event.set_decided_at_ms(d.decided_at_ms());
  event.set_receiving_institution(request.receiving_institution());
  event.set_request_type(request.type());
  event.set_purpose(request.purpose());
  *event.mutable_target() = request.target();
  event.set_policy_version(d.policy_version());
  event.set_decision_reference(d.decision_reference());
  event.set_on_appeal(on_appeal);
  *event.mutable_recognised_for_purposes() = d.recognised_for_purposes();
  return event;
}

}  // namespace microcred::recognition
