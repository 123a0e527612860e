#include "libs/host/service_host.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/method_handler.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>

#include "absl/strings/str_cat.h"
#include "libs/host/grpc_auth.h"
#include "libs/host/grpc_status.h"
#include "libs/metrics/metrics.h"

namespace microcred::host {
namespace {

constexpr char kWhoamiMethod[] = "/microcred.test.Whoami/Get";
constexpr char kNode[] = "node-test";

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// Protobuf wire format by hand, so that the test needs no generated code for health or
// reflection: a length-delimited field, and reading fields back with UnknownFieldSet.
std::string LengthDelimited(int field, const std::string& bytes) {
  return absl::StrCat(std::string(1, static_cast<char>(field << 3 | 2)),
                      std::string(1, static_cast<char>(bytes.size())), bytes);
}

std::unique_ptr<google::protobuf::UnknownFieldSet> Fields(const std::string& bytes) {
  auto fields = std::make_unique<google::protobuf::UnknownFieldSet>();
  EXPECT_TRUE(fields->ParseFromString(bytes));
  return fields;
}

// A service with one unary method of raw bytes: it authorizes the caller as a real handler
// would, and answers with the caller's subject.
class WhoamiService : public grpc::Service {
 public:
  explicit WhoamiService(const auth::TokenVerifier* verifier) : verifier_(verifier) {
    AddMethod(new grpc::internal::RpcServiceMethod(
        kWhoamiMethod, grpc::internal::RpcMethod::NORMAL_RPC,
        new grpc::internal::RpcMethodHandler<WhoamiService, grpc::ByteBuffer, grpc::ByteBuffer>(
            [](WhoamiService* service, grpc::ServerContext* context, const grpc::ByteBuffer*,
               grpc::ByteBuffer* response) { return service->Get(*context, response); },
            this)));
  }

 private:
  grpc::Status Get(const grpc::ServerContext& context, grpc::ByteBuffer* response) {
    absl::StatusOr<auth::Caller> caller = Authorize(context, *verifier_, {auth::roles::kOperator});
    if (!caller.ok()) return ToGrpcStatus(caller.status());
    *response = ToByteBuffer(caller->subject);
    return grpc::Status::OK;
  }

  const auth::TokenVerifier* verifier_;
};

class ServiceHostTest : public ::testing::Test {
 protected:
  ServiceHostTest()
      : minter_(crypto::SigningKey::Generate(), "test-issuer", kNode),
        verifier_(kNode),
        whoami_(&verifier_) {
    EXPECT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
    host_.AddService(&whoami_);
  }

  void StartHost() {
    ASSERT_TRUE(host_.Start().ok());
    ASSERT_GT(host_.port(), 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_.port()),
                                   grpc::InsecureChannelCredentials());
  }

