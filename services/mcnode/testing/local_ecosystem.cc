#include "services/mcnode/testing/local_ecosystem.h"

#include "absl/time/clock.h"
#include "libs/auth/roles.h"
#include "libs/domain/dates.h"
#include "libs/registry/public_keys.h"

namespace microcred {

LocalEcosystem::LocalEcosystem(std::string ecosystem_id, domain::PolicyProfile policy,
                               crypto::SigningKey root_key)
    : secretariat_(std::move(ecosystem_id), std::move(root_key)), policy_(std::move(policy)) {}

absl::Status LocalEcosystem::Admit(EventLog& log, const Institution& institution,
                                   const crypto::SigningKey& event_key,
                                   const jose::RsaPrivateKey* rsa_key,
                                   const jose::EcPrivateKey* ec_key) const {
  if (absl::Status s = Define(log); !s.ok()) return s;
  registry::v1::MemberAdmitted member;
  member.set_institution_id(institution.id);
  member.set_legal_name(institution.legal_name);
  member.set_country(institution.country);
  member.set_region(institution.region);
  member.set_provider_type(institution.type);
  member.set_public_url(PublicUrlOf(institution));
  *member.add_keys() = registry::RegisteredKey(event_key.public_key());
  if (rsa_key != nullptr) *member.add_keys() = registry::RegisteredRsaKey(rsa_key->PublicKeyDer());
  if (ec_key != nullptr) *member.add_keys() = registry::RegisteredP256Key(ec_key->PublicKeyDer());
  return secretariat_.Admit(log, member).status();
}

absl::Status LocalEcosystem::Define(EventLog& log) const {
  absl::MutexLock lock(&defined_mutex_);
  if (defined_in_.contains(&log)) return absl::OkStatus();
  auto defined = secretariat_.Define(log, secretariat_.anchor().ecosystem_id, policy_.ToRules(),
                                     registry::v1::EcosystemLog());
  if (!defined.ok()) return defined.status();
  defined_in_.insert(&log);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::Join(EventLog& log, StateStore& store,
                                                           const Institution& institution) const {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::optional<jose::RsaPrivateKey> rsa_key;
  if (institution.rs256) {
    auto generated = jose::RsaPrivateKey::Generate();
    if (!generated.ok()) return generated.status();
    rsa_key = *std::move(generated);
  }
  std::optional<jose::EcPrivateKey> ec_key;
  if (institution.es256) {
    auto generated = jose::EcPrivateKey::Generate();
    if (!generated.ok()) return generated.status();
    ec_key = *std::move(generated);
  }
  if (absl::Status s =
          Admit(log, institution, key, rsa_key ? &*rsa_key : nullptr, ec_key ? &*ec_key : nullptr);
      !s.ok()) {
    return s;
  }
  return StartNode(log, store, institution, key, rsa_key, ec_key);
}

std::string LocalEcosystem::PublicUrlOf(const Institution& institution) {
  return institution.public_url.empty() ? "https://" + institution.id + ".example"
                                        : institution.public_url;
}

absl::StatusOr<eseal::SealCredentials> LocalEcosystem::SealOf(
    const Institution& institution) const {
  absl::MutexLock lock(&seals_mutex_);
  auto found = seals_.find(institution.id);
  if (found == seals_.end()) {
    const absl::Time now = absl::Now();
    auto made = eseal::CreateSelfSignedSeal(
        {.organization = institution.legal_name.empty() ? institution.id : institution.legal_name,
         .organization_identifier =
             eseal::DevelopmentOrganizationIdentifier(institution.country, institution.id),
         .country = institution.country,
         .not_before = now - absl::Hours(24 * 365),
         .not_after = now + absl::Hours(24 * 365)});
    if (!made.ok()) return made.status();
    found = seals_.emplace(institution.id, *std::move(made)).first;
  }
  return eseal::SealCredentialsFromPem(found->second.private_key_pem, found->second.chain_pem,
                                       absl::Now());
}

std::string LocalEcosystem::SealCaPem(const std::string& institution_id) const {
  absl::MutexLock lock(&seals_mutex_);
  auto found = seals_.find(institution_id);
  return found == seals_.end() ? "" : found->second.ca_certificate_pem;
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::StartNode(
    EventLog& log, StateStore& store, const Institution& institution,
    const crypto::SigningKey& event_key, std::optional<jose::RsaPrivateKey> rsa_key,
    std::optional<jose::EcPrivateKey> ec_key) const {
  auto seal = SealOf(institution);
  if (!seal.ok()) return seal.status();
  return Node::Start(log, store,
                     {.institution_id = institution.id,
                      .node_id = institution.id + "-node",
                      .policy = policy_,
                      .trust_anchors = {secretariat_.anchor()},
                      .event_key = event_key,
                      .public_url = PublicUrlOf(institution),
                      .issuer_id_form = institution.issuer_id,
                      .rsa_key = std::move(rsa_key),
                      .ec_key = std::move(ec_key),
                      .elm_seal = *std::move(seal),
                      .outside_verifiers = institution.outside_verifiers});
}

auth::Caller StaffOf(const std::string& institution_id) {
  return {.subject = "staff@" + institution_id,
          .institution_id = institution_id,
          .roles = {auth::roles::kRegistrar, auth::roles::kCatalogueEditor}};
}

common::v1::Date DayFromToday(int days) {
  return domain::ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

absl::Status PublishSpecification(Node& node, const std::string& institution_id,
                                  const std::string& local_id,
                                  catalogue::v1::SpecificationContent content) {
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-" + local_id);
  publish.set_local_id(local_id);
  *publish.mutable_content() = std::move(content);
  return node.catalogue().Publish(StaffOf(institution_id), publish).status();
}

issuance::v1::IssueCredentialRequest SampleIssueRequest(const std::string& institution_id,
                                                        const std::string& request_id,
                                                        const std::string& local_spec_id) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(institution_id + "/" + local_spec_id);
  r.mutable_learner()->set_learner_id("L-" + request_id);
  r.mutable_learner()->set_given_name("Zoë");
  r.mutable_learner()->set_family_name("Van den Brœck");
  r.mutable_learner()->set_email(request_id + "@student.example.org");
  *r.mutable_issued_on() = DayFromToday(-1);
  r.set_place_of_issuing("Antwerpen");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

}  // namespace microcred
