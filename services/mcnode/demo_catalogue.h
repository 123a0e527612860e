// Realistic sample specifications for the demo and the tests that tell the same story.
#ifndef MICROCRED_SERVICES_MCNODE_DEMO_CATALOGUE_H_
#define MICROCRED_SERVICES_MCNODE_DEMO_CATALOGUE_H_

#include <string>

#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::demo {

catalogue::v1::SpecificationContent DataLiteracy(const std::string& issuer);
catalogue::v1::SpecificationContent AiEthics(const std::string& issuer);
catalogue::v1::SpecificationContent CloudOperations(const std::string& issuer);
catalogue::v1::SpecificationContent DataVisualisation(const std::string& issuer);
// Hours, not ECTS: a training partner's course.
catalogue::v1::SpecificationContent PythonBasics(const std::string& issuer);

}  // namespace microcred::demo

#endif  // MICROCRED_SERVICES_MCNODE_DEMO_CATALOGUE_H_
