// CRC-32C (Castagnoli), the checksum the file event log stores with every record.
//
// Castagnoli rather than the zlib polynomial because it detects more error patterns in short
// messages and is what storage formats (iSCSI, ext4, LevelDB) use; a table keeps it
// dependency-free.
#ifndef MICROCRED_LIBS_ADAPTERS_FILE_CRC32C_H_
#define MICROCRED_LIBS_ADAPTERS_FILE_CRC32C_H_

#include <cstdint>
#include <string_view>

namespace microcred::file_log {

// The CRC-32C of `bytes` continued from `crc`, the CRC-32C of the bytes before them: so
// Crc32c(b, Crc32c(a)) == Crc32c(a + b). Crc32c("123456789") == 0xE3069283.
uint32_t Crc32c(std::string_view bytes, uint32_t crc = 0);

}  // namespace microcred::file_log

#endif  // MICROCRED_LIBS_ADAPTERS_FILE_CRC32C_H_
