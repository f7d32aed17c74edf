/* Contracts through the whole engine (docs/model.md, 5): hand-computable cases with
 * deterministic settings (discount 0, no parameter uncertainty), clauses that must hold in
 * every trial, clause-by-clause comparisons on the same random numbers, and the
 * measurement's bias and noise against the truth. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/layout.h"
#include "sim/engine/rates.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "support.h"

#define Z_TOL 4.5

/* A cohort with job churn, an intervention, and a contract filled in by each test:
 * {contract} and {financing} are replaced. Discount 0: present values are nominal sums. */
static const char *base =
    "name: contract\n"
    "simulation: {trials: 400, seed: 11, start: 2027-01, horizon_years: 5}\n"
    "discount: {public: 0, investor: 0}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.03}\n"
    "  - {from: employed, to: outside, hazard: 0.08, by_tenure: [[0, 1], [6, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 600, intake: {start: 2027-01, months: 12}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.8, months: 12}\n"
    "      costs: {per_participant: 20000}\n"
    "    contract:\n"
    "%s"
    "%s";

static sr_model *model_with(const char *contract, const char *financing)
{
    char text[8192];
    snprintf(text, sizeof text, base, contract, financing);
    return sr_test_model(text);
}

/* Runs m on two threads. */
static sr_resultset *run(const sr_model *m)
{
    return sr_test_run_model(m, 2);
}

static const double *col(const sr_resultset *rs, sr_metric k)
{
    return sr_level_trials(&rs->programme[0], rs->n_trials, k);
}

