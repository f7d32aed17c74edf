/* Walking the schema's tables over a document (schema_walk.c): what the loader's files
 * read a mapping, a list of named items or one value with. */
#ifndef SR_SCHEMA_WALK_H
#define SR_SCHEMA_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/schema.h"

/* Reads the mapping at node into target by t: its keys (unknown ones refused), then each
 * row in t's order: a missing required key is refused, an absent one takes its default, a
 * present one is read (by kind into target + at, or by its setter), and one that does not
 * apply (sr_schema_applies) is read, noted as ignored and given its default. t's choice
 * of alternatives is checked at the first of them; t's finish hook runs last. */
int sr_schema_read(sr_sload *L, int node, const sr_table *t, void *target);
/* Stores the default of every row of t (recursively) in target. */
int sr_schema_defaults(sr_sload *L, const sr_table *t, void *target);
/* Reads one value at node as row says into dst (the place itself, not the target). */
int sr_schema_read_value(sr_sload *L, const sr_key *row, int node, void *dst);
/* Whether row applies under the selectors as they stand. */
bool sr_schema_applies(const sr_sload *L, const sr_key *row);
/* Reads the list at node, whose items are mappings of t with a required `name` (its first
 * row), into items[] (`size` bytes each, the name a char * at name_at): for item i,
 * prepare(L, item, i) when given, then the walk; *count follows the items begun (so that
 * sr_model_free frees them). Then each name must be unique, else `duplicate WHAT name
 * (first at line L, column C)`. *index receives the names' lookup (NULL: not kept). */
int sr_sl_named_list(sr_sload *L, int node, const sr_table *t, void *items, size_t size,
                     size_t name_at, size_t *count, const char *what, sr_names *index,
                     int (*prepare)(sr_sload *L, void *item, size_t i));

/* The values of the selectors that are choices (the keys that set them take them). */
extern const char *const SR_MACRO_MODELS[];
extern const char *const SR_CONTRACT_TYPES[];
extern const char *const SR_BASELINE_METHODS[];

#endif
