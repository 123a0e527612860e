// Writes JAdES documents sealed by libs/jades under a self-made test CA, for the independent
// validation by DSS (run.sh):
//   jades_seal_vectors PAYLOAD.json OUT_DIR
// writes OUT_DIR/anchor.pem (the test root CA), and OUT_DIR/es256.json and OUT_DIR/rs256.json:
// PAYLOAD sealed with a P-256 and an RSA seal certificate issued by an intermediate CA below
// that root (x5c: the seal's certificate, then the intermediate). Each is verified here first
// with VerifySeal, so that a DSS failure is DSS's finding, not a broken input. Exit 1 on error.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/clock.h"
#include "libs/jades/jades.h"
#include "libs/jades/testing/test_ca.h"

namespace {

using microcred::jades::TestCa;
using microcred::jades::TestKeyType;
using microcred::jades::TestSeal;
using microcred::jades::TestSealSpec;

int Fail(const std::string& what) {
  std::fprintf(stderr, "jades_seal_vectors: %s\n", what.c_str());
  return 1;
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Fail("usage: jades_seal_vectors PAYLOAD.json OUT_DIR");
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream payload;
  payload << in.rdbuf();
  if (!in || payload.str().empty()) return Fail(std::string("cannot read ") + argv[1]);
  const std::string out_dir = argv[2];

  // DSS validates at the present time: the certificates must be valid now as well as at sigT.
  const absl::Time now = absl::Now();
  const absl::Time start = now - absl::Hours(24), end = now + absl::Hours(24 * 365);
  absl::StatusOr<TestCa> root = TestCa::Create("microcred Test Root CA", start, end);
  if (!root.ok()) return Fail(root.status().ToString());
  absl::StatusOr<TestCa> issuing = root->IssueIntermediate("microcred Test Seal CA", start, end);
  if (!issuing.ok()) return Fail(issuing.status().ToString());
  absl::StatusOr<microcred::jades::TrustAnchors> anchors =
      microcred::jades::TrustAnchors::FromPem(root->certificate_pem());
  if (!anchors.ok()) return Fail(anchors.status().ToString());
  if (!WriteFile(out_dir + "/anchor.pem", root->certificate_pem())) return Fail("cannot write");

  for (TestKeyType type : {TestKeyType::kP256, TestKeyType::kRsa}) {
    TestSealSpec spec;
    spec.common_name = "Seal of the Test University";
    spec.organization = "Test University";
    spec.country = "BE";
    spec.organization_identifier = "VATBE-0000000000";
    spec.not_before = start;
    spec.not_after = end;
    spec.key_type = type;
    absl::StatusOr<TestSeal> seal = issuing->IssueSeal(spec);
    if (!seal.ok()) return Fail(seal.status().ToString());
    absl::StatusOr<std::string> sealed =
        microcred::jades::Seal(payload.str(), *seal->signer, seal->chain_pem, now);
    if (!sealed.ok()) return Fail(sealed.status().ToString());
    microcred::jades::SealVerification check = microcred::jades::VerifySeal(*sealed, *anchors, now);
    if (!check.valid())
      return Fail("VerifySeal refused its own seal: " + check.first_failure()->detail);
    const std::string name = type == TestKeyType::kP256 ? "es256" : "rs256";
    if (!WriteFile(out_dir + "/" + name + ".json", *sealed)) return Fail("cannot write");
  }
  std::printf("sealed es256.json, rs256.json under anchor.pem in %s\n", out_dir.c_str());
  return 0;
}
