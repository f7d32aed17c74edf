/* Programmes (sim/scenario/scenario_programme.c): cohorts and their intake, interventions,
 * contracts and their baselines, financing. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "scenario_cases.h"

Test(scenario, sizes_strata_by_largest_remainder_and_spreads_intake_evenly)
{
    sr_model *m = sr_test_model(spec_example);
    const sr_programme *p = &m->programmes[0];
    cr_assert_eq(m->n_strata, 2);
    cr_assert_eq(p->size, 1000);
    /* 1000 x 0.3 = 300, 1000 x 0.7 = 700. */
    cr_assert_eq(intake_sum(m, p->intake, 0), 300);
    cr_assert_eq(intake_sum(m, p->intake, 1), 700);
    /* 300 over 24 months: 12 each, the first 300 mod 24 = 12 months one more. */
    for (size_t t = 0; t < 24; t++)
        cr_assert_eq(p->intake[t], t < 12 ? 13u : 12u, "on_benefits month %zu", t);
    /* 700 over 24: 29 each, the first 700 mod 24 = 4 months one more. */
    for (size_t t = 0; t < 24; t++)
        cr_assert_eq(p->intake[m->n_months + t], t < 4 ? 30u : 29u, "not_on_benefits month %zu", t);
    for (size_t t = 24; t < m->n_months; t++)
        cr_assert_eq(p->intake[t] + p->intake[m->n_months + t], 0);
    cr_assert_eq(p->initial_state, 0);
    cr_assert_eq(p->initial_tenure, 24);
    /* The control group of 500: 150 and 350, spread over the same 24 months. */
    cr_assert_not_null(p->control_intake);
    cr_assert_eq(intake_sum(m, p->control_intake, 0), 150);
    cr_assert_eq(intake_sum(m, p->control_intake, 1), 350);
    for (size_t t = 0; t < 24; t++)
        cr_assert_eq(p->control_intake[t], t < 6 ? 7u : 6u);
    sr_model_free(m);
}

Test(intake, per_year_keeps_each_year_and_splits_it_over_strata)
{
    sr_model *m = sr_test_model(
        "name: t\n"
        "simulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 3}\n"
        "discount: {public: 0.03, investor: 0.05}\n"
        "states: [{name: out}, {name: job}]\n"
        "strata: [{name: a, share: 0.5}, {name: b, share: 0.5}]\n"
        "programmes:\n"
        "  - name: p\n"
        "    cohort: {size: 31, intake: {per_year: {2027: 13, 2029: 18}}, initial_state: out}\n"
        "    contract: {payer: state, type: savings_share, share: 0.4, term_years: 1,\n"
        "               baseline: {method: control_group, size: 10}}\n");
    const sr_programme *p = &m->programmes[0];
    size_t T = m->n_months;
    /* 2027: 13 -> a 7, b 6 (tie to the lower index); 7 over 12 months: 1 x 7 then 0. */
    for (size_t t = 0; t < 12; t++) {
        cr_assert_eq(p->intake[t], t < 7 ? 1u : 0u);
        cr_assert_eq(p->intake[T + t], t < 6 ? 1u : 0u);
        cr_assert_eq(p->intake[12 + t] + p->intake[T + 12 + t], 0, "nobody in 2028");
    }
    /* 2029: 18 -> 9 and 9; 9 over 12 months. */
    for (size_t t = 0; t < 12; t++) {
        cr_assert_eq(p->intake[24 + t], t < 9 ? 1u : 0u);
        cr_assert_eq(p->intake[T + 24 + t], t < 9 ? 1u : 0u);
    }
    cr_assert_eq(intake_sum(m, p->intake, 0) + intake_sum(m, p->intake, 1), 31);
    /* Control of 10: years 10 x 13/31 = 4.19 and 10 x 18/31 = 5.81 -> 4 and 6; then 2+2 and
     * 3+3 over the strata. */
    unsigned y27 = 0, y29 = 0;
    for (size_t k = 0; k < 2; k++)
        for (size_t t = 0; t < 12; t++) {
            y27 += p->control_intake[k * T + t];
            y29 += p->control_intake[k * T + 24 + t];
        }
    cr_assert_eq(y27, 4);
    cr_assert_eq(y29, 6);
    cr_assert_eq(intake_sum(m, p->control_intake, 0), 5);
    cr_assert_eq(intake_sum(m, p->control_intake, 1), 5);
    sr_model_free(m);
}

