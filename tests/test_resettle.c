/* Trials settled again under a changed contract term (sim/engine/resettle.h) against runs of
 * the scenario with that term set: every trial's every figure, at every level, the yearly
 * flows and the deterministic expectation, equal to the bit. Over a rate card (prices, a
 * scale on them, cap, frame deferred) with a control group, a savings share (share,
 * frame forfeited, historical baseline), a guarantee and a surplus cap (changed, and added
 * where the scenario has none), cancellation, parameter uncertainty and macro risk, in a
 * portfolio of two programmes. Also the monotone effects of the share that theory gives in
 * every trial. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/records.h"
#include "sim/engine/resettle.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "support.h"

/* Two programmes on one labour market: a rate card measured against a control group, with
 * a frame whose overflow is deferred, a cap, cancellation, a guarantee and a surplus cap;
 * and a savings share measured against historical expenditure, with a forfeited frame and
 * no financing clauses. The first's effect is uncertain; the macro regime switches. */
static const char *scenario =
    "name: resettle\n"
    "simulation: {trials: 160, seed: 5, start: 2027-04, horizon_years: 6}\n"
    "discount: {public: 0.03, investor: 0.06}\n"
    "parameters:\n"
    "  effect: {dist: lognormal, median: 1.5, p95: 2.2}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 12}\n"
    "  - {name: employed, tenure_max: 12}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.02, macro: pro}\n"
    "  - {from: employed, to: outside, hazard: 0.07, macro: counter,\n"
    "     by_tenure: [[0, 1], [6, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 7000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "macro: {model: regime, switch: {to_recession: 0.02, to_normal: 0.08},\n"
    "        recession: {pro: 0.6, counter: 1.4}}\n"
    "programmes:\n"
    "  - name: card\n"
    "    cohort: {size: 400, intake: {start: 2027-04, months: 12}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect, months: 12}\n"
    "      costs: {fixed_per_year: 100000, per_participant: 12000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes:\n"
    "        - {name: job6, state: employed, tenure: 6, price: 150000}\n"
    "        - {name: job12, state: employed, tenure: 12, price: 100000}\n"
    "      baseline: {method: control_group, size: 200}\n"
    "      term_years: 4\n"
    "      cap_total: 9000000\n"
    "      annual_frame: 3000000\n"
    "      frame_overflow: deferred\n"
    "      lag_months: 3\n"
    "      termination: {hazard_per_year: 0.15}\n"
    "    financing:\n"
    "      guarantee: {first_loss: 0.25}\n"
    "      surplus: {cap_irr: 0.08}\n"
    "  - name: share\n"
    "    cohort: {size: 300, intake: {start: 2027-06, months: 6}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.6, months: 12}\n"
    "      costs: {per_participant: 15000}\n"
    "    contract:\n"
    "      payer: state\n"
    "      type: savings_share\n"
    "      share: {dist: uniform, min: 0.3, max: 0.6}\n"
    "      baseline: {method: historical,\n"
    "                 expenditure_per_person_month: {municipality: 6500, state: 2300}}\n"
    "      term_years: 3\n"
    "      annual_frame: 400000\n"
    "      frame_overflow: forfeited\n";

/* A scenario of the test's text with overrides "PATH=VALUE" (sets[n]). */
static sr_scenario *load(const char *const *sets, size_t n)
{
    sr_override ov[8];
    sr_error err = {0};
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(sr_override_parse(sets[i], &ov[i], &err), 0, "%s", err.msg);
    sr_scenario *sc = sr_scenario_load_text("resettle.yaml", scenario, strlen(scenario), ov, n,
                                            &err);
    for (size_t i = 0; i < n; i++)
        sr_override_clear(&ov[i]);
    cr_assert_not_null(sc, "%s", err.msg);
    return sc;
}

static sr_resultset *run(const sr_model *m, int threads, bool keep)
{
    sr_error err = {0};
    sr_run_options o = {.threads = threads, .keep_records = keep};
    sr_resultset *rs = sr_run(m, NULL, &o, &err);
    cr_assert_not_null(rs, "run failed: %s", err.msg);
    cr_assert(!keep || rs->records != NULL);
    return rs;
}

/* Every figure of level a equals level b's to the bit (NaN included). */
static void expect_level_equal(const sr_level *a, const sr_level *b, size_t n, size_t years,
                               const char *what, const char *level)
{
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        const double *x = sr_level_trials(a, n, (sr_metric)k);
        const double *y = sr_level_trials(b, n, (sr_metric)k);
        for (size_t i = 0; i < n; i++)
            cr_assert(memcmp(&x[i], &y[i], sizeof x[i]) == 0,
                      "%s: %s %s trial %zu: settled again %.17g, run %.17g", what, level,
                      sr_metrics[k].name, i, x[i], y[i]);
        cr_assert(memcmp(&a->deterministic[k], &b->deterministic[k], sizeof(double)) == 0,
                  "%s: %s %s deterministic: settled again %.17g, run %.17g", what, level,
                  sr_metrics[k].name, a->deterministic[k], b->deterministic[k]);
        if (!sr_metric_is((sr_metric)k, SR_METRIC_ANNUAL))
            continue;
        for (size_t i = 0; i < n; i++)
            cr_assert(memcmp(sr_level_annual(a, n, years, (sr_metric)k, i),
                             sr_level_annual(b, n, years, (sr_metric)k, i),
                             years * sizeof(double)) == 0,
                      "%s: %s annual %s of trial %zu differ", what, level, sr_metrics[k].name,
                      i);
    }
}

