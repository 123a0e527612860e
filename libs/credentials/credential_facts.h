// The facts a credential document is built from: the frozen specification version, the awarding
// bodies as the registry knows them, the issuance request (learner, date and place of issuing,
// grade, ...) and what the issuing node assigned (credential id, pseudonymous subject id, salt,
// status list index). BuildOpenBadgeCredential (open_badge.h) and BuildElmCredential (elm.h)
// render the same facts in two shapes.
//
// ValidateCredentialFacts checks that the facts hold everything a credential must carry. It
// reports the FIRST problem, as INVALID_ARGUMENT with a message that starts with the field path
// in this struct's member names, e.g. `issuance.learner: a given or family name is required`.
// It checks presence and shape, not policy: the specification was validated against the
// ecosystem's rules when it was published, and issuance checks its own rules (who may issue,
// dates relative to today) before it builds the documents. Pure; thread-safe.
#ifndef MICROCRED_LIBS_CREDENTIALS_CREDENTIAL_FACTS_H_
#define MICROCRED_LIBS_CREDENTIALS_CREDENTIAL_FACTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/common/v1/common.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::credentials {

// One awarding body, as the trust registry records it and its node publishes it.
struct IssuerFacts {
  std::string institution_id;  // "uclouvain"
  std::string legal_name;      // "Université catholique de Louvain"
  std::string country;         // ISO 3166-1 alpha-2
  std::string region;          // ISO 3166-2, optional
  common::v1::ProviderType provider_type = common::v1::PROVIDER_TYPE_UNSPECIFIED;
  std::string deqar_id;  // optional: "DEQARINST0107"
  // https URL of the institution's public profile on its own node, where its keys live:
  // "https://uclouvain.example/institutions/uclouvain". It is the issuer's id in the credential.
  // The issuing institution (issuers[0]) may instead be named by its did:web DID
  // ("did:web:uclouvain.example:institutions:uclouvain", libs/discovery/did_web.h).
  std::string profile_url;
};

// The facts the trust registry holds about a member, and where its node publishes its profile.
IssuerFacts IssuerFactsFromMember(const registry::v1::MemberAdmitted& member,
                                  std::string profile_url);

// Where a verifier reads the credential's status (W3C Bitstring Status List v1.0): the issuer
// publishes its lists under one base URL, each at status_list::StatusListUrl(base, purpose), and
// the credential has the same index in every list. Each document writes its own entries from
// these facts: the Open Badges document one "message" entry, the ELM document a revocation and
// a suspension entry (docs/CREDENTIALS.md, "Status").
struct StatusFacts {
  // https URL: "https://uclouvain.example/institutions/uclouvain/status". It also answers the
  // message entries' statusReference.
  std::string status_base_url;
  int64_t status_list_index = -1;  // the credential's entry in each list, >= 0
};

// The institution's e-seal as its certificate names the legal person (ETSI EN 319 412-1): the
// ELM document states it as the issuer's eIDAS identifier, so that the document and the seal
// that secures it name the same organisation. Only the ELM document uses it, and requires it.
struct SealFacts {
  // The certificate subject's organizationIdentifier (2.5.4.97): "VATBE-0123456789",
  // "NTRBE-0123456789", "LEIXG-..." (a legal-person semantics identifier).
  std::string organization_identifier;
  std::string country;  // the subject's countryName, ISO 3166-1 alpha-2
};

struct CredentialFacts {
  std::string credential_id;  // "urn:uuid:<uuid>"
  // The specification version the credential is issued against, frozen into the credential.
  catalogue::v1::Specification specification;
  // issuers[0] is the institution that issues (and signs) the credential; the others are the
  // co-awarding bodies of a joint award. Together they are exactly the specification's
  // awarding bodies.
  std::vector<IssuerFacts> issuers;
  // The learner's identity, date and place of issuing, grade, mode of acquisition, supervision
  // applied, valid_until. request_id and signature_algorithm are not part of the documents.
  issuance::v1::IssueCredentialRequest issuance;
  int64_t issued_at_ms = 0;  // when the node issued it (milliseconds since the Unix epoch)
  // The language the specification's texts (title, outcomes, descriptions) are written in, ISO
  // 639-1. Empty means the specification's first language. The catalogue does not record the
  // language of its texts, so the caller says it when it knows better.
  std::string text_language;
  // The credential subject's id, chosen by the caller: "urn:microcred:learner:<pseudonym>".
  std::string learner_subject_id;
  // Salts the hashes of the learner's e-mail address and learner id. Random, per credential:
  // hex of at least 16 bytes from crypto::RandomBytes.
  std::string identifier_salt;
  StatusFacts status;
  SealFacts seal;  // the ELM document's; the Open Badges document ignores it
};

absl::Status ValidateCredentialFacts(const CredentialFacts& facts);

}  // namespace microcred::credentials

#endif  // MICROCRED_LIBS_CREDENTIALS_CREDENTIAL_FACTS_H_
