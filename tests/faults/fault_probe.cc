// mc_fault_probe: what the fault scripts (tests/faults/*.sh) need besides mcnode and mcctl.
//
//   events  --kafka=HOST:PORT --institution=ID --consumer-node=NODE [--expect=N]
//       Reads mc.issuance.v1 and mc.deadletter.v1 to their ends. Counts the institution's
//       CredentialIssued records, their distinct event and credential ids, and which of them the
//       consumer node's issuance projection dead-lettered. "Applied" records are those it did
//       not refuse. With --expect, fails unless exactly N distinct events were applied, once
//       each, for N distinct credentials, and every refused copy is a DUPLICATE_EVENT of an
//       applied event.
//   verify  --node=HOST:PORT --in=FILE [--wait-seconds=S]
//       FILE has lines "credential_id<TAB>jws". Every JWS must verify VALID at the node, for that
//       credential id; those that do not yet are asked again until S seconds have passed (a
//       node that consumes another's events may lag).
//   load    --node=HOST:PORT --token-file=F --spec=ID --prefix=P --out=FILE [--threads=N]
//           [--timeout-ms=T] [--until-file=PATH] [--max-seconds=S]
//       N threads call IssueCredential one at a time until PATH exists (or S seconds); a failed
//       request is sent again with the same request id until it succeeds, then the thread goes
//       on with a new one. Writes one line per call: "request_id<TAB>code<TAB>credential_id<TAB>
//       jws<TAB>millis". Fails if a call failed other than transiently (UNAVAILABLE,
//       DEADLINE_EXCEEDED, ABORTED) or succeeded without a credential.
//   settle  --node=HOST:PORT --token-file=F --spec=ID --in=FILE --out=FILE [--max-seconds=S]
//       Calls again, with the same request ids, every request of a `load` output until each has
//       an answer. Every call of a request id that succeeded, then or now, must have got the
//       same credential id and JWS. Writes "credential_id<TAB>jws" for every request id (the
//       input of `verify`).
//   letters --kafka=HOST:PORT --consumer-node=NODE --reason=CODE --at-least=K [--topic=T]
//           [--service=S] [--wait-seconds=W]
//       Reads mc.deadletter.v1 again and again until it holds at least K letters written by
//       NODE (and its service S, when given) with reason CODE (for records of topic T, when
//       given), or W seconds (default 60) have passed: proof that the node read and refused
//       what a script appended. Prints the count; fails when it stays below K.
//   flood   --node=HOST:PORT [--method=PATH] [--calls=N] [--bytes=B | --megabytes=M]
//           [--timeout-ms=T]
//       N concurrent calls without a token, each a message of B bytes (default 8 of 60,000,000)
//       to PATH (default IssuanceService/VerifyCredential). Prints how each ended; fails if one
//       was answered OK, did not end by its deadline or found no node.
//   bigpost --http=HOST:PORT [--path=P] [--bytes=B]
//       POSTs a body of B bytes (default 400,000,000) to P (default /verify), streamed, and
//       prints the HTTP status answered ("none" when the node closed the connection without
//       one); fails on a 2xx.
//   slow    --http=HOST:PORT [--connections=N] [--max-seconds=S]
//       N connections from 127.0.0.2 send a request's headers a byte at a time (slowloris);
//       meanwhile a GET /healthz from 127.0.0.1 must be answered 200, and the node must close
//       every slow connection within S seconds (default 60 of 30 s) although they keep sending.
//
// A member acting in bad faith (issue 12), for the attack scripts; each writes what any member
// may write to the shared topics, and nothing else:
//   squat   --kafka=HOST:PORT --key-file=F --institution=B --victim=A --request-ids=R1[,R2...]
//           [--spec=ID]
//       For each request id R, publishes on mc.issuance.v1 a CredentialIssued of B (signed
//       with B's event key from F, as `mcctl key create` wrote it; a fresh credential id;
//       specification ID, "squat/none" by default) under the event id that A's command with
//       request id R derives (events::EventIdForRequest(A, R)). Every node applies it as B's;
//       it must not hide A's event. Prints one line per event: "R<TAB>event id<TAB>credential
//       id".
//   replay-refused  --kafka=HOST:PORT [--topic=T] [--max=N]
//       Reads mc.deadletter.v1 to its end and appends again, to its topic, the original bytes of
//       each refused record (once per refused position; not DUPLICATE_EVENT letters, not
//       truncated ones; only those of topic T when given), at most N (default 100). Every node
//       must refuse each copy again, as a DUPLICATE_EVENT when its first copy's source was
//       proven. Prints "appended N".
//
// Exit status: 0 all checks held; 1 a check failed (the reason is printed); 2 usage error.
#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/adapters/kafka/kafka_event_log.h"
#include "libs/domain/dates.h"
#include "libs/events/envelope.h"
#include "libs/events/reasons.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "libs/host/key_file.h"
#include "microcred/events/v1/envelope.pb.h"
#include "microcred/issuance/v1/issuance.grpc.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "tests/support/slow_clients.h"

