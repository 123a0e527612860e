#include "services/issuance/status_rules.h"

namespace microcred::issuance {
namespace {

using v1::CredentialStatus;
using v1::KnownCredential;

absl::Status CheckIssuer(const std::string& credential_id, const EventAuthor& author,
                         const std::optional<KnownCredential>& known) {
  if (!known.has_value()) {
    return absl::NotFoundError("credential_id: " + credential_id + " was never issued");
  }
  if (known->issuer() != author.institution_id) {
    return absl::PermissionDeniedError("credential_id: " + credential_id + " was issued by " +
                                       known->issuer() + ", not by " + author.institution_id);
  }
  if (known->ecosystem_id() != author.ecosystem_id) {
    return absl::AbortedError("credential_id: " + credential_id + " was issued in ecosystem " +
                              known->ecosystem_id() + "; its status cannot change in ecosystem " +
                              author.ecosystem_id);
  }
  return absl::OkStatus();
}

KnownCredential WithStatus(KnownCredential known, CredentialStatus status,
                           const std::string& reason, int64_t at_ms) {
  known.set_status(status);
  known.set_status_reason(reason);
  v1::StatusChange* change = known.add_history();
  change->set_status(status);
  change->set_reason(reason);
  change->set_at_ms(at_ms);
  return known;
}

}  // namespace

absl::StatusOr<KnownCredential> DecideIssued(const v1::CredentialIssued& event,
                                             const EventAuthor& author,
                                             const std::optional<KnownCredential>& known,
                                             const domain::PolicyProfile& profile) {
  if (known.has_value()) {
    return absl::AlreadyExistsError("credential_id: " + event.credential_id() +
                                    " is already issued");
  }
  if (event.credential_id().rfind("urn:uuid:", 0) != 0 || event.learner_pseudonym().empty() ||
      event.specification_id().empty() || event.signature_sha256().size() != 32) {
    return absl::InvalidArgumentError(
        "CredentialIssued: needs a urn:uuid credential id, a learner pseudonym, a "
        "specification id and the credential's SHA-256");
  }
  if (!profile.MayIssue(author.facts.provider_type)) {
    return absl::FailedPreconditionError("issuer: provider type " +
                                         domain::ProviderTypeLabel(author.facts.provider_type) +
                                         " may not issue under policy profile " + profile.name());
  }
  KnownCredential record;
  record.set_credential_id(event.credential_id());
  record.set_issuer(author.institution_id);
  record.set_learner_pseudonym(event.learner_pseudonym());
  record.set_specification_id(event.specification_id());
  record.set_specification_version(event.specification_version());
  *record.mutable_issued_on() = event.issued_on();
  *record.mutable_valid_until() = event.valid_until();
  record.set_ects_earned(event.ects_earned());
  record.set_signature_sha256(event.signature_sha256());
  record.set_key_id(event.key_id());
  record.set_status_list_index(event.status_list_index());
  record.set_issued_at_ms(author.at_ms);
  record.set_ecosystem_id(author.ecosystem_id);
  return WithStatus(std::move(record), v1::CREDENTIAL_STATUS_ACTIVE, "issued", author.at_ms);
}

absl::StatusOr<KnownCredential> DecideRevoked(const v1::CredentialRevoked& event,
                                              const EventAuthor& author,
                                              const std::optional<KnownCredential>& known) {
  if (auto s = CheckIssuer(event.credential_id(), author, known); !s.ok()) return s;
  if (known->status() == v1::CREDENTIAL_STATUS_REVOKED) {
    return absl::FailedPreconditionError("credential_id: " + event.credential_id() +
                                         " is already revoked");
  }
  if (event.reason().empty()) return absl::InvalidArgumentError("reason: is required");
  return WithStatus(*known, v1::CREDENTIAL_STATUS_REVOKED, event.reason(), author.at_ms);
}

absl::StatusOr<KnownCredential> DecideSuspended(const v1::CredentialSuspended& event,
                                                const EventAuthor& author,
                                                const std::optional<KnownCredential>& known) {
  if (auto s = CheckIssuer(event.credential_id(), author, known); !s.ok()) return s;
  if (event.reason().empty()) return absl::InvalidArgumentError("reason: is required");
  const CredentialStatus from =
      event.reinstated() ? v1::CREDENTIAL_STATUS_SUSPENDED : v1::CREDENTIAL_STATUS_ACTIVE;
  if (known->status() != from) {
    return absl::FailedPreconditionError("credential_id: " + event.credential_id() + " is " +
                                         v1::CredentialStatus_Name(known->status()) + "; only " +
                                         v1::CredentialStatus_Name(from) + " credentials can be " +
                                         (event.reinstated() ? "reinstated" : "suspended"));
  }
  return WithStatus(
      *known, event.reinstated() ? v1::CREDENTIAL_STATUS_ACTIVE : v1::CREDENTIAL_STATUS_SUSPENDED,
      event.reason(), author.at_ms);
}

}  // namespace microcred::issuance