  // A unary call with raw bytes; returns the status and fills `response`.
  grpc::Status Call(const std::string& method, const std::string& request, std::string* response,
                    const std::string& bearer = "") {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!bearer.empty()) context.AddMetadata("authorization", "Bearer " + bearer);
    grpc::ByteBuffer request_buffer = ToByteBuffer(request), response_buffer;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                   [&done](grpc::Status status) { done.set_value(std::move(status)); });
    grpc::Status status = done.get_future().get();
    *response = ToString(response_buffer);
    return status;
  }

  // grpc.health.v1.Health/Check; returns the ServingStatus number (1 = SERVING) or -1.
  int HealthStatus(const std::string& service, grpc::StatusCode* code) {
    std::string response;
    grpc::Status status = Call("/grpc.health.v1.Health/Check",
                               service.empty() ? "" : LengthDelimited(1, service), &response);
    *code = status.error_code();
    if (!status.ok()) return -1;
    auto fields = Fields(response);
    return fields->field_count() == 1 ? static_cast<int>(fields->field(0).varint()) : 0;
  }

  // ServerReflectionInfo with one list_services request; the service names answered.
  std::vector<std::string> ListServicesByReflection() {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::CompletionQueue cq;
    auto call = stub.PrepareCall(
        &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
    auto await = [&cq](intptr_t expected) {
      void* tag = nullptr;
      bool ok = false;
      EXPECT_TRUE(cq.Next(&tag, &ok));
      EXPECT_EQ(reinterpret_cast<intptr_t>(tag), expected);
      return ok;
    };
    grpc::ByteBuffer response;
    grpc::Status status;
    call->StartCall(reinterpret_cast<void*>(1));
    EXPECT_TRUE(await(1));
    call->Write(ToByteBuffer(LengthDelimited(7, "*")), reinterpret_cast<void*>(2));
    EXPECT_TRUE(await(2));
    call->Read(&response, reinterpret_cast<void*>(3));
    EXPECT_TRUE(await(3));
    call->WritesDone(reinterpret_cast<void*>(4));
    EXPECT_TRUE(await(4));
    call->Finish(&status, reinterpret_cast<void*>(5));
    EXPECT_TRUE(await(5));
    EXPECT_TRUE(status.ok()) << status.error_message();
    cq.Shutdown();
    return ServiceNames(ToString(response));
  }

  // ServerReflectionResponse.list_services_response (6) -> service (1) -> name (1).
  static std::vector<std::string> ServiceNames(const std::string& response) {
    std::vector<std::string> names;
    auto top = Fields(response);
    for (int i = 0; i < top->field_count(); ++i) {
      if (top->field(i).number() != 6) continue;
      auto list = Fields(top->field(i).length_delimited());
      for (int j = 0; j < list->field_count(); ++j) {
        names.push_back(Fields(list->field(j).length_delimited())->field(0).length_delimited());
      }
    }
    return names;
  }

  auth::TokenMinter minter_;
  auth::TokenVerifier verifier_;
  WhoamiService whoami_;
  metrics::Registry metrics_;
  ServiceHost host_{{.metrics = &metrics_, .reflection = true}};
  std::shared_ptr<grpc::Channel> channel_;
};

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST_F(ServiceHostTest, HealthIsServingForTheServerAndEachService) {
  StartHost();
  grpc::StatusCode code;
  EXPECT_EQ(HealthStatus("", &code), 1);
  EXPECT_EQ(HealthStatus("microcred.test.Whoami", &code), 1);
  EXPECT_EQ(HealthStatus("no.such.Service", &code), -1);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceHostTest, ReflectionListsTheServices) {
  StartHost();
  std::vector<std::string> names = ListServicesByReflection();
  EXPECT_TRUE(Contains(names, "microcred.test.Whoami"));
  EXPECT_TRUE(Contains(names, "grpc.health.v1.Health"));
  EXPECT_TRUE(Contains(names, "grpc.reflection.v1alpha.ServerReflection"));
  std::vector<std::string> registered = host_.service_names();
  EXPECT_TRUE(Contains(registered, "microcred.test.Whoami"));
}

