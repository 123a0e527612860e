// service_vectors: what the issuance service itself issues, for verify.mjs to check with
// panva/jose (run.sh --service drives both halves).
//
//   service_vectors OUT.json
//
// An in-memory node (LocalEcosystem, `eu` profile) publishes a specification and issues
// credentials through IssuanceService::Issue, with EdDSA (its default) and RS256 (it registered
// an RSA key too), in both securing profiles (Open Badges 3.0 VC-JWT, the default, and
// VC-JOSE-COSE), with and without a validUntil; its JWK Set, both keys, is
// IssuanceService::Jwks. Written next to them: the node's signed status lists, tampered and
// forged copies every verifier must refuse, and tokens that carry a valid signature by the
// institution's own key but break the rules of a credential (typ, header members, registered
// claims, issuer) that verify.mjs checks on top of the signature.
//
// The format is jose_vectors', with two additions verify.mjs understands:
//   "jwks" (file level)   a vector without "jwk" is verified against this JWK Set, the key
//                         chosen by the header's kid, as a verifier fetching the JWKS would;
//   "credential": true    after the signature, the header must be one of the two profiles'
//                         (typ "JWT" or none, with only alg, kid, jwk, typ: Open Badges 3.0;
//                         typ "vc+jwt": VC-JOSE-COSE), the registered claims present must copy
//                         the credential's members (iss = issuer.id, jti = id, sub =
//                         credentialSubject.id, nbf = validFrom, exp = validUntil, as
//                         NumericDates), the Open Badges profile must have them all, and the
//                         payload's issuer id (issuer.id, or issuer when it is a string) must
//                         be the kid's issuer part (before "/keys/", or before a '#').
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/jose/jws.h"
#include "libs/jose/testing/token_parts.h"
#include "nlohmann/json.hpp"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

using Json = nlohmann::json;

const Institution kUniversity{"uantwerpen", "Universiteit Antwerpen",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-VAN"};

common::v1::Date DayFromToday(int days) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days;
  return domain::ToDate(day);
}

issuance::v1::IssueCredentialRequest Request(const std::string& request_id,
                                             const std::string& given_name,
                                             const std::string& family_name) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(kUniversity.id + "/data-literacy");
  r.mutable_learner()->set_learner_id("UA-" + request_id);
  r.mutable_learner()->set_given_name(given_name);
  r.mutable_learner()->set_family_name(family_name);
  r.mutable_learner()->set_email(request_id + "@student.example.org");
  *r.mutable_issued_on() = DayFromToday(-1);
  r.set_place_of_issuing("Antwerpen");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

using jose::testing::JoinToken;
using jose::testing::SplitToken;
using Parts = jose::testing::TokenParts;

std::string PayloadOf(const std::string& jws) {
  return crypto::Base64UrlDecode(SplitToken(jws).payload).value_or("");
}

Json Valid(std::string name, const std::string& jws) {
  return {{"name", std::move(name)},
          {"jws", jws},
          {"expect", "valid"},
          {"payload", PayloadOf(jws)},
          {"credential", true}};
}

Json Invalid(std::string name, const std::string& jws) {
  return {{"name", std::move(name)}, {"jws", jws}, {"expect", "invalid"}, {"credential", true}};
}

// The header of `parsed` without the alg and kid SignCompact writes: its profile's extra header.
Json ProfileHeader(const jose::ParsedJws& parsed) {
  Json header = parsed.header;
  header.erase("alg");
  header.erase("kid");
  return header;
}

// Makes a signer for this vector's algorithm with a fresh key of its own under `kid`.
using SignerFactory = std::function<std::unique_ptr<jose::JwsSigner>(const std::string& kid)>;

