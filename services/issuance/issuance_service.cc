#include "services/issuance/issuance_service.h"

#include <chrono>
#include <map>
#include <thread>

#include "absl/time/civil_time.h"
#include "libs/auth/roles.h"
#include "libs/consumer/staged_state.h"
#include "libs/credentials/elm.h"
#include "libs/credentials/open_badge.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "libs/jose/jws.h"
#include "libs/privacy/learner_vault.h"
#include "libs/privacy/pseudonym.h"
#include "libs/status_list/index_allocator.h"
#include "libs/status_list/status_list_credential.h"
#include "libs/verification/credential_verifier.h"
#include "services/issuance/issuance_rules.h"
#include "services/issuance/status_rules.h"

namespace microcred::issuance {
namespace {

using catalogue::v1::Specification;

// "urn:uuid:" and a version-4-shaped UUID made from 16 bytes.
std::string CredentialIdFrom(const std::string& hex32) {
  std::string h = hex32.substr(0, 32);
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20, 12);
}

}  // namespace

// One issuance in preparation: everything decided before anything is written.
struct PreparedIssue {
  v1::IssuedCredential answer;
  v1::IssuedRecord record;  // its sealed fields are filled at commit
  v1::CredentialIssued event;
  std::string request_id;
  credentials::CredentialFacts document;  // what Sign() renders
  const jose::CompactSigner* signer = nullptr;
  std::string jws;       // to seal, once signed
  std::string facts;     // to seal: the serialised request
  std::string envelope;  // the signed CredentialIssued, once the credential is signed
};

class IssuanceService::Impl {
 public:
  Impl(EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
       const crypto::SigningKey& signing_key, const domain::PolicyProfile& profile,
       const SpecificationSource& specifications, IssuanceOptions options)
      : log_(log),
        store_(store),
        signer_(signer),
        jws_signer_(signing_key, KeyId(options.public_url, signer.institution_id(),
                                       crypto::KeyFingerprint(signing_key.public_key()))),
        profile_(profile),
        specifications_(specifications),
        options_(std::move(options)),
        state_(store),
        projection_(profile, signer.institution_id(),
                    [this](const std::string& pseudonym, WriteBatch& writes) {
                      EraseKeys(pseudonym, writes);
                    }),
        master_key_(*privacy::VaultMasterKey::FromBytes(options_.vault_master_key)),
        vault_(store, master_key_) {
    if (options_.rsa_key) {
      rsa_signer_.emplace(*options_.rsa_key,
                          KeyId(options_.public_url, signer.institution_id(),
                                jose::RsaKeyFingerprint(options_.rsa_key->PublicKeyDer())));
      rsa_credential_signer_.emplace(*rsa_signer_, jose::VcJwtHeader());
    }
  }

  static std::string IssuerUrl(const std::string& public_url, const std::string& institution) {
    return public_url + "/institutions/" + institution;
  }
  static std::string KeyId(const std::string& public_url, const std::string& institution,
                           const std::string& key_id) {
    return IssuerUrl(public_url, institution) + "#" + key_id;
  }

  absl::Status Start() {
    auto used = state_.UsedStatusIndexes();
    if (!used.ok()) return used.status();
    used_indexes_ = *std::move(used);
    projector_ = std::make_unique<Projector>(log_, store_, projection_,
                                             ProjectorOptionsOf(options_, signer_.sealed()));
    return projector_->Start();
  }

  const std::string& institution() const { return signer_.institution_id(); }
  Projector& projector() { return *projector_; }

  int64_t NowMs() const {
    if (options_.now_ms) return options_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  absl::CivilDay Today() const {
    return absl::ToCivilDay(absl::FromUnixMillis(NowMs()), absl::UTCTimeZone());
  }

  absl::Status CheckStaff(const auth::Caller& caller) const {
    if (caller.institution_id != institution()) {
      return absl::PermissionDeniedError("caller: this node issues only for institution " +
                                         institution() + "; the token is for " +
                                         caller.institution_id);
    }
    return absl::OkStatus();
  }

  // Claims a request id for the duration of one command.
  class RequestClaim {
   public:
    RequestClaim(Impl& impl, std::string request_id) : impl_(impl), id_(std::move(request_id)) {
      std::lock_guard lock(impl_.mu_);
      claimed_ = impl_.requests_in_flight_.insert(id_).second;
    }
    ~RequestClaim() {
      if (!claimed_) return;
      std::lock_guard lock(impl_.mu_);
      impl_.requests_in_flight_.erase(id_);
    }
    absl::Status status() const {
      return claimed_ ? absl::OkStatus()
                      : absl::AbortedError(
                            "request_id: the same request is already being processed; retry");
    }

   private:
    Impl& impl_;
    std::string id_;
    bool claimed_ = false;
  };

  absl::StatusOr<std::optional<v1::IssuedCredential>> Prior(const std::string& request_id) {
    auto prior = state_.CredentialForRequest(institution(), request_id);
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) return std::optional<v1::IssuedCredential>();
    auto answer = Answer(**prior);
    if (!answer.ok()) return answer.status();
    return std::optional<v1::IssuedCredential>(*answer);
  }