// Reflection lists every method to anyone who can connect: a host serves it only when asked.
TEST_F(ServiceHostTest, ReflectionIsNotServedUnlessAskedFor) {
  ServiceHost plain;  // default options
  ASSERT_TRUE(plain.Start().ok());
  EXPECT_FALSE(Contains(plain.service_names(), "grpc.reflection.v1alpha.ServerReflection"));
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", plain.port()),
                                 grpc::InsecureChannelCredentials());
  std::string response;
  EXPECT_EQ(Call("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                 LengthDelimited(7, "*"), &response)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ServiceHostTest, HandlersAuthorizeFromTheBearerMetadata) {
  StartHost();
  std::string response;
  EXPECT_EQ(Call(kWhoamiMethod, "", &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  std::string learner = minter_.Mint("lea", "uni-t", {auth::roles::kLearner}, absl::Minutes(5));
  grpc::Status denied = Call(kWhoamiMethod, "", &response, learner);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("operator"), std::string::npos);
  std::string op = minter_.Mint("ops", "uni-t", {auth::roles::kOperator}, absl::Minutes(5));
  grpc::Status ok = Call(kWhoamiMethod, "", &response, op);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(response, "ops");
}

TEST_F(ServiceHostTest, EveryCallIsCountedByMethodAndCode) {
  StartHost();
  std::string response;
  Call(kWhoamiMethod, "", &response);  // no token
  Call(kWhoamiMethod, "", &response,
       minter_.Mint("ops", "uni-t", {auth::roles::kOperator}, absl::Minutes(5)));
  Call(kWhoamiMethod, "", &response,
       minter_.Mint("ops", "uni-t", {auth::roles::kOperator}, absl::Minutes(5)));
  const std::string text = metrics_.Render();
  const std::string method = std::string("method=\"") + kWhoamiMethod + "\"";
  EXPECT_NE(text.find("mc_grpc_requests_total{" + method + ",code=\"UNAUTHENTICATED\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mc_grpc_requests_total{" + method + ",code=\"OK\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("mc_grpc_request_duration_seconds_count{" + method + "} 3\n"),
            std::string::npos)
      << text;
}

TEST_F(ServiceHostTest, UnknownMethodsShareOneBoundedSeries) {
  StartHost();
  std::string response;
  for (int i = 0; i < 1000; ++i) {
    grpc::Status status = Call(absl::StrCat("/attacker.Probe", i % 7, "/Method", i), "", &response);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  Call(kWhoamiMethod, "", &response);  // a registered method keeps its own series
  ListServicesByReflection();          // and so does a registered bidirectional stream
  const std::string text = metrics_.Render();
  size_t series = 0;
  for (size_t at = text.find("\nmc_grpc_requests_total{"); at != std::string::npos;
       at = text.find("\nmc_grpc_requests_total{", at + 1)) {
    ++series;
  }
  EXPECT_LE(series, 3u) << text.substr(0, 2000);
  EXPECT_NE(text.find("method=\"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo\""),
            std::string::npos);
  EXPECT_EQ(text.find("attacker.Probe"), std::string::npos);
  EXPECT_NE(text.find("mc_grpc_requests_total{method=\"unknown\",code=\"UNIMPLEMENTED\"} 1000\n"),
            std::string::npos)
      << text.substr(0, 2000);
  EXPECT_NE(text.find(std::string("mc_grpc_requests_total{method=\"") + kWhoamiMethod +
                      "\",code=\"UNAUTHENTICATED\"} 1\n"),
            std::string::npos);
  EXPECT_LT(text.size(), size_t{64} << 10);
}

TEST_F(ServiceHostTest, StartTwiceFailsAndShutdownIsIdempotent) {
  StartHost();
  EXPECT_EQ(host_.Start().code(), absl::StatusCode::kFailedPrecondition);
  host_.Shutdown();
  host_.Shutdown();
  host_.Wait();  // returns: the server has stopped
  std::string response;
  grpc::ClientContext context;
  EXPECT_FALSE(Call("/grpc.health.v1.Health/Check", "", &response).ok());
}

TEST_F(ServiceHostTest, ConcurrentShutdownsBothReturn) {
  StartHost();
  std::thread other([this] { host_.Shutdown(); });
  host_.Shutdown();
  other.join();
  host_.Wait();
}

TEST(ServiceHostStandaloneTest, ShutdownBeforeStartPreventsStart) {
  ServiceHost host;
  host.Shutdown();
  host.Wait();
  EXPECT_EQ(host.Start().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(host.port(), 0);
}

TEST(ServiceHostStandaloneTest, UnbindableAddressIsUnavailable) {
  ServiceHost host({.listen_address = "203.0.113.1:0"});  // not an address of this machine
  absl::Status status = host.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(host.port(), 0);
}

// A second server on a port already served is refused, instead of sharing the port's
// connections with the first (gRPC's SO_REUSEPORT would let both listen, and the kernel would
// hand each new connection to either: a client would reach the wrong server at random).
TEST(ServiceHostStandaloneTest, APortAlreadyServedIsUnavailable) {
  ServiceHost first;
  ASSERT_TRUE(first.Start().ok());
  ServiceHost second({.listen_address = "127.0.0.1:" + std::to_string(first.port())});
  absl::Status status = second.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST(ServiceHostStandaloneTest, ServesWithOnlyTheBuiltInServices) {
  ServiceHost host;
  ASSERT_TRUE(host.Start().ok());
  EXPECT_GT(host.port(), 0);
  EXPECT_TRUE(Contains(host.service_names(), "grpc.health.v1.Health"));
}

}  // namespace
}  // namespace microcred::host
