#include "tools/mcctl/cohort_issue.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <set>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "tools/mcctl/cohort.h"
#include "tools/mcctl/csv.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/progress.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

using issuance::v1::IssueCredentialRequest;
using issuance::v1::IssueCredentialsRequest;
using issuance::v1::IssueCredentialsResponse;
using issuance::v1::RowResult;

constexpr char kIssue[] = "issue";
constexpr int64_t kMaxBatch = 10000;  // the node's limit per IssueCredentials call
constexpr size_t kBatchesInFlight = 2;

std::string CodeText(int code, const std::string& message) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) + ": " + message;
}

// What the run needs besides the file: everything from the flags.
struct CohortSettings {
  IssueCredentialRequest shared;  // specification, date, place, mode, supervision
  std::string default_grade;
  std::string default_scheme;
  int64_t batch_size = 500;
  std::string out_dir;
  std::string refused_out;
};

absl::StatusOr<CohortSettings> SettingsFrom(const host::Config& flags) {
  if (auto s = RejectFlags(flags,
                           {"learner-id", "given-name", "family-name", "email", "date-of-birth",
                            "request-id", "out"},
                           "is for one learner: a cohort's learners come from its CSV file "
                           "(and each JWS goes to --out-dir)");
      !s.ok()) {
    return s;
  }
  CohortSettings settings;
  auto shared = SharedIssueRequest(flags);
  if (!shared.ok()) return shared.status();
  settings.shared = *std::move(shared);
  auto grade = flags.GetString("grade", "");
  auto scheme = flags.GetString("grading-scheme", "");
  auto out_dir = flags.GetString("out-dir", "");
  auto refused_out = flags.GetString("refused-out", "");
  for (const auto* value : {&grade, &scheme, &out_dir, &refused_out}) {
    if (!value->ok()) return value->status();
  }
  auto batch_size = flags.GetInt("batch-size", 500);
  if (!batch_size.ok()) return batch_size.status();
  if (*batch_size < 1 || *batch_size > kMaxBatch) {
    return absl::InvalidArgumentError("--batch-size: 1 to " + std::to_string(kMaxBatch));
  }
  settings.default_grade = *grade;
  settings.default_scheme = *scheme;
  settings.batch_size = *batch_size;
  settings.out_dir = *out_dir;
  settings.refused_out = *refused_out;
  return settings;
}

class CohortRun {
 public:
  CohortRun(const Invocation& in, const Cohort& cohort, const CohortSettings& settings,
            std::string cohort_key)
      : in_(in),
        cohort_(cohort),
        settings_(settings),
        key_(std::move(cohort_key)),
        client_(in.global),
        progress_(cohort.total(), StderrIsTerminal(), std::cerr) {
    summary_.rows = cohort.total();
    for (const CohortRefusal& refusal : cohort.refused) {
      AddRefusal(refusal.row, refusal.learner_id,
                 static_cast<int>(absl::StatusCode::kInvalidArgument), refusal.reason,
                 "not sent: " + refusal.reason);
    }
  }

  int Run() {
    const int64_t started_ms = absl::ToUnixMillis(absl::Now());
    const size_t batch = static_cast<size_t>(settings_.batch_size);
    // Two batches in flight: the node prepares one while it applies the other, which is what
    // lets a cohort go at the node's full rate (BENCHMARKS.md).
    struct InFlight {
      size_t begin;
      std::future<std::pair<grpc::Status, IssueCredentialsResponse>> answer;
    };
    std::deque<InFlight> in_flight;
    size_t next = 0;
    auto launch = [&] {
      const size_t begin = next, end = std::min(next + batch, cohort_.rows.size());
      next = end;
      in_flight.push_back({begin, std::async(std::launch::async, [this, begin, end] {
                             IssueCredentialsResponse response;
                             grpc::Status status = Send(begin, end, response);
                             return std::make_pair(status, std::move(response));
                           })});
    };
    while (next < cohort_.rows.size() && in_flight.size() < kBatchesInFlight) launch();
    while (!in_flight.empty()) {
      const size_t begin = in_flight.front().begin;
      auto [status, response] = in_flight.front().answer.get();
      in_flight.pop_front();
      if (!status.ok()) return Stop(status, begin);  // the other batch finishes first
      const size_t end = begin + static_cast<size_t>(response.results_size());
      if (auto s = Record(begin, response, started_ms); !s.ok()) return LocalFailure(s, end);
      done_ += static_cast<int>(end - begin);
      progress_.Update(done_ + static_cast<int>(cohort_.refused.size()), Issued(),
                       static_cast<int>(summary_.refused.size()));
      if (next < cohort_.rows.size()) launch();
    }
    progress_.Finish();
    if (auto s = WriteRefusedRows(); !s.ok()) return LocalFailure(s, cohort_.rows.size());
    Report();
    return summary_.refused.empty() ? kExitOk : kExitRefused;
  }

 private:
  int Issued() const { return summary_.issued_new + summary_.already_issued; }

