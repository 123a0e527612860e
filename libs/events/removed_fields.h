// Reading a payload field that the schema has since removed (and marked `reserved`): events
// written before the change still carry it, and a node that applies them may need what it said.
// The parser keeps such a field among the message's unknown fields; this reads it from there.
// Header-only; pure.
#ifndef MICROCRED_LIBS_EVENTS_REMOVED_FIELDS_H_
#define MICROCRED_LIBS_EVENTS_REMOVED_FIELDS_H_

#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"

namespace microcred::events {

// The values of the removed `repeated string` (or `string`) field `number` of `message`, in the
// order they were written; empty when the message does not carry it.
inline std::vector<std::string> RemovedStrings(const google::protobuf::Message& message,
                                               int number) {
  std::vector<std::string> values;
  const google::protobuf::UnknownFieldSet& unknown =
      message.GetReflection()->GetUnknownFields(message);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const google::protobuf::UnknownField& field = unknown.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(field.length_delimited());
    }
  }
  return values;
}

}  // namespace microcred::events

#endif  // MICROCRED_LIBS_EVENTS_REMOVED_FIELDS_H_