// Valid credentials by the service, and their tampered and forged copies, for one algorithm.
// `own` holds the key the service signed `issued` with; `stranger` makes other keys.
void AddCredentialVectors(const std::string& alg,
                          const std::vector<issuance::v1::IssuedCredential>& issued,
                          const SignerFactory& own, const SignerFactory& stranger, Json& out) {
  for (const auto& credential : issued) {
    out.push_back(Valid(alg + ": credential " + credential.credential_id() + " from Issue",
                        credential.jws()));
  }
  // The first credential of the list is in the Open Badges profile, with the claims.
  const std::string& jws = issued.front().jws();
  absl::StatusOr<jose::ParsedJws> parsed = jose::ParseCompact(jws);
  if (!parsed.ok()) return;
  Json credential = Json::parse(parsed->payload);
  const Json header = ProfileHeader(*parsed);

  Json raised = credential;
  raised["name"] = raised.value("name", "") + " (with honours)";
  Parts payload = SplitToken(jws);
  payload.payload = crypto::Base64UrlEncode(raised.dump());
  out.push_back(Invalid(alg + ": payload changed after issuance", JoinToken(payload)));

  Parts flipped = SplitToken(jws);
  std::string signature = *crypto::Base64UrlDecode(flipped.signature);
  signature[signature.size() / 2] ^= 0x01;
  flipped.signature = crypto::Base64UrlEncode(signature);
  out.push_back(Invalid(alg + ": one signature bit flipped", JoinToken(flipped)));

  // Another key under the institution's published kid, and under a kid it never published.
  out.push_back(Invalid(alg + ": signed by another key under the published kid",
                        jose::SignCompact(*stranger(parsed->kid), header, parsed->payload)));
  const std::string issuer_id = parsed->kid.substr(0, parsed->kid.rfind("/keys/"));
  out.push_back(Invalid(
      alg + ": kid not in the institution's JWKS",
      jose::SignCompact(*stranger(issuer_id + "/keys/unpublished"), header, parsed->payload)));

  // The institution's own key, so the signature verifies: only verify.mjs's credential checks
  // can refuse these.
  std::unique_ptr<jose::JwsSigner> genuine = own(parsed->kid);
  auto sign = [&](const Json& extra_header, const Json& payload) {
    return jose::SignCompact(*genuine, extra_header, payload.dump());
  };
  out.push_back(Invalid(alg + ": genuine signature, typ at+jwt (not a credential's)",
                        sign({{"typ", "at+jwt"}}, credential)));
  out.push_back(Invalid(alg + ": genuine signature, Open Badges header with cty",
                        sign({{"typ", "JWT"}, {"cty", "vc"}}, credential)));
  Json elsewhere = credential;
  elsewhere["issuer"]["id"] = "https://elsewhere.example/institutions/" + kUniversity.id;
  elsewhere["iss"] = elsewhere["issuer"]["id"];
  out.push_back(Invalid(alg + ": genuine signature, issuer.id not the kid's issuer",
                        sign(header, elsewhere)));
  // Registered claims that contradict the credential, in either profile; missing ones in the
  // Open Badges profile.
  const std::vector<std::pair<std::string, Json>> contradictions = {
      {"iss", "https://elsewhere.example/institutions/" + kUniversity.id},
      {"jti", "urn:uuid:00000000-0000-4000-8000-000000000000"},
      {"sub", "urn:microcred:learner:someone-else"},
      {"nbf", credential.value("nbf", int64_t{0}) + 86400},
      // The first credential has no validUntil: any exp contradicts it.
      {"exp", credential.value("nbf", int64_t{0}) + 86400 * 365},
  };
  for (const auto& [claim, value] : contradictions) {
    Json contradicting = credential;
    contradicting[claim] = value;
    out.push_back(Invalid(
        alg + ": genuine signature, Open Badges profile, " + claim + " contradicts the credential",
        sign(header, contradicting)));
    Json bare = credential;
    for (const char* name : {"iss", "jti", "sub", "nbf", "exp"}) bare.erase(name);
    bare[claim] = value;
    out.push_back(Invalid(
        alg + ": genuine signature, VC-JOSE-COSE profile, " + claim + " contradicts the credential",
        sign(jose::VcJwtHeader(), bare)));
  }
  for (const char* claim : {"iss", "jti", "sub", "nbf"}) {
    Json missing = credential;
    missing.erase(claim);
    out.push_back(Invalid(alg + ": genuine signature, Open Badges profile without " + claim,
                          sign(header, missing)));
  }
}

