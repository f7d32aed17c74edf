/* Rate-card achievements (docs/model.md) against an exact chain that carries, for every person,
 * the set of outcomes already achieved and whether the person is still in the spell they
 * were enrolled in: full tenure, one outcome bit each, expected counts propagated month by
 * month. The engine's expectation must equal it; its Monte Carlo mean must match it within
 * 4.5 standard errors; and no person is ever counted twice for one outcome. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/arm.h"
#include "sim/engine/layout.h"
#include "sim/engine/progress.h"
#include "sim/engine/rates.h"
#include "sim/engine/rng.h"
#include "support.h"

#define Z_TOL 4.5

/* Two programmes: one enrolled outside work, one enrolled in a job (whose first spell must
 * not count). Outcomes on two states, one of them twice at one tenure (both count). */
static const char *scenario =
    "name: outcomes\n"
    "simulation: {trials: 10, seed: 5, start: 2027-01, horizon_months: 30}\n"
    "discount: {public: 0, investor: 0}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.12}\n"
    "  - {from: employed, to: outside, hazard: 0.2, by_tenure: [[0, 1], [3, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.004}\n"
    "programmes:\n"
    "  - name: from_outside\n"
    "    cohort: {size: 400, intake: {start: 2027-01, months: 4}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.6, months: 5,\n"
    "               fade_months: 2}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes:\n"
    "        - {name: job, state: employed, tenure: 0, price: 1000}\n"
    "        - {name: job_6m, state: employed, tenure: 6, price: 5000}\n"
    "        - {name: job_6m_bonus, state: employed, tenure: 6, price: 100}\n"
    "        - {name: back_out_3m, state: outside, tenure: 3, price: 1}\n"
    "      baseline: {method: none}\n"
    "      term_years: 2\n"
    "  - name: from_job\n"
    "    cohort: {size: 300, intake: {start: 2027-02, months: 2}, initial_state: employed,\n"
    "             initial_tenure: 1}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes:\n"
    "        - {name: job, state: employed, tenure: 0, price: 1000}\n"
    "        - {name: job_4m, state: employed, tenure: 4, price: 5000}\n"
    "      baseline: {method: none}\n"
    "      term_years: 2\n";

/* The exact chain's expected achievements per outcome and month for one arm. A person's
 * chain state is (state, tenure, achieved set, still in the enrolment spell). */
