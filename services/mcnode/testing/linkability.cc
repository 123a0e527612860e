#include "services/mcnode/testing/linkability.h"

#include <chrono>
#include <map>
#include <memory>

#include "absl/strings/escaping.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"
#include "libs/events/envelope.h"
#include "libs/events/topics.h"
#include "microcred/events/v1/envelope.pb.h"

namespace microcred {
namespace {

namespace pb = google::protobuf;

constexpr char kPseudonymField[] = "learner_pseudonym";

struct EventValues {
  std::set<std::string> pseudonyms;
  std::set<std::string> values;
};

void CollectUnknown(const pb::UnknownFieldSet& unknown, EventValues& out) {
  for (int i = 0; i < unknown.field_count(); ++i) {
    const pb::UnknownField& f = unknown.field(i);
    if (f.type() == pb::UnknownField::TYPE_LENGTH_DELIMITED) {
      out.values.insert(f.length_delimited());
    } else if (f.type() == pb::UnknownField::TYPE_GROUP) {
      CollectUnknown(f.group(), out);
    }
  }
}

void Collect(const pb::Message& m, EventValues& out) {
  const pb::Reflection& r = *m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r.ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const int n = f->is_repeated() ? r.FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        Collect(f->is_repeated() ? r.GetRepeatedMessage(m, f, i) : r.GetMessage(m, f), out);
      } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
        std::string v = f->is_repeated() ? r.GetRepeatedString(m, f, i) : r.GetString(m, f);
        if (v.empty()) continue;
        (f->name() == kPseudonymField ? out.pseudonyms : out.values).insert(std::move(v));
      }
    }
  }
  CollectUnknown(r.GetUnknownFields(m), out);
}

// The payload of an envelope's body, decoded by its event type; nullptr when unknown here.
std::unique_ptr<pb::Message> DecodePayload(const events::v1::EnvelopeBody& body) {
  const pb::Descriptor* type =
      pb::DescriptorPool::generated_pool()->FindMessageTypeByName(body.event_type());
  if (type == nullptr) return nullptr;
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return nullptr;
  std::unique_ptr<pb::Message> message(prototype->New());
  if (!message->ParseFromString(body.payload())) return nullptr;
  return message;
}

class Linker {
 public:
  void Add(const std::string& record_value) {
    auto envelope = events::ParseEnvelope(record_value);
    if (!envelope.ok()) return;
    const events::v1::EnvelopeBody& body = envelope->body;
    EventValues values;
    if (auto payload = DecodePayload(body)) Collect(*payload, values);
    if (!body.partition_key().empty()) values.values.insert(body.partition_key());
    if (!body.request_id().empty()) values.values.insert(body.request_id());
    ++report_.events;
    for (const std::string& pseudonym : values.pseudonyms) {
      const std::string who = body.source_institution() + ":" + pseudonym;
      report_.institutions_with_pseudonyms.insert(body.source_institution());
      for (const std::string& v : values.values) {
        if (values.pseudonyms.contains(v)) continue;
        seen_with_[v][body.source_institution()].insert(who);
      }
    }
  }

  LinkabilityReport Finish() && {
    for (auto& [value, by_institution] : seen_with_) {
      if (by_institution.size() < 2) continue;
      CrossIssuerLink link{.value = value};
      for (auto& [institution, pseudonyms] : by_institution) {
        link.pseudonyms.insert(pseudonyms.begin(), pseudonyms.end());
      }
      report_.links.push_back(std::move(link));
    }
    return std::move(report_);
  }

 private:
  // value -> institution -> "<institution>:<pseudonym>" it was seen with
  std::map<std::string, std::map<std::string, std::set<std::string>>> seen_with_;
  LinkabilityReport report_;
};

}  // namespace

std::string LinkabilityReport::Describe() const {
  std::string out = std::to_string(events) + " events, pseudonyms of " +
                    std::to_string(institutions_with_pseudonyms.size()) + " institutions";
  for (const CrossIssuerLink& link : links) {
    out += "\n  " + absl::CHexEscape(link.value) + " joins";
    for (const std::string& p : link.pseudonyms) out += " " + p;
  }
  return out;
}

absl::StatusOr<LinkabilityReport> FindCrossIssuerLinks(EventLog& log,
                                                       const std::vector<std::string>& topics) {
  Linker linker;
  for (const std::string& topic : topics) {
    auto ends = log.EndPositions(topic);
    if (!ends.ok()) return ends.status();
    auto reader = log.OpenReader({topic}, {});
    if (!reader.ok()) return reader.status();
    LogPositions at;
    auto reached = [&] {
      for (const auto& [partition, end] : *ends) {
        if (at[partition] < end) return false;
      }
      return true;
    };
    while (!reached()) {
      auto records = (*reader)->Poll(std::chrono::milliseconds(200));
      if (!records.ok()) return records.status();
      if (records->empty()) return absl::DeadlineExceededError(topic + ": not read to its end");
      for (const LogRecord& record : *records) {
        at[{record.topic, record.partition}] = record.offset + 1;
        if (topic == topics::kDeadLetter) {
          events::v1::DeadLetter letter;
          if (letter.ParseFromString(record.value)) linker.Add(letter.record_value());
        } else {
          linker.Add(record.value);
        }
      }
    }
  }
  return std::move(linker).Finish();
}

}  // namespace microcred