int Write(const std::string& path) {
  MemoryEventLog log;
  MemoryStateStore store;
  LocalEcosystem ecosystem("jose-interop", *domain::PolicyProfile::Named("eu"));
  auto fail = [](const std::string& what, const absl::Status& status) {
    std::cerr << "service_vectors: " << what << ": " << status << "\n";
    return 1;
  };
  // The institution signs with Ed25519 by default, and has opted into RS256 as well.
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  absl::StatusOr<jose::RsaPrivateKey> rsa_key = jose::RsaPrivateKey::Generate();
  if (!rsa_key.ok()) return fail("RSA key", rsa_key.status());
  if (auto s = ecosystem.Admit(log, kUniversity, key, &*rsa_key); !s.ok()) return fail("admit", s);
  auto node = ecosystem.StartNode(log, store, kUniversity, key, *rsa_key);
  if (!node.ok()) return fail("start node", node.status());
  const auth::Caller staff = StaffOf(kUniversity.id);

  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
  if (auto spec = (*node)->catalogue().Publish(staff, publish); !spec.ok()) {
    return fail("publish", spec.status());
  }

  // Each profile, with and without a validUntil; the first, in the node's default profile (Open
  // Badges 3.0), is the one the forgeries start from.
  std::vector<issuance::v1::IssuedCredential> eddsa;
  auto plain = Request("award-1", "Jan", "Janssens");
  auto graded = Request("award-2", "Zoë", "Van den Brœck");  // non-ASCII: UTF-8 bytes agree
  graded.mutable_grade()->set_value("17/20");
  graded.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
  graded.set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  auto expiring = Request("award-3", "Ahmed", "El Idrissi");
  *expiring.mutable_valid_until() = DayFromToday(365);
  expiring.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  auto expiring_vc = Request("award-4", "Lotte", "Peeters");
  *expiring_vc.mutable_valid_until() = DayFromToday(30);
  expiring_vc.set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  for (const auto& request : {plain, graded, expiring, expiring_vc}) {
    auto issued = (*node)->issuance().Issue(staff, request);
    if (!issued.ok()) return fail("issue " + request.request_id(), issued.status());
    eddsa.push_back(*issued);
  }

  Json vectors = Json::array();
  AddCredentialVectors(
      "EdDSA", eddsa,
      [&key](const std::string& kid) { return std::make_unique<jose::Ed25519JwsSigner>(key, kid); },
      [](const std::string& kid) {
        return std::make_unique<jose::Ed25519JwsSigner>(crypto::SigningKey::Generate(), kid);
      },
      vectors);

  // The status lists are credentials too, signed by the same key.
  issuance::v1::ChangeStatusRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_credential_id(eddsa[2].credential_id());
  revoke.set_reason("issued in error");
  if (auto s = (*node)->issuance().Revoke(staff, revoke); !s.ok()) {
    return fail("revoke", s.status());
  }
  for (const char* purpose : {"revocation", "suspension", "message"}) {
    auto list = (*node)->issuance().StatusList(purpose);
    if (!list.ok()) return fail(std::string("status list ") + purpose, list.status());
    vectors.push_back(Valid(std::string("EdDSA: ") + purpose + " status list", *list));
  }

  // RS256, for verifiers that accept nothing else.
  absl::StatusOr<jose::RsaPrivateKey> other_rsa = jose::RsaPrivateKey::Generate();
  if (!other_rsa.ok()) return fail("RSA key", other_rsa.status());
  std::vector<issuance::v1::IssuedCredential> rs256;
  auto rs256_vc = Request("award-rs256-2", "Ørjan", "Ødegård");
  rs256_vc.set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  *rs256_vc.mutable_valid_until() = DayFromToday(90);
  for (auto request : {Request("award-rs256-1", "Marie", "Claes"), rs256_vc}) {
    request.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_RS256);
    auto issued = (*node)->issuance().Issue(staff, request);
    if (!issued.ok()) return fail("issue " + request.request_id(), issued.status());
    if (jose::ParseCompact(issued->jws())->algorithm != jose::JwsAlgorithm::kRS256) {
      return fail(request.request_id(), absl::InternalError("not signed with RS256"));
    }
    rs256.push_back(*issued);
  }
  AddCredentialVectors(
      "RS256", rs256,
      [&rsa_key](const std::string& kid) {
        return std::make_unique<jose::RsaJwsSigner>(*rsa_key, kid);
      },
      [&other_rsa](const std::string& kid) {
        return std::make_unique<jose::RsaJwsSigner>(*other_rsa, kid);
      },
      vectors);

  auto jwks = (*node)->issuance().Jwks(kUniversity.id);
  if (!jwks.ok()) return fail("jwks", jwks.status());
  Json file = {{"generator", "microcred IssuanceService"},
               {"jwks", Json::parse(*jwks)},
               {"vectors", vectors}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << file.dump(1) << "\n";
  if (!out.flush()) {
    std::cerr << "service_vectors: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "service_vectors: wrote " << vectors.size() << " vectors to " << path << "\n";
  return 0;
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  if (argc != 2) {
    std::cerr << "usage: service_vectors OUT.json\n";
    return 2;
  }
  return microcred::Write(argv[1]);
}
