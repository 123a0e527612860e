#include "services/issuance/issue_commands.h"

#include <set>
#include <thread>

#include "libs/consumer/staged_state.h"
#include "libs/credentials/open_badge.h"
#include "libs/events/topics.h"
#include "libs/verification/credential_verifier.h"
#include "libs/verification/securing_profile.h"

namespace microcred::issuance {
namespace {

constexpr char kIssueCommand[] = "issue";

command::CommandRecord IssueRecord(const std::string& credential_id) {
  command::CommandRecord record;
  record.set_kind(kIssueCommand);
  record.set_resource_id(credential_id);
  return record;
}

void Refuse(v1::RowResult& result, const absl::Status& status) {
  result.set_code(static_cast<int>(status.code()));
  result.set_message(std::string(status.message()));
}

}  // namespace

absl::StatusOr<v1::IssuedCredential> IssueCommands::Issue(
    const auth::Caller& caller, const v1::IssueCredentialRequest& request) {
  if (auto s = core_.CheckStaff(caller); !s.ok()) return s;
  auto claim = core_.path.Claim(request.request_id());
  if (!claim.ok()) return claim.status();
  auto prior = core_.path.Replay(request.request_id(), kIssueCommand);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return core_.Answer((*prior)->resource_id());
  std::vector<PreparedIssue> batch;
  {
    CredentialPreparation::Batch preparing(preparation_);
    auto prepared = preparing.Prepare(request);
    if (!prepared.ok()) return prepared.status();
    batch.push_back(*std::move(prepared));
  }
  if (auto s = Write(batch); !s.ok()) return s;
  return batch[0].answer;
}

absl::StatusOr<v1::IssueCredentialsResponse> IssueCommands::IssueMany(
    const auth::Caller& caller, const v1::IssueCredentialsRequest& request) {
  if (auto s = core_.CheckStaff(caller); !s.ok()) return s;
  if (request.rows_size() > kMaxRows) {
    return absl::InvalidArgumentError("rows: at most " + std::to_string(kMaxRows) +
                                      " per call; split the cohort");
  }
  v1::IssueCredentialsResponse response;
  // Each row's request id is held until its event is applied: a concurrent call with the same
  // id is refused instead of preparing the credential a second time.
  std::vector<command::RequestClaims::Claim> claims;
  std::vector<int> claimed_rows;
  std::vector<std::string> claimed_ids;
  std::set<std::string> seen_requests;
  for (int row = 0; row < request.rows_size(); ++row) {
    v1::RowResult* result = response.add_results();
    result->set_row(row);
    const std::string& id = request.rows(row).request_id();
    absl::Status valid = core_.path.ValidateRequestId(id);
    if (valid.ok() && !seen_requests.insert(id).second) {
      valid = absl::InvalidArgumentError("request_id: repeated within this call");
    }
    auto claim = valid.ok() ? core_.path.Claim(id) : valid;
    if (!claim.ok()) {
      Refuse(*result, claim.status());
      continue;
    }
    claims.push_back(*std::move(claim));
    claimed_rows.push_back(row);
    claimed_ids.push_back(id);
  }
  auto priors = core_.path.ReplayMany(claimed_ids);
  if (!priors.ok()) return priors.status();
  std::vector<PreparedIssue> batch;
  std::vector<int> rows_of_batch;
  {
    CredentialPreparation::Batch preparing(preparation_);
    for (size_t i = 0; i < claimed_rows.size(); ++i) {
      v1::RowResult& result = *response.mutable_results(claimed_rows[i]);
      const std::optional<command::CommandRecord>& prior = (*priors)[i];
      if (prior.has_value()) {
        absl::Status kind = core_.path.CheckKind(claimed_ids[i], *prior, kIssueCommand);
        auto answer = kind.ok() ? core_.Answer(prior->resource_id())
                                : absl::StatusOr<v1::IssuedCredential>(kind);
        if (answer.ok()) {
          *result.mutable_credential() = *std::move(answer);
        } else {
          Refuse(result, answer.status());
        }
        continue;
      }
      absl::StatusOr<PreparedIssue> prepared = preparing.Prepare(request.rows(claimed_rows[i]));
      if (!prepared.ok()) {
        Refuse(result, prepared.status());
        continue;
      }
      batch.push_back(*std::move(prepared));
      rows_of_batch.push_back(claimed_rows[i]);
    }
  }
  if (!batch.empty()) {
    if (auto s = Write(batch); !s.ok()) return s;
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

absl::Status IssueCommands::Sign(PreparedIssue& p, command::SealedEvent& event) const {
  absl::StatusOr<std::string> document = credentials::WriteOpenBadgeCredential(p.document);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::string> payload = verification::CredentialPayload(
      p.securing_profile, *document, credentials::ClaimedMembersOf(p.document));
  if (!payload.ok()) return payload.status();
  p.jws = p.signer->Sign(*payload);
  p.event.set_signature_sha256(verification::IssuedSignatureDigest(p.jws));
  p.answer.set_jws(p.jws);
  auto sealed =
      core_.path.SealIn(p.ecosystem_id, topics::kIssuance, p.event.credential_id(), p.request_id,
                        p.event, p.record.issued_at_ms(), "specification_id");
  if (!sealed.ok()) return sealed.status();
  event = *std::move(sealed);
  return absl::OkStatus();
}

absl::Status IssueCommands::SignAll(std::vector<PreparedIssue>& prepared,
                                    std::vector<command::SealedEvent>& events) const {
  events.resize(prepared.size());
  const size_t workers =
      prepared.size() < 64 ? 1 : std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<absl::Status> results(workers);
  auto work = [&](size_t w) {
    for (size_t i = w; i < prepared.size() && results[w].ok(); i += workers) {
      results[w] = Sign(prepared[i], events[i]);
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

absl::Status IssueCommands::Write(std::vector<PreparedIssue>& prepared) {
  command::CommandOutcome outcome;
  if (auto s = SignAll(prepared, outcome.events); !s.ok()) return s;
  if (auto s = Commit(prepared, outcome); !s.ok()) return s;
  return core_.path.Publish(std::move(outcome.events));
}

absl::Status IssueCommands::Commit(std::vector<PreparedIssue>& prepared,
                                   command::CommandOutcome& outcome) {
  absl::MutexLock lock(&store_mu_);
  // The learners' keys are read in one round trip; the vault then finds them staged.
  StagedState reads(core_.context.store);
  std::vector<std::string> key_entries;
  for (const PreparedIssue& p : prepared) {
    key_entries.push_back(privacy::LearnerVault::LearnerKeyStoreKey(p.record.learner_pseudonym()));
  }
  if (auto s = reads.Prefetch(key_entries); !s.ok()) return s;
  const privacy::LearnerVault vault(reads, core_.master_key);
  for (PreparedIssue& p : prepared) {
    auto sealed_jws = vault.Seal(p.record.learner_pseudonym(), p.jws, outcome.writes);
    if (!sealed_jws.ok()) return sealed_jws.status();
    auto sealed_facts = vault.Seal(p.record.learner_pseudonym(), p.facts, outcome.writes);
    if (!sealed_facts.ok()) return sealed_facts.status();
    p.record.set_sealed_jws(*sealed_jws);
    p.record.set_sealed_facts(*sealed_facts);
    IssuanceState::PutIssued(p.record, outcome.writes);
    outcome.records.emplace_back(p.request_id, IssueRecord(p.record.credential_id()));
  }
  return core_.path.Commit(outcome);
}

}  // namespace microcred::issuance