  grpc::Status Send(size_t begin, size_t end, IssueCredentialsResponse& response) {
    IssueCredentialsRequest request;
    for (size_t i = begin; i < end; ++i) *request.add_rows() = RowRequest(cohort_.rows[i]);
    grpc::ClientContext context;
    client_.Prepare(context);
    grpc::Status status = client_.issuance().IssueCredentials(&context, request, &response);
    if (status.ok() && response.results_size() != static_cast<int>(end - begin)) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "the node answered " + std::to_string(response.results_size()) +
                              " rows for " + std::to_string(end - begin));
    }
    return status;
  }

  IssueCredentialRequest RowRequest(const CohortRow& row) const {
    IssueCredentialRequest request = settings_.shared;
    request.set_request_id(CohortRowRequestId(key_, row.row));
    *request.mutable_learner() = row.learner;
    SetGrade(row.grade.empty() ? settings_.default_grade : row.grade,
             row.grading_scheme.empty() ? settings_.default_scheme : row.grading_scheme, request);
    return request;
  }

  absl::Status Record(size_t begin, const IssueCredentialsResponse& response, int64_t started_ms) {
    for (int i = 0; i < response.results_size(); ++i) {
      const CohortRow& row = cohort_.rows[begin + static_cast<size_t>(i)];
      RowResult result = response.results(i);
      result.set_row(row.row);
      if (result.code() != 0) {
        AddRefusal(row.row, row.learner.learner_id(), result.code(), result.message(),
                   CodeText(result.code(), result.message()));
        continue;
      }
      if (IssuedEarlier(result.credential(), started_ms)) {
        ++summary_.already_issued;
      } else {
        ++summary_.issued_new;
      }
      *merged_.add_results() = result;
      if (auto s = WriteJws(row, result.credential().jws()); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // --output=json keeps the code and message; the text summary shows `reason`.
  void AddRefusal(int row, const std::string& learner_id, int code, const std::string& message,
                  std::string reason) {
    RowResult* result = merged_.add_results();
    result->set_row(row);
    result->set_code(code);
    result->set_message(message);
    summary_.refused.push_back({.row = row, .learner_id = learner_id, .reason = std::move(reason)});
  }

  absl::Status WriteJws(const CohortRow& row, const std::string& jws) {
    if (settings_.out_dir.empty()) return absl::OkStatus();
    std::error_code error;
    std::filesystem::create_directories(settings_.out_dir, error);
    if (error) return absl::InvalidArgumentError("--out-dir: " + error.message());
    const std::string name = row.learner.learner_id().empty()
                                 ? "row-" + std::to_string(row.row)
                                 : SafeFileName(row.learner.learner_id());
    return WriteOutput(settings_.out_dir + "/" + name + ".jws", jws + "\n");
  }

  absl::Status WriteRefusedRows() {
    if (settings_.refused_out.empty() || summary_.refused.empty()) return absl::OkStatus();
    std::map<int, const std::vector<std::string>*> fields_of_row;
    for (const CohortRefusal& refusal : cohort_.refused)
      fields_of_row[refusal.row] = &refusal.fields;
    for (const CohortRow& row : cohort_.rows) fields_of_row[row.row] = &row.fields;
    std::set<int> refused_rows;
    for (const RefusedRow& refused : summary_.refused) refused_rows.insert(refused.row);
    std::string csv = FormatCsvRecord(cohort_.header);
    for (int row : refused_rows) csv += FormatCsvRecord(*fields_of_row.at(row));
    return WriteOutput(settings_.refused_out, csv);
  }

  void Report() {
    merged_.set_issued(Issued());
    merged_.set_refused(static_cast<int>(summary_.refused.size()));
    std::sort(merged_.mutable_results()->begin(), merged_.mutable_results()->end(),
              [](const RowResult& a, const RowResult& b) { return a.row() < b.row(); });
    if (in_.global.json) {
      PrintJson(merged_);
      std::cerr << CohortSummaryText(summary_);
    } else {
      std::cout << CohortSummaryText(summary_);
    }
    if (!summary_.refused.empty()) {
      std::cerr << "hint: correct the refused rows and issue them again. Running this same file "
                   "again is safe (no row is issued twice), but an edited file counts as a new "
                   "one: "
                << (settings_.refused_out.empty()
                        ? "--refused-out=FILE writes the refused rows to a file to correct and run"
                        : "correct and run " + settings_.refused_out)
                << "\n";
    }
  }

  // The node failed a whole batch: report what was done, then why it stopped.
  int Stop(const grpc::Status& status, size_t stopped_at) {
    progress_.Finish();
    summary_.not_sent = static_cast<int>(cohort_.rows.size() - stopped_at);
    Report();
    std::cerr << "stopped at row " << cohort_.rows[stopped_at].row << ": ";
    return RpcFailure(status, in_.global);
  }

  int LocalFailure(const absl::Status& status, size_t stopped_at) {
    progress_.Finish();
    summary_.not_sent = static_cast<int>(cohort_.rows.size() - stopped_at);
    Report();
    return UsageError(kIssue, status);
  }

  const Invocation& in_;
  const Cohort& cohort_;
  const CohortSettings& settings_;
  const std::string key_;
  NodeClient client_;
  Progress progress_;
  CohortSummary summary_;
  IssueCredentialsResponse merged_;  // --output=json: every row, numbered as in the file
  int done_ = 0;
};

}  // namespace

int RunCohortIssue(const Invocation& in, const std::string& path) {
  auto settings = SettingsFrom(in.flags);
  if (!settings.ok()) return UsageError(kIssue, settings.status());
  auto content = ReadInput(path);
  if (!content.ok())
    return UsageError(kIssue, "--cohort: " + std::string(content.status().message()));
  auto cohort = ParseCohort(*content);
  if (!cohort.ok()) return UsageError(kIssue, path + ": " + std::string(cohort.status().message()));
  CohortRun run(in, *cohort, *settings, CohortKey(settings->shared.specification_id(), *content));
  return run.Run();
}

}  // namespace microcred::mcctl
