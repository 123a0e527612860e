// FakeSpecifications: a SpecificationSource over specifications added by hand, for the tests of
// the services that read specifications (issuance, recognition) without a catalogue.
#ifndef MICROCRED_SERVICES_ISSUANCE_TESTING_FAKE_SPECIFICATIONS_H_
#define MICROCRED_SERVICES_ISSUANCE_TESTING_FAKE_SPECIFICATIONS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "services/issuance/issuance_service.h"

namespace microcred::issuance {

class FakeSpecifications : public SpecificationSource {
 public:
  void Add(catalogue::v1::Specification spec) {
    specs_[{spec.specification_id(), spec.version()}] = std::move(spec);
  }

  // The given version, or the latest added when `version` is 0.
  absl::StatusOr<std::optional<catalogue::v1::Specification>> Find(
      const std::string& id, uint32_t version) const override {
    std::optional<catalogue::v1::Specification> found;
    for (const auto& [key, spec] : specs_) {
      if (key.first == id && (version == 0 || key.second == version)) found = spec;
    }
    return found;
  }

 private:
  std::map<std::pair<std::string, uint32_t>, catalogue::v1::Specification> specs_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_TESTING_FAKE_SPECIFICATIONS_H_
