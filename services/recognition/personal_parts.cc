// RequestVault (recognition_internal.h): the personal parts of a request, sealed under the
// learner's key when the request is committed and opened when it is answered.
#include "services/recognition/recognition_internal.h"

namespace microcred::recognition::internal {

RequestVault::RequestVault(StateStore& store, privacy::VaultMasterKey master_key)
    : master_key_(std::move(master_key)), vault_(store, master_key_) {}

absl::StatusOr<v1::RecognitionRequest> RequestVault::Answer(const v1::RequestRecord& record) const {
  v1::RecognitionRequest request = record.request();
  if (record.sealed_personal().empty()) return request;
  auto opened = vault_.Open(record.vault_ref(), record.sealed_personal());
  if (opened.status().code() == absl::StatusCode::kFailedPrecondition) return request;
  if (!opened.ok()) return opened.status();
  v1::PersonalParts personal;
  if (!personal.ParseFromString(*opened)) return absl::DataLossError("unreadable personal parts");
  for (int i = 0; i < request.credentials_size() && i < personal.credential_jws_size(); ++i) {
    request.mutable_credentials(i)->set_jws(personal.credential_jws(i));
  }
  if (personal.has_vae_file()) *request.mutable_vae_file() = personal.vae_file();
  return request;
}

absl::Status RequestVault::Open(Working& w) const {
  auto opened = vault_.Open(w.record.vault_ref(), w.record.sealed_personal());
  if (!opened.ok()) return opened.status();
  if (!w.personal.ParseFromString(*opened)) {
    return absl::DataLossError("unreadable personal parts");
  }
  return absl::OkStatus();
}

absl::Status RequestVault::SealInto(Working& w, WriteBatch& writes) const {
  if (!w.personal_changed) return absl::OkStatus();
  auto sealed = vault_.Seal(w.record.vault_ref(), w.personal.SerializeAsString(), writes);
  if (!sealed.ok()) return sealed.status();
  w.record.set_sealed_personal(*sealed);
  return absl::OkStatus();
}

absl::Status RequestVault::CommitRequest(Working& w, command::CommandOutcome& outcome,
                                         command::CommandPath& path) {
  absl::MutexLock lock(&writer_mu_);
  if (absl::Status s = SealInto(w, outcome.writes); !s.ok()) return s;
  RecognitionState::PutRequest(w.record, outcome.writes);
  return path.Commit(outcome);
}

}  // namespace microcred::recognition::internal
