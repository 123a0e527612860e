#include "libs/adapters/curl/curl_fetcher.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/adapters/curl/testing/test_tls.h"

namespace microcred {
namespace {

using ::microcred::testing_tls::TestTls;

// A loopback server (HTTPS with the test CA's certificate, or plain HTTP) that counts the
// requests each path receives.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
    Route();
    server_->set_tcp_nodelay(true);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    release_.Notify();
    server_->stop();
    thread_.join();
  }

  int port() const { return port_; }
  int requests(const std::string& path) {
    absl::MutexLock lock(&mu_);
    return counts_[path];
  }
  std::string last_accept() {
    absl::MutexLock lock(&mu_);
    return last_accept_;
  }

 private:
  void Count(const httplib::Request& req) {
    absl::MutexLock lock(&mu_);
    ++counts_[req.path];
    last_accept_ = req.get_header_value("Accept");
  }

  void Route() {
    auto& s = *server_;
    s.Get("/doc", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.set_header("Cache-Control", "public, max-age=120");
      res.set_content(R"({"id":"did:web:issuer.test"})", "application/did+json; charset=utf-8");
    });
    s.Get("/nostore", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.set_header("Cache-Control", "no-store");
      res.set_content("fresh", "text/plain");
    });
    s.Get("/missing", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.status = 404;
    });
    s.Get("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      release_.WaitForNotificationWithTimeout(absl::Seconds(10));
      res.set_content("late", "text/plain");
    });
    s.Get("/huge", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.set_content(std::string(4096, 'x'), "application/json");
    });
    s.Get("/endless", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      // Chunked: no Content-Length to refuse up front; the body grows until the client stops.
      res.set_chunked_content_provider("application/json",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset > (8 << 20)) {
                                           sink.done();
                                           return true;
                                         }
                                         const std::string chunk(1024, 'y');
                                         return sink.write(chunk.data(), chunk.size());
                                       });
    });
    s.Get("/redirect", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.set_redirect(req.get_param_value("to"), 302);
    });
    s.Get("/loop", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      res.set_redirect("/loop", 307);
    });
    s.Get(R"(/chain/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      Count(req);
      const int n = std::stoi(req.matches[1]);
      if (n == 0) {
        res.set_content("end of chain", "text/plain");
      } else {
        res.set_redirect(absl::StrCat("/chain/", n - 1), 301);
      }
    });
  }

  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  absl::Notification release_;
  absl::Mutex mu_;
  std::map<std::string, int> counts_ ABSL_GUARDED_BY(mu_);
  std::string last_accept_ ABSL_GUARDED_BY(mu_);
};

class CurlFetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::string(::testing::TempDir() + "/curl_fetcher_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(*dir_);
    auto tls = TestTls::Create(*dir_);
    ASSERT_TRUE(tls.ok()) << tls.status();
    tls_ = new TestTls(*tls);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete tls_;
  }

  void SetUp() override {
    https_ = std::make_unique<LoopbackServer>(std::make_unique<httplib::SSLServer>(
        tls_->server_cert_file.c_str(), tls_->server_key_file.c_str()));
  }

  // Options trusting the test CA and allowing the HTTPS server's host and port.
  HttpFetcherOptions Options() {
    HttpFetcherOptions options;
    options.ca_file = tls_->ca_file;
    options.allowed_hosts = *fetch::HostAllowList::Parse(absl::StrCat("127.0.0.1:", port()));
    options.clock = Clock([this] { return now_ms_.load(); });
    return options;
  }
  std::unique_ptr<CurlFetcher> Fetcher(HttpFetcherOptions options) {
    auto fetcher = CurlFetcher::Create(std::move(options));
    EXPECT_TRUE(fetcher.ok()) << fetcher.status();
    return fetcher.ok() ? *std::move(fetcher) : nullptr;
  }
  int port() const { return https_->port(); }
  std::string Url(const std::string& path) {
    return absl::StrCat("https://127.0.0.1:", port(), path);
  }
  std::string RedirectTo(const std::string& target) {
    return Url("/redirect?to=" + httplib::detail::encode_query_param(target));
  }

  static std::string* dir_;
  static TestTls* tls_;
  std::unique_ptr<LoopbackServer> https_;
  std::atomic<int64_t> now_ms_{1'800'000'000'000};
};

std::string* CurlFetcherTest::dir_ = nullptr;
TestTls* CurlFetcherTest::tls_ = nullptr;