static double *exact_achievements(const sr_model *m, size_t pi, const double *v, bool treated)
{
    const sr_programme *p = &m->programmes[pi];
    const size_t T = m->n_months, S = m->n_states, O = p->contract.n_outcomes;
    const size_t masks = (size_t)1 << O;
    size_t *first = calloc(S, sizeof *first), n_full = 0;
    for (size_t i = 0; i < S; i++) {
        first[i] = n_full;
        n_full += m->states[i].tenure_max + 1;
    }
    const size_t N = n_full * masks * 2;           /* (cell, mask, initial) */
    double *x = calloc(N, sizeof *x), *y = calloc(N, sizeof *y);
    double *ach = calloc(O * T, sizeof *ach);
    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t e = 0; e < T; e++) {
            if (p->intake[s * T + e] == 0)
                continue;
            memset(x, 0, N * sizeof *x);
            unsigned k0 = p->initial_tenure < m->states[p->initial_state].tenure_max
                              ? p->initial_tenure : m->states[p->initial_state].tenure_max;
            x[((first[p->initial_state] + k0) * masks + 0) * 2 + 1] = p->intake[s * T + e];
            for (size_t t = e; t < T; t++) {
                /* Achievements in month t: persons holding (state, tenure) of an outcome not
                 * yet achieved, outside their enrolment spell; then they hold it. */
                for (size_t i = 0; i < S; i++)
                    for (unsigned k = 0; k <= m->states[i].tenure_max; k++)
                        for (size_t mask = 0; mask < masks; mask++) {
                            double *cell = &x[((first[i] + k) * masks + mask) * 2];
                            if (cell[0] == 0.0)
                                continue;
                            size_t to = mask;
                            for (size_t o = 0; o < O; o++) {
                                const sr_outcome *oc = &p->contract.outcomes[o];
                                if (oc->state == i && oc->tenure == k && !(mask >> o & 1)) {
                                    ach[o * T + t] += cell[0];
                                    to |= (size_t)1 << o;
                                }
                            }
                            if (to != mask) {
                                x[((first[i] + k) * masks + to) * 2] += cell[0];
                                cell[0] = 0.0;
                            }
                        }
                /* Month-end transitions, exact competing risks. */
                memset(y, 0, N * sizeof *y);
                size_t age = t - e;
                double hr = 1.0;
                if (treated && p->has_intervention) {
                    double full = v[p->hazard_ratio];
                    if (age < p->effect_months)
                        hr = full;
                    else if (age - p->effect_months < p->fade_months)
                        hr = 1.0 + (full - 1.0) * (double)(p->fade_months - (age - p->effect_months)) /
                                       (p->fade_months + 1.0);
                }
                for (size_t i = 0; i < S; i++) {
                    unsigned max = m->states[i].tenure_max;
                    for (unsigned k = 0; k <= max; k++) {
                        double h[8], H = 0.0;
                        size_t dest[8], n_out = 0;
                        for (size_t j = 0; j < m->n_transitions; j++) {
                            const sr_transition *tr = &m->transitions[j];
                            if (tr->from != i)
                                continue;
                            double mult = 1.0;
                            for (size_t b = 0; b < tr->n_by_tenure; b++)
                                if (tr->tenure_from[b] <= k)
                                    mult = v[tr->tenure_mult[b]];
                            h[n_out] = v[tr->rate] * mult *
                                       (p->has_intervention && p->effect_on[j] ? hr : 1.0);
                            dest[n_out++] = tr->to;
                            H += h[n_out - 1];
                        }
                        double leave = H > 0.0 ? 1.0 - exp(-H) : 0.0;
                        for (size_t mask = 0; mask < masks; mask++)
                            for (size_t init = 0; init < 2; init++) {
                                double n = x[((first[i] + k) * masks + mask) * 2 + init];
                                if (n == 0.0)
                                    continue;
                                for (size_t o = 0; o < n_out; o++)
                                    y[((first[dest[o]]) * masks + mask) * 2 + 0] +=
                                        n * leave * h[o] / H;
                                y[((first[i] + (k < max ? k + 1 : max)) * masks + mask) * 2 + init] +=
                                    n * (1.0 - leave);
                            }
                    }
                }
                memcpy(x, y, N * sizeof *x);
            }
        }
    free(x);
    free(y);
    free(first);
    return ach;
}

/* Achievements of outcome o in the term, from an arm's flows. */
static double achieved_in_term(const sr_model *m, const sr_programme *p,
                               const sr_arm_flows *f, size_t o)
{
    double k = 0.0;
    for (size_t t = 0; t < p->contract.term_months; t++)
        k += f->achieved[o * m->n_months + t];
    return k;
}

/* Each arm's expected achievements, month by month, against the exact chain. */
static void expect_exact_achievements(const sr_model *m, const sr_programme *p,
                                      const sr_arm_flows *f, const double *exact,
                                      const char *arm)
{
    double total = 0.0;
    for (size_t o = 0; o < p->contract.n_outcomes; o++)
        for (size_t t = 0; t < p->contract.term_months; t++) {
            double got = f->achieved[o * m->n_months + t];
            double want = exact[o * m->n_months + t];
            total += want;
            cr_expect(fabs(got - want) <= 1e-9 * fmax(1.0, want),
                      "%s, %s, outcome %s, month %zu: engine %.10g, exact %.10g", p->name, arm,
                      p->contract.outcomes[o].name, t, got, want);
        }
    cr_expect_gt(total, 10.0, "the scenario achieves outcomes");
}

/* The engine counts achievements in the month they happen over the whole horizon; the
 * reference stops at the contract's term: compare within the term. Each arm alone, and
 * both as a pair. */
Test(outcomes, expectation_equals_the_exact_chain_with_achieved_flags)
{
    sr_model *m = sr_test_model(scenario);
    for (size_t pi = 0; pi < m->n_programmes; pi++) {
        const sr_programme *p = &m->programmes[pi];
        sr_test_arm e = sr_test_arm_open(m, pi);
        double *exact[2];
        for (int treated = 0; treated <= 1; treated++) {
            exact[treated] = exact_achievements(m, pi, e.v, treated);
            sr_arm_spec spec = sr_test_arm_spec(&e, treated, SR_DRAW_EXPECTED);
            sr_arm_run(e.w, &spec);
            expect_exact_achievements(m, p, e.w->flows, exact[treated],
                                      treated ? "treated" : "counterfactual");
        }
        sr_arm_spec spec = sr_test_arm_spec(&e, true, SR_DRAW_EXPECTED);
        sr_arm_run_pair(e.w, &spec);
        expect_exact_achievements(m, p, e.w->flows, exact[1], "pair, treated");
        expect_exact_achievements(m, p, e.w->counterfactual, exact[0], "pair, counterfactual");
        free(exact[0]);
        free(exact[1]);
        sr_test_arm_close(&e);
    }
    sr_model_free(m);
}