static void expect_equal(const sr_resultset *a, const sr_resultset *b, const char *what)
{
    cr_assert_eq(a->n_trials, b->n_trials);
    cr_assert_eq(a->n_years, b->n_years);
    expect_level_equal(&a->portfolio, &b->portfolio, a->n_trials, a->n_years, what,
                       "portfolio");
    for (size_t p = 0; p < a->n_programmes; p++)
        expect_level_equal(&a->programme[p], &b->programme[p], a->n_trials, a->n_years, what,
                           a->programme_names[p]);
}

/* Changes of one term or two (n_terms), and the --sets that make the same scenario. */
typedef struct {
    sr_term terms[2];
    size_t n_terms;
    const char *sets[3];
} change;

static const change changes[] = {
    {{{SR_TERM_PRICE, 0, 1, 75000}}, 1, {"programmes[0].contract.outcomes[1].price=75000"}},
    {{{SR_TERM_PRICE_SCALE, 0, 0, 1.75}},
     1,
     {"programmes[0].contract.outcomes[0].price=262500",
      "programmes[0].contract.outcomes[1].price=175000"}},
    {{{SR_TERM_CAP_TOTAL, 0, 0, 5500000}}, 1, {"programmes[0].contract.cap_total=5500000"}},
    {{{SR_TERM_ANNUAL_FRAME, 0, 0, 1200000}},
     1,
     {"programmes[0].contract.annual_frame=1200000"}},
    {{{SR_TERM_FIRST_LOSS, 0, 0, 0.6}}, 1, {"programmes[0].financing.guarantee.first_loss=0.6"}},
    {{{SR_TERM_CAP_IRR, 0, 0, 0.02}}, 1, {"programmes[0].financing.surplus.cap_irr=0.02"}},
    {{{SR_TERM_SHARE, 1, 0, 0.85}}, 1, {"programmes[1].contract.share=0.85"}},
    {{{SR_TERM_ANNUAL_FRAME, 1, 0, 150000}}, 1, {"programmes[1].contract.annual_frame=150000"}},
    {{{SR_TERM_CAP_TOTAL, 1, 0, 500000}}, 1, {"programmes[1].contract.cap_total=500000"}},
    {{{SR_TERM_FIRST_LOSS, 1, 0, 0.4}}, 1, {"programmes[1].financing.guarantee.first_loss=0.4"}},
    {{{SR_TERM_CAP_IRR, 1, 0, -0.05}}, 1, {"programmes[1].financing.surplus.cap_irr=-0.05"}},
    {{{SR_TERM_PRICE_SCALE, 0, 0, 0.5}, {SR_TERM_CAP_TOTAL, 0, 0, 2000000}},
     2,
     {"programmes[0].contract.outcomes[0].price=75000",
      "programmes[0].contract.outcomes[1].price=50000",
      "programmes[0].contract.cap_total=2000000"}},
    {{{SR_TERM_SHARE, 1, 0, 0.1}, {SR_TERM_PRICE, 0, 0, 90000}},
     2,
     {"programmes[1].contract.share=0.1", "programmes[0].contract.outcomes[0].price=90000"}},
};

