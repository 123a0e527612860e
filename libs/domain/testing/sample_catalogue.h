// Realistic sample specifications, for the tests, the benchmarks and the demo (a testing
// library: no production code links it).
#ifndef MICROCRED_LIBS_DOMAIN_TESTING_SAMPLE_CATALOGUE_H_
#define MICROCRED_LIBS_DOMAIN_TESTING_SAMPLE_CATALOGUE_H_

#include <cstdint>
#include <string>

#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::catalogue::samples {

v1::SpecificationContent DataLiteracy(const std::string& issuer);
v1::SpecificationContent AiEthics(const std::string& issuer);
v1::SpecificationContent CloudOperations(const std::string& issuer);
v1::SpecificationContent DataVisualisation(const std::string& issuer);
// Hours, not ECTS: a training partner's course.
v1::SpecificationContent PythonBasics(const std::string& issuer);

// A plausible specification drawn from word lists, the same for the same `seed`: for
// benchmarks over large generated catalogues. `issuer` is its only awarding body.
v1::SpecificationContent Generated(const std::string& issuer, uint64_t seed);

}  // namespace microcred::catalogue::samples

#endif  // MICROCRED_LIBS_DOMAIN_TESTING_SAMPLE_CATALOGUE_H_
