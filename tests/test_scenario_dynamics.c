/* The dynamics of a scenario (sim/scenario/scenario_dynamics.c): states, transitions and
 * their from-lists, strata, cash flows and the macro model. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"

Test(scenario, expands_from_lists_into_one_transition_per_source)
{
    sr_model *m = sr_test_model(spec_example);
    /* 4 entries with one source and one with three. */
    cr_assert_eq(m->n_transitions, 7);
    long j[3] = {transition(m, "outside", "exited"), transition(m, "education", "exited"),
                 transition(m, "employed", "exited")};
    for (int i = 0; i < 3; i++) {
        cr_assert_geq(j[i], 0);
        cr_assert_eq(m->transitions[j[i]].source_index, 4);
        cr_assert_eq(m->transitions[j[i]].rate, m->transitions[j[0]].rate,
                     "one number in the file, one table entry");
        cr_assert_float_eq(num(m, m->transitions[j[i]].rate), 0.002, 1e-15);
    }
    const sr_transition *t = &m->transitions[transition(m, "employed", "outside")];
    cr_assert_eq(t->macro, SR_MACRO_COUNTER);
    cr_assert(!t->is_probability);
    cr_assert_eq(t->n_by_tenure, 3);
    cr_assert_eq(t->tenure_from[1], 3);
    cr_assert_float_eq(num(m, t->tenure_mult[1]), 0.44, 1e-15);
    cr_assert_eq(m->transitions[transition(m, "outside", "employed")].macro, SR_MACRO_PRO);
    cr_assert_eq(m->transitions[transition(m, "outside", "education")].macro, SR_MACRO_NONE);
    sr_model_free(m);
}

Test(scenario, fills_cash_flows_per_stratum_and_state)
{
    sr_model *m = sr_test_model(spec_example);
    size_t ns = m->n_states;
    /* on_benefits overrides outside; the others come from the top level; exited costs 0. */
    const sr_cashspec *c = &m->cash[0 * ns + 0];
    cr_assert_float_eq(num(m, c->base.amount[SR_MUNICIPALITY]), 9000, 0);
    cr_assert_float_eq(num(m, c->base.amount[SR_STATE]), 2500, 0);
    c = &m->cash[1 * ns + 0];
    cr_assert_float_eq(num(m, c->base.amount[SR_MUNICIPALITY]), 0, 0);
    for (size_t k = 0; k < 2; k++) {
        c = &m->cash[k * ns + 1];
        cr_assert_float_eq(num(m, c->base.amount[SR_MUNICIPALITY]), 3000, 0);
        cr_assert_float_eq(num(m, c->base.amount[SR_STATE]), 5000, 0);
        c = &m->cash[k * ns + 2];
        cr_assert_float_eq(num(m, c->base.amount[SR_MUNICIPALITY]), -5500, 0);
        cr_assert_float_eq(num(m, c->base.amount[SR_STATE]), -3500, 0);
        c = &m->cash[k * ns + 3];
        cr_assert_float_eq(num(m, c->base.amount[SR_STATE]), 0, 0);
        cr_assert_eq(c->n_by_tenure + c->n_dated, 0);
    }
    /* Stratum multipliers: one per expanded transition, 1 unless given. */
    long oe = transition(m, "outside", "employed");
    cr_assert_float_eq(num(m, m->strata[1].multiply[oe]), 0.7, 1e-15);
    for (size_t j = 0; j < m->n_transitions; j++) {
        cr_assert_float_eq(num(m, m->strata[0].multiply[j]), 1.0, 0);
        if ((long)j != oe)
            cr_assert_float_eq(num(m, m->strata[1].multiply[j]), 1.0, 0);
    }
    cr_assert_float_eq(num(m, m->strata[0].effect_multiplier), 1.0, 0);
    cr_assert_float_eq(m->strata[0].share, 0.3, 0);
    sr_model_free(m);
}

Test(states, rejects_bad_states)
{
    const char *h = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                    "discount: {public: 0.03, investor: 0.05}\n";
    char y[1024];
    snprintf(y, sizeof y, "%sstates: [{name: out}, {name: job}, {name: out}]\n", h);
    expect_fail(y, "x.yaml:4:43: states[2].name: duplicate state name (first at line 4, column 17), got out");
    snprintf(y, sizeof y, "%sstates: [{name: out-of-work}]\n", h);
    expect_fail(y, "x.yaml:4:17: states[0].name: must be a name");
    snprintf(y, sizeof y, "%sstates: [{name: out, tenure_max: 601}]\n", h);
    expect_fail(y, "x.yaml:4:34: states[0].tenure_max: must be an integer in [0, 600], got 601");
    snprintf(y, sizeof y, "%sstates: []\n", h);
    expect_fail(y, "x.yaml:4:9: states: must list at least one state, got []");
    snprintf(y, sizeof y, "%sstates: [{name: \"\"}]\n", h);
    expect_fail(y, "x.yaml:4:17: states[0].name: must be a name");
}

