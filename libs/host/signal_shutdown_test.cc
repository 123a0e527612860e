#include "libs/host/signal_shutdown.h"

#include <gtest/gtest.h>

#include <csignal>
#include <future>

namespace microcred::host {
namespace {

TEST(SignalShutdownTest, FirstSignalRunsTheCallbackOnAnotherThread) {
  std::promise<int> received;
  auto installed = SignalShutdown::Install([&](int signal) { received.set_value(signal); });
  ASSERT_TRUE(installed.ok()) << installed.status();
  std::raise(SIGTERM);
  std::future<int> future = received.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(future.get(), SIGTERM);
}

TEST(SignalShutdownTest, OnlyOneAtATime) {
  auto first = SignalShutdown::Install([](int) {});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(SignalShutdown::Install([](int) {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  first->reset();
  EXPECT_TRUE(SignalShutdown::Install([](int) {}).ok());
}

TEST(SignalShutdownTest, DestructionWithoutSignalRestoresTheHandler) {
  struct sigaction before {};
  ::sigaction(SIGINT, nullptr, &before);
  {
    auto installed = SignalShutdown::Install([](int) {});
  }
  struct sigaction after {};
  ::sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST(SignalShutdownTest, SigintStopsAServiceHost) {
  ServiceHost host;
  ASSERT_TRUE(host.Start().ok());
  auto signals = ShutdownOnSignals(host);
  ASSERT_TRUE(signals.ok());
  std::raise(SIGINT);
  host.Wait();  // returns because the signal shut the host down
  EXPECT_EQ(host.Start().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace microcred::host