namespace microcred::faults {
namespace {

using issuance::v1::CredentialIssued;
using issuance::v1::IssuanceService;

class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
      std::string arg = argv[i];
      size_t eq = arg.find('=');
      if (!arg.starts_with("--") || eq == std::string::npos) {
        bad_ = "expected --name=value, got " + arg;
        continue;
      }
      values_[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    }
  }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  std::string Require(const std::string& name) {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) {
      if (bad_.empty()) bad_ = "--" + name + " is required";
      return "";
    }
    return it->second;
  }
  int GetInt(const std::string& name, int fallback) {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    try {
      return std::stoi(it->second);
    } catch (const std::exception&) {
      bad_ = "--" + name + ": not a number";
      return fallback;
    }
  }
  const std::string& bad() const { return bad_; }

 private:
  std::map<std::string, std::string> values_;
  std::string bad_;
};

int Fail(const std::string& why) {
  std::cerr << "FAIL: " << why << "\n";
  return 1;
}

int Usage(const std::string& why) {
  std::cerr << "mc_fault_probe: " << why << " (see the comment at the top of fault_probe.cc)\n";
  return 2;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  return fields;
}

// ---- events ------------------------------------------------------------------------------

// Every record of `topic`, from the beginning to the end it had when called.
absl::StatusOr<std::vector<LogRecord>> ReadAll(KafkaEventLog& log, const std::string& topic) {
  auto ends = log.EndPositions(topic);
  if (!ends.ok()) return ends.status();
  auto reader = log.OpenReader({topic}, {});
  if (!reader.ok()) return reader.status();
  LogPositions at;
  std::vector<LogRecord> records;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  auto done = [&] {
    for (const auto& [tp, end] : *ends) {
      if (end > 0 && at[tp] < end) return false;
    }
    return true;
  };
  while (!done()) {
    if (absl::Now() > deadline) return absl::DeadlineExceededError("reading " + topic);
    auto polled = (*reader)->Poll(std::chrono::milliseconds(500));
    if (!polled.ok()) return polled.status();
    for (LogRecord& record : *polled) {
      at[{record.topic, record.partition}] = record.offset + 1;
      records.push_back(std::move(record));
    }
  }
  return records;
}

