/* SHA-256 against the FIPS 180-2 appendix B examples (and the empty message, whose digest
 * is the well-known e3b0c442…). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/sha256.h"

Test(sha256, digests_abc_as_in_fips_180)
{
    char hex[SR_SHA256_HEX_CHARS];
    sr_sha256_hex("abc", 3, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, digests_the_empty_message)
{
    char hex[SR_SHA256_HEX_CHARS];
    sr_sha256_hex("", 0, hex);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, digests_the_two_block_message_of_fips_180)
{
    /* 56 bytes: the padding spills into a second block */
    const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[SR_SHA256_HEX_CHARS];
    sr_sha256_hex(msg, strlen(msg), hex);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, digests_a_million_a_fed_in_uneven_pieces)
{
    const size_t n = 1000000;
    char *a = malloc(n);
    cr_assert_not_null(a);
    memset(a, 'a', n);

    char hex[SR_SHA256_HEX_CHARS];
    sr_sha256_hex(a, n, hex);
    cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    /* the same message in pieces of 1, 2, 3, … bytes crosses every block boundary case */
    sr_sha256 s;
    sr_sha256_init(&s);
    size_t done = 0;
    for (size_t piece = 1; done < n; piece = piece % 127 + 1) {
        size_t take = piece < n - done ? piece : n - done;
        sr_sha256_update(&s, a + done, take);
        done += take;
    }
    unsigned char d[SR_SHA256_DIGEST_BYTES];
    sr_sha256_final(&s, d);
    static const unsigned char expect[SR_SHA256_DIGEST_BYTES] = {
        0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7,
        0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
        0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
    cr_assert(memcmp(d, expect, sizeof expect) == 0);
    free(a);
}
