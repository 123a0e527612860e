// The shared Kafka topics. Versioned: a breaking change of a topic's payloads means a new topic.
#ifndef MICROCRED_LIBS_EVENTS_TOPICS_H_
#define MICROCRED_LIBS_EVENTS_TOPICS_H_

namespace microcred::topics {

inline constexpr char kRegistry[] = "mc.registry.v1";
inline constexpr char kCatalogue[] = "mc.catalogue.v1";
inline constexpr char kIssuance[] = "mc.issuance.v1";
inline constexpr char kRecognition[] = "mc.recognition.v1";
inline constexpr char kStacking[] = "mc.stacking.v1";
// Records a consumer refused, with the reason (microcred.events.v1.DeadLetter).
inline constexpr char kDeadLetter[] = "mc.deadletter.v1";

}  // namespace microcred::topics

#endif  // MICROCRED_LIBS_EVENTS_TOPICS_H_