int Events(Args& args) {
  const std::string kafka = args.Require("kafka");
  const std::string institution = args.Require("institution");
  const std::string consumer_node = args.Require("consumer-node");
  const int expect = args.GetInt("expect", -1);
  if (!args.bad().empty()) return Usage(args.bad());

  // Only errors: the probe appends nothing, and its producer's retries while a restarted
  // broker loads its state are no news.
  auto log = KafkaEventLog::Open({.bootstrap_servers = kafka,
                                  .client_id = "mc-fault-probe",
                                  .properties = {{"log_level", "3"}}});
  if (!log.ok()) return Fail("kafka: " + log.status().ToString());
  auto issued = ReadAll(**log, topics::kIssuance);
  if (!issued.ok()) return Fail(issued.status().ToString());
  auto letters = ReadAll(**log, topics::kDeadLetter);
  if (!letters.ok()) return Fail(letters.status().ToString());

  using Position = std::pair<int32_t, int64_t>;
  struct Issued {
    std::string event_id;
    std::string credential_id;
  };
  std::map<Position, Issued> records;
  for (const LogRecord& record : *issued) {
    auto env = events::ParseEnvelope(record.value);
    if (!env.ok()) continue;
    if (env->body.source_institution() != institution ||
        env->body.event_type() != CredentialIssued::descriptor()->full_name()) {
      continue;
    }
    auto payload = events::UnpackPayload<CredentialIssued>(env->body);
    if (!payload.ok()) return Fail("unreadable CredentialIssued: " + payload.status().ToString());
    records[{record.partition, record.offset}] = {env->body.event_id(), payload->credential_id()};
  }
  // The consumer's refusals of those records; a dead letter may be written twice (a crash
  // between the letter and the offset commit), so they are keyed by the refused position.
  std::map<Position, std::set<std::string>> refused;
  for (const LogRecord& record : *letters) {
    events::v1::DeadLetter letter;
    if (!letter.ParseFromString(record.value)) continue;
    if (letter.topic() != topics::kIssuance || letter.consumer_node() != consumer_node ||
        letter.consumer_service() != "issuance") {
      continue;
    }
    if (!records.contains({letter.partition(), letter.offset()})) continue;
    refused[{letter.partition(), letter.offset()}].insert(letter.reason_code());
  }

  std::set<std::string> event_ids, credential_ids, applied_ids;
  std::map<std::string, int> applied_times;
  int duplicates = 0, other_refusals = 0;
  std::string other_example;
  for (const auto& [at, record] : records) {
    event_ids.insert(record.event_id);
    credential_ids.insert(record.credential_id);
    auto it = refused.find(at);
    if (it == refused.end()) {
      ++applied_times[record.event_id];
      continue;
    }
    if (it->second == std::set<std::string>{events::reason::kDuplicateEvent}) {
      ++duplicates;
    } else {
      ++other_refusals;
      if (other_example.empty()) {
        other_example = record.event_id + " at " + std::to_string(at.first) + ":" +
                        std::to_string(at.second) + " refused as " + *it->second.begin();
      }
    }
  }
  int applied = 0, applied_twice = 0;
  for (const auto& [id, times] : applied_times) {
    applied += times;
    if (times > 1) ++applied_twice;
  }
  std::cout << "records=" << records.size() << " event_ids=" << event_ids.size()
            << " credentials=" << credential_ids.size() << " applied=" << applied
            << " applied_event_ids=" << applied_times.size()
            << " dead_lettered_duplicates=" << duplicates << " other_refusals=" << other_refusals
            << "\n";
  if (expect < 0) return 0;
  const size_t n = static_cast<size_t>(expect);
  if (other_refusals > 0) return Fail("a CredentialIssued was refused: " + other_example);
  if (applied_twice > 0) {
    return Fail(std::to_string(applied_twice) + " event ids were applied more than once");
  }
  if (event_ids.size() != n) {
    return Fail(std::to_string(event_ids.size()) + " distinct CredentialIssued event ids on " +
                topics::kIssuance + ", expected " + std::to_string(n));
  }
  if (credential_ids.size() != n) {
    return Fail(std::to_string(credential_ids.size()) + " distinct credential ids, expected " +
                std::to_string(n));
  }
  if (applied_times.size() != n || static_cast<size_t>(applied) != n) {
    return Fail(std::to_string(applied) + " records applied (" +
                std::to_string(applied_times.size()) + " distinct), expected " + std::to_string(n));
  }
  if (records.size() != n + static_cast<size_t>(duplicates)) {
    return Fail(std::to_string(records.size() - n - static_cast<size_t>(duplicates)) +
                " extra records were neither applied nor dead-lettered as DUPLICATE_EVENT");
  }
  std::cout << "ok: " << n << " CredentialIssued applied exactly once each; " << duplicates
            << " duplicate record(s) dead-lettered as DUPLICATE_EVENT\n";
  return 0;
}

// ---- verify ------------------------------------------------------------------------------

std::shared_ptr<grpc::Channel> Channel(const std::string& node) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(node, grpc::InsecureChannelCredentials(), arguments);
}

