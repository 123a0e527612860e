#include "libs/events/envelope.h"

#include "libs/base/clock.h"
#include "libs/events/request_ids.h"

namespace microcred::events {
namespace {
constexpr std::string_view kSignatureContext("microcred.envelope.v1\0", 22);
}  // namespace

std::string SignedBytes(std::string_view body) {
  std::string message(kSignatureContext);
  message.append(body);
  return message;
}

EnvelopeSigner::EnvelopeSigner(std::string institution_id, std::string node_id,
                               crypto::SigningKey key, std::string ecosystem_id)
    : institution_id_(std::move(institution_id)),
      node_id_(std::move(node_id)),
      key_(std::move(key)),
      key_id_(crypto::KeyFingerprint(key_.public_key())),
      ecosystem_id_(std::move(ecosystem_id)) {}

std::string EnvelopeSigner::Seal(const google::protobuf::Message& payload,
                                 const Options& options) const {
  v1::EnvelopeBody body;
  body.set_event_id(options.event_id.empty() ? crypto::RandomId() : options.event_id);
  body.set_event_type(payload.GetDescriptor()->full_name());
  body.set_schema_version(kSchemaVersion);
  body.set_source_institution(institution_id_);
  body.set_source_node(node_id_);
  body.set_key_id(key_id_);
  body.set_occurred_at_ms(options.occurred_at_ms != 0 ? options.occurred_at_ms : Clock().NowMs());
  body.set_partition_key(options.partition_key);
  body.set_request_id(options.request_id);
  body.set_ecosystem_id(ecosystem_id_);
  payload.SerializeToString(body.mutable_payload());

  v1::SignedEnvelope envelope;
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(key_.Sign(SignedBytes(envelope.body())));
  std::string bytes = envelope.SerializeAsString();
  sealed_->Remember(body.event_id(), bytes);
  return bytes;
}

bool UnverifiedEnvelope::VerifySignature(std::string_view public_key) const {
  return crypto::Verify(public_key, SignedBytes(body_bytes), signature);
}

std::string UnverifiedEnvelope::Digest() const {
  return crypto::HexEncode(crypto::Sha256(body_bytes).substr(0, 16));
}

// An event id is derived from a request id, or random hex: the same characters.
bool IsValidEventId(std::string_view event_id) { return ValidateRequestId(event_id).ok(); }

absl::StatusOr<UnverifiedEnvelope> ParseEnvelope(std::string_view bytes) {
  if (bytes.size() > kMaxEnvelopeBytes) {
    return absl::InvalidArgumentError("envelope: larger than " + std::to_string(kMaxEnvelopeBytes) +
                                      " bytes");
  }
  v1::SignedEnvelope envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("envelope: not a SignedEnvelope");
  }
  UnverifiedEnvelope out;
  if (!out.body.ParseFromString(envelope.body())) {
    return absl::InvalidArgumentError("envelope.body: not an EnvelopeBody");
  }
  const v1::EnvelopeBody& b = out.body;
  if (b.event_id().empty() || b.event_type().empty() || b.source_institution().empty() ||
      b.key_id().empty() || b.partition_key().empty()) {
    return absl::InvalidArgumentError(
        "envelope.body: event_id, event_type, source_institution, key_id and partition_key are "
        "required");
  }
  if (!IsValidEventId(b.event_id())) {
    return absl::InvalidArgumentError(
        "envelope.body.event_id: 1 to 128 characters from [A-Za-z0-9._:-]");
  }
  if (envelope.signature().size() != crypto::kSignatureBytes) {
    return absl::InvalidArgumentError("envelope.signature: must be 64 bytes");
  }
  out.body_bytes = std::move(*envelope.mutable_body());
  out.signature = std::move(*envelope.mutable_signature());
  return out;
}

}  // namespace microcred::events
