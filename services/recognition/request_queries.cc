// RequestQueries (recognition_internal.h): the requests received here, as staff or their learner
// may see them, and the public VAE eligibility computation.
#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "services/recognition/recognition_internal.h"
#include "services/recognition/vae_rules.h"

namespace microcred::recognition::internal {
namespace {

using strings::Cat;
namespace roles = auth::roles;

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;

// Oldest first; the page token is the last request's sort key.
std::string SortKey(const v1::RequestRecord& record) {
  return Cat(absl::Dec(record.request().received_at_ms(), absl::kZeroPad20), "|",
             record.request().request_id());
}

}  // namespace

absl::StatusOr<v1::RecognitionRequest> RequestQueries::Get(const auth::Caller& caller,
                                                           const v1::GetRequestRequest& r) const {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  if (r.request_id().empty()) return absl::InvalidArgumentError("request_id: is required");
  auto record = core_.requests.Request(r.request_id());
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NotReceivedHere(r.request_id());
  if (auto s = core_.CheckMaySee(caller, (*record)->request()); !s.ok()) return s;
  return core_.vault.Answer(**record);
}

absl::StatusOr<v1::ListRequestsResponse> RequestQueries::List(
    const auth::Caller& caller, const v1::ListRequestsRequest& r) const {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  std::optional<std::string> only_learner;
  if (!IsStaff(caller)) {
    if (!caller.HasRole(roles::kLearner)) {
      return absl::PermissionDeniedError(
          "caller: recognition staff, or a learner for their own requests");
    }
    auto pseudonym = core_.Pseudonym(caller.subject);
    if (!pseudonym.ok()) return pseudonym.status();
    only_learner = *pseudonym;
  }
  if (r.page_size() < 0 || r.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(Cat("page_size: 0 to ", kMaxPageSize));
  }
  const int page_size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  auto all = core_.requests.AllRequests();
  if (!all.ok()) return all.status();
  const absl::Time now = core_.Now();
  const std::set<int> states(r.states().begin(), r.states().end());
  std::vector<const v1::RequestRecord*> selected;
  v1::ListRequestsResponse response;
  for (const v1::RequestRecord& record : *all) {
    const v1::RecognitionRequest& q = record.request();
    if (only_learner && q.learner_pseudonym() != *only_learner) continue;
    if (!states.empty() && !states.contains(q.state())) continue;
    if (r.type() != v1::REQUEST_TYPE_UNSPECIFIED && q.type() != r.type()) continue;
    const bool overdue = IsOverdue(q, now);
    if (r.overdue_only() && !overdue) continue;
    if (overdue) response.set_overdue_count(response.overdue_count() + 1);
    selected.push_back(&record);
  }
  std::sort(selected.begin(), selected.end(),
            [](const auto* a, const auto* b) { return SortKey(*a) < SortKey(*b); });
  std::string last_key;
  for (const v1::RequestRecord* record : selected) {
    if (!r.page_token().empty() && SortKey(*record) <= r.page_token()) continue;
    if (response.requests_size() == page_size) {
      response.set_next_page_token(last_key);
      break;
    }
    auto answer = core_.vault.Answer(*record);
    if (!answer.ok()) return answer.status();
    *response.add_requests() = *std::move(answer);
    last_key = SortKey(*record);
  }
  return response;
}

absl::StatusOr<v1::VaeEligibility> RequestQueries::CheckVae(
    const v1::CheckVaeEligibilityRequest& r) const {
  if (auto s = ValidateVaeFile(r.file(), core_.CurrentMonth()); !s.ok()) return s;
  return ComputeVaeEligibility(r.file());
}

}  // namespace microcred::recognition::internal
