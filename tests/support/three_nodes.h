// Three institution nodes of one fwb ecosystem on the run's real Kafka, for the cross-node
// tests: a_, b_ and c_, each with its own Kafka client and store (a_ and c_ on Redis server 0
// under different prefixes, b_ on server 1), admitted by one in-process secretariat and
// started. Ids carry a suffix unique to the run (run_): the broker keeps other tests' events.
#ifndef MICROCRED_TESTS_SUPPORT_THREE_NODES_H_
#define MICROCRED_TESTS_SUPPORT_THREE_NODES_H_

#include <gtest/gtest.h>

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/dates.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/running_node.h"

namespace microcred::testing_support {

// The day `days` from today (UTC), as events carry it.
inline common::v1::Date DayFromToday(int days) {
  return domain::ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

// The institutions the tests cast, for a run.
inline Institution Uliege(const std::string& run) {
  return {"uliege-" + run, "Université de Liège", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE",
          "BE-WLG"};
}
inline Institution Helmo(const std::string& run) {
  return {"helmo-" + run, "Haute École Libre Mosane", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
          "BE", "BE-WLG"};
}
inline Institution Technofutur(const std::string& run) {
  return {"technofutur-" + run, "Technofutur TIC", common::v1::PROVIDER_TYPE_VET, "BE", "BE-WHT"};
}

class ThreeNodesTest : public testing::Test {
 protected:
  // `name` tells this test's Kafka clients, Redis prefixes and ecosystem from other tests'.
  using Cast = Institution (*)(const std::string& run);
  ThreeNodesTest(const std::string& name, Cast a, Cast b, Cast c)
      : name_(name), ecosystem_("it-" + name + "-" + run_, *domain::PolicyProfile::Named("fwb")) {
    a_.institution = a(run_);
    b_.institution = b(run_);
    c_.institution = c(run_);
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Open(a_, 0, "a"));
    ASSERT_NO_FATAL_FAILURE(Open(b_, 1, "b"));
    ASSERT_NO_FATAL_FAILURE(Open(c_, 0, "c"));
    for (RunningNode* n : {&a_, &b_, &c_}) {
      ASSERT_TRUE(ecosystem_.Admit(*a_.log, n->institution, n->key).ok()) << n->institution.id;
    }
    for (RunningNode* n : {&a_, &b_, &c_}) ASSERT_NO_FATAL_FAILURE(StartNode(*n));
  }

  // (Re)starts `n`'s node on its log and store.
  void StartNode(RunningNode& n) {
    auto node = ecosystem_.StartNode(*n.log, *n.store, n.institution, n.key);
    ASSERT_TRUE(node.ok()) << n.institution.id << ": " << node.status();
    n.node = *std::move(node);
  }

  const std::string run_ = crypto::RandomId().substr(0, 8);
  const std::string name_;
  LocalEcosystem ecosystem_;
  RunningNode a_, b_, c_;

 private:
  void Open(RunningNode& n, int redis_index, const std::string& which) {
    absl::Status opened = n.Open("it-" + name_ + "-" + which, redis_index,
                                 "it-" + name_ + "-" + run_ + ":" + which + ":");
    ASSERT_TRUE(opened.ok()) << opened;
  }
};

}  // namespace microcred::testing_support

#endif  // MICROCRED_TESTS_SUPPORT_THREE_NODES_H_
