#include "libs/base/json_writer.h"

#include <gtest/gtest.h>

#include <limits>

#include "nlohmann/json.hpp"

namespace microcred {
namespace {

TEST(JsonWriterTest, WritesNestedStructureWithCommasInCallOrder) {
  JsonWriter w;
  w.BeginObject().Field("id", "urn:x").Key("type").BeginArray().String("A").String("B").EndArray();
  w.Key("empty").BeginObject().EndObject().Field("n", 3).Field("ok", true).EndObject();
  auto text = std::move(w).Finish();
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, R"({"id":"urn:x","type":["A","B"],"empty":{},"n":3,"ok":true})");
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  JsonWriter w;
  w.BeginArray().String("a\"b\\c\nd\te\x01").EndArray();
  auto text = std::move(w).Finish();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, R"(["a\"b\\c\nd\te\u0001"])");
  EXPECT_EQ(nlohmann::json::parse(*text)[0], "a\"b\\c\nd\te\x01");
}

TEST(JsonWriterTest, KeepsMultiByteUtf8AsItIs) {
  JsonWriter w;
  w.BeginObject().Field("title", "Données à l’échelle 😀").EndObject();
  auto text = std::move(w).Finish();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(nlohmann::json::parse(*text)["title"], "Données à l’échelle 😀");
}

TEST(JsonWriterTest, InvalidUtf8NamesTheMember) {
  for (std::string bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\xFFz"}) {
    JsonWriter w;
    w.BeginObject().Field("ok", "fine").Field("title", bad).EndObject();
    auto text = std::move(w).Finish();
    ASSERT_FALSE(text.ok()) << bad;
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(text.status().message().find("\"title\""), std::string::npos) << text.status();
  }
}

TEST(JsonWriterTest, NumbersReadBackExactly) {
  JsonWriter w;
  w.BeginArray().Number(5).Number(2.5).Number(0.1).Number(1e21).Number(-7.25).Int(-42);
  w.EndArray();
  auto text = std::move(w).Finish();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[5,2.5,0.1,1e+21,-7.25,-42]");
  EXPECT_EQ(nlohmann::json::parse(*text)[2].get<double>(), 0.1);
}

TEST(JsonWriterTest, NonFiniteNumberIsAnError) {
  JsonWriter w;
  w.BeginObject().Field("ects", std::numeric_limits<double>::quiet_NaN()).EndObject();
  auto text = std::move(w).Finish();
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("ects"), std::string::npos);
}

TEST(JsonWriterTest, OptionalFieldsAreSkippedWhenEmpty) {
  JsonWriter w;
  w.BeginObject().FieldIfNotEmpty("a", "").FieldIfNotEmpty("b", "x").EndObject();
  EXPECT_EQ(*std::move(w).Finish(), R"({"b":"x"})");
}

TEST(JsonWriterTest, UnbalancedStructureIsRefused) {
  JsonWriter open;
  open.BeginObject().Key("a").BeginArray();
  EXPECT_EQ(std::move(open).Finish().status().code(), absl::StatusCode::kInternal);
  JsonWriter crossed;
  crossed.BeginArray().EndObject();
  EXPECT_FALSE(std::move(crossed).Finish().ok());
  JsonWriter key_in_array;
  key_in_array.BeginArray().Key("a").String("b").EndArray();
  EXPECT_FALSE(std::move(key_in_array).Finish().ok());
}

}  // namespace
}  // namespace microcred
