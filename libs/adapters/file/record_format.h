// The byte format of a file event log's topic file, and the recovery scan run when it is opened.
//
// A topic file is a sequence of records, each laid out as (integers little-endian):
//
//   magic u32 "MCL1" | crc u32 | length u32 | key_length u32 | key | value
//
// where length = key_length + value size and crc = CRC-32C of everything after the crc field
// (length through value). The length is inside the checksum so a damaged length cannot pass
// for a shorter, valid record. The magic marks the format version and lets recovery look for
// valid records after a damaged one.
#ifndef MICROCRED_LIBS_ADAPTERS_FILE_RECORD_FORMAT_H_
#define MICROCRED_LIBS_ADAPTERS_FILE_RECORD_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred::file_log {

inline constexpr size_t kRecordHeaderBytes = 16;
// Larger keys + values are refused on append and read as damage on recovery, so that a damaged
// length never makes recovery or a reader allocate gigabytes.
inline constexpr size_t kMaxRecordPayloadBytes = size_t{64} << 20;

// Appends the encoding of one record to `out`. Precondition: key.size() + value.size() <=
// kMaxRecordPayloadBytes.
void AppendEncodedRecord(std::string_view key, std::string_view value, std::string& out);

struct ParsedRecord {
  enum class Outcome { kOk, kIncomplete, kCorrupt };
  Outcome outcome = Outcome::kCorrupt;
  const char* problem = "";  // why, when not kOk
  std::string_view key;      // views into the parsed bytes, when kOk
  std::string_view value;
  size_t encoded_size = 0;  // bytes the record occupies, when kOk
};

// Parses the record at the start of `bytes` (more records may follow it). kIncomplete means
// `bytes` ends inside the record.
ParsedRecord ParseRecord(std::string_view bytes);

struct ScannedFile {
  std::vector<int64_t> record_starts;  // byte position of each valid record, in order
  int64_t valid_end = 0;               // one past the last valid record
};

// Walks the whole contents of a topic file. Bytes after the last valid record that hold no
// valid record are a torn tail (an append cut short by a crash): they are reported through
// valid_end < file.size() for the caller to truncate. A damaged record that is followed by a
// valid one is not a torn write but lost data: DataLoss naming `file_name`, the byte position
// and the record's offset.
absl::StatusOr<ScannedFile> ScanRecords(std::string_view file, const std::string& file_name);

}  // namespace microcred::file_log

#endif  // MICROCRED_LIBS_ADAPTERS_FILE_RECORD_FORMAT_H_
