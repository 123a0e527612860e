#include "libs/adapters/file/record_format.h"

#include "absl/strings/str_cat.h"
#include "libs/adapters/file/crc32c.h"

namespace microcred::file_log {
namespace {

constexpr uint32_t kMagic = 0x314C434D;  // "MCL1" as stored little-endian
constexpr std::string_view kMagicBytes("MCL1", 4);

void SetU32(std::string& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(v >> (8 * i));
}

void PutU32(std::string& out, uint32_t v) {
  out.append(4, '\0');
  SetU32(out, out.size() - 4, v);
}

uint32_t GetU32(std::string_view bytes, size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

ParsedRecord Problem(ParsedRecord::Outcome outcome, const char* problem) {
  ParsedRecord r;
  r.outcome = outcome;
  r.problem = problem;
  return r;
}

// True when some valid record starts after `position`: the damage there is then not a torn tail.
bool ValidRecordFollows(std::string_view file, size_t position) {
  for (size_t at = file.find(kMagicBytes, position + 1); at != std::string_view::npos;
       at = file.find(kMagicBytes, at + 1)) {
    if (ParseRecord(file.substr(at)).outcome == ParsedRecord::Outcome::kOk) return true;
  }
  return false;
}

}  // namespace

void AppendEncodedRecord(std::string_view key, std::string_view value, std::string& out) {
  const size_t start = out.size();
  PutU32(out, kMagic);
  PutU32(out, 0);  // the crc, set below once the bytes it covers are in place
  PutU32(out, static_cast<uint32_t>(key.size() + value.size()));
  PutU32(out, static_cast<uint32_t>(key.size()));
  out.append(key);
  out.append(value);
  SetU32(out, start + 4, Crc32c(std::string_view(out).substr(start + 8)));
}

ParsedRecord ParseRecord(std::string_view bytes) {
  using Outcome = ParsedRecord::Outcome;
  if (bytes.size() < 4) return Problem(Outcome::kIncomplete, "truncated header");
  if (GetU32(bytes, 0) != kMagic) return Problem(Outcome::kCorrupt, "bad magic");
  if (bytes.size() < kRecordHeaderBytes) return Problem(Outcome::kIncomplete, "truncated header");
  const uint32_t length = GetU32(bytes, 8);
  const uint32_t key_length = GetU32(bytes, 12);
  if (length > kMaxRecordPayloadBytes || key_length > length) {
    return Problem(Outcome::kCorrupt, "impossible length");
  }
  if (bytes.size() - kRecordHeaderBytes < length) {
    return Problem(Outcome::kIncomplete, "truncated body");
  }
  const std::string_view covered = bytes.substr(8, 8 + length);
  if (Crc32c(covered) != GetU32(bytes, 4)) return Problem(Outcome::kCorrupt, "checksum mismatch");
  ParsedRecord r;
  r.outcome = Outcome::kOk;
  r.key = bytes.substr(kRecordHeaderBytes, key_length);
  r.value = bytes.substr(kRecordHeaderBytes + key_length, length - key_length);
  r.encoded_size = kRecordHeaderBytes + length;
  return r;
}

absl::StatusOr<ScannedFile> ScanRecords(std::string_view file, const std::string& file_name) {
  ScannedFile scanned;
  size_t position = 0;
  while (position < file.size()) {
    const ParsedRecord r = ParseRecord(file.substr(position));
    if (r.outcome != ParsedRecord::Outcome::kOk) {
      if (!ValidRecordFollows(file, position)) break;  // a torn tail
      return absl::DataLossError(absl::StrCat(file_name, ": record at byte ", position, " (offset ",
                                              scanned.record_starts.size(), ") is damaged (",
                                              r.problem, ") and valid records follow it"));
    }
    scanned.record_starts.push_back(static_cast<int64_t>(position));
    position += r.encoded_size;
  }
  scanned.valid_end = static_cast<int64_t>(position);
  return scanned;
}

}  // namespace microcred::file_log
