#include "services/issuance/issuance_core.h"

#include <algorithm>

#include "libs/discovery/did_web.h"
#include "libs/domain/recommendation_profile.h"
#include "libs/privacy/pseudonym.h"
#include "libs/verification/securing_profile.h"

namespace microcred::issuance {

IssuanceCore::IssuanceCore(ServiceContext context_in, IssuanceOptions options_in,
                           const crypto::SigningKey& signing_key,
                           const SpecificationSource& specifications_in,
                           std::unique_ptr<IssuanceReadModel> read_model_in)
    : context(std::move(context_in)),
      options(std::move(options_in)),
      issuer_id(
          discovery::IssuerId(options.issuer_id_form, options.public_url, context.institution_id())
              .value_or(IssuerUrl(options.public_url, context.institution_id()))),
      specifications(specifications_in),
      read_model(std::move(read_model_in)),
      path(context, read_model->projector()),
      master_key(*privacy::VaultMasterKey::FromBytes(options.vault_master_key)),
      vault(context.store, master_key),
      jws_signer(signing_key, CredentialKeyId(crypto::KeyFingerprint(signing_key.public_key()))),
      credential_signers(jws_signer) {
  if (options.rsa_key) {
    rsa_key_id = jose::RsaKeyFingerprint(options.rsa_key->PublicKeyDer());
    rsa_signer.emplace(*options.rsa_key, CredentialKeyId(rsa_key_id));
    rsa_credential_signers.emplace(*rsa_signer);
  }
  if (options.ec_key) {
    ec_key_id = jose::EcKeyFingerprint(options.ec_key->PublicKeyDer());
    ec_signer.emplace(*options.ec_key, CredentialKeyId(ec_key_id));
    ec_credential_signers.emplace(*ec_signer);
  }
}

absl::StatusOr<std::string> IssuanceCore::Pseudonym(const std::string& learner_id) const {
  return privacy::LearnerPseudonym(options.pseudonym_secret, institution(), learner_id);
}

absl::Status IssuanceCore::CheckStaff(const auth::Caller& caller) const {
  if (caller.institution_id != institution()) {
    return absl::PermissionDeniedError("caller: this node issues only for institution " +
                                       institution() + "; the token is for " +
                                       caller.institution_id);
  }
  return absl::OkStatus();
}

std::string IssuanceCore::IssuerUrl(const std::string& base, const std::string& institution) {
  return discovery::IssuerUrl(base, institution);
}

std::string IssuanceCore::KeyId(const std::string& base, const std::string& institution,
                                const std::string& key_id) {
  return discovery::KeyUrl(base, institution, key_id);
}

std::string IssuanceCore::CredentialKeyId(const std::string& key_id) const {
  return discovery::CredentialKeyId(options.issuer_id_form, issuer_id, key_id);
}

std::string IssuanceCore::StatusBaseUrl() const {
  return IssuerUrl(options.public_url, institution()) + "/status";
}

std::string IssuanceCore::StatusListUrl(status_list::StatusPurpose purpose) const {
  return status_list::StatusListUrl(StatusBaseUrl(), purpose);
}

credentials::StatusFacts IssuanceCore::StatusFactsAt(int32_t index) const {
  return {.status_base_url = StatusBaseUrl(), .status_list_index = index};
}

IssuanceCore::ProfileSigners::ProfileSigners(const jose::JwsSigner& signer)
    : open_badges(signer, verification::CredentialHeader(v1::SECURING_PROFILE_OPEN_BADGES_JWT)),
      vc_jose_cose(signer, verification::CredentialHeader(v1::SECURING_PROFILE_VC_JOSE_COSE)) {}

const jose::CompactSigner& IssuanceCore::ProfileSigners::For(v1::SecuringProfile profile) const {
  return profile == v1::SECURING_PROFILE_VC_JOSE_COSE ? vc_jose_cose : open_badges;
}

const jose::CompactSigner& IssuanceCore::SignerFor(v1::SignatureAlgorithm algorithm,
                                                   v1::SecuringProfile profile) const {
  if (algorithm == v1::SIGNATURE_ALGORITHM_RS256) return rsa_credential_signers->For(profile);
  if (algorithm == v1::SIGNATURE_ALGORITHM_ES256) return ec_credential_signers->For(profile);
  return credential_signers.For(profile);
}

v1::SecuringProfile IssuanceCore::ProfileFor(const v1::IssueCredentialRequest& request) const {
  if (request.securing_profile() != v1::SECURING_PROFILE_UNSPECIFIED) {
    return request.securing_profile();
  }
  return options.securing_profile == v1::SECURING_PROFILE_VC_JOSE_COSE
             ? v1::SECURING_PROFILE_VC_JOSE_COSE
             : v1::SECURING_PROFILE_OPEN_BADGES_JWT;
}

std::string IssuanceCore::EcosystemOf(const catalogue::v1::Specification& spec) const {
  return spec.ecosystem_id().empty() ? context.home_ecosystem() : spec.ecosystem_id();
}

domain::PolicyProfile IssuanceCore::PolicyProfileFor(std::string_view ecosystem) const {
  return read_model->projector().Profile(ecosystem).value_or(domain::RecommendationProfile());
}

std::optional<registry::v1::Member> IssuanceCore::MemberIn(std::string_view ecosystem) const {
  return read_model->FindMemberIn(ecosystem, institution());
}

std::vector<credentials::IssuerFacts> IssuanceCore::IssuersOf(
    const catalogue::v1::Specification& spec) const {
  const std::string ecosystem = EcosystemOf(spec);
  std::vector<credentials::IssuerFacts> issuers;
  for (const std::string& body : spec.content().awarding_bodies()) {
    issuers.push_back(IssuerFactsOf(body, ecosystem));
  }
  std::rotate(issuers.begin(),
              std::find_if(issuers.begin(), issuers.end(),
                           [&](const auto& b) { return b.institution_id == institution(); }),
              issuers.end());
  return issuers;
}

credentials::IssuerFacts IssuanceCore::IssuerFactsOf(const std::string& id,
                                                     std::string_view ecosystem) const {
  // Only this institution's own id takes the form it chose; a co-awarding body is named by its
  // profile URL, as its choice is not in the registry.
  const bool own_did =
      id == institution() && options.issuer_id_form == discovery::IssuerIdForm::kDidWeb;
  std::optional<registry::v1::Member> member = read_model->FindMemberIn(ecosystem, id);
  if (!member) member = read_model->FindMember(id);
  if (!member) {
    return {.institution_id = id,
            .profile_url = own_did ? IssuerId() : IssuerUrl(options.public_url, id)};
  }
  return credentials::IssuerFactsFromMember(
      member->admitted(), own_did ? IssuerId() : IssuerUrl(PublicUrlOf(*member), id));
}

std::string IssuanceCore::PublicUrlOf(const registry::v1::Member& member) const {
  const std::string& registered = member.admitted().public_url();
  return registered.empty() ? options.public_url : registered;
}

absl::StatusOr<v1::IssuedCredential> IssuanceCore::Answer(const std::string& credential_id) const {
  const IssuanceState& state = read_model->state();
  auto known = state.Known(credential_id);
  if (!known.ok()) return known.status();
  auto issued = state.Issued(credential_id);
  if (!issued.ok()) return issued.status();
  if (!known->has_value() || !issued->has_value()) {
    return absl::NotFoundError("credential_id: " + credential_id + " was not issued by this node");
  }
  v1::IssuedCredential answer;
  answer.set_credential_id(credential_id);
  answer.set_specification_id((*known)->specification_id());
  answer.set_specification_version((*known)->specification_version());
  answer.set_learner_pseudonym((*known)->learner_pseudonym());
  answer.set_status((*known)->status());
  answer.set_status_reason((*known)->status_reason());
  answer.set_status_list_index((*known)->status_list_index());
  answer.set_issued_at_ms((*known)->issued_at_ms());
  answer.set_ecosystem_id((*known)->ecosystem_id());
  auto jws = vault.Open((*issued)->learner_pseudonym(), (*issued)->sealed_jws());
  if (jws.ok()) answer.set_jws(*jws);  // empty once the learner is erased
  return answer;
}

}  // namespace microcred::issuance
