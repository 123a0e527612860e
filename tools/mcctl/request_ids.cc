#include "tools/mcctl/request_ids.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <vector>

#include "libs/crypto/crypto.h"

namespace microcred::mcctl {
namespace {

// Hex digits of the SHA-256 of the parts, each length-prefixed so that no two different lists
// of parts hash the same material.
std::string Digest(const std::vector<std::string_view>& parts, size_t hex_digits) {
  std::string material;
  for (std::string_view part : parts) {
    material += std::to_string(part.size());
    material.push_back(':');
    material.append(part);
  }
  return crypto::HexEncode(crypto::Sha256(material)).substr(0, hex_digits);
}

std::string DateText(const common::v1::Date& date) {
  return std::to_string(date.year()) + "-" + std::to_string(date.month()) + "-" +
         std::to_string(date.day());
}

}  // namespace

std::string PublishRequestId(std::string_view file_content, std::string_view ecosystem) {
  if (ecosystem.empty()) return "mcctl-publish-" + Digest({"publish", file_content}, 32);
  return "mcctl-publish-" + Digest({"publish", file_content, ecosystem}, 32);
}

std::string CohortKey(std::string_view specification_id, std::string_view file_content) {
  return Digest({"cohort", specification_id, file_content}, 24);
}

std::string CohortRowRequestId(std::string_view cohort_key, int row) {
  return "mcctl-cohort-" + std::string(cohort_key) + "-r" + std::to_string(row);
}

std::string IssueRequestId(const issuance::v1::IssueCredentialRequest& r) {
  const issuance::v1::LearnerIdentity& learner = r.learner();
  const std::string version = std::to_string(r.specification_version());
  const std::string mode = std::to_string(r.mode_of_acquisition());
  const std::string supervision = std::to_string(r.supervision_applied());
  const std::string algorithm = std::to_string(r.signature_algorithm());
  const std::string has_grade = r.has_grade() ? "grade" : "no grade";
  std::vector<std::string> parts = {"issue",
                                    r.specification_id(),
                                    version,
                                    learner.learner_id(),
                                    learner.given_name(),
                                    learner.family_name(),
                                    learner.email(),
                                    DateText(learner.date_of_birth()),
                                    DateText(r.issued_on()),
                                    r.place_of_issuing(),
                                    has_grade,
                                    r.grade().value(),
                                    r.grade().grading_scheme(),
                                    mode,
                                    supervision,
                                    DateText(r.valid_until()),
                                    algorithm};
  // Only when named: a run without --profile keeps the request id it had before the flag.
  if (r.securing_profile() != issuance::v1::SECURING_PROFILE_UNSPECIFIED) {
    parts.push_back("profile " + std::to_string(r.securing_profile()));
  }
  return "mcctl-issue-" + Digest({parts.begin(), parts.end()}, 32);
}

std::string StatusRequestId(std::string_view action, std::string_view credential_id,
                            std::string_view reason, std::string_view period) {
  return "mcctl-" + std::string(action) + "-" +
         Digest({"status", action, credential_id, reason, period}, 32);
}

std::string MessageRequestId(std::string_view action, const google::protobuf::Message& request,
                             std::string_view period) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  // Without a period, the digest of the serialized request alone: the ids `recognition
  // request`, `pathway publish` and `stack confer` derived before this function are kept.
  if (period.empty()) {
    return "mcctl-" + std::string(action) + "-" +
           crypto::HexEncode(crypto::Sha256(bytes)).substr(0, 32);
  }
  return "mcctl-" + std::string(action) + "-" + Digest({"message", action, bytes, period}, 32);
}

std::string RecognitionRound(const recognition::v1::RecognitionRequest& request,
                             recognition::v1::RequestState state) {
  int entries = 0;
  for (const recognition::v1::StateChange& change : request.history()) {
    if (change.to() == state) ++entries;
  }
  return entries <= 1 ? "" : "round-" + std::to_string(entries);
}

}  // namespace microcred::mcctl
