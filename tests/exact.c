#include "exact.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Full cells: state i, tenure k = 0 .. tenure_max(i). */
typedef struct {
    size_t n;
    size_t *first;            /* [n_states] */
} full_cells;

static full_cells cells_of(const sr_model *m)
{
    full_cells c = {0, calloc(m->n_states, sizeof(size_t))};
    for (size_t i = 0; i < m->n_states; i++) {
        c.first[i] = c.n;
        c.n += m->states[i].tenure_max + 1;
    }
    return c;
}

/* Hazard ratio at `age` months after enrolment (docs/model.md). */
static double hazard_ratio(const sr_model *m, const sr_programme *p, const double *v,
                           size_t s, size_t age, bool treated)
{
    if (!treated || !p->has_intervention)
        return 1.0;
    double hr = v[p->hazard_ratio];
    if (p->has_scale)
        hr = fmax(0.0, 1.0 + (hr - 1.0) * pow(p->size / v[p->scale_reference_size],
                                              v[p->scale_elasticity]));
    hr = fmax(0.0, 1.0 + (hr - 1.0) * v[m->strata[s].effect_multiplier]);
    if (age < p->effect_months)
        return hr;
    size_t k = age - p->effect_months;
    if (k < p->fade_months)
        return 1.0 + (hr - 1.0) * (double)(p->fade_months - k) / (p->fade_months + 1.0);
    return 1.0;
}

static double hazard(const sr_model *m, const sr_programme *p, const double *v, size_t j,
                     size_t s, unsigned k, double hr)
{
    const sr_transition *t = &m->transitions[j];
    double h = v[t->rate];
    if (t->is_probability) {
        double total = 0.0;
        for (size_t i = 0; i < m->n_transitions; i++)
            if (m->transitions[i].from == t->from)
                total += v[m->transitions[i].rate];
        h = -log(1.0 - total) * v[t->rate] / total;
    }
    double mult = 1.0;
    for (size_t b = 0; b < t->n_by_tenure; b++)
        if (t->tenure_from[b] <= k)
            mult = v[t->tenure_mult[b]];
    h *= mult * v[m->strata[s].multiply[j]];
    if (p->has_intervention && p->effect_on[j])
        h *= hr;
    return h;
}

/* P[from cell][to cell] for stratum s at hazard ratio hr. */
static void transition_matrix(gsl_matrix *P, const sr_model *m, const sr_programme *p,
                              const double *v, const full_cells *c, size_t s, double hr)
{
    gsl_matrix_set_zero(P);
    for (size_t i = 0; i < m->n_states; i++) {
        unsigned max = m->states[i].tenure_max;
        for (unsigned k = 0; k <= max; k++) {
            size_t from = c->first[i] + k;
            double H = 0.0;
            for (size_t j = 0; j < m->n_transitions; j++)
                if (m->transitions[j].from == i)
                    H += hazard(m, p, v, j, s, k, hr);
            double leave = H > 0.0 ? 1.0 - exp(-H) : 0.0;
            for (size_t j = 0; j < m->n_transitions; j++)
                if (m->transitions[j].from == i) {
                    size_t to = c->first[m->transitions[j].to];
                    *gsl_matrix_ptr(P, from, to) += hazard(m, p, v, j, s, k, hr) / H * leave;
                }
            *gsl_matrix_ptr(P, from, c->first[i] + (k < max ? k + 1 : max)) += 1.0 - leave;
        }
    }
}

static double cash(const sr_model *m, const double *v, size_t s, size_t i, unsigned k,
                   int t, size_t pay)
{
    const sr_cashspec *c = &m->cash[s * m->n_states + i];
    const sr_flow *f = &c->base;
    for (size_t d = 0; d < c->n_by_tenure; d++)
        if (c->tenure_from[d] <= k)
            f = &c->by_tenure[d];
    for (size_t d = 0; d < c->n_dated; d++)
        if (c->dated_month[d] <= t)
            f = &c->dated[d];
    return v[f->amount[pay]];
}

