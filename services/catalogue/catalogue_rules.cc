#include "services/catalogue/catalogue_rules.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/domain/provider.h"
#include "libs/domain/specification.h"
#include "libs/domain/specification_id.h"

namespace microcred::catalogue {
namespace {

using v1::Specification;

absl::CivilDay DayOf(int64_t at_ms) {
  return absl::ToCivilDay(absl::FromUnixMillis(at_ms), absl::UTCTimeZone());
}

absl::Status CheckOwnedBy(const std::string& specification_id, const Author& author) {
  absl::StatusOr<std::string> owner = domain::OwnerOf(specification_id, "specification_id");
  if (!owner.ok()) return owner.status();
  if (*owner != author.institution_id) {
    return absl::PermissionDeniedError("specification_id: " + specification_id + " belongs to " +
                                       *owner + ", not to " + author.institution_id);
  }
  return absl::OkStatus();
}

absl::Status CheckContent(const Specification& proposed, const Author& author,
                          const RuleContext& ctx) {
  domain::SpecificationContext spec_ctx{
      .profile = ctx.profile,
      .publishing_institution = author.institution_id,
      .lookup_institution = ctx.lookup,
      .today = DayOf(author.at_ms),
  };
  return domain::ValidateSpecificationContent(proposed.content(), spec_ctx);
}

// A specification id names one specification across every ecosystem: the one it was published in
// keeps it.
absl::Status CheckSameEcosystem(const std::string& specification_id, const Author& author,
                                const std::optional<Specification>& current) {
  if (!current.has_value() || current->ecosystem_id() == author.ecosystem_id) {
    return absl::OkStatus();
  }
  return absl::AlreadyExistsError("specification_id: " + specification_id +
                                  " is published in ecosystem " + current->ecosystem_id() +
                                  "; it cannot be changed in ecosystem " + author.ecosystem_id);
}

absl::Status CheckRecordShape(const Specification& proposed, const Author& author) {
  if (!proposed.ecosystem_id().empty() && proposed.ecosystem_id() != author.ecosystem_id) {
    return absl::InvalidArgumentError("ecosystem_id: the record states " + proposed.ecosystem_id() +
                                      " but is written in " + author.ecosystem_id);
  }
  if (proposed.owner_institution() != author.institution_id) {
    return absl::PermissionDeniedError("owner_institution: must be the writing institution " +
                                       author.institution_id);
  }
  if (proposed.status() != v1::SPECIFICATION_STATUS_PUBLISHED) {
    return absl::InvalidArgumentError("status: a published version must be PUBLISHED");
  }
  return CheckOwnedBy(proposed.specification_id(), author);
}

}  // namespace

absl::StatusOr<Specification> DecidePublish(const Specification& proposed, const Author& author,
                                            const std::optional<Specification>& current,
                                            const RuleContext& ctx) {
  if (absl::Status s = CheckRecordShape(proposed, author); !s.ok()) return s;
  if (absl::Status s = CheckSameEcosystem(proposed.specification_id(), author, current); !s.ok()) {
    return s;
  }
  if (current.has_value()) {
    return absl::AlreadyExistsError("specification_id: " + proposed.specification_id() +
                                    " is already published; revise it instead");
  }
  if (proposed.version() != 1) {
    return absl::InvalidArgumentError("version: a new specification starts at version 1");
  }
  if (absl::Status s = CheckContent(proposed, author, ctx); !s.ok()) return s;
  Specification decided = proposed;
  decided.set_published_at_ms(author.at_ms);
  decided.set_ecosystem_id(author.ecosystem_id);
  return decided;
}

absl::StatusOr<Specification> DecideRevise(const Specification& proposed, const Author& author,
                                           const std::optional<Specification>& current,
                                           const RuleContext& ctx) {
  if (absl::Status s = CheckRecordShape(proposed, author); !s.ok()) return s;
  if (!current.has_value()) {
    return absl::NotFoundError("specification_id: " + proposed.specification_id() +
                               " is not in the catalogue");
  }
  if (absl::Status s = CheckSameEcosystem(proposed.specification_id(), author, current); !s.ok()) {
    return s;
  }
  if (current->status() == v1::SPECIFICATION_STATUS_WITHDRAWN) {
    return absl::FailedPreconditionError("specification_id: " + proposed.specification_id() +
                                         " is withdrawn and can no longer be revised");
  }
  if (proposed.version() != current->version() + 1) {
    return absl::AbortedError("version: the current version is " +
                              std::to_string(current->version()) + ", so a revision must be " +
                              std::to_string(current->version() + 1));
  }
  if (absl::Status s = CheckContent(proposed, author, ctx); !s.ok()) return s;
  Specification decided = proposed;
  decided.set_published_at_ms(author.at_ms);
  decided.set_ecosystem_id(author.ecosystem_id);
  return decided;
}

absl::StatusOr<Specification> DecideWithdraw(const v1::SpecificationWithdrawn& withdrawal,
                                             const Author& author,
                                             const std::optional<Specification>& current) {
  if (absl::Status s = CheckOwnedBy(withdrawal.specification_id(), author); !s.ok()) return s;
  if (!current.has_value()) {
    return absl::NotFoundError("specification_id: " + withdrawal.specification_id() +
                               " is not in the catalogue");
  }
  if (absl::Status s = CheckSameEcosystem(withdrawal.specification_id(), author, current);
      !s.ok()) {
    return s;
  }
  if (current->status() == v1::SPECIFICATION_STATUS_WITHDRAWN) {
    return absl::FailedPreconditionError("specification_id: " + withdrawal.specification_id() +
                                         " is already withdrawn");
  }
  if (withdrawal.version() != current->version()) {
    return absl::AbortedError("version: the current version is " +
                              std::to_string(current->version()));
  }
  if (withdrawal.reason().empty() || withdrawal.reason().size() > 2000) {
    return absl::InvalidArgumentError("reason: required, at most 2000 characters");
  }
  Specification decided = *current;
  decided.set_status(v1::SPECIFICATION_STATUS_WITHDRAWN);
  decided.set_withdrawal_reason(withdrawal.reason());
  return decided;
}

absl::StatusOr<v1::ProviderProfile> DecideProfile(const v1::ProviderProfile& proposed,
                                                  const Author& author,
                                                  const registry::v1::Member* registered) {
  if (proposed.institution_id() != author.institution_id) {
    return absl::PermissionDeniedError("profile.institution_id: " + author.institution_id +
                                       " may only publish its own provider profile");
  }
  if (registered == nullptr) {
    return absl::FailedPreconditionError(
        "profile.institution_id: " + author.institution_id + " is not registered in the ecosystem" +
        (author.ecosystem_id.empty() ? "" : " " + author.ecosystem_id));
  }
  if (absl::Status s = domain::ValidateProviderProfile(
          proposed, domain::InstitutionFactsFromMember(*registered));
      !s.ok()) {
    return s;
  }
  v1::ProviderProfile decided = proposed;
  decided.set_ecosystem_id(author.ecosystem_id);  // output only: where it is published
  decided.clear_public_key_ids();
  for (const registry::v1::PublicKey& key : registered->admitted().keys()) {
    decided.add_public_key_ids(key.key_id());
  }
  return decided;
}

}  // namespace microcred::catalogue
