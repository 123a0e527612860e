#include "services/issuance/learner_records.h"

#include <algorithm>

#include "libs/auth/roles.h"
#include "libs/credentials/elm.h"
#include "libs/events/topics.h"
#include "libs/jades/jades.h"
#include "libs/verification/securing_profile.h"

namespace microcred::issuance {

absl::Status LearnerRecords::CheckLearnerAccess(const auth::Caller& caller,
                                                const std::string& learner_id) const {
  if (caller.institution_id != core_.institution()) {
    return absl::PermissionDeniedError("caller: learners of " + core_.institution() + " only");
  }
  if (caller.HasRole(auth::roles::kRegistrar)) return absl::OkStatus();
  if (caller.HasRole(auth::roles::kLearner) && caller.subject == learner_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "caller: a registrar, or the learner themself, may see a learner's credentials");
}

absl::StatusOr<v1::ListLearnerCredentialsResponse> LearnerRecords::List(
    const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const {
  if (request.learner_id().empty()) return absl::InvalidArgumentError("learner_id: is required");
  if (auto s = CheckLearnerAccess(caller, request.learner_id()); !s.ok()) return s;
  auto pseudonym = core_.Pseudonym(request.learner_id());
  if (!pseudonym.ok()) return pseudonym.status();
  auto ids = core_.read_model->state().CredentialsOfLearner(*pseudonym);
  if (!ids.ok()) return ids.status();
  v1::ListLearnerCredentialsResponse response;
  for (const std::string& id : *ids) {
    auto answer = core_.Answer(id);
    if (!answer.ok()) return answer.status();
    *response.add_credentials() = *answer;
  }
  return response;
}

absl::StatusOr<v1::ExportedCredential> LearnerRecords::Export(
    const auth::Caller& caller, const v1::ExportCredentialRequest& request) const {
  auto issued = core_.read_model->state().Issued(request.credential_id());
  if (!issued.ok()) return issued.status();
  if (!issued->has_value()) {
    return absl::NotFoundError("credential_id: " + request.credential_id() +
                               " was not issued by this node");
  }
  const std::string& pseudonym = (*issued)->learner_pseudonym();
  auto facts_bytes = core_.vault.Open(pseudonym, (*issued)->sealed_facts());
  if (!facts_bytes.ok()) return facts_bytes.status();
  v1::IssueCredentialRequest facts;
  if (!facts.ParseFromString(*facts_bytes)) return absl::DataLossError("unreadable facts");
  if (auto s = CheckLearnerAccess(caller, facts.learner().learner_id()); !s.ok()) return s;
  auto jws = core_.vault.Open(pseudonym, (*issued)->sealed_jws());
  if (!jws.ok()) return jws.status();
  v1::ExportedCredential out;
  switch (request.format()) {
    case v1::EXPORT_FORMAT_JWS:
      // RFC 7519's type for the Open Badges profile (typ "JWT"); VC-JOSE-COSE's for the other,
      // and for the credentials issued before the profiles (all VC-JOSE-COSE).
      out.set_media_type((*issued)->securing_profile() == v1::SECURING_PROFILE_OPEN_BADGES_JWT
                             ? "application/jwt"
                             : "application/vc+jwt");
      out.set_content(*jws);
      return out;
    case v1::EXPORT_FORMAT_OPEN_BADGE_JSON:
    case v1::EXPORT_FORMAT_ELM_JSONLD: {
      auto parsed = jose::ParseCompact(*jws);
      if (!parsed.ok()) return parsed.status();
      if (request.format() == v1::EXPORT_FORMAT_OPEN_BADGE_JSON) {
        // The credential, without the JWT claims the Open Badges profile adds beside it.
        auto credential = verification::CredentialOfPayload(parsed->payload);
        if (!credential.ok()) return credential.status();
        out.set_media_type("application/vc+ld+json");
        out.set_content(*std::move(credential));
        return out;
      }
      auto elm = ElmOf(**issued, facts);
      if (!elm.ok()) return elm.status();
      // The JWS JSON serialisation's registered type (RFC 7515 §9.2): the export is the seal
      // around the JSON-LD, which Europass takes as it is (docs/CREDENTIALS.md).
      out.set_media_type("application/jose+json");
      out.set_content(*elm);
      return out;
    }
    default:
      return absl::InvalidArgumentError("format: JWS, OPEN_BADGE_JSON or ELM_JSONLD");
  }
}

absl::StatusOr<std::string> LearnerRecords::ElmOf(
    const v1::IssuedRecord& record, const v1::IssueCredentialRequest& issuance) const {
  const std::optional<eseal::SealCredentials>& seal = core_.options.elm_seal;
  if (!seal.has_value()) {
    return absl::FailedPreconditionError(
        "format: an ELM export is a European Digital Credential sealed with the institution's "
        "e-seal, and this node has none (mcnode --seal-key-file and --seal-certificate-file)");
  }
  auto spec = core_.specifications.Find(record.specification_id(), record.specification_version());
  if (!spec.ok()) return spec.status();
  if (!spec->has_value()) return absl::NotFoundError("specification version no longer known");
  credentials::CredentialFacts facts;
  facts.credential_id = record.credential_id();
  facts.specification = **spec;
  facts.issued_at_ms = record.issued_at_ms();
  facts.learner_subject_id = "urn:microcred:learner:" + record.learner_pseudonym();
  facts.identifier_salt = record.identifier_salt();
  facts.issuance = issuance;
  facts.status = core_.StatusFactsAt(record.status_list_index());
  facts.issuers = core_.IssuersOf(**spec);
  facts.seal = {.organization_identifier = seal->organization_identifier, .country = seal->country};
  auto elm = credentials::BuildElmCredential(facts);
  if (!elm.ok()) return elm.status();
  return jades::Seal(elm->dump(), *seal->signer, seal->certificate_chain_pem,
                     core_.context.clock.Now());
}

absl::StatusOr<std::vector<std::string>> LearnerRecords::ErasureEcosystems(
    const std::vector<std::string>& credential_ids) const {
  std::vector<std::string> ecosystems = {core_.context.home_ecosystem()};
  for (const std::string& id : credential_ids) {
    auto known = core_.read_model->state().Known(id);
    if (!known.ok()) return known.status();
    if (!known->has_value()) continue;  // its CredentialIssued is not applied yet
    const std::string& ecosystem = (*known)->ecosystem_id();
    if (std::find(ecosystems.begin(), ecosystems.end(), ecosystem) == ecosystems.end() &&
        core_.context.Joined(ecosystem).has_value()) {
      ecosystems.push_back(ecosystem);
    }
  }
  return ecosystems;
}

absl::StatusOr<v1::EraseLearnerResponse> LearnerRecords::Erase(
    const auth::Caller& caller, const v1::EraseLearnerRequest& request) {
  if (auto s = core_.CheckStaff(caller); !s.ok()) return s;
  if (!caller.HasRole(auth::roles::kRegistrar)) {
    return absl::PermissionDeniedError("caller: only a registrar may erase a learner");
  }
  if (request.learner_id().empty()) return absl::InvalidArgumentError("learner_id: is required");
  auto pseudonym = core_.Pseudonym(request.learner_id());
  if (!pseudonym.ok()) return pseudonym.status();
  if (auto s = core_.path.ValidateRequestId(request.request_id()); !s.ok()) return s;
  auto ids = core_.read_model->state().CredentialsOfLearner(*pseudonym);
  if (!ids.ok()) return ids.status();
  auto ecosystems = ErasureEcosystems(*ids);
  if (!ecosystems.ok()) return ecosystems.status();
  v1::LearnerErased event;
  event.set_learner_pseudonym(*pseudonym);
  command::CommandOutcome outcome;
  for (const std::string& ecosystem : *ecosystems) {
    auto sealed = core_.path.SealRepeatableIn(ecosystem, topics::kIssuance, *pseudonym,
                                              request.request_id(), event);
    if (!sealed.ok()) return sealed.status();
    outcome.events.push_back(*std::move(sealed));
  }
  if (auto s = core_.path.Write(std::move(outcome)); !s.ok()) return s;
  // Applied: the keys are deleted. Done only once no file of the store keeps them.
  if (auto s = core_.read_model->FinishErasures(); !s.ok()) return s;
  v1::EraseLearnerResponse response;
  response.set_credentials_affected(static_cast<int32_t>(ids->size()));
  return response;
}

}  // namespace microcred::issuance