void ExpectError(const absl::StatusOr<FetchedDocument>& got, absl::StatusCode code,
                 std::initializer_list<absl::string_view> words) {
  ASSERT_FALSE(got.ok()) << "answered " << got->body;
  if (getenv("SHOW_ERRORS")) std::cerr << got.status() << "\n";
  EXPECT_EQ(got.status().code(), code) << got.status();
  for (absl::string_view word : words) {
    EXPECT_TRUE(absl::StrContains(got.status().message(), word))
        << "'" << word << "' not in: " << got.status().message();
  }
}

TEST_F(CurlFetcherTest, ReturnsTheDocumentOfA200Answer) {
  auto fetcher = Fetcher(Options());
  auto doc = fetcher->Get({.url = Url("/doc"), .accept = "application/did+json"});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->body, R"({"id":"did:web:issuer.test"})");
  EXPECT_EQ(doc->content_type, "application/did+json");
  EXPECT_EQ(doc->url, Url("/doc"));
  EXPECT_FALSE(doc->from_cache);
  EXPECT_EQ(https_->last_accept(), "application/did+json");
  ASSERT_TRUE(fetcher->Get({.url = Url("/nostore")}).ok());
  EXPECT_EQ(https_->last_accept(), "*/*");
}

TEST_F(CurlFetcherTest, RefusesAServerWhoseCertificateAuthorityIsNotTrusted) {
  HttpFetcherOptions options = Options();
  options.ca_file.clear();  // the system's CAs only
  auto fetcher = Fetcher(std::move(options));
  ExpectError(fetcher->Get({.url = Url("/doc")}), absl::StatusCode::kUnavailable,
              {"TLS", "certificate", Url("/doc")});
}

TEST_F(CurlFetcherTest, RefusesAHostWhoseCertificateDoesNotNameIt) {
  // Same server, same trusted CA, but a certificate for other names only.
  const std::string other_dir = *dir_ + "/other";
  std::filesystem::create_directories(other_dir);
  auto other = TestTls::Create(other_dir, {"DNS:elsewhere.test"});
  ASSERT_TRUE(other.ok()) << other.status();
  LoopbackServer server(std::make_unique<httplib::SSLServer>(other->server_cert_file.c_str(),
                                                             other->server_key_file.c_str()));
  HttpFetcherOptions options = Options();
  options.ca_file = other->ca_file;
  options.allowed_hosts = *fetch::HostAllowList::Parse("127.0.0.1");
  auto fetcher = Fetcher(std::move(options));
  ExpectError(fetcher->Get({.url = absl::StrCat("https://127.0.0.1:", server.port(), "/doc")}),
              absl::StatusCode::kUnavailable, {"TLS"});
  EXPECT_EQ(server.requests("/doc"), 0);
}

TEST_F(CurlFetcherTest, RefusesLoopbackUnlessTheHostIsAllowed) {
  HttpFetcherOptions options = Options();
  options.allowed_hosts = {};
  auto fetcher = Fetcher(std::move(options));
  ExpectError(fetcher->Get({.url = Url("/doc")}), absl::StatusCode::kPermissionDenied,
              {Url("/doc"), "127.0.0.1", "loopback", "not an allowed host"});
  ExpectError(fetcher->Get({.url = absl::StrCat("https://localhost:", port(), "/doc")}),
              absl::StatusCode::kPermissionDenied, {"loopback"});
  ExpectError(fetcher->Get({.url = absl::StrCat("https://[::1]:", port(), "/doc")}),
              absl::StatusCode::kPermissionDenied, {"::1", "loopback"});
  ExpectError(fetcher->Get({.url = absl::StrCat("https://[::ffff:127.0.0.1]:", port(), "/doc")}),
              absl::StatusCode::kPermissionDenied, {"loopback"});
  ExpectError(fetcher->Get({.url = "https://169.254.169.254/latest/meta-data/"}),
              absl::StatusCode::kPermissionDenied, {"link-local"});
  // Other spellings of 127.0.0.1 that resolvers accept.
  for (const char* host : {"2130706433", "0x7f.0.0.1", "127.1", "017700000001", "0177.0.0.1"}) {
    SCOPED_TRACE(host);
    ExpectError(fetcher->Get({.url = absl::StrCat("https://", host, ":", port(), "/doc")}),
                absl::StatusCode::kPermissionDenied, {"loopback"});
  }
  EXPECT_EQ(https_->requests("/doc"), 0);

  // Allowed on another port only: still refused.
  options = Options();
  options.allowed_hosts = *fetch::HostAllowList::Parse(absl::StrCat("127.0.0.1:", port() + 1));
  ExpectError(Fetcher(std::move(options))->Get({.url = Url("/doc")}),
              absl::StatusCode::kPermissionDenied, {"loopback"});
  EXPECT_TRUE(Fetcher(Options())->Get({.url = Url("/doc")}).ok());
}