Test(transitions, rejects_bad_transitions)
{
    const char *h = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                    "discount: {public: 0.03, investor: 0.05}\n"
                    "states: [{name: out, tenure_max: 3}, {name: job}, {name: gone, absorbing: true}]\n";
    char y[1024];
#define TR(x) snprintf(y, sizeof y, "%stransitions: [" x "]\n" PROG, h)
    TR("{from: gone, to: job, hazard: 0.1}");
    expect_fail(y, "x.yaml:5:22: transitions[0].from: is absorbing: nobody leaves it, got gone");
    TR("{from: out, to: out, hazard: 0.1}");
    expect_fail(y, "x.yaml:5:31: transitions[0].to: must differ from the state it leaves (out), got out");
    TR("{from: out, to: jobb, hazard: 0.1}");
    expect_fail(y, "x.yaml:5:31: transitions[0].to: undefined state (see states:), got jobb");
    TR("{from: [out, job], to: gone, hazard: 0.1}, {from: job, to: gone, hazard: 0.2}");
    expect_fail(y, "x.yaml:5:65: transitions[1].from: repeats the transition from job to gone (first in transitions[0]), got job");
    TR("{from: [out, out], to: gone, hazard: 0.1}");
    expect_fail(y, "x.yaml:5:28: transitions[0].from[1]: names a state twice in one from-list, got out");
    TR("{from: out, to: job, hazard: 0.1, probability: 0.1}");
    expect_fail(y, "x.yaml:5:62: transitions[0].probability: give either hazard or probability, not both, got 0.1");
    TR("{from: out, to: job}");
    expect_fail(y, "x.yaml:5:15: transitions[0].hazard: is required (or probability), got nothing");
    TR("{from: out, to: job, hazard: 0.1}, {from: out, to: gone, probability: 0.1}");
    expect_fail(y, "x.yaml:5:85: transitions[1].probability: transitions out of state out must all give a "
                   "hazard or all a probability, and transitions[0] gives a hazard, got 0.1");
    TR("{from: out, to: job, probability: 0.6}, {from: out, to: gone, probability: {dist: uniform, min: 0.3, max: 0.5}}");
    expect_fail(y, "x.yaml:5:90: transitions[1].probability: the probabilities out of state out sum to 1 "
                   "(at their means), and must stay below 1");
    TR("{from: out, to: job, hazard: 0.1, by_tenure: [[0, 1], [0, 2]]}");
    expect_fail(y, "x.yaml:5:70: transitions[0].by_tenure[1][0]: must be above the previous step's tenure (0)");
    TR("{from: out, to: job, hazard: 0.1, by_tenure: [[4, 1]]}");
    expect_fail(y, "x.yaml:5:62: transitions[0].by_tenure[0][0]: is above the tenure_max (3) of state out, "
                   "so it would never apply, got 4");
    TR("{from: out, to: job, hazard: 0.1, macro: sideways}");
    expect_fail(y, "x.yaml:5:56: transitions[0].macro: must be none, pro or counter, got sideways");
    TR("{from: out, to: job, hazard: 0.1, cashflow: {municipality: 1, tax: 2}}");
    expect_fail(y, "x.yaml:5:77: transitions[0].cashflow.tax: unknown key (expected municipality, state), got tax");
#undef TR
}

Test(transitions, reads_probabilities_tenure_steps_and_one_off_cash_flows)
{
    sr_model *m = sr_test_model(
        "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
        "discount: {public: 0.03, investor: 0.05}\n"
        "states: [{name: out, tenure_max: 12}, {name: job}]\n"
        "transitions: [{from: out, to: job, probability: 0.05, macro: pro, by_tenure: [[6, 0.5], [12, 0.25]],\n"
        "               cashflow: {municipality: -20000}}]\n" PROG);
    const sr_transition *t = &m->transitions[0];
    cr_assert(t->is_probability);
    cr_assert_float_eq(num(m, t->rate), 0.05, 0);
    cr_assert_eq(t->n_by_tenure, 2);
    cr_assert_eq(t->tenure_from[0], 6);
    cr_assert_float_eq(num(m, t->tenure_mult[1]), 0.25, 0);
    cr_assert(t->has_cash);
    cr_assert_float_eq(num(m, t->cash.amount[SR_MUNICIPALITY]), -20000, 0);
    cr_assert_float_eq(num(m, t->cash.amount[SR_STATE]), 0, 0);
    sr_model_free(m);
}

