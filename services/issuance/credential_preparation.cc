#include "services/issuance/credential_preparation.h"

#include <algorithm>

#include "libs/crypto/crypto.h"
#include "libs/registry/registry.h"

namespace microcred::issuance {
namespace {

using catalogue::v1::Specification;

// "urn:uuid:" and a version-4 UUID made from 16 random bytes (hex).
std::string CredentialIdFrom(const std::string& hex32) {
  std::string h = hex32.substr(0, 32);
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20, 12);
}

// A credential key signs while registered and not retired: a retired one (replaced, or
// compromised) signs nothing new, though what it signed stays verifiable.
bool HasKey(const registry::v1::Member& member, const std::string& key_id) {
  for (const auto& key : member.admitted().keys()) {
    if (key.key_id() == key_id) return !registry::KeyEverRetired(member, key_id);
  }
  return false;
}

// The record, event and answer of a credential, from its facts.
void Describe(const credentials::CredentialFacts& facts, v1::SignatureAlgorithm algorithm,
              v1::SecuringProfile profile, const std::string& key_id, PreparedIssue& out) {
  const Specification& spec = facts.specification;
  const v1::IssueCredentialRequest& request = facts.issuance;
  const int32_t index = facts.status.status_list_index;
  const std::string pseudonym = out.record.learner_pseudonym();

  out.record.set_specification_id(spec.specification_id());
  out.record.set_specification_version(spec.version());
  out.record.set_status_list_index(index);
  out.record.set_issued_at_ms(facts.issued_at_ms);
  out.record.set_signature_algorithm(algorithm);
  out.record.set_securing_profile(profile);
  out.record.set_identifier_salt(facts.identifier_salt);

  v1::CredentialIssued& event = out.event;
  event.set_credential_id(facts.credential_id);
  event.set_learner_pseudonym(pseudonym);
  event.set_specification_id(spec.specification_id());
  event.set_specification_version(spec.version());
  *event.mutable_issued_on() = request.issued_on();
  *event.mutable_valid_until() = request.valid_until();
  if (spec.content().workload().has_ects()) {
    event.set_ects_earned(spec.content().workload().ects());
  }
  event.set_supervision_applied(request.supervision_applied());
  event.set_mode_of_acquisition(request.mode_of_acquisition());
  event.set_status_list_index(index);
  event.set_signature_algorithm(algorithm);
  event.set_securing_profile(profile);
  event.set_key_id(key_id);

  out.answer.set_credential_id(facts.credential_id);
  out.answer.set_specification_id(spec.specification_id());
  out.answer.set_specification_version(spec.version());
  out.answer.set_learner_pseudonym(pseudonym);
  out.answer.set_status(v1::CREDENTIAL_STATUS_ACTIVE);
  out.answer.set_status_list_index(index);
  out.answer.set_issued_at_ms(facts.issued_at_ms);
}

}  // namespace

absl::Status CredentialPreparation::Start() {
  auto used = core_.read_model->state().UsedStatusIndexes();
  if (!used.ok()) return used.status();
  absl::MutexLock lock(&mu_);
  used_indexes_ = *std::move(used);
  return absl::OkStatus();
}

std::string CredentialPreparation::NewCredentialId() {
  return CredentialIdFrom(crypto::HexEncode(crypto::RandomBytes(16)));
}

absl::StatusOr<int32_t> CredentialPreparation::PickStatusIndex() {
  auto index = allocator_.PickFree(static_cast<int64_t>(used_indexes_.size()),
                                   [this](int64_t index)
                                       ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::StatusOr<bool> {
                                         return used_indexes_.contains(static_cast<int32_t>(index));
                                       });
  if (!index.ok()) return index.status();
  return static_cast<int32_t>(*index);
}

IssueContext CredentialPreparation::Context(const std::string& ecosystem) const {
  std::optional<registry::v1::Member> member = core_.MemberIn(ecosystem);
  std::optional<domain::InstitutionFacts> facts;
  if (member) facts = domain::InstitutionFactsFromMember(*member);
  return IssueContext{
      .profile = core_.PolicyProfileFor(ecosystem),
      .issuer = core_.institution(),
      .issuer_facts = facts,
      .ecosystem_id = ecosystem,
      .issuer_has_rsa_key =
          !core_.rsa_key_id.empty() && member && HasKey(*member, core_.rsa_key_id),
      .issuer_has_ec_key = !core_.ec_key_id.empty() && member && HasKey(*member, core_.ec_key_id),
      .default_algorithm = core_.options.credential_algorithm,
      .today = core_.Today()};
}

absl::StatusOr<std::optional<Specification>> CredentialPreparation::Batch::FindSpecification(
    const std::string& id, uint32_t version) {
  auto [it, added] = specifications_.try_emplace({id, version}, std::nullopt);
  if (added) it->second = preparation_.core_.specifications.Find(id, version);
  return it->second;
}

absl::StatusOr<PreparedIssue> CredentialPreparation::Batch::Prepare(
    const v1::IssueCredentialRequest& request) {
  CredentialPreparation& p = preparation_;
  p.mu_.AssertHeld();
  const IssuanceCore& core = p.core_;
  auto latest = FindSpecification(request.specification_id(), 0);
  if (!latest.ok()) return latest.status();
  auto frozen =
      request.specification_version() == 0
          ? latest
          : FindSpecification(request.specification_id(), request.specification_version());
  if (!frozen.ok()) return frozen.status();
  // Issued in its specification's ecosystem, under that ecosystem's rules and the
  // institution's membership there.
  const std::string ecosystem =
      latest->has_value() ? core.EcosystemOf(**latest) : core.context.home_ecosystem();
  const IssueContext ctx = p.Context(ecosystem);
  if (auto s = CheckSpecification(request, *latest, *frozen, ctx); !s.ok()) return s;
  if (auto s = CheckIssuanceFacts(request, ctx); !s.ok()) return s;
  auto pseudonym = core.Pseudonym(request.learner().learner_id());
  if (!pseudonym.ok()) return pseudonym.status();
  auto index = p.PickStatusIndex();
  if (!index.ok()) return index.status();

  credentials::CredentialFacts facts;
  facts.credential_id = NewCredentialId();
  facts.specification = **frozen;
  facts.issuance = request;
  facts.issued_at_ms = core.context.clock.NowMs();
  facts.learner_subject_id = "urn:microcred:learner:" + *pseudonym;
  facts.identifier_salt = crypto::HexEncode(crypto::RandomBytes(16));
  facts.issuers = core.IssuersOf(**frozen);
  facts.status = core.StatusFactsAt(*index);

  PreparedIssue out;
  out.request_id = request.request_id();
  out.ecosystem_id = ecosystem;
  const v1::SignatureAlgorithm algorithm = SignatureAlgorithmFor(request, ctx);
  out.securing_profile = core.ProfileFor(request);
  out.signer = &core.SignerFor(algorithm, out.securing_profile);
  out.record.set_credential_id(facts.credential_id);
  out.record.set_learner_pseudonym(*pseudonym);
  out.facts = request.SerializeAsString();
  Describe(facts, algorithm, out.securing_profile, out.signer->signer().kid(), out);
  out.answer.set_ecosystem_id(ecosystem);
  out.document = std::move(facts);
  // Taken from now on, even if the issuance fails later: at worst a bit of the list is never
  // used (and is free again after a restart, which reads the stored records).
  p.used_indexes_.insert(*index);
  return out;
}

}  // namespace microcred::issuance