TEST_F(CurlFetcherTest, ChecksEveryRedirectLikeTheFirstHop) {
  auto fetcher = Fetcher(Options());  // 127.0.0.1:<port> allowed by name, nothing else
  auto followed = fetcher->Get({.url = RedirectTo(Url("/doc"))});
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_EQ(followed->url, Url("/doc"));

  // Another name for the same loopback server, the same address on another port, a private
  // address, a link-local one, IPv6 loopback: each refused before any connection.
  for (const std::string& target :
       {absl::StrCat("https://localhost:", port(), "/doc"),
        absl::StrCat("https://127.0.0.1:", port() + 1, "/doc"), std::string("https://10.0.0.1/doc"),
        std::string("https://192.168.1.20:8443/doc"), std::string("https://169.254.169.254/"),
        absl::StrCat("https://[::1]:", port(), "/doc")}) {
    SCOPED_TRACE(target);
    ExpectError(fetcher->Get({.url = RedirectTo(target)}), absl::StatusCode::kPermissionDenied,
                {"redirected to " + target, "not an allowed host"});
  }
  // Relative redirects resolve against the hop; schemes are checked on redirects too.
  ExpectError(fetcher->Get({.url = RedirectTo("file:///etc/passwd")}),
              absl::StatusCode::kPermissionDenied, {"scheme file"});
  ExpectError(fetcher->Get({.url = RedirectTo(absl::StrCat("http://127.0.0.1:", port(), "/"))}),
              absl::StatusCode::kPermissionDenied, {"http is not allowed"});
}

TEST_F(CurlFetcherTest, TimesOutOnASlowAnswer) {
  HttpFetcherOptions options = Options();
  options.timeout = absl::Milliseconds(300);
  auto fetcher = Fetcher(std::move(options));
  ExpectError(fetcher->Get({.url = Url("/slow")}), absl::StatusCode::kUnavailable,
              {"timed out", "300 ms"});
}

TEST_F(CurlFetcherTest, RefusesABodyLargerThanTheLimit) {
  HttpFetcherOptions options = Options();
  options.max_body_bytes = 1000;
  auto fetcher = Fetcher(std::move(options));
  ExpectError(fetcher->Get({.url = Url("/huge")}), absl::StatusCode::kResourceExhausted,
              {"larger than 1000 bytes", Url("/huge")});
  // No Content-Length: cut off once past the limit, not read to its (8 MiB) end.
  ExpectError(fetcher->Get({.url = Url("/endless")}), absl::StatusCode::kResourceExhausted,
              {"larger than 1000 bytes"});
}

TEST_F(CurlFetcherTest, RefusesTooManyRedirects) {
  HttpFetcherOptions options = Options();
  options.max_redirects = 3;
  auto fetcher = Fetcher(std::move(options));
  auto three = fetcher->Get({.url = Url("/chain/3")});
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_EQ(three->body, "end of chain");
  EXPECT_EQ(three->url, Url("/chain/0"));
  ExpectError(fetcher->Get({.url = Url("/chain/4")}), absl::StatusCode::kResourceExhausted,
              {"more than 3 redirects"});
  ExpectError(fetcher->Get({.url = Url("/loop")}), absl::StatusCode::kResourceExhausted,
              {"more than 3 redirects"});
  EXPECT_EQ(https_->requests("/loop"), 4);
}

TEST_F(CurlFetcherTest, RefusesHttpUnlessAllowed) {
  LoopbackServer plain(std::make_unique<httplib::Server>());
  const std::string url = absl::StrCat("http://127.0.0.1:", plain.port(), "/doc");
  HttpFetcherOptions options = Options();
  options.allowed_hosts = *fetch::HostAllowList::Parse("127.0.0.1");
  ExpectError(Fetcher(options)->Get({.url = url}), absl::StatusCode::kPermissionDenied,
              {"http is not allowed", url});
  EXPECT_EQ(plain.requests("/doc"), 0);
  options.allow_http = true;
  auto doc = Fetcher(options)->Get({.url = url});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(plain.requests("/doc"), 1);
}

TEST_F(CurlFetcherTest, AnswersFromTheCacheUntilMaxAge) {
  auto fetcher = Fetcher(Options());
  ASSERT_TRUE(fetcher->Get({.url = Url("/doc")}).ok());
  auto again = fetcher->Get({.url = Url("/doc")});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->from_cache);
  EXPECT_EQ(again->body, R"({"id":"did:web:issuer.test"})");
  EXPECT_EQ(https_->requests("/doc"), 1);

  now_ms_ += 119'000;  // max-age=120
  EXPECT_TRUE(fetcher->Get({.url = Url("/doc")})->from_cache);
  EXPECT_EQ(https_->requests("/doc"), 1);
  now_ms_ += 1'000;
  auto expired = fetcher->Get({.url = Url("/doc")});
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_FALSE(expired->from_cache);
  EXPECT_EQ(https_->requests("/doc"), 2);
}