Test(strata, rejects_bad_strata)
{
#define S(x) BASE "strata: " x "\n" PROG
    expect_fail(S("[{name: a, share: 0.5}, {name: b, share: 0.4}]"),
                "x.yaml:6:9: strata: the shares must sum to 1 (within 1e-9), got a sum of 0.9");
    expect_fail(S("[{name: a, share: 0}, {name: b, share: 1}]"),
                "x.yaml:6:27: strata[0].share: must be a number in (0, 1], got 0");
    expect_fail(S("[{name: a, share: {dist: uniform, min: 0.1, max: 0.9}}]"),
                "x.yaml:6:27: strata[0].share: must be a number in (0, 1] (a fixed number: this key "
                "cannot be uncertain)");
    expect_fail(S("[{name: a, share: 0.5}, {name: a, share: 0.5}]"),
                "x.yaml:6:40: strata[1].name: duplicate stratum name (first at line 6, column 17), got a");
    expect_fail(S("[{name: a, share: 1, multiply: {out->gone: 2}}]"),
                "x.yaml:6:41: strata[0].multiply.out->gone: undefined transition (no transition from out to gone)");
    expect_fail(S("[{name: a, share: 1, multiply: {out->job: 2, out -> job: 3}}]"),
                "x.yaml:6:54: strata[0].multiply[\"out -> job\"]: names the same transition as an earlier key");
    expect_fail(S("[{name: a, share: 1, multiply: {out->job: -1}}]"),
                "x.yaml:6:51: strata[0].multiply.out->job: must be a number >= 0, got -1");
    expect_fail(S("[{name: a, share: 1, effect_multiplier: -1}]"),
                "x.yaml:6:49: strata[0].effect_multiplier: must be a number >= 0, got -1");
    expect_fail(S("[{name: a, share: 1, cashflows: {nowhere: {state: 1}}}]"),
                "x.yaml:6:42: strata[0].cashflows.nowhere: undefined state (see states:), got nowhere");
    expect_fail(S("[]"), "x.yaml:6:9: strata: must list at least one stratum (or leave strata out), got []");
#undef S
}

Test(strata, a_stratum_replaces_a_states_whole_cash_flow)
{
    sr_model *m = sr_test_model(BASE
        "cashflows:\n"
        "  out: {municipality: 100, state: 50, by_tenure: [[2, {municipality: 80}]], from: [[2026-06, {state: 1}], [2028-01, {state: 60}]]}\n"
        "  job: {municipality: -10}\n"
        "strata:\n"
        "  - {name: a, share: 0.25, cashflows: {out: {state: 7}}, multiply: {out -> job: 2}, effect_multiplier: 0.5}\n"
        "  - {name: b, share: 0.75}\n" PROG);
    size_t ns = m->n_states;
    const sr_cashspec *a = &m->cash[0], *b = &m->cash[ns];
    cr_assert_float_eq(num(m, a->base.amount[SR_MUNICIPALITY]), 0, 0, "replaced whole");
    cr_assert_float_eq(num(m, a->base.amount[SR_STATE]), 7, 0);
    cr_assert_eq(a->n_by_tenure + a->n_dated, 0);
    cr_assert_float_eq(num(m, b->base.amount[SR_MUNICIPALITY]), 100, 0);
    cr_assert_eq(b->n_by_tenure, 1);
    cr_assert_eq(b->tenure_from[0], 2);
    cr_assert_float_eq(num(m, b->by_tenure[0].amount[SR_MUNICIPALITY]), 80, 0);
    cr_assert_float_eq(num(m, b->by_tenure[0].amount[SR_STATE]), 0, 0);
    /* Dated entries count months from simulation.start and may precede it. */
    cr_assert_eq(b->n_dated, 2);
    cr_assert_eq(b->dated_month[0], -7);
    cr_assert_eq(b->dated_month[1], 12);
    cr_assert_float_eq(num(m, b->dated[1].amount[SR_STATE]), 60, 0);
    cr_assert_float_eq(num(m, m->cash[1].base.amount[SR_MUNICIPALITY]), -10, 0);
    cr_assert_float_eq(num(m, m->cash[2].base.amount[SR_MUNICIPALITY]), 0, 0, "no entry costs 0");
    cr_assert_float_eq(num(m, m->strata[0].multiply[0]), 2, 0);
    cr_assert_float_eq(num(m, m->strata[0].effect_multiplier), 0.5, 0);
    /* 10 persons: 2.5 and 7.5, a tie broken to the lower index. */
    cr_assert_eq(intake_sum(m, m->programmes[0].intake, 0), 3);
    cr_assert_eq(intake_sum(m, m->programmes[0].intake, 1), 7);
    sr_model_free(m);
}

