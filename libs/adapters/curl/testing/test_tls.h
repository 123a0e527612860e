// For tests that serve HTTPS on loopback: a certificate authority made on the spot and a
// server certificate it issues, as PEM, written to files a server and a client can load.
//
//   TestTls tls = *TestTls::Create(dir);   // dir/ca.pem, dir/server.pem, dir/server.key
//   httplib::SSLServer server(tls.server_cert_file.c_str(), tls.server_key_file.c_str());
//   ... a client trusting tls.ca_file ...
// The server certificate names localhost, 127.0.0.1 and ::1 (override with `names`), and is
// valid from an hour ago for a day. Keys are P-256.
#ifndef MICROCRED_LIBS_ADAPTERS_CURL_TESTING_TEST_TLS_H_
#define MICROCRED_LIBS_ADAPTERS_CURL_TESTING_TEST_TLS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred::testing_tls {

struct TestTls {
  std::string ca_file;
  std::string server_cert_file;
  std::string server_key_file;
  std::string ca_pem;

  // `names`: subject alternative names, e.g. "DNS:localhost", "IP:127.0.0.1".
  static absl::StatusOr<TestTls> Create(const std::string& dir,
                                        const std::vector<std::string>& names = {
                                            "DNS:localhost", "IP:127.0.0.1", "IP:::1"});
};

}  // namespace microcred::testing_tls

#endif  // MICROCRED_LIBS_ADAPTERS_CURL_TESTING_TEST_TLS_H_
