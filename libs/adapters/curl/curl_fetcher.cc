#include "libs/adapters/curl/curl_fetcher.h"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace microcred {
namespace {

using fetch::IpAddress;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr size_t kIdleHandles = 8;

struct UrlFree {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;
using HeaderList = std::unique_ptr<curl_slist, ListFree>;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Errors name the URL asked for and, after a redirect, the hop that failed.
class Errors {
 public:
  explicit Errors(const std::string& url) : url_(url) {}
  void SetHop(const std::string& hop) { hop_ = hop; }

  absl::Status Unavailable(absl::string_view why) const { return absl::UnavailableError(Say(why)); }
  absl::Status Refused(absl::string_view why) const {
    return absl::PermissionDeniedError(Say(absl::StrCat("refused: ", why)));
  }
  absl::Status Exhausted(absl::string_view why) const {
    return absl::ResourceExhaustedError(Say(why));
  }
  absl::Status Invalid(absl::string_view why) const { return absl::InvalidArgumentError(Say(why)); }

 private:
  std::string Say(absl::string_view why) const {
    if (hop_.empty() || hop_ == url_) return absl::StrCat("GET ", url_, ": ", why);
    return absl::StrCat("GET ", url_, ": redirected to ", hop_, ": ", why);
  }
  const std::string& url_;
  std::string hop_;
};

std::optional<std::string> UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

// One hop: its URL parsed and checked, and the addresses it may connect to.
struct Target {
  UrlHandle url;
  std::string host;  // as libcurl looks it up: lower case, an IPv6 literal without brackets
  int port = 0;
  bool literal = false;  // the host is an address literal: libcurl resolves nothing
  std::vector<IpAddress> addresses;
};

absl::StatusOr<std::vector<IpAddress>> Resolve(const std::string& host, const Errors& errors) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return errors.Unavailable(absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  std::vector<IpAddress> out;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    std::optional<IpAddress> ip = IpAddress::FromSockaddr(a->ai_addr);
    if (ip && std::find(out.begin(), out.end(), *ip) == out.end()) out.push_back(*ip);
  }
  freeaddrinfo(found);
  if (out.empty()) return errors.Unavailable(absl::StrCat("cannot resolve ", host));
  return out;
}

absl::StatusOr<Target> CheckTarget(const std::string& text, const HttpFetcherOptions& options,
                                   const Errors& errors) {
  Target target;
  target.url.reset(curl_url());
  if (!target.url) return absl::ResourceExhaustedError("curl_url: out of memory");
  if (CURLUcode rc =
          curl_url_set(target.url.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
      rc != CURLUE_OK) {
    return errors.Invalid(absl::StrCat("not an absolute URL (", curl_url_strerror(rc), ")"));
  }
  const std::string scheme =
      absl::AsciiStrToLower(UrlPart(target.url.get(), CURLUPART_SCHEME).value_or(""));
  if (scheme == "http" && !options.allow_http) {
    return errors.Refused("http is not allowed, only https");
  }
  if (scheme != "https" && scheme != "http") {
    return errors.Refused(absl::StrCat("scheme ", scheme, " is not allowed, only https"));
  }
  if (UrlPart(target.url.get(), CURLUPART_USER) || UrlPart(target.url.get(), CURLUPART_PASSWORD)) {
    return errors.Refused("a URL with userinfo (user@host) is not fetched");
  }
  if (UrlPart(target.url.get(), CURLUPART_ZONEID)) {
    return errors.Refused("an IPv6 address with a zone id is not fetched");
  }
  const std::optional<std::string> host = UrlPart(target.url.get(), CURLUPART_HOST);
  const std::optional<std::string> port =
      UrlPart(target.url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!host || host->empty() || !port) return errors.Invalid("no host");
  target.host = fetch::NormalizeHost(*host);
  target.port = std::atoi(port->c_str());
  const bool allowed = options.allowed_hosts.Allows(target.host, target.port);
  if (std::optional<IpAddress> literal = IpAddress::Parse(target.host)) {
    target.literal = true;
    target.addresses = {*literal};
  } else {
    auto resolved = Resolve(target.host, errors);
    if (!resolved.ok()) return resolved.status();
    target.addresses = *std::move(resolved);
  }
  if (!allowed) {
    for (const IpAddress& address : target.addresses) {
      if (std::optional<std::string> kind = fetch::RestrictedKind(address)) {
        const std::string where = target.literal
                                      ? absl::StrCat(target.host, " is a ", *kind, " address")
                                      : absl::StrCat(target.host, " resolves to ",
                                                     address.ToString(), ", a ", *kind, " address");
        const std::string host_port = absl::StrCat(
            address.v6 && target.literal ? "[" + target.host + "]" : target.host, ":", target.port);
        return errors.Refused(absl::StrCat(where, ", and ", host_port, " is not an allowed host"));
      }
    }
  }
  return target;
}

// What libcurl's callbacks see of one transfer.
struct Transfer {
  const Target* target;
  int64_t max_bytes;
  std::string body;
  bool too_large = false;
  std::string unchecked_address;  // an address libcurl tried that was not checked
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (transfer->body.size() + n > static_cast<size_t>(transfer->max_bytes)) {
    transfer->too_large = true;
    return 0;  // aborts the transfer: CURLE_WRITE_ERROR
  }
  transfer->body.append(data, n);
  return n;
}

// The last word on where a socket goes: only to an address CheckTarget checked.
curl_socket_t OpenCheckedSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  std::optional<IpAddress> ip = IpAddress::FromSockaddr(&address->addr);
  const auto& allowed = transfer->target->addresses;
  if (purpose != CURLSOCKTYPE_IPCXN || !ip ||
      std::find(allowed.begin(), allowed.end(), *ip) == allowed.end()) {
    transfer->unchecked_address = ip ? ip->ToString() : "a non-IP address";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// "host:port:addr1,[v6addr2]": libcurl connects to these without resolving the name again.
std::string ResolveEntry(const Target& target) {
  std::vector<std::string> addresses;
  for (const IpAddress& a : target.addresses) {
    addresses.push_back(a.v6 ? absl::StrCat("[", a.ToString(), "]") : a.ToString());
  }
  return absl::StrCat(target.host, ":", target.port, ":", absl::StrJoin(addresses, ","));
}

struct Answer {
  long status = 0;
  std::string location;  // absolute, for a redirect
  std::string content_type;
  std::string cache_control;
  std::string body;
};

std::string HeaderValues(CURL* easy, const char* name) {
  std::vector<std::string> values;
  curl_header* header = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) return "";
  const size_t amount = header->amount;
  values.push_back(header->value);
  for (size_t i = 1; i < amount; ++i) {
    if (curl_easy_header(easy, name, i, CURLH_HEADER, -1, &header) == CURLHE_OK) {
      values.push_back(header->value);
    }
  }
  return absl::StrJoin(values, ",");
}

std::string MediaType(const char* content_type) {
  if (content_type == nullptr) return "";
  absl::string_view type(content_type);
  type = type.substr(0, type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

absl::Status TransferError(CURLcode rc, const Transfer& transfer, const char* detail,
                           const HttpFetcherOptions& options, const Errors& errors) {
  const std::string why = *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_WRITE_ERROR:
      if (!transfer.too_large) break;
      [[fallthrough]];
    case CURLE_FILESIZE_EXCEEDED:
      return errors.Exhausted(
          absl::StrCat("the body is larger than ", options.max_body_bytes, " bytes"));
    case CURLE_OPERATION_TIMEDOUT:
      return errors.Unavailable(absl::StrCat("timed out (a fetch may take ",
                                             absl::ToInt64Milliseconds(options.timeout),
                                             " ms): ", why));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return errors.Unavailable(
          absl::StrCat("TLS failed: the server's certificate is not trusted or the handshake "
                       "failed: ",
                       why));
    case CURLE_COULDNT_CONNECT:
      if (!transfer.unchecked_address.empty()) {
        return errors.Refused(absl::StrCat("a connection to ", transfer.unchecked_address,
                                           ", an address not checked for ", transfer.target->host));
      }
      break;
    default:
      break;
  }
  return errors.Unavailable(why);
}

absl::StatusOr<Answer> Perform(CURL* e, const Target& target, const FetchRequest& request,
                               const HttpFetcherOptions& options, SteadyTime deadline,
                               const Errors& errors) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
  if (left < 1) {
    return errors.Unavailable(absl::StrCat("timed out (a fetch may take ",
                                           absl::ToInt64Milliseconds(options.timeout), " ms)"));
  }
  Transfer transfer{.target = &target, .max_bytes = options.max_body_bytes};
  HeaderList resolve;
  if (!target.literal) resolve.reset(curl_slist_append(nullptr, ResolveEntry(target).c_str()));
  HeaderList headers(curl_slist_append(
      nullptr, absl::StrCat("Accept: ", request.accept.empty() ? "*/*" : request.accept).c_str()));
  char detail[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(e, CURLOPT_CURLU, target.url.get());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, options.allow_http ? "http,https" : "https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // no proxy from the environment
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OpenCheckedSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &transfer);
  if (resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_USERAGENT, "microcred-node");
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, detail);

  if (CURLcode rc = curl_easy_perform(e); rc != CURLE_OK) {
    return TransferError(rc, transfer, detail, options, errors);
  }
  Answer answer;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &answer.status);
  const char* content_type = nullptr;
  curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &content_type);
  answer.content_type = MediaType(content_type);
  const char* location = nullptr;
  curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &location);
  if (location != nullptr) answer.location = location;
  answer.cache_control = HeaderValues(e, "Cache-Control");
  answer.body = std::move(transfer.body);
  return answer;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlFetcher>> CurlFetcher::Create(HttpFetcherOptions options) {
  if (options.timeout < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("fetch timeout: at least 1 ms");
  }
  if (options.max_body_bytes < 1) {
    return absl::InvalidArgumentError("fetch max body bytes: at least 1");
  }
  if (options.max_redirects < 0 || options.max_redirects > 20) {
    return absl::InvalidArgumentError("fetch max redirects: between 0 and 20");
  }
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
    return absl::NotFoundError(absl::StrCat("fetch CA file: cannot read ", options.ca_file));
  }
  InitCurlOnce();
  return std::unique_ptr<CurlFetcher>(new CurlFetcher(std::move(options)));
}

