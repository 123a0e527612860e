// The signed event envelope (proto/microcred/events/v1/envelope.proto).
//
// A producer serialises an EnvelopeBody once and signs those bytes; the bytes travel as they are,
// so a consumer verifies exactly what it received and never depends on a canonical re-encoding.
// The signature covers a domain-separation prefix followed by the body bytes, so that a signature
// made for anything else (a JWT, a credential) can never pass as an event signature.
#ifndef MICROCRED_LIBS_EVENTS_ENVELOPE_H_
#define MICROCRED_LIBS_EVENTS_ENVELOPE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/crypto/crypto.h"
#include "libs/events/sealed_envelopes.h"
#include "microcred/events/v1/envelope.pb.h"

namespace microcred::events {

// Records larger than this are refused before parsing (a consumer must never be made to
// allocate without bound on a hostile topic). Well above any event the platform writes (a
// specification's event is a few KiB) and below Kafka's default record limit (1 MB), so that
// an oversized record reaches consumers and is refused there, visibly.
inline constexpr size_t kMaxEnvelopeBytes = 512 << 10;

// The schema version of every payload type this build writes.
inline constexpr uint32_t kSchemaVersion = 1;

// The message a signature covers.
std::string SignedBytes(std::string_view body);

// Identifies who signs: an institution's node with one of the institution's registered keys, or
// the ecosystem root (institution_id = the ecosystem id) for registry events; and in which
// ecosystem's log the events it seals go (EnvelopeBody.ecosystem_id). An institution of several
// ecosystems has one signer in each. An empty `ecosystem_id` states none (tests that read one
// log): consumers read such an event as their log's own.
class EnvelopeSigner {
 public:
  EnvelopeSigner(std::string institution_id, std::string node_id, crypto::SigningKey key,
                 std::string ecosystem_id = "");

  struct Options {
    std::string partition_key;
    std::string request_id;  // optional
    std::string event_id;    // optional; random when empty
    int64_t occurred_at_ms = 0;
  };
  // Returns the serialised SignedEnvelope carrying `payload`.
  std::string Seal(const google::protobuf::Message& payload, const Options& options) const;

  const std::string& institution_id() const { return institution_id_; }
  const std::string& node_id() const { return node_id_; }
  const std::string& ecosystem_id() const { return ecosystem_id_; }
  const std::string& key_id() const { return key_id_; }
  const std::string& public_key() const { return key_.public_key(); }
  // What this signer (and its copies) sealed lately: for this process's own projectors.
  const SealedEnvelopes& sealed() const { return *sealed_; }

 private:
  std::string institution_id_;
  std::string node_id_;
  crypto::SigningKey key_;
  std::string key_id_;
  std::string ecosystem_id_;
  std::shared_ptr<SealedEnvelopes> sealed_ = std::make_shared<SealedEnvelopes>();
};

// A parsed envelope whose signature has not been checked yet: the caller looks up the key named
// by body.key_id() for body.source_institution(), then calls VerifySignature.
struct UnverifiedEnvelope {
  events::v1::EnvelopeBody body;
  std::string body_bytes;
  std::string signature;

  bool VerifySignature(std::string_view public_key) const;
  // Names this body: the first 16 bytes of the SHA-256 of the signed body bytes, hex. Two
  // envelopes with equal digests carry the same event, whatever else differs in their bytes.
  std::string Digest() const;
};

// An event id: 1 to 128 characters from [A-Za-z0-9._:-] (what EnvelopeSigner and the command
// path write; never a '/', so that "<source>/<event id>" names one event).
bool IsValidEventId(std::string_view event_id);

// Fails with INVALID_ARGUMENT when `bytes` is not a well-formed envelope: oversized, not a
// SignedEnvelope, a body that does not parse, a required field missing, or an event id that is
// not IsValidEventId.
absl::StatusOr<UnverifiedEnvelope> ParseEnvelope(std::string_view bytes);

// Parses the payload as `M` after checking that the body says it carries an `M`.
template <typename M>
absl::StatusOr<M> UnpackPayload(const events::v1::EnvelopeBody& body) {
  M message;
  if (body.event_type() != M::descriptor()->full_name()) {
    return absl::InvalidArgumentError("event_type: expected " + M::descriptor()->full_name() +
                                      ", got " + body.event_type());
  }
  if (!message.ParseFromString(body.payload())) {
    return absl::InvalidArgumentError("payload: does not parse as " + body.event_type());
  }
  return message;
}

}  // namespace microcred::events

#endif  // MICROCRED_LIBS_EVENTS_ENVELOPE_H_