int Verify(Args& args) {
  const std::string node = args.Require("node");
  const std::string in_path = args.Require("in");
  const int wait_seconds = args.GetInt("wait-seconds", 30);
  if (!args.bad().empty()) return Usage(args.bad());
  std::ifstream in(in_path);
  if (!in) return Usage("cannot read " + in_path);
  std::vector<std::pair<std::string, std::string>> pending;
  for (std::string line; std::getline(in, line);) {
    auto fields = SplitTabs(line);
    if (fields.size() != 2) return Usage(in_path + ": expected credential_id<TAB>jws lines");
    pending.emplace_back(fields[0], fields[1]);
  }
  const size_t total = pending.size();
  auto stub = IssuanceService::NewStub(Channel(node));
  const absl::Time deadline = absl::Now() + absl::Seconds(wait_seconds);
  std::string last_problem;
  while (true) {
    std::vector<std::pair<std::string, std::string>> again;
    for (auto& [id, jws] : pending) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      issuance::v1::VerifyCredentialRequest request;
      request.set_jws(jws);
      issuance::v1::VerificationReport report;
      grpc::Status status = stub->VerifyCredential(&context, request, &report);
      if (status.ok() && report.valid() && report.credential_id() == id) continue;
      if (!status.ok()) {
        last_problem = id + ": " + status.error_message();
      } else if (report.credential_id() != id) {
        last_problem = id + ": the report names " + report.credential_id();
      } else {
        last_problem = id + ": NOT VALID:";
        for (const auto& check : report.checks()) {
          if (!check.passed()) last_problem += " " + check.name() + " (" + check.detail() + ")";
        }
      }
      again.emplace_back(std::move(id), std::move(jws));
    }
    pending = std::move(again);
    if (pending.empty()) break;
    if (absl::Now() > deadline) {
      return Fail(std::to_string(pending.size()) + " of " + std::to_string(total) +
                  " credentials do not verify at " + node + " after " +
                  std::to_string(wait_seconds) + "s; e.g. " + last_problem);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::cout << "ok: " << total << " credentials verify VALID at " << node << "\n";
  return 0;
}

// ---- load and settle -----------------------------------------------------------------------

struct IssueSettings {
  std::string node, token, spec;
  int timeout_ms = 3000;
};

// The request behind a request id: the learner is named after it, so `settle` can send the
// very same request again.
issuance::v1::IssueCredentialRequest RequestFor(const IssueSettings& s,
                                                const std::string& request_id) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(s.spec);
  r.mutable_learner()->set_learner_id(request_id);
  r.mutable_learner()->set_given_name("Fault");
  r.mutable_learner()->set_family_name("Tolerance");
  r.mutable_learner()->set_email("learner@example.org");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  *r.mutable_issued_on() = domain::ToDate(today);
  r.set_place_of_issuing("Louvain-la-Neuve, BE");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

struct CallResult {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string credential_id;
  std::string jws;
  int64_t millis = 0;
};

CallResult Issue(IssuanceService::Stub& stub, const IssueSettings& s,
                 const std::string& request_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(s.timeout_ms));
  context.AddMetadata("authorization", "Bearer " + s.token);
  issuance::v1::IssuedCredential answer;
  const auto started = std::chrono::steady_clock::now();
  grpc::Status status = stub.IssueCredential(&context, RequestFor(s, request_id), &answer);
  CallResult result;
  result.millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  result.code = status.error_code();
  result.message = status.error_message();
  result.credential_id = answer.credential_id();
  result.jws = answer.jws();
  return result;
}

bool Transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::ABORTED;
}

// Empty when the call ended cleanly: a credential, or a transient gRPC error.
std::string Unclean(const std::string& request_id, const CallResult& r) {
  if (r.code == grpc::StatusCode::OK) {
    if (r.credential_id.starts_with("urn:uuid:") && !r.jws.empty()) return "";
    return request_id + ": OK without a credential";
  }
  if (Transient(r.code)) return "";
  return request_id + ": code " + std::to_string(r.code) + ": " + r.message;
}

absl::StatusOr<IssueSettings> SettingsFrom(Args& args) {
  IssueSettings s;
  s.node = args.Require("node");
  s.spec = args.Require("spec");
  const std::string token_file = args.Require("token-file");
  s.timeout_ms = args.GetInt("timeout-ms", 3000);
  if (!args.bad().empty()) return absl::InvalidArgumentError(args.bad());
  std::ifstream in(token_file);
  if (!in || !std::getline(in, s.token) || s.token.empty()) {
    return absl::InvalidArgumentError("cannot read a token from " + token_file);
  }
  return s;
}