CurlFetcher::CurlFetcher(HttpFetcherOptions options)
    : options_(std::move(options)), cache_(options_.cache_entries) {}

CurlFetcher::~CurlFetcher() {
  absl::MutexLock lock(&pool_mu_);
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlFetcher::AcquireHandle() {
  {
    absl::MutexLock lock(&pool_mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlFetcher::ReleaseHandle(void* handle) {
  // Every option is set again before each transfer; reset drops this one's callbacks and
  // pointers into its stack, keeping the caches.
  curl_easy_reset(static_cast<CURL*>(handle));
  absl::MutexLock lock(&pool_mu_);
  if (idle_.size() < kIdleHandles) {
    idle_.push_back(handle);
    return;
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

absl::StatusOr<FetchedDocument> CurlFetcher::Get(const FetchRequest& request) {
  if (auto pinned = options_.pinned.find(request.url); pinned != options_.pinned.end()) {
    return pinned->second;
  }
  if (options_.offline) {
    return absl::FailedPreconditionError(absl::StrCat("offline: ", request.url, " is not pinned"));
  }
  if (std::optional<FetchedDocument> hit = cache_.Find(request.url, options_.clock.Now())) {
    hit->from_cache = true;
    return *std::move(hit);
  }
  return Fetch(request);
}

absl::StatusOr<FetchedDocument> CurlFetcher::Fetch(const FetchRequest& request) {
  Errors errors(request.url);
  if (request.accept.find_first_of("\r\n") != std::string::npos) {
    return errors.Invalid("the Accept header holds a line break");
  }
  const SteadyTime deadline =
      std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(options_.timeout);
  std::string hop = request.url;
  for (int redirects = 0;; ++redirects) {
    errors.SetHop(hop);
    auto target = CheckTarget(hop, options_, errors);
    if (!target.ok()) return target.status();
    CURL* easy = static_cast<CURL*>(AcquireHandle());
    if (easy == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
    auto answer = Perform(easy, *target, request, options_, deadline, errors);
    ReleaseHandle(easy);
    if (!answer.ok()) return answer.status();
    if (IsRedirect(answer->status)) {
      if (answer->location.empty()) {
        return errors.Unavailable(absl::StrCat("HTTP ", answer->status, " without a Location"));
      }
      if (redirects == options_.max_redirects) {
        return errors.Exhausted(absl::StrCat("more than ", options_.max_redirects, " redirects"));
      }
      hop = answer->location;
      continue;
    }
    if (answer->status != 200) return errors.Unavailable(absl::StrCat("HTTP ", answer->status));
    FetchedDocument document{.url = hop,
                             .content_type = std::move(answer->content_type),
                             .body = std::move(answer->body)};
    if (std::optional<absl::Duration> keep = fetch::CacheLifetime(answer->cache_control)) {
      cache_.Put(request.url, document, options_.clock.Now() + *keep);
    }
    return document;
  }
}

}  // namespace microcred