  // The answer for a credential this node issued, from what it stores.
  absl::StatusOr<v1::IssuedCredential> Answer(const std::string& credential_id) const {
    auto known = state_.Known(credential_id);
    if (!known.ok()) return known.status();
    auto issued = state_.Issued(credential_id);
    if (!issued.ok()) return issued.status();
    if (!known->has_value() || !issued->has_value()) {
      return absl::NotFoundError("credential_id: " + credential_id +
                                 " was not issued by this node");
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
    auto jws = vault_.Open((*issued)->learner_pseudonym(), (*issued)->sealed_jws());
    if (jws.ok()) answer.set_jws(*jws);  // empty once the learner is erased
    return answer;
  }

  static std::string KeyIdPart(const std::string& kid) { return kid.substr(kid.rfind('#') + 1); }
  static bool HasKey(const registry::v1::Member& member, const std::string& key_id) {
    for (const auto& key : member.admitted().keys()) {
      if (key.key_id() == key_id) return true;
    }
    return false;
  }

  // The signer a request asked for (EdDSA unless RS256); CheckIssuanceFacts has made sure an
  // RS256 request has a registered RSA key.
  const jose::CompactSigner& SignerFor(v1::SignatureAlgorithm algorithm) const {
    if (algorithm == v1::SIGNATURE_ALGORITHM_RS256) return *rsa_credential_signer_;
    return credential_signer_;
  }

  absl::StatusOr<std::string> Pseudonym(const std::string& learner_id) const {
    return privacy::LearnerPseudonym(options_.pseudonym_secret, institution(), learner_id);
  }

  IssueContext Context() const {
    std::optional<registry::v1::Member> member = projector_->FindMember(institution());
    std::optional<domain::InstitutionFacts> facts;
    if (member) facts = domain::InstitutionFactsFromMember(*member);
    return IssueContext{.profile = profile_,
                        .issuer = institution(),
                        .issuer_facts = facts,
                        .issuer_has_rsa_key = rsa_signer_.has_value() && member &&
                                              HasKey(*member, KeyIdPart(rsa_signer_->kid())),
                        .today = Today()};
  }

  // This node is the only one that hands out its institution's indexes, and it remembers them
  // all (at most the list's capacity), so a pick costs no store read.
  absl::StatusOr<int32_t> PickStatusIndex() {
    auto index = allocator_.PickFree(static_cast<int64_t>(used_indexes_.size()),
                                     [this](int64_t index) -> absl::StatusOr<bool> {
                                       return used_indexes_.contains(static_cast<int32_t>(index));
                                     });
    if (!index.ok()) return index.status();
    return static_cast<int32_t>(*index);
  }

  std::string StatusListUrl(status_list::StatusPurpose purpose) const {
    return IssuerUrl(options_.public_url, institution()) + "/status/" +
           std::string(status_list::StatusPurposeName(purpose));
  }

  std::vector<credentials::StatusEntryFacts> StatusEntries(int32_t index) const {
    std::vector<credentials::StatusEntryFacts> entries;
    for (auto purpose :
         {status_list::StatusPurpose::kRevocation, status_list::StatusPurpose::kSuspension}) {
      entries.push_back({.status_purpose = std::string(status_list::StatusPurposeName(purpose)),
                         .status_list_url = StatusListUrl(purpose),
                         .status_list_index = index});
    }
    return entries;
  }

  // The signed status list of this issuer for `purpose`: every credential it issued that is
  // revoked (or suspended) has its bit set.
  absl::StatusOr<std::string> StatusList(status_list::StatusPurpose purpose) const {
    auto known = state_.AllKnown();
    if (!known.ok()) return known.status();
    status_list::StatusBitstring bits;
    const v1::CredentialStatus set_when = purpose == status_list::StatusPurpose::kRevocation
                                              ? v1::CREDENTIAL_STATUS_REVOKED
                                              : v1::CREDENTIAL_STATUS_SUSPENDED;
    for (const v1::KnownCredential& credential : *known) {
      if (credential.issuer() != institution() || credential.status() != set_when) continue;
      if (auto s = bits.Set(credential.status_list_index(), true); !s.ok()) return s;
    }
    nlohmann::json document = status_list::BuildStatusListCredential(
        StatusListUrl(purpose), IssuerUrl(options_.public_url, institution()), purpose, bits,
        NowMs());
    return jose::SignCompact(jws_signer_, jose::VcJwtHeader(), document.dump());
  }

  // The institution's registered public keys as a JWK Set (what the credentials' kid names).
  absl::StatusOr<std::string> Jwks(const std::string& institution_id) const {
    std::optional<registry::v1::Member> member = projector_->FindMember(institution_id);
    if (!member) return absl::NotFoundError("institution: " + institution_id + " is not known");
    const std::string base = member->admitted().public_url().empty()
                                 ? options_.public_url
                                 : member->admitted().public_url();
    std::vector<jose::JwkPublicKey> keys;
    for (const registry::v1::PublicKey& key : member->admitted().keys()) {
      jose::JwkPublicKey jwk;
      jwk.kid = KeyId(base, institution_id, key.key_id());
      if (!key.ed25519_public_key().empty()) {
        jwk.ed25519_public_key = key.ed25519_public_key();
      } else {
        jwk.alg = jose::JwsAlgorithm::kRS256;
        jwk.rsa_spki_der = key.rsa_public_key_der();
      }
      keys.push_back(std::move(jwk));
    }
    return jose::ToJwks(keys).dump();
  }

  // The awarding bodies, the issuing (signing) institution first.
  std::vector<credentials::IssuerFacts> IssuersOf(const Specification& spec) const {
    std::vector<credentials::IssuerFacts> issuers;
    for (const std::string& body : spec.content().awarding_bodies()) {
      issuers.push_back(IssuerFactsOf(body));
    }
    std::rotate(issuers.begin(),
                std::find_if(issuers.begin(), issuers.end(),
                             [&](const auto& b) { return b.institution_id == institution(); }),
                issuers.end());
    return issuers;
  }

  credentials::IssuerFacts IssuerFactsOf(const std::string& id) const {
    credentials::IssuerFacts facts;
    facts.institution_id = id;
    facts.profile_url = IssuerUrl(options_.public_url, id);
    if (std::optional<registry::v1::Member> m = projector_->FindMember(id)) {
      facts.legal_name = m->admitted().legal_name();
      facts.country = m->admitted().country();
      facts.region = m->admitted().region();
      facts.provider_type = m->admitted().provider_type();
      facts.deqar_id = m->admitted().deqar_id();
      if (!m->admitted().public_url().empty()) {
        facts.profile_url = IssuerUrl(m->admitted().public_url(), id);
      }
    }
    return facts;
  }

  // Checks a row and builds everything it will write; writes nothing.
  // Specifications read during one call: a cohort reads its specification once.
  using SpecCache =
      std::map<std::pair<std::string, uint32_t>, absl::StatusOr<std::optional<Specification>>>;

  absl::StatusOr<std::optional<Specification>> FindSpecification(const std::string& id,
                                                                 uint32_t version,
                                                                 SpecCache& cache) const {
    auto [it, added] = cache.try_emplace({id, version}, std::nullopt);
    if (added) it->second = specifications_.Find(id, version);
    return it->second;
  }

  absl::StatusOr<PreparedIssue> Prepare(const v1::IssueCredentialRequest& request,
                                        SpecCache& specs) {
    if (auto s = events::ValidateRequestId(request.request_id()); !s.ok()) return s;
    auto latest = FindSpecification(request.specification_id(), 0, specs);
    if (!latest.ok()) return latest.status();
    auto frozen =
        request.specification_version() == 0
            ? latest
            : FindSpecification(request.specification_id(), request.specification_version(), specs);
    if (!frozen.ok()) return frozen.status();
    const IssueContext ctx = Context();
    if (auto s = CheckSpecification(request, *latest, *frozen, ctx); !s.ok()) return s;
    if (auto s = CheckIssuanceFacts(request, ctx); !s.ok()) return s;
    const Specification& spec = **frozen;

    auto index = PickStatusIndex();
    if (!index.ok()) return index.status();
    PreparedIssue out;
    out.request_id = request.request_id();
    const std::string credential_id = CredentialIdFor(request.request_id());
    auto pseudonym_or = Pseudonym(request.learner().learner_id());
    if (!pseudonym_or.ok()) return pseudonym_or.status();
    const std::string& pseudonym = *pseudonym_or;
    const int64_t now = NowMs();

    credentials::CredentialFacts facts;
    facts.credential_id = credential_id;
    facts.specification = spec;
    facts.issuance = request;
    facts.issued_at_ms = now;
    facts.learner_subject_id = "urn:microcred:learner:" + pseudonym;
    facts.identifier_salt = crypto::HexEncode(crypto::RandomBytes(16));
    facts.issuers = IssuersOf(spec);
    facts.status_entries = StatusEntries(*index);
    const jose::CompactSigner& signer = SignerFor(request.signature_algorithm());
    const v1::SignatureAlgorithm algorithm =
        request.signature_algorithm() == v1::SIGNATURE_ALGORITHM_RS256
            ? v1::SIGNATURE_ALGORITHM_RS256
            : v1::SIGNATURE_ALGORITHM_EDDSA;
    out.signer = &signer;

    out.record.set_credential_id(credential_id);
    out.record.set_learner_pseudonym(pseudonym);
    out.record.set_specification_id(spec.specification_id());
    out.record.set_specification_version(spec.version());
    out.record.set_status_list_index(*index);
    out.record.set_issued_at_ms(now);
    out.record.set_signature_algorithm(algorithm);
    out.record.set_identifier_salt(facts.identifier_salt);
    out.facts = request.SerializeAsString();

    v1::CredentialIssued& event = out.event;
    event.set_credential_id(credential_id);
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
    event.set_status_list_index(*index);
    event.set_signature_algorithm(algorithm);
    event.set_key_id(signer.signer().kid());

    out.answer.set_credential_id(credential_id);
    out.answer.set_specification_id(spec.specification_id());
    out.answer.set_specification_version(spec.version());
    out.answer.set_learner_pseudonym(pseudonym);
    out.answer.set_status(v1::CREDENTIAL_STATUS_ACTIVE);
    out.answer.set_status_list_index(*index);
    out.answer.set_issued_at_ms(now);
    out.document = std::move(facts);
    // Taken from now on, even if the issuance fails later: at worst a bit of the list is never
    // used (and is free again after a restart, which reads the stored records).
    used_indexes_.insert(*index);
    return out;
  }

  // Renders and signs a prepared credential, then seals its event. Touches only `p`: many run
  // at once.
  absl::Status Sign(PreparedIssue& p) const {
    absl::StatusOr<std::string> document = credentials::WriteOpenBadgeCredential(p.document);
    if (!document.ok()) return document.status();
    p.jws = p.signer->Sign(*document);
    p.event.set_signature_sha256(verification::IssuedSignatureDigest(p.jws));
    p.answer.set_jws(p.jws);
    p.envelope =
        signer_.Seal(p.event, {.partition_key = p.event.credential_id(),
                               .request_id = p.request_id,
                               .event_id = events::EventIdForRequest(institution(), p.request_id),
                               .occurred_at_ms = p.record.issued_at_ms()});
    return absl::OkStatus();
  }

  // Signs every prepared credential and seals its event, on every core for a cohort.
  absl::Status SignAll(std::vector<PreparedIssue>& prepared) const {
    const size_t workers =
        prepared.size() < 64 ? 1 : std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<absl::Status> results(workers);
    auto work = [&](size_t w) {
      for (size_t i = w; i < prepared.size() && results[w].ok(); i += workers) {
        results[w] = Sign(prepared[i]);
      }
    };
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
    work(0);
    for (std::thread& t : threads) t.join();
    for (const absl::Status& s : results) {
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Signs, then stores the sealed personal records. Outside issue_mu_, so that the next call is
  // prepared meanwhile; the store write is under persist_mu_, as sealing may create a learner's
  // key, and two calls creating one learner's key at once would leave one call's records sealed
  // under a key that is lost.
  absl::Status Persist(std::vector<PreparedIssue>& prepared) {
    if (auto s = SignAll(prepared); !s.ok()) return s;
    std::lock_guard persist_lock(persist_mu_);
    // The learners' keys are read in one round trip; the vault then finds them staged.
    StagedState reads(store_);
    std::vector<std::string> key_entries;
    for (const PreparedIssue& p : prepared) {
      key_entries.push_back(
          privacy::LearnerVault::LearnerKeyStoreKey(p.record.learner_pseudonym()));
    }
    if (auto s = reads.Prefetch(key_entries); !s.ok()) return s;
    const privacy::LearnerVault vault(reads, master_key_);
    WriteBatch writes;
    for (PreparedIssue& p : prepared) {
      auto sealed_jws = vault.Seal(p.record.learner_pseudonym(), p.jws, writes);
      if (!sealed_jws.ok()) return sealed_jws.status();
      auto sealed_facts = vault.Seal(p.record.learner_pseudonym(), p.facts, writes);
      if (!sealed_facts.ok()) return sealed_facts.status();
      p.record.set_sealed_jws(*sealed_jws);
      p.record.set_sealed_facts(*sealed_facts);
      IssuanceState::PutIssued(p.record, writes);
    }
    return store_.Commit(writes);
  }

  // Appends the events and waits until this node has applied them. Outside issue_mu_, so that
  // other issuances are prepared meanwhile.
  absl::Status Publish(std::vector<PreparedIssue>& prepared) {
    std::vector<AppendRequest> appends;
    for (PreparedIssue& p : prepared) {
      appends.push_back({topics::kIssuance, p.event.credential_id(), std::move(p.envelope)});
    }
    auto appended = log_.AppendBatch(appends);
    if (!appended.ok()) return appended.status();
    for (const AppendResult& at : *appended) {
      if (auto s = projector_->WaitApplied(topics::kIssuance, at, options_.apply_timeout);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  std::string CredentialIdFor(const std::string& request_id) const {
    return CredentialIdFrom(events::EventIdForRequest(institution(), request_id));
  }

  // A retried request whose record this node stored but whose event it has not applied: the
  // first attempt's append failed without saying whether the record reached the log, or its
  // answer timed out waiting for the projection. Catching up with the log settles it before the
  // retry looks for a prior answer: either the first event is there (its credential is the
  // answer) or it never will be (preparing the credential again is safe).
  absl::Status SettleStoredRequests(const std::vector<std::string>& request_ids) {
    std::vector<std::string> keys;
    for (const std::string& id : request_ids) {
      keys.push_back(IssuanceState::IssuedKey(CredentialIdFor(id)));
    }
    auto stored = store_.GetMany(keys);
    if (!stored.ok()) return stored.status();
    for (const auto& value : *stored) {
      if (value.has_value()) return projector_->Sync(options_.apply_timeout);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<v1::IssuedCredential> Issue(const auth::Caller& caller,
                                             const v1::IssueCredentialRequest& request) {
    if (auto s = CheckStaff(caller); !s.ok()) return s;
    if (auto s = events::ValidateRequestId(request.request_id()); !s.ok()) return s;
    RequestClaim claim(*this, request.request_id());
    if (!claim.status().ok()) return claim.status();
    if (auto s = SettleStoredRequests({request.request_id()}); !s.ok()) return s;
    std::vector<PreparedIssue> batch;
    {
      std::lock_guard issue_lock(issue_mu_);
      auto prior = Prior(request.request_id());
      if (!prior.ok()) return prior.status();
      if (prior->has_value()) return **prior;
      SpecCache specs;
      auto prepared = Prepare(request, specs);
      if (!prepared.ok()) return prepared.status();
      batch.push_back(*std::move(prepared));
    }
    if (auto s = Persist(batch); !s.ok()) return s;
    if (auto s = Publish(batch); !s.ok()) return s;
    return batch[0].answer;
  }

  absl::StatusOr<v1::IssueCredentialsResponse> IssueMany(
      const auth::Caller& caller, const v1::IssueCredentialsRequest& request) {
    if (auto s = CheckStaff(caller); !s.ok()) return s;
    if (request.rows_size() > kMaxRows) {
      return absl::InvalidArgumentError("rows: at most " + std::to_string(kMaxRows) +
                                        " per call; split the cohort");
    }
    // Each row's request id is held until its event is applied: a concurrent call with the
    // same id waits for the answer instead of preparing the credential a second time.
    std::vector<std::unique_ptr<RequestClaim>> claims;
    std::vector<std::string> request_ids;
    for (const auto& row : request.rows()) request_ids.push_back(row.request_id());
    if (auto s = SettleStoredRequests(request_ids); !s.ok()) return s;
    std::unique_lock issue_lock(issue_mu_);
    auto issued_before = CredentialsForRequests(request);
    if (!issued_before.ok()) return issued_before.status();
    SpecCache specs;
    v1::IssueCredentialsResponse response;
    std::vector<PreparedIssue> batch;
    std::vector<int> rows_of_batch;
    std::set<std::string> seen_requests;
    for (int row = 0; row < request.rows_size(); ++row) {
      v1::RowResult* result = response.add_results();
      result->set_row(row);
      const v1::IssueCredentialRequest& r = request.rows(row);
      auto refuse = [result](const absl::Status& status) {
        result->set_code(static_cast<int>(status.code()));
        result->set_message(std::string(status.message()));
      };
      absl::Status valid = events::ValidateRequestId(r.request_id());
      if (valid.ok() && !seen_requests.insert(r.request_id()).second) {
        valid = absl::InvalidArgumentError("request_id: repeated within this call");
      }
      if (!valid.ok()) {
        refuse(valid);
        continue;
      }
      claims.push_back(std::make_unique<RequestClaim>(*this, r.request_id()));
      if (!claims.back()->status().ok()) {
        refuse(claims.back()->status());
        continue;
      }
      if (auto it = issued_before->find(r.request_id()); it != issued_before->end()) {
        auto answer = Answer(it->second);
        if (answer.ok()) {
          *result->mutable_credential() = *answer;
        } else {
          refuse(answer.status());
        }
        continue;
      }
      absl::StatusOr<PreparedIssue> prepared = Prepare(r, specs);
      if (!prepared.ok()) {
        refuse(prepared.status());
        continue;
      }
      batch.push_back(*std::move(prepared));
      rows_of_batch.push_back(row);
    }
    issue_lock.unlock();
    if (!batch.empty()) {
      if (auto s = Persist(batch); !s.ok()) return s;
      if (auto s = Publish(batch); !s.ok()) return s;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      *response.mutable_results(rows_of_batch[i])->mutable_credential() = batch[i].answer;
    }
    for (const v1::RowResult& result : response.results()) {
      if (result.code() == 0) {
        response.set_issued(response.issued() + 1);
      } else {
        response.set_refused(response.refused() + 1);
      }
    }
    return response;
  }

  // The credentials earlier calls issued for the rows' request ids, in one store read.
  absl::StatusOr<std::map<std::string, std::string>> CredentialsForRequests(
      const v1::IssueCredentialsRequest& request) const {
    std::vector<std::string> keys;
    for (const auto& row : request.rows()) {
      keys.push_back(IssuanceState::RequestKey(institution(), row.request_id()));
    }
    auto values = store_.GetMany(keys);
    if (!values.ok()) return values.status();
    std::map<std::string, std::string> issued;
    for (int i = 0; i < request.rows_size(); ++i) {
      if ((*values)[i]) issued[request.rows(i).request_id()] = *(*values)[i];
    }
    return issued;
  }

  absl::StatusOr<v1::IssuedCredential> ChangeStatus(
      const auth::Caller& caller, const v1::ChangeStatusRequest& request,
      const google::protobuf::Message& event,
      const std::function<absl::Status(const std::optional<v1::KnownCredential>&,
                                       const EventAuthor&)>& decide) {
    if (auto s = CheckStaff(caller); !s.ok()) return s;
    if (auto s = events::ValidateRequestId(request.request_id()); !s.ok()) return s;
    if (auto s = CheckStatusReason(request.reason()); !s.ok()) return s;
    RequestClaim claim(*this, request.request_id());
    if (!claim.status().ok()) return claim.status();
    auto prior = state_.CredentialForRequest(institution(), request.request_id());
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) return Answer(**prior);
    auto known = state_.Known(request.credential_id());
    if (!known.ok()) return known.status();
    std::optional<registry::v1::Member> member = projector_->FindMember(institution());
    const EventAuthor author{
        institution(),
        member ? domain::InstitutionFactsFromMember(*member) : domain::InstitutionFacts{}, NowMs()};
    if (auto s = decide(*known, author); !s.ok()) return s;
    auto appended = log_.Append({topics::kIssuance, request.credential_id(),
                                 signer_.Seal(event, {.partition_key = request.credential_id(),
                                                      .request_id = request.request_id(),
                                                      .event_id = events::EventIdForRequest(
                                                          institution(), request.request_id()),
                                                      .occurred_at_ms = author.at_ms})});
    if (!appended.ok()) return appended.status();
    if (auto s = projector_->WaitApplied(topics::kIssuance, *appended, options_.apply_timeout);
        !s.ok()) {
      return s;
    }
    return Answer(request.credential_id());
  }

  absl::StatusOr<v1::IssuedCredential> Revoke(const auth::Caller& caller,
                                              const v1::ChangeStatusRequest& request) {
    v1::CredentialRevoked event;
    event.set_credential_id(request.credential_id());
    event.set_reason(request.reason());
    return ChangeStatus(caller, request, event, [&](const auto& known, const auto& author) {
      return DecideRevoked(event, author, known).status();
    });
  }

  absl::StatusOr<v1::IssuedCredential> Suspend(const auth::Caller& caller,
                                               const v1::ChangeStatusRequest& request,
                                               bool reinstate) {
    v1::CredentialSuspended event;
    event.set_credential_id(request.credential_id());
    event.set_reason(request.reason());
    event.set_reinstated(reinstate);
    return ChangeStatus(caller, request, event, [&](const auto& known, const auto& author) {
      return DecideSuspended(event, author, known).status();
    });
  }

  absl::Status CheckLearnerAccess(const auth::Caller& caller, const std::string& learner_id) const {
    if (caller.institution_id != institution()) {
      return absl::PermissionDeniedError("caller: learners of " + institution() + " only");
    }
    if (caller.HasRole(auth::roles::kRegistrar)) return absl::OkStatus();
    if (caller.HasRole(auth::roles::kLearner) && caller.subject == learner_id) {
      return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        "caller: a registrar, or the learner themself, may see a learner's credentials");
  }

  absl::StatusOr<v1::ListLearnerCredentialsResponse> List(
      const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const {
    if (request.learner_id().empty()) return absl::InvalidArgumentError("learner_id: is required");
    if (auto s = CheckLearnerAccess(caller, request.learner_id()); !s.ok()) return s;
    auto pseudonym = Pseudonym(request.learner_id());
    if (!pseudonym.ok()) return pseudonym.status();
    auto ids = state_.CredentialsOfLearner(*pseudonym);
    if (!ids.ok()) return ids.status();
    v1::ListLearnerCredentialsResponse response;
    for (const std::string& id : *ids) {
      auto answer = Answer(id);
      if (!answer.ok()) return answer.status();
      *response.add_credentials() = *answer;
    }
    return response;
  }

  absl::StatusOr<v1::ExportedCredential> Export(const auth::Caller& caller,
                                                const v1::ExportCredentialRequest& request) const {
    auto issued = state_.Issued(request.credential_id());
    if (!issued.ok()) return issued.status();
    if (!issued->has_value()) {
      return absl::NotFoundError("credential_id: " + request.credential_id() +
                                 " was not issued by this node");
    }
    auto facts_bytes = vault_.Open((*issued)->learner_pseudonym(), (*issued)->sealed_facts());
    if (!facts_bytes.ok()) return facts_bytes.status();
    v1::IssueCredentialRequest facts;
    if (!facts.ParseFromString(*facts_bytes)) return absl::DataLossError("unreadable facts");
    if (auto s = CheckLearnerAccess(caller, facts.learner().learner_id()); !s.ok()) return s;
    auto jws = vault_.Open((*issued)->learner_pseudonym(), (*issued)->sealed_jws());
    if (!jws.ok()) return jws.status();
    v1::ExportedCredential out;
    switch (request.format()) {
      case v1::EXPORT_FORMAT_JWS:
        out.set_media_type("application/vc+jwt");
        out.set_content(*jws);
        return out;
      case v1::EXPORT_FORMAT_OPEN_BADGE_JSON:
      case v1::EXPORT_FORMAT_ELM_JSONLD: {
        auto parsed = jose::ParseCompact(*jws);
        if (!parsed.ok()) return parsed.status();
        if (request.format() == v1::EXPORT_FORMAT_OPEN_BADGE_JSON) {
          out.set_media_type("application/vc+ld+json");
          out.set_content(parsed->payload);
          return out;
        }
        auto elm = ElmOf(**issued, facts);
        if (!elm.ok()) return elm.status();
        out.set_media_type("application/ld+json");
        out.set_content(*elm);
        return out;
      }
      default:
        return absl::InvalidArgumentError("format: JWS, OPEN_BADGE_JSON or ELM_JSONLD");
    }
  }

  absl::StatusOr<std::string> ElmOf(const v1::IssuedRecord& record,
                                    const v1::IssueCredentialRequest& facts) const;

  absl::StatusOr<v1::EraseLearnerResponse> Erase(const auth::Caller& caller,
                                                 const v1::EraseLearnerRequest& request) {
    if (auto s = CheckStaff(caller); !s.ok()) return s;
    if (!caller.HasRole(auth::roles::kRegistrar)) {
      return absl::PermissionDeniedError("caller: only a registrar may erase a learner");
    }
    if (request.learner_id().empty()) return absl::InvalidArgumentError("learner_id: is required");
    auto pseudonym = Pseudonym(request.learner_id());
    if (!pseudonym.ok()) return pseudonym.status();
    if (auto s = events::ValidateRequestId(request.request_id()); !s.ok()) return s;
    auto ids = state_.CredentialsOfLearner(*pseudonym);
    if (!ids.ok()) return ids.status();
    // Through the log, so that every process of the node erases what it holds (the projection
    // runs EraseKeys); this one has when WaitApplied returns. Erasing twice erases nothing more,
    // so a retry may append a second event: its id is random, not derived from the request id.
    v1::LearnerErased event;
    event.set_learner_pseudonym(*pseudonym);
    auto appended = log_.Append({topics::kIssuance, *pseudonym,
                                 signer_.Seal(event, {.partition_key = *pseudonym,
                                                      .request_id = request.request_id(),
                                                      .occurred_at_ms = NowMs()})});
    if (!appended.ok()) return appended.status();
    if (auto s = projector_->WaitApplied(topics::kIssuance, *appended, options_.apply_timeout);
        !s.ok()) {
      return s;
    }
    v1::EraseLearnerResponse response;
    response.set_credentials_affected(static_cast<int32_t>(ids->size()));
    return response;
  }

  v1::VerificationReport Verify(const v1::VerifyCredentialRequest& request) const {
    verification::VerificationInputs inputs{
        .find_member = [this](const std::string& id) { return projector_->FindMember(id); },
        .find_credential = [this](const std::string& id) { return state_.Known(id); },
        .profile = profile_,
        .now = absl::FromUnixMillis(NowMs())};
    return verification::VerifyCredential(request.jws(), inputs);
  }

  static constexpr int kMaxRows = 10000;

 private:
  // The learner's vault key and those of IssuanceOptions::further_vault_refs.
  void EraseKeys(const std::string& pseudonym, WriteBatch& writes) const {
    vault_.Erase(pseudonym, writes);
    if (!options_.further_vault_refs) return;
    for (const std::string& ref : options_.further_vault_refs(pseudonym)) vault_.Erase(ref, writes);
  }

  EventLog& log_;
  StateStore& store_;
  const events::EnvelopeSigner& signer_;
  jose::Ed25519JwsSigner jws_signer_;
  std::optional<jose::RsaJwsSigner> rsa_signer_;
  // The same signers with the credential header ({"typ":"vc+jwt","cty":"vc"}) encoded once.
  jose::CompactSigner credential_signer_{jws_signer_, jose::VcJwtHeader()};
  std::optional<jose::CompactSigner> rsa_credential_signer_;
  const domain::PolicyProfile& profile_;
  const SpecificationSource& specifications_;
  IssuanceOptions options_;
  IssuanceState state_;
  IssuanceProjection projection_;
  privacy::VaultMasterKey master_key_;
  privacy::LearnerVault vault_;
  std::unique_ptr<Projector> projector_;

  std::mutex mu_;
  std::set<std::string> requests_in_flight_;
  // Issuances are prepared one call at a time: status indexes are picked without races.
  std::mutex issue_mu_;
  status_list::StatusIndexAllocator allocator_;
  std::set<int32_t> used_indexes_;  // stored, or picked by a call in progress
  std::mutex persist_mu_;           // see Persist
};

absl::StatusOr<std::string> IssuanceService::Impl::ElmOf(
    const v1::IssuedRecord& record, const v1::IssueCredentialRequest& issuance) const {
  auto spec = specifications_.Find(record.specification_id(), record.specification_version());
  if (!spec.ok()) return spec.status();
  if (!spec->has_value()) return absl::NotFoundError("specification version no longer known");
  credentials::CredentialFacts facts;
  facts.credential_id = record.credential_id();
  facts.specification = **spec;
  facts.issued_at_ms = record.issued_at_ms();
  facts.learner_subject_id = "urn:microcred:learner:" + record.learner_pseudonym();
  facts.identifier_salt = record.identifier_salt();
  facts.issuance = issuance;
  facts.status_entries = StatusEntries(record.status_list_index());
  facts.issuers = IssuersOf(**spec);
  auto elm = credentials::BuildElmCredential(facts);
  if (!elm.ok()) return elm.status();
  return elm->dump(2);
}

IssuanceService::IssuanceService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IssuanceService::~IssuanceService() = default;

absl::StatusOr<std::unique_ptr<IssuanceService>> IssuanceService::Start(
    EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
    const crypto::SigningKey& signing_key, const domain::PolicyProfile& profile,
    const SpecificationSource& specifications, IssuanceOptions options) {
  if (options.pseudonym_secret.size() != 32 || options.vault_master_key.size() != 32) {
    return absl::InvalidArgumentError(
        "issuance: the pseudonym secret and the vault master key must be 32 bytes each");
  }
  auto impl = std::make_unique<Impl>(log, store, signer, signing_key, profile, specifications,
                                     std::move(options));
  if (auto s = impl->Start(); !s.ok()) return s;
  return std::unique_ptr<IssuanceService>(new IssuanceService(std::move(impl)));
}

absl::StatusOr<v1::IssuedCredential> IssuanceService::Issue(
    const auth::Caller& caller, const v1::IssueCredentialRequest& request) {
  return impl_->Issue(caller, request);
}
absl::StatusOr<v1::IssueCredentialsResponse> IssuanceService::IssueMany(
    const auth::Caller& caller, const v1::IssueCredentialsRequest& request) {
  return impl_->IssueMany(caller, request);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Revoke(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->Revoke(caller, request);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Suspend(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->Suspend(caller, request, /*reinstate=*/false);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Reinstate(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->Suspend(caller, request, /*reinstate=*/true);
}
absl::StatusOr<v1::ListLearnerCredentialsResponse> IssuanceService::ListLearnerCredentials(
    const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const {
  return impl_->List(caller, request);
}
absl::StatusOr<v1::ExportedCredential> IssuanceService::Export(
    const auth::Caller& caller, const v1::ExportCredentialRequest& request) const {
  return impl_->Export(caller, request);
}
absl::StatusOr<v1::EraseLearnerResponse> IssuanceService::EraseLearner(
    const auth::Caller& caller, const v1::EraseLearnerRequest& request) {
  return impl_->Erase(caller, request);
}
absl::StatusOr<std::string> IssuanceService::LearnerPseudonym(const std::string& learner_id) const {
  return impl_->Pseudonym(learner_id);
}

v1::VerificationReport IssuanceService::Verify(const v1::VerifyCredentialRequest& request) const {
  return impl_->Verify(request);
}
absl::StatusOr<std::string> IssuanceService::StatusList(const std::string& purpose) const {
  auto parsed = status_list::ParseStatusPurpose(purpose);
  if (!parsed.ok()) return parsed.status();
  return impl_->StatusList(*parsed);
}
absl::StatusOr<std::string> IssuanceService::Jwks(const std::string& institution_id) const {
  return impl_->Jwks(institution_id);
}
const std::string& IssuanceService::institution_id() const { return impl_->institution(); }
Projector& IssuanceService::projector() { return impl_->projector(); }

}  // namespace microcred::issuance
