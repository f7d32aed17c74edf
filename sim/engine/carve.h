/* One allocation per workspace: a block carved into the workspace's struct and arrays.
 *
 * A workspace is laid out by one function that takes its struct (sr_carve_struct), then
 * each array (sr_carve_take), from an sr_carve. It is called twice: first on a measuring
 * carve (no block yet), which adds up the bytes, with a scratch struct of the caller's
 * standing in for the workspace; then on the block allocated with that many
 * (sr_carve_alloc), which it points each array into, the struct heading the block:
 *
 *     static T *carve_t(sr_carve *c, T *scratch, ...)
 *     {
 *         T *t = sr_carve_struct(c, sizeof *t, scratch);
 *         t->x = sr_carve_take(c, n, sizeof *t->x);
 *         return t;
 *     }
 *     T scratch;
 *     sr_carve c = {0};
 *     carve_t(&c, &scratch, ...);
 *     if (sr_carve_alloc(&c) == NULL)
 *         return NULL;
 *     carve_t(&c, &scratch, ...);
 *     return (T *)c.block;
 *
 * The same function doing both, no array can run past the block, and the workspace's
 * memory estimate (sr_carve_bytes after the measuring call) reads the same sum. The block
 * is zeroed (calloc), as each array was; free() of the struct frees it all.
 *
 * Every array starts at a multiple of SR_CARVE_ALIGN bytes from the block's start, which
 * malloc aligns as strictly, so an array of any object type is aligned. A size that does not
 * fit a size_t saturates at SIZE_MAX (models/size.h): an allocation that fails, never a
 * short block. */
#ifndef SR_CARVE_H
#define SR_CARVE_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "models/size.h"

#define SR_CARVE_ALIGN alignof(max_align_t)

typedef struct {
    char *block;              /* NULL while measuring */
    size_t used;              /* bytes taken so far (SIZE_MAX once they do not fit) */
} sr_carve;

/* n elements of `size` bytes from the carve: their address in the block, or NULL while
 * measuring. */
static inline void *sr_carve_take(sr_carve *c, size_t n, size_t size)
{
    const size_t start = sr_size_add(c->used, (SR_CARVE_ALIGN - c->used % SR_CARVE_ALIGN) %
                                                  SR_CARVE_ALIGN);
    c->used = sr_size_add(start, sr_size_mul(n, size));
    return c->block != NULL && c->used != SIZE_MAX ? c->block + start : NULL;
}

/* A struct of `size` bytes from the carve; while measuring, `scratch` (the caller's) takes
 * its place, and the NULL addresses of its arrays. */
static inline void *sr_carve_struct(sr_carve *c, size_t size, void *scratch)
{
    void *at = sr_carve_take(c, 1, size);
    return c->block != NULL ? at : scratch;
}

/* A zeroed block of the bytes measured, from which the carve then takes again from the
 * start; NULL when out of memory. */
static inline void *sr_carve_alloc(sr_carve *c)
{
    c->block = c->used != SIZE_MAX ? calloc(1, c->used) : NULL;
    c->used = 0;
    return c->block;
}

/* Bytes the block measured takes from the C library (models/size.h: an upper bound,
 * allocator overhead in). */
static inline double sr_carve_bytes(const sr_carve *c)
{
    return sr_array_bytes(c->used, 1);
}

#endif