Test(programmes, rejects_intake_outside_the_simulation)
{
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {start: 2026-12, months: 2}, initial_state: out}\n",
                "x.yaml:8:40: programmes[0].cohort.intake.start: enrols in 2026-12 .. 2027-01, which must "
                "lie within the simulation 2027-01 .. 2028-12, got 2026-12");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {start: 2028-06, months: 8}, initial_state: out}\n",
                "x.yaml:8:57: programmes[0].cohort.intake.months: enrols in 2028-06 .. 2029-01, which must "
                "lie within the simulation 2027-01 .. 2028-12, got 8");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {per_year: {2027: 5, 2029: 5}}, initial_state: out}\n",
                "x.yaml:8:53: programmes[0].cohort.intake.per_year.2029: enrols in 2029-01 .. 2029-12");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {per_year: {2027: 5, 2028: 4}}, initial_state: out}\n",
                "x.yaml:8:43: programmes[0].cohort.intake.per_year: the yearly counts must sum to "
                "cohort.size (10), got a sum of 9");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {per_year: {2027: 10}, start: 2027-01}, initial_state: out}\n",
                "x.yaml:8:43: programmes[0].cohort.intake.per_year: give either start and months, or per_year");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {start: 2027-01}, initial_state: out}\n",
                "x.yaml:8:32: programmes[0].cohort.intake.months: is required with start, got nothing");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {per_year: {twenty: 10}}, initial_state: out}\n",
                "x.yaml:8:44: programmes[0].cohort.intake.per_year.twenty: must be a calendar year such as 2027");
    /* A year with nobody enrolling may lie anywhere. */
    sr_model *m = sr_test_model(PROGRAMME_HEAD
        "    cohort: {size: 10, intake: {per_year: {2027: 10, 2030: 0}}, initial_state: out}\n");
    cr_assert_eq(intake_sum(m, m->programmes[0].intake, 0), 10);
    sr_model_free(m);
}

Test(programmes, rejects_bad_cohorts_and_names)
{
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: gone}\n",
                "x.yaml:8:76: programmes[0].cohort.initial_state: is absorbing: an enrolee would never move, got gone");
    expect_fail(PROGRAMME_HEAD "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: nowhere}\n",
                "x.yaml:8:76: programmes[0].cohort.initial_state: undefined state (see states:), got nowhere");
    expect_fail(BASE "programmes: []\n", "x.yaml:6:13: programmes: must list at least one programme, got []");
    expect_fail(BASE "programmes:\n"
                "  - {name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}}\n"
                "  - {name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}}\n",
                "x.yaml:8:12: programmes[1].name: duplicate programme name (first at line 7, column 12), got p");
    sr_scenario *sc = sr_test_scenario(PROGRAMME_HEAD
        "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out, initial_tenure: 5}\n");
    sr_model *m = sc->model;
    cr_assert_eq(m->programmes[0].initial_tenure, 5);
    cr_assert_str_eq(sc->notes, "programmes[0].cohort.initial_tenure 5 is capped at the tenure_max (3) of state out");
    cr_assert(!m->programmes[0].has_intervention && !m->programmes[0].has_contract);
    cr_assert_null(m->programmes[0].control_intake);
    for (size_t s = 0; s < m->n_states; s++)
        cr_assert(m->programmes[0].while_in[s]);
    sr_scenario_free(sc);
}

Test(programmes, reads_an_intervention)
{
    sr_model *m = sr_test_model(PROGRAMME_HEAD COHORT
        "    intervention:\n"
        "      effect: {transitions: [out->job], hazard_ratio: 1.5, months: 12,\n"
        "               scale: {reference_size: 100, elasticity: 0.2}}\n"
        "      costs: {per_participant: 1000, while_in: [out]}\n");
    const sr_programme *p = &m->programmes[0];
    cr_assert(p->has_intervention && p->has_scale);
    cr_assert(p->effect_on[0]);
    cr_assert_float_eq(num(m, p->hazard_ratio), 1.5, 0);
    cr_assert_eq(p->effect_months, 12);
    cr_assert_eq(p->fade_months, 0);
    cr_assert_float_eq(num(m, p->scale_reference_size), 100, 0);
    cr_assert_float_eq(num(m, p->scale_elasticity), 0.2, 0);
    cr_assert_float_eq(num(m, p->cost_per_participant), 1000, 0);
    cr_assert_float_eq(num(m, p->cost_fixed_per_year), 0, 0);
    cr_assert(p->while_in[0] && !p->while_in[1] && !p->while_in[2]);
    sr_model_free(m);
}