int Load(Args& args) {
  auto settings = SettingsFrom(args);
  const std::string prefix = args.Require("prefix");
  const std::string out_path = args.Require("out");
  const int threads = args.GetInt("threads", 3);
  const std::string until_file = args.Get("until-file");
  const int max_seconds = args.GetInt("max-seconds", 60);
  if (!settings.ok()) return Usage(std::string(settings.status().message()));
  if (!args.bad().empty()) return Usage(args.bad());

  auto channel = Channel(settings->node);
  std::mutex mu;
  std::ofstream out(out_path);
  std::vector<std::string> unclean;
  std::map<std::string, int> counts;
  const absl::Time deadline = absl::Now() + absl::Seconds(max_seconds);
  auto stop = [&] {
    return absl::Now() > deadline || (!until_file.empty() && std::filesystem::exists(until_file));
  };
  // Like a careful client, a thread sends a failed request again, with its request id, until
  // it succeeds (or the load ends); only then does it go on to the next request.
  auto work = [&](int t) {
    auto stub = IssuanceService::NewStub(channel);
    int n = 0;
    bool retrying = false;
    while (!stop()) {
      if (!retrying) ++n;
      const std::string request_id = prefix + "-t" + std::to_string(t) + "-" + std::to_string(n);
      CallResult r = Issue(*stub, *settings, request_id);
      retrying = r.code != grpc::StatusCode::OK;
      {
        std::lock_guard lock(mu);
        out << request_id << '\t' << static_cast<int>(r.code) << '\t' << r.credential_id << '\t'
            << r.jws << '\t' << r.millis << '\n';
        ++counts[r.code == grpc::StatusCode::OK ? "ok" : std::to_string(r.code)];
        if (std::string why = Unclean(request_id, r); !why.empty()) unclean.push_back(why);
      }
      if (retrying) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (std::thread& thread : pool) thread.join();
  out.close();
  std::cout << "calls:";
  for (const auto& [code, n] : counts) std::cout << " " << code << "=" << n;
  std::cout << " (codes: 4 DEADLINE_EXCEEDED, 10 ABORTED, 14 UNAVAILABLE)\n";
  if (!unclean.empty()) {
    return Fail(std::to_string(unclean.size()) +
                " calls did not end cleanly; first: " + unclean.front());
  }
  if (counts["ok"] == 0) return Fail("no call succeeded");
  return 0;
}

int Settle(Args& args) {
  auto settings = SettingsFrom(args);
  const std::string in_path = args.Require("in");
  const std::string out_path = args.Require("out");
  const int max_seconds = args.GetInt("max-seconds", 60);
  if (!settings.ok()) return Usage(std::string(settings.status().message()));
  if (!args.bad().empty()) return Usage(args.bad());
  std::ifstream in(in_path);
  if (!in) return Usage("cannot read " + in_path);
  // Each request id once, with the answer of its first successful call, if any; every other
  // successful call of the same id must have given the same answer.
  struct Request {
    std::string id;
    CallResult first;
    CallResult last;
  };
  std::vector<Request> requests;
  std::map<std::string, size_t> index_of;
  int calls = 0;
  for (std::string line; std::getline(in, line); ++calls) {
    auto fields = SplitTabs(line);
    if (fields.size() != 5) return Usage(in_path + ": not a `load` output line: " + line);
    CallResult call;
    call.code = static_cast<grpc::StatusCode>(std::stoi(fields[1]));
    call.credential_id = fields[2];
    call.jws = fields[3];
    auto [it, added] = index_of.try_emplace(fields[0], requests.size());
    if (added) requests.push_back({.id = fields[0], .first = call});
    Request& r = requests[it->second];
    if (call.code != grpc::StatusCode::OK) continue;
    if (r.first.code != grpc::StatusCode::OK) {
      r.first = call;
    } else if (call.credential_id != r.first.credential_id || call.jws != r.first.jws) {
      return Fail(r.id + ": two calls with this request id were answered with different " +
                  "credentials or JWS: " + r.first.credential_id + ", " + call.credential_id);
    }
  }
  auto stub = IssuanceService::NewStub(Channel(settings->node));
  const absl::Time deadline = absl::Now() + absl::Seconds(max_seconds);
  int acknowledged = 0, completed_late = 0;
  for (Request& r : requests) {
    while (true) {
      r.last = Issue(*stub, *settings, r.id);
      if (std::string why = Unclean(r.id, r.last); !why.empty()) return Fail("retry: " + why);
      if (r.last.code == grpc::StatusCode::OK) break;
      if (absl::Now() > deadline) {
        return Fail("retry of " + r.id + " still fails after " + std::to_string(max_seconds) +
                    "s: " + r.last.message);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (r.first.code != grpc::StatusCode::OK) {
      ++completed_late;
      continue;
    }
    ++acknowledged;
    if (r.last.credential_id != r.first.credential_id) {
      return Fail(r.id + ": acknowledged as " + r.first.credential_id + ", a retry answers " +
                  r.last.credential_id);
    }
    if (r.last.jws != r.first.jws) {
      return Fail(r.id + ": a retry answers another JWS than the acknowledged one");
    }
  }
  std::set<std::string> ids;
  std::ofstream out(out_path);
  for (const Request& r : requests) {
    ids.insert(r.last.credential_id);
    out << r.last.credential_id << '\t' << r.last.jws << '\n';
  }
  if (ids.size() != requests.size()) {
    return Fail(std::to_string(requests.size()) + " request ids gave " +
                std::to_string(ids.size()) + " distinct credentials");
  }
  std::cout << "ok: " << requests.size() << " requests (" << calls << " calls), " << acknowledged
            << " acknowledged during the load (a retry now gives the same credential and JWS), "
            << completed_late << " completed now by a retry with the same request id\n";
  return 0;
}

// ---- squat, replay-refused ---------------------------------------------------------------

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenLog(const std::string& kafka) {
  return KafkaEventLog::Open({.bootstrap_servers = kafka,
                              .client_id = "mc-fault-probe",
                              .properties = {{"log_level", "3"}}});
}

int Squat(Args& args) {
  const std::string kafka = args.Require("kafka");
  const std::string key_file = args.Require("key-file");
  const std::string institution = args.Require("institution");
  const std::string victim = args.Require("victim");
  const std::string request_ids = args.Require("request-ids");
  const std::string spec = args.Get("spec", "squat/none");
  if (!args.bad().empty()) return Usage(args.bad());
  auto key = host::LoadSigningKey(key_file);
  if (!key.ok()) return Usage("--key-file: " + key.status().ToString());
  auto log = OpenLog(kafka);
  if (!log.ok()) return Fail("kafka: " + log.status().ToString());
  const events::EnvelopeSigner signer(institution, institution + "-squat", *key);
  std::stringstream ids(request_ids);
  for (std::string request_id; std::getline(ids, request_id, ',');) {
    const std::string hex = crypto::HexEncode(crypto::RandomBytes(16));
    const std::string credential_id = "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) +
                                      "-4" + hex.substr(13, 3) + "-8" + hex.substr(17, 3) + "-" +
                                      hex.substr(20, 12);
    CredentialIssued issued;
    issued.set_credential_id(credential_id);
    issued.set_learner_pseudonym("lp1_squat");
    issued.set_specification_id(spec);
    issued.set_signature_sha256(crypto::Sha256(credential_id));
    const std::string event_id = events::EventIdForRequest(victim, request_id);
    auto appended = (*log)->Append(
        {topics::kIssuance, credential_id,
         signer.Seal(issued, {.partition_key = credential_id, .event_id = event_id})});
    if (!appended.ok()) return Fail("append: " + appended.status().ToString());
    std::cout << request_id << '\t' << event_id << '\t' << credential_id << '\n';
  }
  return 0;
}

int ReplayRefused(Args& args) {
  const std::string kafka = args.Require("kafka");
  const std::string topic = args.Get("topic");
  const int max = args.GetInt("max", 100);
  if (!args.bad().empty()) return Usage(args.bad());
  auto log = OpenLog(kafka);
  if (!log.ok()) return Fail("kafka: " + log.status().ToString());
  auto letters = ReadAll(**log, topics::kDeadLetter);
  if (!letters.ok()) return Fail(letters.status().ToString());
  std::set<std::tuple<std::string, int32_t, int64_t>> done;
  int appended = 0;
  for (const LogRecord& record : *letters) {
    if (appended >= max) break;
    events::v1::DeadLetter letter;
    if (!letter.ParseFromString(record.value)) continue;
    if (letter.reason_code() == events::reason::kDuplicateEvent || letter.topic().empty() ||
        letter.topic() == topics::kDeadLetter || (!topic.empty() && letter.topic() != topic) ||
        letter.record_size() != static_cast<int64_t>(letter.record_value().size()) ||
        !done.insert({letter.topic(), letter.partition(), letter.offset()}).second) {
      continue;
    }
    auto at = (*log)->Append({letter.topic(), letter.record_key(), letter.record_value()});
    if (!at.ok()) return Fail("append: " + at.status().ToString());
    ++appended;
  }
  std::cout << "appended " << appended << "\n";
  return 0;
}

int Letters(Args& args) {
  const std::string kafka = args.Require("kafka");
  const std::string consumer_node = args.Require("consumer-node");
  const std::string reason = args.Require("reason");
  const int at_least = args.GetInt("at-least", -1);
  const std::string topic = args.Get("topic");
  const std::string service = args.Get("service");
  const int wait_seconds = args.GetInt("wait-seconds", 60);
  if (at_least < 0) return Usage("--at-least is required");
  if (!args.bad().empty()) return Usage(args.bad());
  auto log = OpenLog(kafka);
  if (!log.ok()) return Fail("kafka: " + log.status().ToString());
  auto count = [&]() -> absl::StatusOr<int> {
    auto letters = ReadAll(**log, topics::kDeadLetter);
    if (!letters.ok()) return letters.status();
    int n = 0;
    for (const LogRecord& record : *letters) {
      events::v1::DeadLetter letter;
      if (!letter.ParseFromString(record.value)) continue;
      n += letter.consumer_node() == consumer_node && letter.reason_code() == reason &&
           (topic.empty() || letter.topic() == topic) &&
           (service.empty() || letter.consumer_service() == service);
    }
    return n;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(wait_seconds);
  for (;;) {
    auto n = count();
    if (!n.ok()) return Fail(n.status().ToString());
    if (*n >= at_least || absl::Now() > deadline) {
      std::cout << *n << " " << reason << " letters of " << consumer_node << "\n";
      return *n >= at_least ? 0 : Fail("expected at least " + std::to_string(at_least));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// ---- flood and bigpost -------------------------------------------------------------------

int Flood(Args& args) {
  const std::string node = args.Require("node");
  const std::string method =
      args.Get("method", "/microcred.issuance.v1.IssuanceService/VerifyCredential");
  const int calls = args.GetInt("calls", 8);
  // --megabytes=N is N MiB; --bytes, exact.
  const int mebibytes = args.GetInt("megabytes", 0);
  const int bytes = args.GetInt("bytes", mebibytes > 0 ? mebibytes << 20 : 60'000'000);
  const int timeout_ms = args.GetInt("timeout-ms", 60'000);
  if (!args.bad().empty()) return Usage(args.bad());
  grpc::ChannelArguments arguments;
  arguments.SetMaxSendMessageSize(-1);
  // One channel per call: each is its own connection, as separate attackers' would be.
  std::vector<std::future<grpc::Status>> ends;
  // A string field (1) of the whole size: what a real request of that size looks like.
  std::string payload(static_cast<size_t>(bytes), 'x');
  for (int i = 0; i < calls; ++i) {
    ends.push_back(std::async(std::launch::async, [&, i] {
      auto channel = grpc::CreateCustomChannel(node, grpc::InsecureChannelCredentials(), arguments);
      grpc::GenericStub stub(channel);
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(timeout_ms));
      grpc::Slice slice(payload.data(), payload.size(), grpc::Slice::STATIC_SLICE);
      grpc::ByteBuffer request(&slice, 1), response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                     [&done](grpc::Status status) { done.set_value(std::move(status)); });
      grpc::Status status = done.get_future().get();
      std::cout << "call " << i << ": code " << status.error_code() << " " << status.error_message()
                << "\n";
      return status;
    }));
  }
  int failed = 0;
  for (auto& end : ends) {
    grpc::Status status = end.get();
    if (status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
        status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      ++failed;
    }
  }
  if (failed > 0)
    return Fail(std::to_string(failed) + " call(s) were answered OK, timed out or found no node");
  std::cout << "ok: " << calls << " calls of " << bytes << " bytes refused\n";
  return 0;
}

int BigPost(Args& args) {
  const std::string http = args.Require("http");
  const std::string path = args.Get("path", "/verify");
  const long long bytes = std::stoll(args.Get("bytes", "400000000"));
  if (!args.bad().empty()) return Usage(args.bad());
  const size_t colon = http.rfind(':');
  if (colon == std::string::npos) return Usage("--http: expected HOST:PORT");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::stoi(http.substr(colon + 1))));
  if (inet_pton(AF_INET, http.substr(0, colon).c_str(), &address.sin_addr) != 1) {
    return Usage("--http: expected an IPv4 address");
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return Fail("cannot connect to " + http);
  }
  const std::string head =
      "POST " + path + " HTTP/1.1\r\nHost: " + http +
      "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(bytes) +
      "\r\nConnection: close\r\n\r\n";
  long long sent = -static_cast<long long>(head.size());
  std::string chunk = head + std::string(size_t{1} << 20, 'x');
  while (sent < bytes) {
    const size_t want = static_cast<size_t>(
        std::min<long long>(bytes - sent, static_cast<long long>(chunk.size())));
    const ssize_t n = ::send(fd, chunk.data(), want, MSG_NOSIGNAL);
    if (n <= 0) break;  // the node stopped reading: it answered, or closed
    sent += n;
    if (chunk.size() != (size_t{1} << 20)) chunk = std::string(size_t{1} << 20, 'x');
  }
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, n);
  ::close(fd);
  const std::string status = answer.size() > 12 ? answer.substr(9, 3) : "none";
  std::cout << "sent " << std::max<long long>(sent, 0) << " of " << bytes
            << " body bytes; answered " << status << "\n";
  if (!status.empty() && status[0] == '2') return Fail("the node accepted the body");
  return 0;
}

// A TCP connection from `source` to `http` (HOST:PORT, IPv4); -1 when it cannot connect.
int Slow(Args& args) {
  const std::string http = args.Require("http");
  const int connections = args.GetInt("connections", 60);
  const int max_seconds = args.GetInt("max-seconds", 30);
  if (!args.bad().empty()) return Usage(args.bad());
  const size_t colon = http.rfind(':');
  if (colon == std::string::npos) return Usage("--http: expected HOST:PORT");
  const std::string host = http.substr(0, colon);
  const int port = std::stoi(http.substr(colon + 1));
  auto slow = testing_support::SlowClients::Open("127.0.0.2", host, port, connections,
                                                 "GET /healthz HTTP/1.1\r\nHost: node\r\nX-Slow: ");
  if (!slow.ok()) return Fail(slow.status().ToString());
  // The normal request: answered while the slow ones still hold their connections.
  const int fd = testing_support::ConnectFrom("127.0.0.1", host, port);
  std::string answer;
  if (fd >= 0) {
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n";
    ::send(fd, get.data(), get.size(), MSG_NOSIGNAL);
    timeval timeout{.tv_sec = 20, .tv_usec = 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, n);
    ::close(fd);
  }
  const int open_at_answer = (*slow)->open_count();
  const bool all_closed = (*slow)->WaitAllClosed(absl::Seconds(max_seconds));
  std::cout << "GET /healthz answered \"" << answer.substr(0, 12) << "\" with " << open_at_answer
            << " of " << connections << " slow connections open; " << (*slow)->open_count()
            << " still open after " << max_seconds << " s\n";
  if (answer.substr(0, 12) != "HTTP/1.1 200") return Fail("the normal request was not answered");
  if (!all_closed) return Fail("the node kept slow connections open");
  std::cout << "ok: slow clients neither stopped the node nor kept their connections\n";
  return 0;
}

}  // namespace
}  // namespace microcred::faults

int main(int argc, char** argv) {
  using namespace microcred::faults;
  if (argc < 2) {
    return Usage(
        "expected a command: events, verify, load, settle, squat, replay-refused, letters, flood, "
        "bigpost or slow");
  }
  const std::string command = argv[1];
  Args args(argc, argv);
  if (command == "events") return Events(args);
  if (command == "verify") return Verify(args);
  if (command == "load") return Load(args);
  if (command == "settle") return Settle(args);
  if (command == "squat") return Squat(args);
  if (command == "replay-refused") return ReplayRefused(args);
  if (command == "letters") return Letters(args);
  if (command == "flood") return Flood(args);
  if (command == "bigpost") return BigPost(args);
  if (command == "slow") return Slow(args);
  return Usage("unknown command " + command);
}