sr_exact_arm sr_exact_run(const sr_model *m, size_t pi, const double *v, bool treated)
{
    const sr_programme *p = &m->programmes[pi];
    const size_t T = m->n_months;
    full_cells c = cells_of(m);
    sr_exact_arm a = {
        calloc(SR_PAYERS * T, sizeof(double)), calloc(T, sizeof(double)),
        calloc(T, sizeof(double)), calloc(m->n_states * T, sizeof(double)), 0.0};
    gsl_matrix *P = gsl_matrix_alloc(c.n, c.n);
    gsl_vector *x = gsl_vector_alloc(c.n), *y = gsl_vector_alloc(c.n);
    bool with_effect = treated && p->has_intervention;

    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t e = 0; e < T; e++) {
            unsigned n = p->intake[s * T + e];
            if (n == 0)
                continue;
            gsl_vector_set_zero(x);
            size_t i0 = p->initial_state;
            unsigned k0 = p->initial_tenure < m->states[i0].tenure_max
                              ? p->initial_tenure : m->states[i0].tenure_max;
            gsl_vector_set(x, c.first[i0] + k0, n);
            if (with_effect)
                a.cost[e] += v[p->cost_per_participant] * n;
            for (size_t t = e; t < T; t++) {
                size_t age = t - e;
                for (size_t i = 0; i < m->n_states; i++)
                    for (unsigned k = 0; k <= m->states[i].tenure_max; k++) {
                        double xn = gsl_vector_get(x, c.first[i] + k);
                        a.count[i * T + t] += xn;
                        for (size_t pay = 0; pay < SR_PAYERS; pay++)
                            a.expenditure[pay * T + t] += xn * cash(m, v, s, i, k, (int)t, pay);
                        if (with_effect && age < p->effect_months && !m->states[i].absorbing &&
                            p->while_in[i])
                            a.active[t] += xn;
                    }
                transition_matrix(P, m, p, v, &c, s, hazard_ratio(m, p, v, s, age, treated));
                /* One-off cash flows: expected movers from each cell along each transition. */
                for (size_t j = 0; j < m->n_transitions; j++) {
                    const sr_transition *tr = &m->transitions[j];
                    if (!tr->has_cash)
                        continue;
                    for (unsigned k = 0; k <= m->states[tr->from].tenure_max; k++) {
                        size_t from = c.first[tr->from] + k;
                        double H = 0.0;
                        double hr = hazard_ratio(m, p, v, s, age, treated);
                        for (size_t jj = 0; jj < m->n_transitions; jj++)
                            if (m->transitions[jj].from == tr->from)
                                H += hazard(m, p, v, jj, s, k, hr);
                        double moved = gsl_vector_get(x, from) * hazard(m, p, v, j, s, k, hr) /
                                       H * (1.0 - exp(-H));
                        for (size_t pay = 0; pay < SR_PAYERS; pay++)
                            a.expenditure[pay * T + t] += moved * v[tr->cash.amount[pay]];
                    }
                }
                gsl_blas_dgemv(CblasTrans, 1.0, P, x, 0.0, y);
                gsl_vector_memcpy(x, y);
            }
            long employed = sr_model_state_index(m, "employed");
            if (employed >= 0)
                for (unsigned k = 0; k <= m->states[employed].tenure_max; k++)
                    a.employed_end += gsl_vector_get(x, c.first[employed] + k);
        }
    for (size_t t = 0; t < T; t++) {
        double index = pow(1.0 + m->indexation, t / 12.0);
        for (size_t pay = 0; pay < SR_PAYERS; pay++)
            a.expenditure[pay * T + t] *= index;
        if (with_effect)
            a.cost[t] = index * (a.cost[t] + v[p->cost_per_participant_month] * a.active[t] +
                                 (a.active[t] > 0.0 ? v[p->cost_fixed_per_year] / 12.0 : 0.0));
    }
    gsl_matrix_free(P);
    gsl_vector_free(x);
    gsl_vector_free(y);
    free(c.first);
    return a;
}

void sr_exact_arm_free(sr_exact_arm *a)
{
    free(a->expenditure);
    free(a->cost);
    free(a->active);
    free(a->count);
}

/* The person's two versions as one chain: TOGETHER in cell c (index c), or apart with the
 * treated version in cell a and the counterfactual one in cell b (index n + a n + b). */
#define APART(n, a, b) ((n) + (a) * (n) + (b))

/* The tenure from which state i's cells have the same future: every hazard out of i and
 * every cash flow of i (each month, payer) are the same at all tenures from there to
 * tenure_max. Two versions in cells of i at or beyond it are in one cell of the engine. */
static unsigned settled_tenure(const sr_model *m, const sr_programme *p, const double *v,
                               size_t s, size_t i)
{
    const unsigned max = m->states[i].tenure_max;
    unsigned k = max;
    for (; k > 0; k--) {
        bool same = true;
        for (size_t j = 0; j < m->n_transitions && same; j++)
            if (m->transitions[j].from == i)
                same = hazard(m, p, v, j, s, k - 1, 1.0) == hazard(m, p, v, j, s, max, 1.0);
        for (size_t t = 0; t < m->n_months && same; t++)
            for (size_t pay = 0; pay < SR_PAYERS && same; pay++)
                same = cash(m, v, s, i, k - 1, (int)t, pay) == cash(m, v, s, i, max, (int)t, pay);
        if (!same)
            break;
    }
    return k;
}