Test(programmes, rejects_bad_interventions)
{
#define IV(x) PROGRAMME_HEAD COHORT "    intervention: " x "\n"
    expect_fail(IV("{effect: {transitions: [out->gone], hazard_ratio: 1.5, months: 12}}"),
                "x.yaml:9:43: programmes[0].intervention.effect.transitions[0]: undefined transition "
                "(no transition from out to gone), got out->gone");
    expect_fail(IV("{effect: {transitions: [out->job, out->job], hazard_ratio: 1.5, months: 12}}"),
                "x.yaml:9:53: programmes[0].intervention.effect.transitions[1]: names the same transition twice");
    expect_fail(IV("{effect: {transitions: [out->job], hazard_ratio: -1, months: 12}}"),
                "x.yaml:9:68: programmes[0].intervention.effect.hazard_ratio: must be a number >= 0, got -1");
    expect_fail(IV("{effect: {transitions: [out->job], hazard_ratio: 1, months: 0}}"),
                "x.yaml:9:79: programmes[0].intervention.effect.months: must be an integer in [1, 1200], got 0");
    expect_fail(IV("{costs: {per_participant: 10}}"),
                "x.yaml:9:19: programmes[0].intervention.effect: is required, got nothing");
    expect_fail(IV("{effect: {transitions: [out->job], hazard_ratio: 1, months: 1}, costs: {per_participant: -10}}"),
                "x.yaml:9:108: programmes[0].intervention.costs.per_participant: must be a number >= 0, got -10");
    expect_fail(IV("{effect: {transitions: [out->job], hazard_ratio: 1, months: 1}, costs: {while_in: [out, out]}}"),
                "x.yaml:9:107: programmes[0].intervention.costs.while_in[1]: names the same state twice, got out");
#undef IV
}

Test(contracts, reads_a_rate_card_with_a_historical_baseline)
{
    sr_scenario *sc = sr_test_scenario(PROGRAMME_HEAD COHORT
        "    contract:\n"
        "      payer: state\n"
        "      type: rate_card\n"
        "      outcomes: [{name: job0, state: job, tenure: 0, price: 10000},\n"
        "                 {name: out3, state: out, tenure: 3, price: {dist: uniform, min: 1, max: 2}}]\n"
        "      baseline: {method: historical, rates: {job0: 0.2, out3: 0.1}}\n"
        "      term_years: 1\n"
        "      termination: {hazard_per_year: 0.1, shared: true}\n"
        "      frame_overflow: forfeited\n");
    sr_model *m = sc->model;
    const sr_contract *c = &m->programmes[0].contract;
    cr_assert_eq(c->payer, SR_STATE);
    cr_assert_eq(c->type, SR_CONTRACT_RATE_CARD);
    cr_assert_eq(c->n_outcomes, 2);
    cr_assert_str_eq(c->outcomes[1].name, "out3");
    cr_assert_eq(c->outcomes[1].state, 0);
    cr_assert_eq(c->outcomes[1].tenure, 3);
    cr_assert_eq(m->num[c->outcomes[1].price].kind, SR_DIST_UNIFORM);
    cr_assert_float_eq(num(m, c->outcomes[0].historical_rate), 0.2, 0);
    cr_assert_eq(c->baseline, SR_BASELINE_HISTORICAL);
    cr_assert_eq(c->term_months, 12);
    cr_assert(c->has_termination && c->termination_shared);
    cr_assert(!c->has_cap_total && !c->has_annual_frame);
    cr_assert_str_eq(sc->notes, "programmes[0].contract.frame_overflow is ignored: there is no annual_frame");
    sr_scenario_free(sc);
}

