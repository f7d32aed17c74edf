/* Sizes of the arrays that grow with a scenario (cells, strata, months, trials), shared by
 * the constructors that allocate them and by the functions that estimate, before anything
 * is allocated, what a run will take (sim/variants/memory.h): both read the same element counts, so
 * the estimate cannot drift from the allocation.
 *
 * Element counts are size_t products that saturate at SIZE_MAX: a count that does not fit
 * is an allocation that fails and an estimate no machine meets, never a short array. */
#ifndef SR_SIZE_H
#define SR_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* a * b, or SIZE_MAX when it does not fit. */
static inline size_t sr_size_mul(size_t a, size_t b)
{
    size_t p;
    return __builtin_mul_overflow(a, b, &p) ? SIZE_MAX : p;
}

/* a + b, or SIZE_MAX when it does not fit. */
static inline size_t sr_size_add(size_t a, size_t b)
{
    size_t s;
    return __builtin_add_overflow(a, b, &s) ? SIZE_MAX : s;
}

/* Bytes that an allocation of n elements of `size` bytes takes from the C library, an
 * upper bound: the elements, plus what glibc adds to a chunk (at most 64 bytes: an 8-byte
 * header, alignment to 16, and a remainder of under 32 bytes left in the chunk rather than
 * split off; a request of 0 still takes a minimal chunk), plus, for a request large enough
 * to be served by mmap (128 KiB and more), the rounding up to whole 4 KiB pages. In bytes
 * as a double, so that sums of huge arrays neither wrap nor saturate. */
static inline double sr_array_bytes(size_t n, size_t size)
{
    double bytes = (double)n * (double)size;
    return bytes + (bytes >= 131072.0 ? 4096.0 : 64.0);
}

#endif
