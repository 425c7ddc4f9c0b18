/* crc32c.h - CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected
 * 0x82F63B78), the checksum of checkpoint files: table-driven, 8 bytes
 * per step. */
#ifndef W2V_CRC32C_H
#define W2V_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of data[0..n) continued from crc (0 to start): crc32c(crc32c(0,
 * a), b) equals the CRC of a followed by b.  crc32c(0, "123456789", 9) is
 * 0xE3069283. */
uint32_t crc32c(uint32_t crc, const void *data, size_t n);

#endif
