// PresentedCredentials (stacking_internal.h): a presented JWS verified by the node's
// PresentedCredentialVerifier and read into the facts stacking evaluates: the verifier's facts,
// the issuer's groups (stacking's registry), the specification's ISCED-F, skills, assessment and
// supervision (the catalogue), and the owner's recognition decisions on an external credential.
#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "libs/base/strings.h"
#include "services/stacking/stacking_internal.h"

namespace microcred::stacking::internal {
namespace {

using strings::Cat;
namespace rv1 = recognition::v1;

constexpr size_t kMaxJwsBytes = 256 * 1024;

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

// What stacking reads of a held credential's specification that the verifier's facts lack.
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

}  // namespace

absl::StatusOr<v1::CredentialFacts> PresentedCredentials::Read(const std::string& jws,
                                                               const v1::Pathway& pathway,
                                                               const std::string& path) const {
  if (jws.empty()) return absl::InvalidArgumentError(path + ": is empty");
  if (jws.size() > kMaxJwsBytes) {
    return absl::InvalidArgumentError(Cat(path, ": longer than ", kMaxJwsBytes, " bytes"));
  }
  const rv1::PresentedCredential presented =
      core_.ports.verifier.Verify(jws, core_.context.clock.Now());
  if (presented.authenticity() != rv1::AUTHENTICITY_AUTHENTIC) {
    return absl::InvalidArgumentError(
        Cat(path, ": not authentic: ", presented.failed_check(), ": ", presented.failed_detail()));
  }
  const rv1::CredentialFacts& rf = presented.facts();
  v1::CredentialFacts f;
  f.set_credential_id(rf.credential_id());
  f.mutable_specification()->set_specification_id(rf.specification_id());
  f.mutable_specification()->set_version(rf.specification_version());
  f.set_issuer_institution_id(rf.issuer());
  if (!rf.issuer().empty()) {
    if (auto issuer = core_.read_model->FindMember(rf.issuer())) {
      *f.mutable_issuer_groups() = issuer->admitted().groups();
    }
  }
  f.set_provider_type(rf.issuer_provider_type());
  f.set_eqf_level(rf.eqf_level());
  f.set_ects(rf.ects());
  *f.mutable_issued_on() = rf.issued_on();
  if (auto grade = NormalisedGrade(rf.grade().value())) f.set_grade(*grade);
  if (!rf.specification_id().empty()) {
    auto spec =
        core_.ports.catalogue.FindSpecification(rf.specification_id(), rf.specification_version());
    // Unknown here (or unreadable): the credential's own facts stand, as the verifier's do.
    if (spec.ok() && spec->has_value()) AddSpecificationFacts(**spec, f);
  }
  // Only the owner's node finds the owner's decisions (they name credentials by its keyed tags).
  if (f.issuer_institution_id() != pathway.owner_institution() &&
      pathway.owner_institution() == core_.institution()) {
    if (auto s = AddRecognition(pathway.owner_institution(), f); !s.ok()) return s;
  }
  return f;
}

absl::Status PresentedCredentials::AddRecognition(const std::string& owner,
                                                  v1::CredentialFacts& f) const {
  auto decisions = core_.ports.decisions.FindDecisionsForCredential(f.credential_id());
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

}  // namespace microcred::stacking::internal
