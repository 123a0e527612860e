#include "libs/adapters/curl/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "gtest/gtest.h"

namespace microcred::fetch {
namespace {

// The kind of restriction of an address literal; "public" when none; "not a literal".
std::string KindOf(absl::string_view literal) {
  std::optional<IpAddress> address = IpAddress::Parse(literal);
  if (!address) return "not a literal";
  return RestrictedKind(*address).value_or("public");
}

TEST(AddressPolicyTest, ClassifiesIpv4Ranges) {
  EXPECT_EQ(KindOf("127.0.0.1"), "loopback");
  EXPECT_EQ(KindOf("127.255.255.254"), "loopback");
  EXPECT_EQ(KindOf("10.0.0.1"), "private");
  EXPECT_EQ(KindOf("172.16.0.1"), "private");
  EXPECT_EQ(KindOf("172.31.255.255"), "private");
  EXPECT_EQ(KindOf("172.32.0.1"), "public");
  EXPECT_EQ(KindOf("172.15.255.255"), "public");
  EXPECT_EQ(KindOf("192.168.1.1"), "private");
  EXPECT_EQ(KindOf("169.254.169.254"), "link-local");
  EXPECT_EQ(KindOf("100.64.0.1"), "shared (carrier-grade NAT)");
  EXPECT_EQ(KindOf("100.127.255.255"), "shared (carrier-grade NAT)");
  EXPECT_EQ(KindOf("100.128.0.1"), "public");
  EXPECT_EQ(KindOf("224.0.0.1"), "multicast");
  EXPECT_EQ(KindOf("0.0.0.0"), "unspecified");
  EXPECT_EQ(KindOf("0.1.2.3"), "reserved");
  EXPECT_EQ(KindOf("255.255.255.255"), "reserved");
  EXPECT_EQ(KindOf("93.184.216.34"), "public");
  EXPECT_EQ(KindOf("8.8.8.8"), "public");
}

TEST(AddressPolicyTest, ClassifiesIpv6LiteralsWithAndWithoutBrackets) {
  EXPECT_EQ(KindOf("::1"), "loopback");
  EXPECT_EQ(KindOf("[::1]"), "loopback");
  EXPECT_EQ(KindOf("0:0:0:0:0:0:0:1"), "loopback");
  EXPECT_EQ(KindOf("::"), "unspecified");
  EXPECT_EQ(KindOf("[::]"), "unspecified");
  EXPECT_EQ(KindOf("fc00::1"), "private");
  EXPECT_EQ(KindOf("fd12:3456:789a::1"), "private");
  EXPECT_EQ(KindOf("fec0::1"), "private");
  EXPECT_EQ(KindOf("fe80::1"), "link-local");
  EXPECT_EQ(KindOf("[FE80::abcd]"), "link-local");
  EXPECT_EQ(KindOf("ff02::1"), "multicast");
  EXPECT_EQ(KindOf("2001:db8::1"), "public");
  EXPECT_EQ(KindOf("[2606:4700:4700::1111]"), "public");
}

TEST(AddressPolicyTest, JudgesIpv6FormsCarryingIpv4ByTheirIpv4Address) {
  EXPECT_EQ(KindOf("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(KindOf("[::ffff:7f00:1]"), "loopback");
  EXPECT_EQ(KindOf("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(KindOf("::ffff:169.254.169.254"), "link-local");
  EXPECT_EQ(KindOf("::ffff:8.8.8.8"), "public");
  EXPECT_EQ(KindOf("::127.0.0.1"), "loopback");          // IPv4-compatible (deprecated)
  EXPECT_EQ(KindOf("64:ff9b::192.168.0.1"), "private");  // NAT64
  EXPECT_EQ(KindOf("64:ff9b::8.8.8.8"), "public");
  EXPECT_EQ(KindOf("2002:7f00:1::"), "loopback");  // 6to4 of 127.0.0.1
  EXPECT_EQ(KindOf("2002:0808:0808::1"), "public");
}

TEST(AddressPolicyTest, ParsesOnlyAddressLiterals) {
  EXPECT_EQ(KindOf("localhost"), "not a literal");
  EXPECT_EQ(KindOf("example.org"), "not a literal");
  EXPECT_EQ(KindOf("fe80::1%eth0"), "not a literal");  // zone ids are refused upstream
  EXPECT_EQ(KindOf("[::1"), "not a literal");
  EXPECT_EQ(KindOf("1.2.3"), "not a literal");
  EXPECT_EQ(KindOf(""), "not a literal");
  EXPECT_EQ(IpAddress::Parse("[::ffff:7f00:1]")->ToString(), "::ffff:127.0.0.1");
  EXPECT_EQ(IpAddress::Parse("10.0.0.1")->ToString(), "10.0.0.1");
}

TEST(AddressPolicyTest, ReadsSocketAddresses) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "192.168.0.7", &v4.sin_addr);
  std::optional<IpAddress> a = IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&v4));
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, *IpAddress::Parse("192.168.0.7"));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::1", &v6.sin6_addr);
  std::optional<IpAddress> b = IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&v6));
  ASSERT_TRUE(b);
  EXPECT_EQ(RestrictedKind(*b), "loopback");
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(IpAddress::FromSockaddr(&other));
}

TEST(HostAllowListTest, AllowsHostsWithOrWithoutPort) {
  auto list = HostAllowList::Parse(" Issuer.Test:8443, intranet.example ,[::1]:9000,127.0.0.1");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->Allows("issuer.test", 8443));
  EXPECT_TRUE(list->Allows("ISSUER.test", 8443));
  EXPECT_FALSE(list->Allows("issuer.test", 443));
  EXPECT_TRUE(list->Allows("intranet.example", 443));
  EXPECT_TRUE(list->Allows("intranet.example", 8080));
  EXPECT_TRUE(list->Allows("[::1]", 9000));
  EXPECT_TRUE(list->Allows("::1", 9000));
  EXPECT_FALSE(list->Allows("::1", 9001));
  EXPECT_TRUE(list->Allows("127.0.0.1", 1234));
  EXPECT_FALSE(list->Allows("localhost", 1234));  // a name, not an address
  EXPECT_TRUE(HostAllowList::Parse("")->empty());
}

TEST(HostAllowListTest, RefusesMalformedEntriesNamingThem) {
  for (const char* bad :
       {"host:", "host:0", "host:65536", "host:http", ":443", "[::1", "[::1]x", "[::1]:"}) {
    auto list = HostAllowList::Parse(bad);
    ASSERT_FALSE(list.ok()) << bad;
    EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(list.status().message().find(bad), std::string::npos) << list.status();
  }
}

}  // namespace
}  // namespace microcred::fetch
