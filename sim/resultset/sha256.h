/* SHA-256 (FIPS 180-4), for the provenance of result sets: the root attribute
 * scenario_sha256 is the digest of /scenario's text, so a result set can be matched to the
 * exact input that produced it. */
#ifndef SR_SHA256_H
#define SR_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SR_SHA256_DIGEST_BYTES 32
#define SR_SHA256_HEX_CHARS 65   /* 64 lower-case hex digits and the terminating NUL */

/* The running state of one digest. Invariant: n_block < 64 bytes are buffered in block;
 * n_bytes counts every byte fed so far. */
typedef struct {
    uint32_t h[8];
    uint64_t n_bytes;
    unsigned char block[64];
    size_t n_block;
} sr_sha256;

void sr_sha256_init(sr_sha256 *s);
void sr_sha256_update(sr_sha256 *s, const void *data, size_t len);
/* Writes the digest; s must be initialised again before reuse. */
void sr_sha256_final(sr_sha256 *s, unsigned char digest[SR_SHA256_DIGEST_BYTES]);

/* The digest of data[len] as lower-case hex, NUL-terminated. */
void sr_sha256_hex(const void *data, size_t len, char hex[SR_SHA256_HEX_CHARS]);

#endif
