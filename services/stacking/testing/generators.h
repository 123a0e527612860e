// Generated pathways, credentials and catalogues of a realistic shape, for tests and
// benchmarks: a receiving institution's pathway of groups of leaf requirements that filter by
// ISCED-F field and EQF level, so that most credentials match few requirements.
//
// Deterministic for a given seed. Not for production use.
#ifndef MICROCRED_SERVICES_STACKING_TESTING_GENERATORS_H_
#define MICROCRED_SERVICES_STACKING_TESTING_GENERATORS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking::testing {

inline constexpr char kReceiver[] = "receiver";

struct Shape {
  int requirements = 30;  // leaves
  int fields = 200;       // distinct ISCED-F detailed fields in the ecosystem
  int issuers = 20;
  bool caps = true;
};

// A pathway owned by kReceiver with `shape.requirements` leaves in groups of five (all-of,
// any-of, at-least-two), a root minimum, and (with shape.caps) external and per-issuer caps.
v1::Pathway RealisticPathway(uint64_t seed, const Shape& shape);

// `count` credentials, about half in the pathway's fields; a third issued by kReceiver, the
// rest recognised (mostly), pending or refused.
std::vector<v1::CredentialFacts> RealisticCredentials(uint64_t seed, int count, const Shape& shape);

// `count` specifications spread over every field and issuer.
std::vector<v1::SpecificationSummary> RealisticCatalogue(uint64_t seed, int count,
                                                         const Shape& shape);

// ISCED-F detailed field number `i` ("0" + three digits, broad fields 00 to 09).
std::string FieldCode(int i);

}  // namespace microcred::stacking::testing

#endif  // MICROCRED_SERVICES_STACKING_TESTING_GENERATORS_H_