void sr_exact_person_savings(const sr_model *m, size_t pi, const double *v, size_t s,
                             size_t pay, double *mean, double *var)
{
    const sr_programme *p = &m->programmes[pi];
    const size_t T = m->n_months;
    full_cells c = cells_of(m);
    const size_t n = c.n, J = n + n * n;
    size_t *state = calloc(n, sizeof *state);
    unsigned *tenure = calloc(n, sizeof *tenure);
    for (size_t i = 0; i < m->n_states; i++)
        for (unsigned k = 0; k <= m->states[i].tenure_max; k++) {
            state[c.first[i] + k] = i;
            tenure[c.first[i] + k] = k;
        }
    gsl_matrix *Pt = gsl_matrix_alloc(n, n), *Pc = gsl_matrix_alloc(n, n);
    double *v1 = calloc(J, sizeof *v1), *v2 = calloc(J, sizeof *v2);
    double *w1 = calloc(J, sizeof *w1), *w2 = calloc(J, sizeof *w2);
    double *same = calloc(n, sizeof *same), *cash_at = calloc(n, sizeof *cash_at);
    /* rejoin[x]: the cell whose future x shares (itself, or its state's settled cell) */
    size_t *rejoin = calloc(n, sizeof *rejoin);
    for (size_t i = 0; i < m->n_states; i++) {
        const unsigned settled = settled_tenure(m, p, v, s, i);
        for (unsigned k = 0; k <= m->states[i].tenure_max; k++)
            rejoin[c.first[i] + k] = c.first[i] + (k < settled ? k : settled);
    }

    /* Backward: v1[x], v2[x] = E[D_t..], E[(D_t..)^2] from month t in state x, where
     * D_t.. sums the months t .. T-1 of (counterfactual - treated) cash flows. */
    for (size_t t = T; t-- > 0;) {
        transition_matrix(Pt, m, p, v, &c, s, hazard_ratio(m, p, v, s, t, true));
        transition_matrix(Pc, m, p, v, &c, s, hazard_ratio(m, p, v, s, t, false));
        for (size_t x = 0; x < n; x++)
            cash_at[x] = cash(m, v, s, state[x], tenure[x], (int)t, pay);
        for (size_t x = 0; x < n; x++) {
            /* together: the same move with min(Pt, Pc), else part by the excesses */
            double together = 0.0, e1 = 0.0, e2 = 0.0;
            for (size_t d = 0; d < n; d++) {
                same[d] = fmin(gsl_matrix_get(Pt, x, d), gsl_matrix_get(Pc, x, d));
                together += same[d];
                e1 += same[d] * v1[d];
                e2 += same[d] * v2[d];
            }
            const double apart = 1.0 - together;
            if (apart > 1e-15)
                for (size_t a = 0; a < n; a++) {
                    double xa = gsl_matrix_get(Pt, x, a) - same[a];
                    if (xa <= 0.0)
                        continue;
                    for (size_t b = 0; b < n; b++) {
                        double xb = gsl_matrix_get(Pc, x, b) - same[b];
                        if (xb <= 0.0)
                            continue;
                        e1 += xa * xb / apart * v1[APART(n, a, b)];
                        e2 += xa * xb / apart * v2[APART(n, a, b)];
                    }
                }
            w1[x] = e1;   /* the same cell: no difference this month */
            w2[x] = e2;
            /* apart: independent moves */
            for (size_t y = 0; y < n; y++) {
                const double r = cash_at[y] - cash_at[x];   /* treated x, counterfactual y */
                double f1 = 0.0, f2 = 0.0;
                for (size_t a = 0; a < n; a++) {
                    double pa = gsl_matrix_get(Pt, x, a);
                    if (pa == 0.0)
                        continue;
                    for (size_t b = 0; b < n; b++) {
                        double q = pa * gsl_matrix_get(Pc, y, b);
                        f1 += q * v1[APART(n, a, b)];
                        f2 += q * v2[APART(n, a, b)];
                    }
                }
                w1[APART(n, x, y)] = r + f1;
                w2[APART(n, x, y)] = r * r + 2.0 * r * f1 + f2;
            }
        }
        /* versions that meet in one cell (of the engine) are together again */
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++)
                if (rejoin[a] == rejoin[b]) {
                    w1[APART(n, a, b)] = w1[a];
                    w2[APART(n, a, b)] = w2[a];
                }
        memcpy(v1, w1, J * sizeof *v1);
        memcpy(v2, w2, J * sizeof *v2);
    }
    const size_t i0 = p->initial_state;
    const unsigned k0 = p->initial_tenure < m->states[i0].tenure_max ? p->initial_tenure
                                                                    : m->states[i0].tenure_max;
    const size_t start = c.first[i0] + k0;
    *mean = v1[start];
    *var = v2[start] - v1[start] * v1[start];
    free(same);
    free(cash_at);
    free(rejoin);
    free(v1);
    free(v2);
    free(w1);
    free(w2);
    gsl_matrix_free(Pt);
    gsl_matrix_free(Pc);
    free(state);
    free(tenure);
    free(c.first);
}