Test(cashflows, rejects_bad_cash_flows)
{
    expect_fail(BASE "cashflows: {out: {by_tenure: [[4, {state: 1}]]}}\n" PROG,
                "x.yaml:6:32: cashflows.out.by_tenure[0][0]: is above the tenure_max (3) of state out, "
                "so it would never apply, got 4");
    expect_fail(BASE "cashflows: {out: {from: [[2028-01, {state: 1}], [2027-06, {state: 2}]]}}\n" PROG,
                "x.yaml:6:50: cashflows.out.from[1][0]: must come after the previous entry's month");
    expect_fail(BASE "cashflows: {out: {municipality: lots}}\n" PROG,
                "x.yaml:6:33: cashflows.out.municipality: must be a number, got lots");
    expect_fail(BASE "cashflows: {nowhere: {state: 1}}\n" PROG,
                "x.yaml:6:13: cashflows.nowhere: undefined state (see states:), got nowhere");
}

Test(macro, checks_and_ignores_keys_of_a_model_not_selected)
{
    sr_scenario *sc = sr_test_scenario(BASE
        "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05}, recession: {pro: 0.6, counter: 1.5},\n"
        "        start_in_recession: true, rho: 0.2, persistence: 0.5}\n" PROG);
    sr_model *m = sc->model;
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_REGIME);
    cr_assert(m->macro.start_in_recession);
    cr_assert_str_eq(sc->notes, "macro.rho is ignored: macro.model is regime\n"
                               "macro.persistence is ignored: macro.model is regime");
    sr_scenario_free(sc);
    /* Ignored keys are still checked. */
    expect_fail(BASE "macro: {model: none, rho: 2}\n" PROG,
                "x.yaml:6:27: macro.rho: must be a number in [0, 1), got 2");
    /* The selected model's keys are required. */
    expect_fail(BASE "macro: {model: gaussian_factor, rho: 0.2}\n" PROG,
                "x.yaml:6:8: macro.persistence: is required for macro.model gaussian_factor, got nothing");
    expect_fail(BASE "macro: {switch: {to_recession: 0.1, to_normal: 0.1}}\n" PROG,
                "x.yaml:6:8: macro.model: is required, got nothing");
    expect_fail(BASE "macro: {model: regime, switch: {to_recession: 1.5, to_normal: 0.1}, recession: {pro: 1, counter: 1}}\n" PROG,
                "x.yaml:6:47: macro.switch.to_recession: must be a number in [0, 1], got 1.5");
    sc = sr_test_scenario(BASE "macro: {model: gaussian_factor, rho: 0.2, persistence: 0.9}\n" PROG);
    m = sc->model;
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_GAUSSIAN);
    cr_assert_float_eq(num(m, m->macro.rho), 0.2, 0);
    cr_assert_float_eq(num(m, m->macro.persistence), 0.9, 0);
    sr_scenario_free(sc);
    sc = sr_test_scenario(BASE PROG);
    m = sc->model;
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_NONE);
    sr_scenario_free(sc);
}

Test(scenario, rejects_models_too_large_for_memory)
{
    /* 1100 strata x 1000 states is more than 2^20 cash-flow cells. */
    size_t cap = 200000, len = 0;
    char *y = malloc(cap);
    len += (size_t)snprintf(y + len, cap - len, "name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 1}\n"
                                                "discount: {public: 0, investor: 0}\nstates: [");
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(y + len, cap - len, "%s{name: s%d}", i ? ", " : "", i);
    len += (size_t)snprintf(y + len, cap - len, "]\nstrata: [");
    for (int i = 0; i < 1100; i++)
        len += (size_t)snprintf(y + len, cap - len, "%s{name: k%d, share: 0.001}", i ? ", " : "", i);
    snprintf(y + len, cap - len, "]\n");
    expect_fail(y, "x.yaml:5:9: strata: makes the model too large: 1100000 strata x states cash-flow cells, at most 1048576");
    free(y);
}
