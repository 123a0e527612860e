#include "libs/host/kafka_properties.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace microcred::host {
namespace {

TEST(KafkaPropertiesTest, ReadsNameValueLinesAndSkipsCommentsAndBlanks) {
  auto properties = ParseKafkaProperties(
      "# mutual TLS\n"
      "security.protocol=ssl\n"
      "\n"
      "  ssl.ca.location = /etc/kafka/ca.crt  \n"
      "sasl.password=a=b\n");
  ASSERT_TRUE(properties.ok()) << properties.status();
  EXPECT_EQ(*properties,
            (std::map<std::string, std::string>{{"security.protocol", "ssl"},
                                                {"ssl.ca.location", "/etc/kafka/ca.crt"},
                                                {"sasl.password", "a=b"}}));
}

TEST(KafkaPropertiesTest, ALineWithoutANameOrAnEqualsSignIsRefusedWithItsNumber) {
  EXPECT_EQ(ParseKafkaProperties("a=1\nsecurity.protocol ssl\n").status().message(),
            "Kafka properties, line 2: expected name=value");
  EXPECT_FALSE(ParseKafkaProperties("=ssl\n").ok());
}

TEST(KafkaPropertiesTest, ReadsAFileAndAnEmptyPathMeansNone) {
  EXPECT_TRUE(ReadKafkaProperties("")->empty());
  const std::string path = ::testing::TempDir() + "mc_kafka_properties_test.properties";
  std::ofstream(path) << "client.rack=zone-a\n";
  auto properties = ReadKafkaProperties(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(properties.ok()) << properties.status();
  EXPECT_EQ(properties->at("client.rack"), "zone-a");
  EXPECT_TRUE(absl::IsNotFound(ReadKafkaProperties(path).status()));
}

}  // namespace
}  // namespace microcred::host
