#include "libs/jose/algorithm.h"

namespace microcred::jose {

std::string_view JwsAlgorithmName(JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::kEdDSA:
      return "EdDSA";
    case JwsAlgorithm::kRS256:
      return "RS256";
    case JwsAlgorithm::kES256:
      return "ES256";
  }
  return "";  // unreachable: the switch covers every enumerator
}

std::optional<JwsAlgorithm> JwsAlgorithmFromName(std::string_view name) {
  if (name == "EdDSA") return JwsAlgorithm::kEdDSA;
  if (name == "RS256") return JwsAlgorithm::kRS256;
  if (name == "ES256") return JwsAlgorithm::kES256;
  return std::nullopt;
}

}  // namespace microcred::jose