Test(contract, payments_are_price_times_outcomes)
{
    sr_model *m = model_with("      payer: municipality\n      type: rate_card\n"
                             "      outcomes: [{name: job, state: employed, tenure: 0, price: 2500}]\n"
                             "      baseline: {method: none}\n      term_years: 3\n",
                             "");
    sr_resultset *rs = run(m);
    const double *pay = col(rs, SR_M_PAYMENTS), *outcomes = col(rs, SR_M_OUTCOMES_TREATED);
    const double *paid = col(rs, SR_M_OUTCOMES_PAID);
    double total = 0.0;
    for (size_t i = 0; i < rs->n_trials; i++) {
        cr_assert_float_eq(pay[i], 2500.0 * outcomes[i], 1e-6, "trial %zu", i);
        cr_assert_eq(paid[i], outcomes[i], "baseline none: every achievement is paid");
        total += outcomes[i];
    }
    cr_expect_gt(total, 100.0 * rs->n_trials, "the cohort finds jobs");
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Frames and caps hold in every trial, and deferring pays at least what forfeiting pays
 * on the same random numbers (the arms do not depend on the clauses). */
Test(contract, frames_and_caps_hold_and_deferring_never_pays_less)
{
    const char *clauses =
        "      payer: municipality\n      type: rate_card\n"
        "      outcomes: [{name: job6, state: employed, tenure: 6, price: 30000}]\n"
        "      baseline: {method: none}\n      term_years: 3\n"
        "      cap_total: 3000000\n      annual_frame: 1000000\n      lag_months: 2\n"
        "      frame_overflow: %s\n";
    char deferred[1024], forfeited[1024];
    snprintf(deferred, sizeof deferred, clauses, "deferred");
    snprintf(forfeited, sizeof forfeited, clauses, "forfeited");
    sr_model *md = model_with(deferred, ""), *mf = model_with(forfeited, "");
    sr_resultset *d = run(md), *f = run(mf);
    size_t more = 0;
    for (size_t i = 0; i < d->n_trials; i++) {
        double pd = col(d, SR_M_PAYMENTS)[i], pf = col(f, SR_M_PAYMENTS)[i];
        cr_assert_leq(pd, 3000000.0 + 1e-6, "cap, trial %zu", i);
        cr_assert_leq(pf, 3000000.0 + 1e-6, "cap, trial %zu", i);
        cr_assert_geq(pd, pf - 1e-6, "trial %zu: deferred %g < forfeited %g", i, pd, pf);
        cr_assert_eq(col(d, SR_M_OUTCOMES_TREATED)[i], col(f, SR_M_OUTCOMES_TREATED)[i]);
        /* One outcome: what was paid for is payments / price, frames and cap included. */
        cr_assert_float_eq(col(d, SR_M_OUTCOMES_PAID)[i] * 30000.0, pd, 1e-6 * fmax(1.0, pd),
                           "trial %zu", i);
        more += pd > pf + 1.0;
        /* The frame: no calendar year pays more than one settlement's worth. */
        const double *years = sr_level_annual(&d->programme[0], d->n_trials, d->n_years,
                                              SR_M_PAYMENTS, i);
        for (size_t y = 0; y < d->n_years; y++)
            cr_assert_leq(years[y], 1000000.0 + 1e-6, "frame, trial %zu year %zu", i, y);
    }
    cr_expect_gt(more, 0, "the frame binds in some trials");
    sr_resultset_free(d);
    sr_resultset_free(f);
    sr_model_free(md);
    sr_model_free(mf);
}

/* With a share of savings measured against the counterfactual (a perfect measurement),
 * no frame or cap and no lag, what is paid is share x cumulative savings over the term
 * whenever the cumulative savings never fell from one budget year to the next. */
Test(contract, savings_share_pays_share_of_cumulative_savings_when_they_only_grow)
{
    sr_model *m = model_with("      payer: municipality\n      type: savings_share\n"
                             "      share: 0.4\n      baseline: {method: none}\n"
                             "      term_years: 3\n",
                             "");
    sr_resultset *rs = run(m);
    size_t checked = 0;
    for (size_t i = 0; i < rs->n_trials; i++) {
        const double *years = sr_level_annual(&rs->programme[0], rs->n_trials, rs->n_years,
                                              SR_M_SAVINGS_MUNICIPALITY, i);
        double cumulative = 0.0, previous = 0.0;
        bool grows = true;
        for (size_t y = 0; y < 3; y++) {
            cumulative += years[y];
            grows = grows && cumulative >= previous && cumulative >= 0.0;
            previous = cumulative;
        }
        /* Against the counterfactual the measurement is perfect. */
        cr_assert_float_eq(col(rs, SR_M_EFFECT_MEASURED)[i], col(rs, SR_M_EFFECT_TRUE)[i],
                           1e-9 * fmax(1.0, fabs(col(rs, SR_M_EFFECT_TRUE)[i])), "trial %zu", i);
        if (!grows)
            continue;
        checked++;
        cr_assert_float_eq(col(rs, SR_M_PAYMENTS)[i], 0.4 * cumulative,
                           1e-6 * fmax(1.0, cumulative), "trial %zu", i);
    }
    cr_expect_gt(checked, rs->n_trials / 2, "most trials have growing savings");
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Guarantee floors and surplus caps hold in every trial. */
Test(contract, guarantee_floors_and_surplus_caps_hold_in_every_trial)
{
    const char *contract = "      payer: municipality\n      type: rate_card\n"
                           "      outcomes: [{name: job, state: employed, tenure: 0, price: %s}]\n"
                           "      baseline: {method: none}\n      term_years: 3\n";
    const char *financing = "    financing: {guarantee: {first_loss: 0.25}, surplus: {cap_irr: 0.05}}\n";
    const char *prices[] = {"8000", "60000"};   /* investors lose; investors gain */
    for (size_t k = 0; k < 2; k++) {
        char c[1024];
        snprintf(c, sizeof c, contract, prices[k]);
        sr_model *m = model_with(c, financing);
        sr_resultset *rs = run(m);
        size_t guaranteed = 0, capped = 0;
        for (size_t i = 0; i < rs->n_trials; i++) {
            double moic = col(rs, SR_M_INVESTOR_MOIC)[i], irr = col(rs, SR_M_INVESTOR_IRR)[i];
            /* First loss: the guarantor pays min(loss, f x paid); discount 0, so the
             * programme cost is what investors paid in. */
            double paid = col(rs, SR_M_PROGRAMME_COST)[i], g = col(rs, SR_M_GUARANTOR_PAID)[i];
            double before = moic * paid - g;
            cr_assert_float_eq(g, fmin(fmax(0.0, paid - before), 0.25 * paid), 1e-6 * paid,
                               "trial %zu: guarantee %g, paid %g, received %g", i, g, paid, before);
            cr_assert_geq(moic, 0.25 - 1e-12, "trial %zu: guarantee floor, moic %g", i, moic);
            cr_assert(isnan(irr) || irr <= 0.05 + 1e-9, "trial %zu: irr %g above the cap", i, irr);
            guaranteed += col(rs, SR_M_GUARANTOR_PAID)[i] > 0.0;
            capped += col(rs, SR_M_REINVESTED)[i] > 0.0;
            cr_assert_eq(col(rs, SR_M_INVESTOR_LOSS)[i], moic < 1.0);
        }
        cr_expect_gt(k == 0 ? guaranteed : capped, 0, "the clause binds (price %s)", prices[k]);
        sr_resultset_free(rs);
        sr_model_free(m);
    }
}

/* A control group's measurement is unbiased for the true effect and noisier than it. */
Test(contract, control_group_measurement_is_unbiased_and_noisier)
{
    sr_model *m = model_with("      payer: municipality\n      type: rate_card\n"
                             "      outcomes: [{name: job6, state: employed, tenure: 6, price: 1000}]\n"
                             "      baseline: {method: control_group, size: 300}\n"
                             "      term_years: 4\n",
                             "");
    m->trials = 3000;
    sr_resultset *rs = run(m);
    const size_t n = rs->n_trials;
    const double *truth = col(rs, SR_M_EFFECT_TRUE), *measured = col(rs, SR_M_EFFECT_MEASURED);
    double mt = 0, mm = 0, vt = 0, vm = 0, vd = 0;
    for (size_t i = 0; i < n; i++) {
        mt += truth[i] / n;
        mm += measured[i] / n;
    }
    for (size_t i = 0; i < n; i++) {
        vt += (truth[i] - mt) * (truth[i] - mt) / (n - 1);
        vm += (measured[i] - mm) * (measured[i] - mm) / (n - 1);
        double d = measured[i] - truth[i] - (mm - mt);
        vd += d * d / (n - 1);
    }
    /* The mean difference, measured - true, has standard error sqrt(var(difference) / n). */
    cr_expect(fabs(mm - mt) <= Z_TOL * sqrt(vd / n), "bias %g, se %g", mm - mt, sqrt(vd / n));
    cr_expect_gt(vm, vt, "measured variance %g, true %g", vm, vt);
    cr_expect_gt(mt, 0.0);
    double power = 0.0;
    for (size_t i = 0; i < n; i++)
        power += col(rs, SR_M_EVALUATION_SIGNIFICANT)[i] / n;
    cr_expect(power > 0.0 && power < 1.0, "power %g", power);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Termination stops enrolment, costs and payments: with a certain early cancellation the
 * programme costs less and pays less than without. */
Test(contract, termination_stops_enrolment_costs_and_payments)
{
    const char *c = "      payer: municipality\n      type: rate_card\n"
                    "      outcomes: [{name: job, state: employed, tenure: 0, price: 5000}]\n"
                    "      baseline: {method: none}\n      term_years: 3\n%s";
    char on[1024], off[1024];
    snprintf(on, sizeof on, c, "      termination: {hazard_per_year: 40}\n");
    snprintf(off, sizeof off, c, "");
    sr_model *mon = model_with(on, ""), *moff = model_with(off, "");
    sr_resultset *a = run(mon), *b = run(moff);
    for (size_t i = 0; i < a->n_trials; i++) {
        cr_assert_leq(col(a, SR_M_PROGRAMME_COST)[i], col(b, SR_M_PROGRAMME_COST)[i]);
        cr_assert_leq(col(a, SR_M_PAYMENTS)[i], col(b, SR_M_PAYMENTS)[i]);
    }
    /* A hazard of 40 a year cancels within a month or two: almost nobody is enrolled. */
    cr_expect_lt(col(a, SR_M_PROGRAMME_COST)[0], 0.5 * col(b, SR_M_PROGRAMME_COST)[0]);
    sr_resultset_free(a);
    sr_resultset_free(b);
    sr_model_free(mon);
    sr_model_free(moff);
}

/* A shared termination cancels every contract marked shared in the same month; separate
 * ones are drawn per programme. With costs per participant only and the same intake, two
 * programmes cost the same in a trial exactly when they stop enrolling in the same month. */
Test(contract, shared_termination_cancels_programmes_together)
{
    const char *two =
        "name: two\n"
        "simulation: {trials: 300, seed: 4, start: 2027-01, horizon_years: 3}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions: [{from: outside, to: employed, hazard: 0.05},\n"
        "              {from: employed, to: outside, hazard: 0.05}]\n"
        "programmes:\n"
        "%s%s";
    const char *prog =
        "  - name: p%d\n"
        "    cohort: {size: 240, intake: {start: 2027-01, months: 24}, initial_state: outside}\n"
        "    intervention:\n"
        "      effect: {transitions: [outside->employed], hazard_ratio: 1.5, months: 6}\n"
        "      costs: {per_participant: 1000}\n"
        "    contract:\n"
        "      payer: municipality\n      type: rate_card\n"
        "      outcomes: [{name: job, state: employed, tenure: 0, price: 100}]\n"
        "      baseline: {method: none}\n      term_years: 3\n"
        "      termination: {hazard_per_year: 0.6, shared: %s}\n";
    for (int shared = 0; shared <= 1; shared++) {
        char a[1024], b[1024], text[4096];
        snprintf(a, sizeof a, prog, 1, shared ? "true" : "false");
        snprintf(b, sizeof b, prog, 2, shared ? "true" : "false");
        snprintf(text, sizeof text, two, a, b);
        sr_model *m = sr_test_model(text);
        sr_resultset *rs = run(m);
        size_t same = 0;
        for (size_t i = 0; i < rs->n_trials; i++)
            same += sr_level_trials(&rs->programme[0], rs->n_trials, SR_M_PROGRAMME_COST)[i] ==
                    sr_level_trials(&rs->programme[1], rs->n_trials, SR_M_PROGRAMME_COST)[i];
        if (shared)
            cr_expect_eq(same, rs->n_trials, "shared: %zu of %zu trials alike", same, rs->n_trials);
        else
            cr_expect_lt(same, rs->n_trials / 2, "separate: %zu of %zu trials alike", same,
                         rs->n_trials);
        sr_resultset_free(rs);
        sr_model_free(m);
    }
}

/* Without an effect the arms are the same persons: they achieve the same outcomes, so none
 * is attributable to the programme, in every trial (both arms share every draw, also where
 * the destinations of a tenure band's leavers are drawn for the band). */
Test(contract, without_an_effect_no_outcome_is_attributable)
{
    sr_model *m = model_with("      payer: municipality\n      type: rate_card\n"
                             "      outcomes: [{name: job, state: employed, tenure: 0, price: 1000},\n"
                             "                 {name: job9, state: employed, tenure: 9, price: 3000}]\n"
                             "      baseline: {method: none}\n      term_years: 4\n",
                             "");
    m->num[m->programmes[0].hazard_ratio] = (sr_numdef){SR_DIST_FIXED, {1.0}, -1, 0};
    sr_resultset *rs = run(m);
    const double *treated = col(rs, SR_M_OUTCOMES_TREATED);
    const double *attributable = col(rs, SR_M_OUTCOMES_ATTRIBUTABLE);
    for (size_t i = 0; i < rs->n_trials; i++) {
        cr_assert_gt(treated[i], 0.0, "trial %zu: outcomes are achieved", i);
        cr_assert_eq(attributable[i], 0.0, "trial %zu: %g attributable", i, attributable[i]);
        cr_assert_eq(col(rs, SR_M_EFFECT_TRUE)[i], 0.0, "trial %zu", i);
    }
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Two programmes in two strata (sharing one layout of cells); each programme's contract
 * clauses are filled in. */
static const char *two_programmes =
    "name: levels\n"
    "simulation: {trials: 200, seed: 5, start: 2027-01, horizon_years: 4}\n"
    "discount: {public: 0, investor: 0}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 24}\n"
    "  - {name: employed, tenure_max: 24}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.05}\n"
    "  - {from: employed, to: outside, hazard: 0.08, by_tenure: [[0, 1], [6, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "strata:\n"
    "  - {name: a, share: 0.4}\n"
    "  - {name: b, share: 0.6, multiply: {outside->employed: 0.7}}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: first\n"
    "    cohort: {size: 500, intake: {start: 2027-01, months: 6}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.5, months: 6}\n"
    "      costs: {per_participant: 1000}\n"
    "    contract:\n%s"
    "  - name: second\n"
    "    cohort: {size: 300, intake: {start: 2027-03, months: 3}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.3, months: 9}\n"
    "      costs: {per_participant: 1000}\n"
    "    contract:\n%s";
static const char *share_clause = "      payer: state\n      type: savings_share\n      share: 0.3\n"
                           "      baseline: {method: none}\n      term_years: 2\n";
static const char *card_clause =
    "      payer: municipality\n      type: rate_card\n"
    "      outcomes: [{name: long_out, state: outside, tenure: 5, price: 1},\n"
    "                 {name: held, state: employed, tenure: 10, price: 1000}]\n"
    "      baseline: {method: none}\n      term_years: 3\n";

/* Two programmes in two strata share one layout of cells. Outcome tenures above every
 * breakpoint (on the first state, and above the last one of `employed`) add tenure levels
 * to it, which must move no programme's draws: every programme's paths are those of the
 * same scenario with savings shares (docs/model.md). */
Test(contract, outcome_tenures_that_add_tenure_levels_leave_every_path_unchanged)
{
    char with_card[4096], without[4096];
    snprintf(with_card, sizeof with_card, two_programmes, card_clause, share_clause);
    snprintf(without, sizeof without, two_programmes, share_clause, share_clause);
    sr_model *a = sr_test_model(with_card), *b = sr_test_model(without);
    sr_layout *la = sr_layout_alloc(a), *lb = sr_layout_alloc(b);
    cr_assert_gt(la->n_levels[0], lb->n_levels[0], "outside gains levels");
    cr_assert_gt(la->n_levels[1], lb->n_levels[1], "employed gains levels");
    sr_layout_free(la);
    sr_layout_free(lb);
    sr_resultset *ra = run(a), *rb = run(b);
    const sr_metric same[] = {SR_M_EMPLOYED_END_TREATED, SR_M_EMPLOYED_END_COUNTERFACTUAL,
                              SR_M_SAVINGS_TOTAL, SR_M_PROGRAMME_COST};
    for (size_t p = 0; p < 2; p++)
        for (size_t k = 0; k < sizeof same / sizeof *same; k++) {
            const double *x = sr_level_trials(&ra->programme[p], ra->n_trials, same[k]);
            const double *y = sr_level_trials(&rb->programme[p], rb->n_trials, same[k]);
            for (size_t i = 0; i < ra->n_trials; i++)
                cr_assert_eq(x[i], y[i], "programme %zu, %s, trial %zu", p,
                             sr_metrics[same[k]].name, i);
        }
    sr_resultset_free(ra);
    sr_resultset_free(rb);
    sr_model_free(a);
    sr_model_free(b);
}

/* A portfolio's effect is its contracted programmes' effects weighted by enrolment, where
 * they share a unit (a programme without a contract measures none); achievements and DKK
 * do not add up, so a portfolio mixing a rate card and a savings share has none (NaN). */
Test(contract, a_portfolio_effect_needs_one_unit)
{
    char text[4096];
    enum { SHARES, MIXED, ONE_CONTRACT };
    for (int c = SHARES; c <= ONE_CONTRACT; c++) {
        snprintf(text, sizeof text, two_programmes, c == MIXED ? card_clause : share_clause,
                 share_clause);
        sr_model *m = sr_test_model(text);
        m->trials = 20;
        if (c == ONE_CONTRACT)
            m->programmes[1].has_contract = false;
        sr_resultset *rs = run(m);
        for (sr_metric k = SR_M_EFFECT_TRUE; k <= SR_M_EFFECT_MEASURED; k++) {
            const double *whole = sr_level_trials(&rs->portfolio, rs->n_trials, k);
            for (size_t i = 0; i < rs->n_trials; i++) {
                double sum = 0.0, enrolled = 0.0;
                for (size_t p = 0; p < 2; p++)
                    if (m->programmes[p].has_contract) {
                        const double n = m->programmes[p].size;
                        sum += n * sr_level_trials(&rs->programme[p], rs->n_trials, k)[i];
                        enrolled += n;
                    }
                if (c == MIXED)
                    cr_assert(isnan(whole[i]), "%s, trial %zu: %g", sr_metrics[k].name, i,
                              whole[i]);
                else
                    cr_assert(fabs(whole[i] - sum / enrolled) <= 1e-9 * fabs(sum / enrolled),
                              "case %d, %s, trial %zu: %g, expected %g", c,
                              sr_metrics[k].name, i, whole[i], sum / enrolled);
            }
        }
        sr_resultset_free(rs);
        sr_model_free(m);
    }
}

/* Contract terms do not change the dynamics, so they leave the simulated paths unchanged
 * (docs/model.md): a rate card (whose outcomes split the cohort's cells by what each person has
 * achieved), a savings share and no contract give the same persons' histories. */
Test(contract, contract_terms_leave_the_paths_unchanged)
{
    const char *clauses[] = {
        "      payer: municipality\n      type: rate_card\n"
        "      outcomes: [{name: job, state: employed, tenure: 0, price: 1000},\n"
        "                 {name: job6, state: employed, tenure: 6, price: 3000}]\n"
        "      baseline: {method: control_group, size: 200}\n      term_years: 3\n",
        "      payer: state\n      type: savings_share\n      share: 0.3\n"
        "      baseline: {method: none}\n      term_years: 2\n",
    };
    sr_model *a = model_with(clauses[0], ""), *b = model_with(clauses[1], "");
    sr_model *c = model_with(clauses[1], "");
    c->programmes[0].has_contract = false;
    sr_resultset *ra = run(a), *rb = run(b), *rc = run(c);
    const sr_metric same[] = {SR_M_EMPLOYED_END_TREATED, SR_M_EMPLOYED_END_COUNTERFACTUAL,
                              SR_M_SAVINGS_TOTAL, SR_M_PROGRAMME_COST};
    for (size_t k = 0; k < sizeof same / sizeof *same; k++)
        for (size_t i = 0; i < ra->n_trials; i++) {
            cr_assert_eq(col(ra, same[k])[i], col(rb, same[k])[i], "%s, trial %zu",
                         sr_metrics[same[k]].name, i);
            cr_assert_eq(col(ra, same[k])[i], col(rc, same[k])[i], "%s, trial %zu",
                         sr_metrics[same[k]].name, i);
        }
    sr_resultset_free(ra);
    sr_resultset_free(rb);
    sr_resultset_free(rc);
    sr_model_free(a);
    sr_model_free(b);
    sr_model_free(c);
}
