/* Rate-card outcomes at cohort level (docs/model.md): who has already achieved what.
 *
 * A person achieves outcome (state S, tenure k) in the first month in which they hold
 * tenure k in S in a spell that began after enrolment; each person counts at most once per
 * outcome. Within one spell tenure rises one month at a time, so the outcomes of one state
 * are reached in order of their tenures: a person's progress in S is one digit, the number
 * of S's distinct outcome tenures reached so far (0 .. K_S). Persons enrolled in a state
 * that has outcomes carry the digit value K_S + 1 ("initial spell": nothing counts) until
 * they leave it, when it becomes 0. A cell of the cohort is then (progress, stratum, state,
 * tenure level), progress being the mixed-radix number of all digits.
 *
 * Everything a month-end move needs is tabulated: the progress after arriving in a cell,
 * after leaving a state, and the outcomes that an arrival achieves. */
#ifndef SR_PROGRESS_H
#define SR_PROGRESS_H

#include <stddef.h>

#include "models/model.h"
#include "sim/engine/layout.h"

/* Most progress combinations a programme may have (cells multiply by it). */
#define SR_PROGRESS_MAX 256

typedef struct {
    size_t n_outcomes;
    size_t n_progress;        /* combinations; 1 without a rate card */
    size_t n_cells;           /* cells per stratum (the layout's) */
    size_t initial;           /* progress of an enrolee */
    size_t *arrive;           /* [n_progress * n_cells]: progress after arriving in the cell */
    size_t *leave;            /* [n_progress * n_states]: progress after leaving the state */
    size_t *gain_first;       /* [n_progress * n_cells + 1]: the outcomes an arrival achieves */
    size_t *gain;             /*   are gain[gain_first[x] .. gain_first[x + 1]), x = arrival */
} sr_progress;

/* Progress tables for programme p's rate card (a table with one combination and no
 * outcomes when p has none). NULL on allocation failure or when the combinations exceed
 * SR_PROGRESS_MAX (*too_many set). */
sr_progress *sr_progress_alloc(const sr_layout *l, const sr_model *m, const sr_programme *p,
                               int *too_many);
void sr_progress_free(sr_progress *g);   /* NULL is fine */

/* The number of progress combinations of programme p's rate card (1 without one), as
 * sr_progress_alloc finds it, or SR_PROGRESS_MAX + 1 when they exceed SR_PROGRESS_MAX. */
size_t sr_progress_count(const sr_model *m, const sr_programme *p);
/* Bytes sr_progress_alloc takes for p, its scratch included, from the same element counts
 * (models/size.h: an upper bound); a rate card it refuses takes next to nothing. */
double sr_progress_bytes(const sr_layout *l, const sr_model *m, const sr_programme *p);

#endif