Test(resettle, a_trial_settled_again_is_the_run_with_the_term_set_bit_for_bit, .timeout = 240)
{
    sr_scenario *base_sc = load(NULL, 0);
    const sr_model *m = base_sc->model;
    /* The scenario must exercise what the financing clauses do. */
    sr_resultset *plain = run(m, 1, false);
    size_t capped_irr = 0, guaranteed = 0;
    for (size_t i = 0; i < plain->n_trials; i++) {
        const sr_level *l = &plain->programme[0];
        capped_irr += sr_level_trials(l, plain->n_trials, SR_M_REINVESTED)[i] > 0.0;
        guaranteed += sr_level_trials(l, plain->n_trials, SR_M_GUARANTOR_PAID)[i] > 0.0;
    }
    cr_assert(guaranteed > 0 && capped_irr > 0,
              "the clauses act: guarantee in %zu trials, surplus cap in %zu", guaranteed,
              capped_irr);

    /* No change: the run itself, whatever the threads. */
    sr_resultset *kept = run(m, 2, true);
    expect_equal(kept, plain, "kept records");
    sr_resettle *r = sr_resettle_alloc(m, kept, 2);
    cr_assert_not_null(r);
    sr_resettle_all(r, (sr_changes){NULL, 0}, kept);
    expect_equal(kept, plain, "no change");

    for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++) {
        const change *ch = &changes[c];
        size_t n_sets = 0;
        while (n_sets < 3 && ch->sets[n_sets] != NULL)
            n_sets++;
        sr_scenario *set_sc = load(ch->sets, n_sets);
        sr_resultset *want = run(set_sc->model, 1, false);
        sr_resultset *got = run(m, 2, true);
        sr_resettle *rc = sr_resettle_alloc(m, got, 2);
        cr_assert_not_null(rc);
        sr_resettle_all(rc, (sr_changes){ch->terms, ch->n_terms}, got);
        expect_equal(got, want, ch->sets[0]);
        /* The columns of one figure, in parts, are the same numbers. */
        const size_t n = got->n_trials, half = n / 2;
        double *column = malloc(n * sizeof *column);
        double *parts[1] = {column};
        const sr_resettle_pick pick = {1 + ch->terms[0].programme, SR_M_INVESTOR_NPV};
        sr_resettle_columns(rc, (sr_changes){ch->terms, ch->n_terms}, 0, half, &pick, 1, parts);
        parts[0] = column + half;
        sr_resettle_columns(rc, (sr_changes){ch->terms, ch->n_terms}, half, n, &pick, 1, parts);
        const double *npv = sr_level_trials(&want->programme[ch->terms[0].programme], n,
                                            SR_M_INVESTOR_NPV);
        cr_assert(memcmp(column, npv, n * sizeof *column) == 0, "%s: columns", ch->sets[0]);
        free(column);
        sr_resettle_free(rc);
        sr_resultset_free(got);
        sr_resultset_free(want);
        sr_scenario_free(set_sc);
    }
    sr_resettle_free(r);
    sr_resultset_free(kept);
    sr_resultset_free(plain);
    sr_scenario_free(base_sc);
}

/* A higher share pays more and leaves the paying budget less, in every trial (a larger
 * amount due is never paid later nor less, frames and cancellation notwithstanding). */
Test(resettle, a_higher_share_pays_more_and_leaves_the_payer_less_in_every_trial,
     .timeout = 120)
{
    sr_scenario *sc = load(NULL, 0);
    const sr_model *m = sc->model;
    sr_resultset *base = run(m, 2, true);
    sr_resettle *r = sr_resettle_alloc(m, base, 2);
    const size_t n = base->n_trials;
    enum { SHARES = 5 };
    const double shares[SHARES] = {0.0, 0.2, 0.4, 0.7, 1.0};
    double *payments[SHARES], *net[SHARES];
    for (size_t s = 0; s < SHARES; s++) {
        payments[s] = malloc(n * sizeof(double));
        net[s] = malloc(n * sizeof(double));
        const sr_term t = {SR_TERM_SHARE, 1, 0, shares[s]};
        const sr_resettle_pick picks[2] = {{2, SR_M_PAYMENTS}, {2, SR_M_PAYER_NET_SIB}};
        double *cols[2] = {payments[s], net[s]};
        sr_resettle_columns(r, (sr_changes){&t, 1}, 0, n, picks, 2, cols);
    }
    size_t rises = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(payments[0][i], 0.0, "a share of 0 pays nothing (trial %zu)", i);
        for (size_t s = 1; s < SHARES; s++) {
            cr_assert(payments[s][i] >= payments[s - 1][i],
                      "trial %zu: share %g pays %.17g, share %g %.17g", i, shares[s],
                      payments[s][i], shares[s - 1], payments[s - 1][i]);
            cr_assert(net[s][i] <= net[s - 1][i], "trial %zu: net rises with the share", i);
            rises += payments[s][i] > payments[s - 1][i];
        }
    }
    cr_assert(rises > n, "payments rise with the share in most steps (%zu of %zu)", rises,
              (SHARES - 1) * n);
    for (size_t s = 0; s < SHARES; s++) {
        free(payments[s]);
        free(net[s]);
    }
    sr_resettle_free(r);
    sr_resultset_free(base);
    sr_scenario_free(sc);
}