TEST_F(CurlFetcherTest, ServesManyThreadsAtOnce) {
  auto fetcher = Fetcher(Options());
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 4; ++j) {
        auto doc = fetcher->Get({.url = Url(i % 2 ? "/doc" : "/nostore")});
        if (doc.ok()) ++answered;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(answered.load(), 32);
  EXPECT_EQ(https_->requests("/nostore"), 16);
  // Each thread fetches /doc once at most: its later calls find its own answer cached.
  EXPECT_LE(https_->requests("/doc"), 4);
}

TEST_F(CurlFetcherTest, CachesNeitherNoStoreAnswersNorErrors) {
  auto fetcher = Fetcher(Options());
  ASSERT_TRUE(fetcher->Get({.url = Url("/nostore")}).ok());
  EXPECT_FALSE(fetcher->Get({.url = Url("/nostore")})->from_cache);
  EXPECT_EQ(https_->requests("/nostore"), 2);
  ExpectError(fetcher->Get({.url = Url("/missing")}), absl::StatusCode::kUnavailable,
              {"HTTP 404", Url("/missing")});
  ExpectError(fetcher->Get({.url = Url("/missing")}), absl::StatusCode::kUnavailable, {});
  EXPECT_EQ(https_->requests("/missing"), 2);
}

TEST_F(CurlFetcherTest, OfflineAnswersOnlyPinnedDocuments) {
  auto pinned =
      fetch::ParsePinnedDocuments(absl::StrCat(R"({")", Url("/doc"), R"(": {"id": "pinned"}})"));
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  HttpFetcherOptions options = Options();
  options.pinned = *pinned;
  options.offline = true;
  auto offline = Fetcher(options);
  auto doc = offline->Get({.url = Url("/doc")});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->body, R"({"id":"pinned"})");
  EXPECT_TRUE(doc->from_cache);
  EXPECT_TRUE(doc->pinned);
  ExpectError(offline->Get({.url = Url("/nostore")}), absl::StatusCode::kFailedPrecondition,
              {"offline: " + Url("/nostore") + " is not pinned"});

  // Online, a pinned URL is still answered from the pin; others are fetched.
  options.offline = false;
  auto online = Fetcher(options);
  EXPECT_EQ(online->Get({.url = Url("/doc")})->body, R"({"id":"pinned"})");
  EXPECT_TRUE(online->Get({.url = Url("/nostore")}).ok());
  EXPECT_EQ(https_->requests("/doc"), 0);
  EXPECT_EQ(https_->requests("/nostore"), 1);
}

TEST_F(CurlFetcherTest, RefusesUserinfoAndOtherSchemes) {
  auto fetcher = Fetcher(Options());
  ExpectError(fetcher->Get({.url = absl::StrCat("https://user:secret@127.0.0.1:", port(), "/doc")}),
              absl::StatusCode::kPermissionDenied, {"userinfo"});
  ExpectError(fetcher->Get({.url = absl::StrCat("https://user@127.0.0.1:", port(), "/doc")}),
              absl::StatusCode::kPermissionDenied, {"userinfo"});
  ExpectError(fetcher->Get({.url = "file:///etc/passwd"}), absl::StatusCode::kPermissionDenied,
              {"scheme file", "only https"});
  ExpectError(fetcher->Get({.url = absl::StrCat("gopher://127.0.0.1:", port(), "/")}),
              absl::StatusCode::kPermissionDenied, {"scheme gopher"});
  ExpectError(fetcher->Get({.url = "ftp://example.org/x"}), absl::StatusCode::kPermissionDenied,
              {"scheme ftp"});
  ExpectError(fetcher->Get({.url = "not a url"}), absl::StatusCode::kInvalidArgument,
              {"not an absolute URL"});
  EXPECT_EQ(https_->requests("/doc"), 0);
}

TEST_F(CurlFetcherTest, RefusesUnresolvableHosts) {
  auto fetcher = Fetcher(Options());
  ExpectError(fetcher->Get({.url = "https://no-such-host.invalid/doc"}),
              absl::StatusCode::kUnavailable, {"cannot resolve no-such-host.invalid"});
}

TEST(CurlFetcherOptionsTest, RefusesOptionsOutOfRange) {
  EXPECT_EQ(CurlFetcher::Create({.timeout = absl::ZeroDuration()}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CurlFetcher::Create({.max_body_bytes = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CurlFetcher::Create({.max_redirects = -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CurlFetcher::Create({.ca_file = "/nonexistent/ca.pem"}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace microcred
