/* The arms' memory: an arm's flows and the per-thread arm workspace, each one allocation
 * carved into its arrays (sim/engine/carve.h), and what they take (sim/variants/memory.h
 * compares that with the machine before a run allocates anything).
 *
 * Sizes: a block of counts holds max_len = max_progress * n_strata * n_cells persons'
 * counts, its bitmap `words` 64-bit words (one bit per (stratum, cell)); an arm keeps a pool,
 * one block per intake month (n_months) and the next month's scratch. */
#include "sim/engine/arm.h"

#include <string.h>

#include "models/size.h"
#include "sim/engine/carve.h"
#include "sim/engine/moves.h"

/* Lays out flows for n_months and n_outcomes (at least one row of `achieved`) on c: the
 * struct and its arrays (sim/engine/carve.h). */
static sr_arm_flows *carve_flows(sr_carve *c, sr_arm_flows *scratch, size_t n_months,
                                 size_t n_outcomes)
{
    sr_arm_flows *f = sr_carve_struct(c, sizeof *f, scratch);
    const size_t outcome_rows = n_outcomes > 0 ? n_outcomes : 1;
    f->expenditure = sr_carve_take(c, sr_size_mul(SR_PAYERS, n_months), sizeof(double));
    f->cost = sr_carve_take(c, n_months, sizeof(double));
    f->active = sr_carve_take(c, n_months, sizeof(double));
    f->employed = sr_carve_take(c, n_months, sizeof(double));
    f->achieved = sr_carve_take(c, sr_size_mul(outcome_rows, n_months), sizeof(double));
    f->enrolled = sr_carve_take(c, n_months, sizeof(double));
    return f;
}

sr_arm_flows *sr_arm_flows_alloc(size_t n_months, size_t n_outcomes)
{
    sr_arm_flows scratch;
    sr_carve c = {0};
    carve_flows(&c, &scratch, n_months, n_outcomes);
    if (sr_carve_alloc(&c) == NULL)
        return NULL;
    carve_flows(&c, &scratch, n_months, n_outcomes);
    return (sr_arm_flows *)c.block;
}

double sr_arm_flows_bytes(size_t n_months, size_t n_outcomes)
{
    sr_arm_flows scratch;
    sr_carve c = {0};
    carve_flows(&c, &scratch, n_months, n_outcomes);
    return sr_carve_bytes(&c);
}

void sr_arm_flows_free(sr_arm_flows *f)
{
    free(f);
}

void sr_arm_flows_copy(sr_arm_flows *dst, const sr_arm_flows *src, size_t n_months,
                       size_t n_outcomes)
{
    const size_t bytes = n_months * sizeof(double);
    memcpy(dst->expenditure, src->expenditure, SR_PAYERS * bytes);
    memcpy(dst->cost, src->cost, bytes);
    memcpy(dst->active, src->active, bytes);
    memcpy(dst->employed, src->employed, bytes);
    memcpy(dst->achieved, src->achieved, n_outcomes * bytes);
    memcpy(dst->enrolled, src->enrolled, bytes);
    dst->employed_end = src->employed_end;
}

/* Lays out an arm workspace on c: the struct, the arrays shared by the arms, and each
 * arm's counts and flows (sim/engine/carve.h). */
static void carve_arm_ws(sr_carve *c, const sr_layout *l, const sr_model *m,
                         size_t max_progress, size_t max_outcomes)
{
    sr_arm_ws scratch, *w = sr_carve_struct(c, sizeof *w, &scratch);
    sr_arm_flows flows_scratch[SR_PAIR];
    const size_t T = m->n_months, cells = sr_size_mul(l->n_strata, l->n_cells);
    const size_t progress = max_progress > 0 ? max_progress : 1;
    const size_t moves = l->max_out + 1;
    w->layout = l;
    w->n_months = T;
    w->max_len = sr_size_mul(progress, cells);
    w->words = cells / 64 + (cells % 64 != 0);
    w->cash = sr_carve_take(c, sr_size_mul(cells, SR_PAYERS), sizeof(double));
    w->share = sr_carve_take(c, moves, sizeof(double));
    w->scratch = sr_carve_take(c, SR_PAIR_SCRATCH(l->max_out), sizeof(double));
    w->destinations = sr_carve_take(c, (2 + SR_PAIR) * l->max_out, sizeof(double));
    for (size_t a = 0; a < SR_PAIR; a++) {
        sr_arm_counts *k = &w->counts[a];
        w->moves[a] = sr_carve_take(c, moves, sizeof(double));
        w->band_leavers[a] = sr_carve_take(c, progress, sizeof(double));
        w->leaving[a] = sr_carve_take(c, progress, sizeof(size_t));
        k->pool = sr_carve_take(c, w->max_len, sizeof(double));
        k->blocks = sr_carve_take(c, sr_size_mul(T, w->max_len), sizeof(double));
        k->next = sr_carve_take(c, w->max_len, sizeof(double));
        k->pool_bits = sr_carve_take(c, w->words, sizeof(uint64_t));
        k->block_bits = sr_carve_take(c, sr_size_mul(T, w->words), sizeof(uint64_t));
        k->next_bits = sr_carve_take(c, w->words, sizeof(uint64_t));
        w->arm_flows[a] = carve_flows(c, &flows_scratch[a], T, max_outcomes);
    }
    w->flows = w->arm_flows[0];
    w->counterfactual = w->arm_flows[1];
}

sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m, size_t max_progress,
                           size_t max_outcomes)
{
    sr_carve c = {0};
    carve_arm_ws(&c, l, m, max_progress, max_outcomes);
    if (sr_carve_alloc(&c) == NULL)
        return NULL;
    carve_arm_ws(&c, l, m, max_progress, max_outcomes);
    return (sr_arm_ws *)c.block;
}

double sr_arm_ws_bytes(const sr_layout *l, const sr_model *m, size_t max_progress,
                       size_t max_outcomes)
{
    sr_carve c = {0};
    carve_arm_ws(&c, l, m, max_progress, max_outcomes);
    return sr_carve_bytes(&c);
}

void sr_arm_ws_free(sr_arm_ws *w)
{
    free(w);
}