/* Monte Carlo achievements in the term: the treated arm alone, and both arms of a pair
 * (drawn together, cell by cell), against the exact chain. */
Test(outcomes, monte_carlo_achievements_match_the_exact_chain)
{
    sr_model *m = sr_test_model(scenario);
    const size_t N = 2000;
    for (size_t pi = 0; pi < m->n_programmes; pi++) {
        const sr_programme *p = &m->programmes[pi];
        const size_t O = p->contract.n_outcomes;
        sr_test_arm e = sr_test_arm_open(m, pi);
        double *exact[2] = {exact_achievements(m, pi, e.v, false),
                            exact_achievements(m, pi, e.v, true)};
        /* runs: 0 the treated arm alone; 1 a pair's treated arm, 2 its counterfactual */
        double *sum = calloc(3 * O, sizeof *sum), *sum2 = calloc(3 * O, sizeof *sum2);
        sr_arm_spec spec = sr_test_arm_spec(&e, true, SR_DRAW_RANDOM);
        for (size_t i = 0; i < N; i++) {
            spec.stream = sr_stream_key(17, i, pi, SR_ARM_COHORT, SR_PURPOSE_TRANSITIONS);
            for (int pair = 0; pair <= 1; pair++) {
                if (pair)
                    sr_arm_run_pair(e.w, &spec);
                else
                    sr_arm_run(e.w, &spec);
                for (int a = 0; a <= pair; a++)
                    for (size_t o = 0; o < O; o++) {
                        const sr_arm_flows *f = a == 0 ? e.w->flows : e.w->counterfactual;
                        double k = achieved_in_term(m, p, f, o);
                        /* Nobody twice: achievements of one outcome never exceed the cohort. */
                        cr_assert_leq(k, p->size, "outcome %zu achieved %g times by %u persons",
                                      o, k, p->size);
                        sum[(pair + a) * O + o] += k;
                        sum2[(pair + a) * O + o] += k * k;
                    }
            }
        }
        static const char *const runs[3] = {"treated alone", "pair, treated",
                                            "pair, counterfactual"};
        for (size_t run = 0; run < 3; run++)
            for (size_t o = 0; o < O; o++) {
                const double *x = exact[run == 2 ? 0 : 1];
                double want = 0.0;
                for (size_t t = 0; t < p->contract.term_months; t++)
                    want += x[o * m->n_months + t];
                double mean = sum[run * O + o] / N;
                double se = sqrt((sum2[run * O + o] / N - mean * mean) / (N - 1));
                cr_expect(fabs(mean - want) <= Z_TOL * se,
                          "%s, %s, outcome %s: mean %.3f exact %.3f se %.3f", p->name, runs[run],
                          p->contract.outcomes[o].name, mean, want, se);
            }
        free(sum);
        free(sum2);
        free(exact[0]);
        free(exact[1]);
        sr_test_arm_close(&e);
    }
    sr_model_free(m);
}

/* Outcomes at one state and tenure are achieved by the same persons in the same month. */
Test(outcomes, outcomes_at_the_same_tenure_are_achieved_together)
{
    sr_model *m = sr_test_model(scenario);
    sr_test_arm e = sr_test_arm_open(m, 0);
    sr_arm_spec spec = sr_test_arm_spec(&e, true, SR_DRAW_RANDOM);
    spec.stream = 99;
    sr_arm_run(e.w, &spec);
    const size_t T = m->n_months;
    double total = 0.0;
    for (size_t t = 0; t < T; t++) {
        cr_expect_eq(e.w->flows->achieved[1 * T + t], e.w->flows->achieved[2 * T + t]);
        total += e.w->flows->achieved[1 * T + t];
    }
    cr_expect_gt(total, 0.0);
    sr_test_arm_close(&e);
    sr_model_free(m);
}