Test(contracts, rejects_bad_contracts)
{
#define CT(x) PROGRAMME_HEAD COHORT "    contract: {payer: municipality, " x "}\n"
    expect_fail(CT("type: rate_card, outcomes: [{name: o, state: out, tenure: 4, price: 1}], term_years: 1"),
                "x.yaml:9:95: programmes[0].contract.outcomes[0].tenure: is above the tenure_max (3) of state out, got 4");
    expect_fail(CT("type: rate_card, outcomes: [{name: o, state: job, tenure: 0, price: 1}, {name: o, state: job, tenure: 0, price: 1}], term_years: 1"),
                "x.yaml:9:116: programmes[0].contract.outcomes[1].name: duplicate outcome name (first at line 9, column 72), got o");
    expect_fail(CT("type: rate_card, term_years: 1"),
                "x.yaml:9:15: programmes[0].contract.outcomes: is required for a rate_card contract, got nothing");
    expect_fail(CT("type: savings_share, term_years: 1"),
                "x.yaml:9:15: programmes[0].contract.share: is required for a savings_share contract, got nothing");
    expect_fail(CT("type: savings_share, share: 1.5, term_years: 1"),
                "x.yaml:9:65: programmes[0].contract.share: must be a number in [0, 1], got 1.5");
    /* Two years from 2027-01 end with the horizon: fine; three do not. */
    expect_fail(CT("type: savings_share, share: 0.5, term_years: 3"),
                "x.yaml:9:82: programmes[0].contract.term_years: runs 2027-01 .. 2029-12 from the first "
                "intake month, past the horizon (2028-12), got 3");
    expect_fail(CT("type: rate_card, outcomes: [{name: o, state: job, tenure: 0, price: 1}], term_years: 1, baseline: {method: historical}"),
                "x.yaml:9:135: programmes[0].contract.baseline.rates: is required for a rate_card contract "
                "with baseline historical, got nothing");
    expect_fail(CT("type: rate_card, outcomes: [{name: o, state: job, tenure: 0, price: 1}], term_years: 1, baseline: {method: historical, rates: {p: 0.1}}"),
                "x.yaml:9:164: programmes[0].contract.baseline.rates.p: undefined outcome (see contract.outcomes), got p");
    expect_fail(CT("type: savings_share, share: 0.5, term_years: 1, baseline: {method: historical}"),
                "x.yaml:9:95: programmes[0].contract.baseline.expenditure_per_person_month: is required for a "
                "savings_share contract with baseline historical, got nothing");
    expect_fail(CT("type: savings_share, share: 0.5, term_years: 1, baseline: {method: control_group}"),
                "x.yaml:9:95: programmes[0].contract.baseline.size: is required for baseline control_group, got nothing");
    expect_fail(CT("type: savings_share, share: 0.5, term_years: 1, payer2: x"),
                "x.yaml:9:85: programmes[0].contract.payer2: unknown key");
    expect_fail(CT("type: invoice, term_years: 1"),
                "x.yaml:9:43: programmes[0].contract.type: must be rate_card or savings_share, got invoice");
#undef CT
}

Test(contracts, notes_keys_of_the_type_not_selected)
{
    sr_scenario *sc = sr_test_scenario(PROGRAMME_HEAD COHORT
        "    contract: {payer: municipality, type: savings_share, share: 0.5, term_years: 1,\n"
        "               outcomes: [{name: o, state: job, tenure: 0, price: 1}],\n"
        "               baseline: {method: none, size: 50}}\n"
        "    financing: {guarantee: {first_loss: 0.5}}\n");
    sr_model *m = sc->model;
    cr_assert_str_eq(sc->notes, "programmes[0].contract.outcomes is ignored: the contract type is savings_share\n"
                               "programmes[0].contract.baseline.size is ignored: baseline.method is none");
    cr_assert_eq(m->programmes[0].contract.n_outcomes, 0);
    cr_assert_null(m->programmes[0].control_intake);
    cr_assert(m->programmes[0].financing.has_guarantee);
    sr_scenario_free(sc);
    sc = sr_test_scenario(PROGRAMME_HEAD COHORT "    financing: {surplus: {cap_irr: 0.1}}\n");
    m = sc->model;
    cr_assert_str_eq(sc->notes, "programmes[0].financing is ignored: the programme has no contract");
    cr_assert(!m->programmes[0].financing.has_surplus_cap);
    sr_scenario_free(sc);
    expect_fail(PROGRAMME_HEAD COHORT "    financing: {guarantee: {first_loss: 1.2}}\n",
                "x.yaml:9:41: programmes[0].financing.guarantee.first_loss: must be a number in [0, 1], got 1.2");
}
