/* The scenario loader (SPEC 3): what it accepts, what it fills, and how it refuses. Every
 * refusal is checked for its exit code and the exact `file:line:col: path:` start of its
 * message (or `--set PATH=VALUE: path:` for an override). */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/intake.h"
#include "sim/scenario/scenario.h"
#include "support.h"

/* ---- helpers ---------------------------------------------------------------------------- */

/* Lines 1-5 of most scenarios below; a programme line (6) completes them. Horizon
 * 2027-01 .. 2028-12 (24 months). */
#define BASE                                                                                \
    "name: t\n"                                                                             \
    "simulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"                 \
    "discount: {public: 0.03, investor: 0.05}\n"                                            \
    "states: [{name: out, tenure_max: 3}, {name: job}, {name: gone, absorbing: true}]\n"    \
    "transitions: [{from: out, to: job, hazard: 0.1}]\n"
#define PROG "programmes: [{name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}}]\n"

static sr_model *load_with(const char *yaml, const char *const *sets, size_t n, sr_error *err)
{
    sr_override ov[8];
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(sr_override_parse(sets[i], &ov[i], err), 0, "%s", err->msg);
    sr_model *m = sr_scenario_load_text("x.yaml", yaml, strlen(yaml), ov, n, err);
    for (size_t i = 0; i < n; i++)
        sr_override_clear(&ov[i]);
    return m;
}

static void expect_fail_len(const char *yaml, size_t len, int code, const char *prefix)
{
    sr_error err = {0};
    sr_model *m = sr_scenario_load_text("x.yaml", yaml, len, NULL, 0, &err);
    cr_assert_null(m, "accepted, expected: %s", prefix);
    cr_expect_eq(err.code, code, "exit code %d, message: %s", err.code, err.msg);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0, "message:\n  %s\nexpected it to begin:\n  %s",
              err.msg, prefix);
}

static void expect_fail(const char *yaml, const char *prefix)
{
    expect_fail_len(yaml, strlen(yaml), SR_EXIT_DATAERR, prefix);
}

static void expect_set_fail(const char *yaml, const char *set, const char *prefix)
{
    sr_error err = {0};
    sr_model *m = load_with(yaml, &set, 1, &err);
    cr_assert_null(m, "accepted --set %s, expected: %s", set, prefix);
    cr_assert_eq(err.code, SR_EXIT_DATAERR, "exit code %d, message: %s", err.code, err.msg);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0, "message:\n  %s\nexpected it to begin:\n  %s",
              err.msg, prefix);
}

static sr_model *load_set(const char *yaml, const char *set)
{
    sr_error err = {0};
    sr_model *m = load_with(yaml, &set, 1, &err);
    cr_assert_not_null(m, "--set %s rejected: %s", set, err.msg);
    return m;
}

static double num(const sr_model *m, sr_num n)
{
    cr_assert_lt(n, m->n_num);
    cr_assert_eq(m->num[n].kind, SR_DIST_FIXED, "entry %u is not fixed", (unsigned)n);
    return m->num[n].p[0];
}

static unsigned intake_sum(const sr_model *m, const unsigned *intake, size_t stratum)
{
    unsigned s = 0;
    for (size_t t = 0; t < m->n_months; t++)
        s += intake[stratum * m->n_months + t];
    return s;
}

static long transition(const sr_model *m, const char *from, const char *to)
{
    int a = sr_model_state_index(m, from), b = sr_model_state_index(m, to);
    for (size_t j = 0; j < m->n_transitions; j++)
        if ((int)m->transitions[j].from == a && (int)m->transitions[j].to == b)
            return (long)j;
    return -1;
}

/* The scenario of SPEC 3, verbatim. */
static const char spec_example[] =
    "name: Neighbourhood-mothers job mentoring, one municipality\n"
    "simulation: {trials: 10000, seed: 20261127, start: 2027-01, horizon_years: 10}\n"
    "discount: {public: 0.035, investor: 0.05}          # annual effective rates\n"
    "parameters:\n"
    "  effect: {dist: lognormal, median: 1.35, p95: 1.9} # hazard ratio on job finding\n"
    "states:\n"
    "  - {name: outside, tenure_max: 24}                 # outside the labour market\n"
    "  - {name: education}\n"
    "  - {name: employed, tenure_max: 24}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:                                        # monthly hazards\n"
    "  - {from: outside, to: employed, hazard: 0.010, macro: pro,\n"
    "     by_tenure: [[0, 1.0], [12, 0.8]]}             # [from tenure, multiplier]\n"
    "  - {from: employed, to: outside, hazard: 0.100, macro: counter,\n"
    "     by_tenure: [[0, 1.0], [3, 0.44], [12, 0.2]]}\n"
    "  - {from: outside, to: education, hazard: 0.004}\n"
    "  - {from: education, to: employed, hazard: 0.020, macro: pro}\n"
    "  - {from: [outside, education, employed], to: exited, hazard: 0.002}\n"
    "strata:\n"
    "  - name: on_benefits\n"
    "    share: 0.3\n"
    "    cashflows: {outside: {municipality: 9000, state: 2500}}\n"
    "  - {name: not_on_benefits, share: 0.7, multiply: {outside->employed: 0.7}}\n"
    "cashflows:                                          # DKK per person-month, + = public cost\n"
    "  outside:  {municipality: 0, state: 0}\n"
    "  education: {municipality: 3000, state: 5000}\n"
    "  employed: {municipality: -5500, state: -3500}\n"
    "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05},\n"
    "        recession: {pro: 0.6, counter: 1.5}}\n"
    "programmes:\n"
    "  - name: copenhagen\n"
    "    cohort: {size: 1000, intake: {start: 2027-01, months: 24},\n"
    "             initial_state: outside, initial_tenure: 24}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect,\n"
    "               months: 18, fade_months: 12}\n"
    "      costs: {fixed_per_year: 1500000, per_participant: 20000, per_participant_month: 1500,\n"
    "              while_in: [outside, education]}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: savings_share\n"
    "      share: 0.5\n"
    "      baseline: {method: control_group, size: 500}\n"
    "      term_years: 6\n"
    "      cap_total: 40000000\n"
    "      annual_frame: 8000000\n"
    "      frame_overflow: deferred\n"
    "      lag_months: 3\n"
    "    financing: {guarantee: {first_loss: 0.2}, surplus: {cap_irr: 0.06}}\n"
    "stresses:                                           # named overrides for `sirisk stress`\n"
    "  recession: {macro.start_in_recession: true}\n"
    "  weak_effect: {parameters.effect.median: 1.1}\n"
    "  late_start:\n"
    "    \"programmes[0].cohort.intake.start\": 2028-01   # a path with brackets is quoted\n";

/* ---- the good path: SPEC's example ------------------------------------------------------ */

Test(scenario, loads_spec_example_states_and_simulation)
{
    sr_model *m = sr_test_model(spec_example);
    cr_assert_str_eq(m->name, "Neighbourhood-mothers job mentoring, one municipality");
    cr_assert_eq(m->trials, 10000);
    cr_assert_eq(m->seed, 20261127u);
    cr_assert_eq(m->start_year, 2027);
    cr_assert_eq(m->start_month, 1);
    cr_assert_eq(m->n_months, 120);
    cr_assert_float_eq(m->discount_public, 0.035, 1e-15);
    cr_assert_float_eq(m->discount_investor, 0.05, 1e-15);
    cr_assert_eq(m->indexation, 0.0);
    cr_assert_eq(m->n_states, 4);
    cr_assert_str_eq(m->states[0].name, "outside");
    cr_assert_eq(m->states[0].tenure_max, 24);
    cr_assert_eq(m->states[1].tenure_max, 0);
    cr_assert(!m->states[2].absorbing);
    cr_assert(m->states[3].absorbing);
    cr_assert_eq(sr_model_state_index(m, "employed"), 2);
    cr_assert_eq(sr_model_state_index(m, "nowhere"), -1);
    cr_assert_null(m->notes, "unexpected notes: %s", m->notes);
    sr_model_free(m);
}

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

Test(scenario, fills_intervention_contract_financing_macro_and_stresses)
{
    sr_model *m = sr_test_model(spec_example);
    const sr_programme *p = &m->programmes[0];
    cr_assert_str_eq(p->name, "copenhagen");
    cr_assert(p->has_intervention);
    for (size_t j = 0; j < m->n_transitions; j++)
        cr_assert_eq(p->effect_on[j], (long)j == transition(m, "outside", "employed"));
    /* $effect shares the parameter's entry. */
    cr_assert_eq(m->n_parameters, 1);
    cr_assert_str_eq(m->parameters[0].name, "effect");
    cr_assert_eq(p->hazard_ratio, m->parameters[0].num);
    cr_assert_eq(m->num[p->hazard_ratio].parameter, 0);
    cr_assert_eq(p->effect_months, 18);
    cr_assert_eq(p->fade_months, 12);
    cr_assert(!p->has_scale);
    cr_assert_float_eq(num(m, p->cost_fixed_per_year), 1500000, 0);
    cr_assert_float_eq(num(m, p->cost_per_participant), 20000, 0);
    cr_assert_float_eq(num(m, p->cost_per_participant_month), 1500, 0);
    cr_assert(p->while_in[0] && p->while_in[1] && !p->while_in[2] && !p->while_in[3]);

    cr_assert(p->has_contract);
    const sr_contract *c = &p->contract;
    cr_assert_eq(c->payer, SR_MUNICIPALITY);
    cr_assert_eq(c->type, SR_CONTRACT_SAVINGS_SHARE);
    cr_assert_float_eq(num(m, c->share), 0.5, 0);
    cr_assert_eq(c->baseline, SR_BASELINE_CONTROL);
    cr_assert_eq(c->control_size, 500);
    cr_assert_eq(c->term_months, 72);
    cr_assert(c->has_cap_total && c->has_annual_frame && !c->has_termination);
    cr_assert_float_eq(num(m, c->cap_total), 40000000, 0);
    cr_assert_float_eq(num(m, c->annual_frame), 8000000, 0);
    cr_assert_eq(c->frame_overflow, SR_OVERFLOW_DEFERRED);
    cr_assert_eq(c->lag_months, 3);
    cr_assert_eq(c->n_outcomes, 0);
    cr_assert(p->financing.has_guarantee && p->financing.has_surplus_cap);
    cr_assert_float_eq(num(m, p->financing.first_loss), 0.2, 0);
    cr_assert_float_eq(num(m, p->financing.cap_irr), 0.06, 0);

    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_REGIME);
    cr_assert_float_eq(num(m, m->macro.to_recession), 0.01, 0);
    cr_assert_float_eq(num(m, m->macro.to_normal), 0.05, 0);
    cr_assert_float_eq(num(m, m->macro.recession_pro), 0.6, 0);
    cr_assert_float_eq(num(m, m->macro.recession_counter), 1.5, 0);
    cr_assert(!m->macro.start_in_recession);

    cr_assert_eq(m->n_stresses, 3);
    cr_assert_str_eq(m->stresses[0].name, "recession");
    cr_assert_str_eq(m->stresses[0].overrides[0].path, "macro.start_in_recession");
    cr_assert_str_eq(m->stresses[0].overrides[0].value, "true");
    cr_assert_str_eq(m->stresses[1].overrides[0].value, "1.1");
    cr_assert_str_eq(m->stresses[2].overrides[0].path, "programmes[0].cohort.intake.start");
    cr_assert_str_eq(m->stresses[2].overrides[0].value, "2028-01");
    /* Without overrides the scenario text is kept verbatim, comments and all. */
    cr_assert_str_eq(m->source_text, spec_example);
    sr_model_free(m);
}

Test(scenario, converts_lognormal_median_and_p95_to_mu_and_sigma)
{
    sr_model *m = sr_test_model(spec_example);
    const sr_numdef *d = &m->num[m->parameters[0].num];
    cr_assert_eq(d->kind, SR_DIST_LOGNORMAL);
    /* mu = ln 1.35, sigma = ln(1.9 / 1.35) / Phi^-1(0.95). */
    cr_assert_float_eq(d->p[0], log(1.35), 1e-15);
    cr_assert_float_eq(d->p[1], log(1.9 / 1.35) / 1.6448536269514722, 1e-15);
    sr_model_free(m);
}

Test(scenario, converts_lognormal_mean_and_sd_to_mu_and_sigma)
{
    sr_model *m = sr_test_model(BASE "parameters: {x: {dist: lognormal, mean: 2, sd: 1}}\n" PROG);
    const sr_numdef *d = &m->num[m->parameters[0].num];
    /* sigma^2 = ln(1 + sd^2 / mean^2) = ln 1.25, mu = ln 2 - sigma^2 / 2. */
    cr_assert_float_eq(d->p[1] * d->p[1], log(1.25), 1e-15);
    cr_assert_float_eq(d->p[0], log(2.0) - 0.5 * log(1.25), 1e-15);
    /* The mean of the variable comes back: exp(mu + sigma^2 / 2) = 2. */
    double v[64];
    cr_assert_leq(m->n_num, 64);
    sr_model_mean_values(m, v);
    cr_assert_float_eq(v[m->parameters[0].num], 2.0, 1e-14);
    sr_model_free(m);
}

Test(scenario, means_every_distribution_for_the_deterministic_expectation)
{
    sr_model *m = sr_test_model(BASE
        "parameters:\n"
        "  b: {dist: beta, mean: 0.3, sd: 0.1}\n"
        "  g: {dist: gamma, mean: 4, sd: 2}\n"
        "  l: {dist: lognormal, median: 1, p95: 2}\n"
        "  n: {dist: normal, mean: 0, sd: 1, min: 0}\n"
        "  n2: {dist: normal, mean: 5, sd: 2}\n"
        "  u: {dist: uniform, min: 1, max: 3}\n"
        "  p: {dist: pert, min: 0, mode: 1, max: 5}\n"
        "  t: {dist: triangular, min: 0, mode: 1, max: 5}\n"
        "  f: 7.5\n" PROG);
    double v[64];
    cr_assert_leq(m->n_num, 64);
    sr_model_mean_values(m, v);
    double sigma = log(2.0) / 1.6448536269514722;
    /* Closed forms: beta, gamma p0; lognormal exp(mu + sigma^2/2); a standard normal
     * truncated to [0, inf) has mean sqrt(2 / pi); uniform (a+b)/2; pert (a+4m+b)/6;
     * triangular (a+m+b)/3. */
    double expect[] = {0.3, 4, exp(0.5 * sigma * sigma), sqrt(2 / 3.14159265358979323846), 5, 2, 9.0 / 6, 2, 7.5};
    for (size_t i = 0; i < m->n_parameters; i++)
        cr_assert_float_eq(v[m->parameters[i].num], expect[i], 1e-12, "parameter %s: %.15g",
                           m->parameters[i].name, v[m->parameters[i].num]);
    /* Every fixed entry is its value. */
    for (size_t i = 0; i < m->n_num; i++)
        if (m->num[i].kind == SR_DIST_FIXED)
            cr_assert_eq(v[i], m->num[i].p[0]);
    sr_model_free(m);
}

Test(scenario, truncated_normal_mean_keeps_its_digits_far_in_the_tail)
{
    /* Above a = 8, Phi(b) - Phi(a) cancels; the mean of N(0,1) truncated to [10, inf) is
     * phi(10) / Q(10) = 10.098093233962... (Mills ratio). */
    cr_assert_float_eq(sr_truncated_normal_mean(0, 1, 10, INFINITY), 10.0980932339625, 1e-9);
    cr_assert_float_eq(sr_truncated_normal_mean(3, 2, -INFINITY, INFINITY), 3.0, 1e-15);
}

/* ---- the intake rules ------------------------------------------------------------------- */

Test(intake, splits_by_largest_remainder_ties_to_the_lower_index)
{
    uint64_t work[4];
    unsigned out[4];
    double thirds[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    sr_intake_split(10, thirds, 3, work, out);
    cr_assert(out[0] == 4 && out[1] == 3 && out[2] == 3);
    double halves[2] = {0.5, 0.5};
    sr_intake_split(5, halves, 2, work, out);
    cr_assert(out[0] == 3 && out[1] == 2);
    /* 0.3 x 5 = 1.5 and 0.7 x 5 = 3.5 (3.4999999999999996 in doubles): a tie, so the lower
     * index takes the extra person. */
    double noisy[2] = {0.3, 0.7};
    sr_intake_split(5, noisy, 2, work, out);
    cr_assert(out[0] == 2 && out[1] == 3, "got %u %u", out[0], out[1]);
    /* Larger remainder first: quotas 1.2, 2.7, 6.1 -> floors 1 2 6, one left to 2.7. */
    double w[3] = {0.12, 0.27, 0.61};
    sr_intake_split(10, w, 3, work, out);
    cr_assert(out[0] == 1 && out[1] == 3 && out[2] == 6);
    sr_intake_split(0, w, 3, work, out);
    cr_assert(out[0] == 0 && out[1] == 0 && out[2] == 0);
    /* Weights need not sum to 1. */
    double counts[4] = {330, 0, 670, 0};
    sr_intake_split(500, counts, 4, work, out);
    cr_assert(out[0] == 165 && out[1] == 0 && out[2] == 335 && out[3] == 0);
}

Test(intake, spreads_evenly_with_the_first_months_taking_one_more)
{
    unsigned out[5];
    sr_intake_spread(10, 4, out);
    cr_assert(out[0] == 3 && out[1] == 3 && out[2] == 2 && out[3] == 2);
    sr_intake_spread(3, 5, out);
    cr_assert(out[0] == 1 && out[1] == 1 && out[2] == 1 && out[3] == 0 && out[4] == 0);
    sr_intake_spread(0, 2, out);
    cr_assert(out[0] == 0 && out[1] == 0);
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

/* ---- scalars and types ------------------------------------------------------------------ */

Test(scenario, rejects_negative_cohort_size_with_line_and_path)
{
    const char *y = BASE
        "programmes:\n"
        "  - name: p\n"
        "    cohort:\n"
        "      size: -5\n"
        "      intake: {start: 2027-01, months: 2}\n"
        "      initial_state: out\n";
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("scenarios/x.yaml", y, strlen(y), NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert_str_eq(err.msg,
                     "scenarios/x.yaml:9:13: programmes[0].cohort.size: must be a positive integer, got -5");
}

Test(scenario, rejects_unknown_key_with_line_and_path)
{
    expect_fail(BASE PROG "simulation2: 1\n",
                "x.yaml:7:1: simulation2: unknown key (expected name, simulation, discount,");
    expect_fail("name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2, trails: 3}\n",
                "x.yaml:2:69: simulation.trails: unknown key (expected trials, seed, start, "
                "horizon_years, horizon_months), got trails");
}

Test(scenario, rejects_wrong_types_with_the_value_as_written)
{
    expect_fail(BASE "transitions2: 1\n", "x.yaml:6:1: transitions2: unknown key");
    expect_fail("name: t\nsimulation: {trials: many, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got many");
    expect_fail("name: [t]\n", "x.yaml:1:7: name: must be a non-empty string, got [t]");
    expect_fail("name: t\nsimulation: [1]\n", "x.yaml:2:13: simulation: must be a mapping, got [1]");
    expect_fail(BASE "macro: {model: regime, start_in_recession: yes, switch: {to_recession: 0.1, "
                     "to_normal: 0.1}, recession: {pro: 1, counter: 1}}\n" PROG,
                "x.yaml:6:44: macro.start_in_recession: must be true or false, got yes");
    expect_fail(BASE "indexation: abc\n" PROG, "x.yaml:6:13: indexation: must be a rate > -1, got abc");
}

Test(scenario, types_scalars_by_the_yaml_1_2_core_schema)
{
    /* 0x10 = 16 trials, seed 0o17 = 15, 1e-2 and .5 are floats, a quoted number is a string. */
    sr_model *m = sr_test_model(
        "name: t\n"
        "simulation: {trials: 0x10, seed: 0o17, start: 2027-01, horizon_months: 12}\n"
        "discount: {public: .5, investor: 1e-2}\n"
        "states: [{name: out}, {name: job}]\n"
        "transitions: [{from: out, to: job, hazard: +1.5E-1}]\n" PROG);
    cr_assert_eq(m->trials, 16);
    cr_assert_eq(m->seed, 15);
    cr_assert_eq(m->n_months, 12);
    cr_assert_float_eq(m->discount_public, 0.5, 0);
    cr_assert_float_eq(m->discount_investor, 0.01, 0);
    cr_assert_float_eq(num(m, m->transitions[0].rate), 0.15, 1e-17);
    sr_model_free(m);
    expect_fail("name: t\nsimulation: {trials: \"10\", seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got \"10\"");
    /* A name that the core schema types as a number or a boolean is not a string. */
    expect_fail("name: 12\n", "x.yaml:1:7: name: must be a non-empty string, got 12");
    expect_fail(BASE "states2: 1\n", "x.yaml:6:1: states2: unknown key");
}

Test(scenario, rejects_floats_where_integers_are_required)
{
    expect_fail("name: t\nsimulation: {trials: 1e3, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got 1e3");
    expect_fail("name: t\nsimulation: {trials: 12.0, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got 12.0");
    /* Integers are never distributions. */
    expect_fail("name: t\nsimulation: {trials: {dist: uniform, min: 1, max: 2}, seed: 1}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got {dist: uniform, min: 1, max: 2}");
}

Test(scenario, rejects_nan_and_infinity_wherever_a_number_is_expected)
{
    const char *bad[] = {".nan", ".inf", "-.inf", ".NaN", "NaN", "Inf", "-Infinity", "nan", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[512], prefix[256];
        snprintf(y, sizeof y, BASE "indexation: %s\n" PROG, bad[i]);
        snprintf(prefix, sizeof prefix, "x.yaml:6:13: indexation: must be a finite number, got %s", bad[i]);
        expect_fail(y, prefix);
        snprintf(y, sizeof y, BASE "parameters: {x: {dist: uniform, min: 0, max: %s}}\n" PROG, bad[i]);
        snprintf(prefix, sizeof prefix, "x.yaml:6:46: parameters.x.max: must be a finite number, got %s", bad[i]);
        expect_fail(y, prefix);
    }
}

Test(scenario, reads_seeds_up_to_two_to_the_64_minus_one)
{
    sr_model *m = sr_test_model("name: t\n"
                                "simulation: {trials: 1, seed: 18446744073709551615, start: 2027-01, horizon_years: 2}\n"
                                "discount: {public: 0.03, investor: 0.05}\n"
                                "states: [{name: out}]\n" PROG);
    cr_assert_eq(m->seed, UINT64_MAX);
    sr_model_free(m);
    expect_fail("name: t\nsimulation: {trials: 1, seed: 18446744073709551616}\n",
                "x.yaml:2:31: simulation.seed: must be an integer in [0, 18446744073709551615], "
                "got 18446744073709551616");
    expect_fail("name: t\nsimulation: {trials: 1, seed: -1}\n",
                "x.yaml:2:31: simulation.seed: must be an integer in [0, 18446744073709551615], got -1");
}

Test(scenario, rejects_duplicate_keys_at_the_second)
{
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, trials: 2}\n",
                "x.yaml:2:34: simulation.trials: duplicate key (first at line 2, column 14), got trials");
    expect_fail("name: t\nname: u\n", "x.yaml:2:1: name: duplicate key (first at line 1, column 1), got name");
}

Test(scenario, rejects_duplicate_keys_in_a_large_mapping)
{
    /* A mapping of 5000 parameters, the last repeating the 2500th: found by sorting. */
    size_t n = 5000, cap = n * 32 + 1024, len = 0;
    char *y = malloc(cap);
    len += (size_t)snprintf(y + len, cap - len, BASE "parameters:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(y + len, cap - len, "  p%zu: 1\n", i == n - 1 ? (size_t)2500 : i);
    expect_fail(y, "x.yaml:5006:3: parameters.p2500: duplicate key (first at line 2507, column 3)");
    free(y);
}

Test(scenario, rejects_missing_required_keys_at_their_mapping)
{
    expect_fail("name: t\nsimulation: {seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:13: simulation.trials: is required, got nothing");
    expect_fail("simulation: {trials: 1}\n", "x.yaml:1:1: name: is required, got nothing");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01}\n",
                "x.yaml:2:13: simulation.horizon_years: is required (or horizon_months), got nothing");
    expect_fail(BASE, "x.yaml:1:1: programmes: is required, got nothing");
}

Test(scenario, treats_null_as_not_given)
{
    sr_model *m = sr_test_model(BASE "indexation: ~\nparameters:\nstrata: null\n" PROG);
    cr_assert_eq(m->indexation, 0.0);
    cr_assert_eq(m->n_strata, 1);
    cr_assert_str_eq(m->strata[0].name, "all");
    cr_assert_float_eq(m->strata[0].share, 1.0, 0);
    sr_model_free(m);
    expect_fail("name: ~\n", "x.yaml:1:7: name: is required, got ~");
}

Test(scenario, rejects_out_of_range_values)
{
    expect_fail(BASE "indexation: -1\n" PROG, "x.yaml:6:13: indexation: must be a rate > -1, got -1");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 101}\n",
                "x.yaml:2:65: simulation.horizon_years: must be an integer in [1, 100], got 101");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_months: 1201}\n",
                "x.yaml:2:66: simulation.horizon_months: must be an integer in [1, 1200], got 1201");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2, "
                "horizon_months: 3}\n",
                "x.yaml:2:84: simulation.horizon_months: give exactly one of horizon_years and "
                "horizon_months, got 3");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-13, horizon_years: 2}\n",
                "x.yaml:2:41: simulation.start: must be a month YYYY-MM (month 01..12), got 2027-13");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01-01, horizon_years: 2}\n",
                "x.yaml:2:41: simulation.start: must be a month YYYY-MM (month 01..12), got 2027-01-01");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2}\n"
                "discount: {public: 0.03, investor: -2}\n",
                "x.yaml:3:36: discount.investor: must be a rate > -1, got -2");
    expect_fail(BASE "states2: x\n", "x.yaml:6:1: states2: unknown key");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2}\n"
                "discount: {public: 0.03, investor: 0.05}\n"
                "states: [{name: out}, {name: job}]\n"
                "transitions: [{from: out, to: job, probability: 1.0}]\n",
                "x.yaml:5:49: transitions[0].probability: must be a number in [0, 1), got 1.0");
}

/* ---- hostile files ---------------------------------------------------------------------- */

Test(hostile, empty_file)
{
    expect_fail("", "x.yaml:1:1: the file is empty: no YAML document");
}

Test(hostile, whitespace_and_comments_only)
{
    expect_fail("# nothing\n   \n\n", "x.yaml:4:1: the file is empty: no YAML document");
}

Test(hostile, a_root_that_is_not_a_mapping)
{
    expect_fail("- a\n- b\n", "x.yaml:1:1: a scenario must be a mapping of keys to values, got [a, b]");
    expect_fail("just text\n", "x.yaml:1:1: a scenario must be a mapping of keys to values, got just text");
    expect_fail("---\n", "x.yaml:2:1: a scenario must be a mapping of keys to values, got null");
}

Test(hostile, invalid_utf8)
{
    expect_fail("name: t\nsimulation: \xc3\x28\n", "x.yaml:2:13: invalid UTF-8 (byte 0xc3)");
    /* An overlong encoding of '/' and a UTF-16 byte order mark. */
    expect_fail("name: \xc0\xaf\n", "x.yaml:1:7: invalid UTF-8 (byte 0xc0)");
    expect_fail("\xff\xfen\x00", "x.yaml:1:1: invalid UTF-8 (byte 0xff)");
    /* Columns count characters, not bytes. */
    expect_fail("name: \xc3\xa6\xc3\xb8\xc3\xa5 \xff\n", "x.yaml:1:11: invalid UTF-8 (byte 0xff)");
}

Test(hostile, nul_bytes)
{
    const char y[] = "name: t\nsim\0ulation: 1\n";
    expect_fail_len(y, sizeof y - 1, SR_EXIT_DATAERR,
                    "x.yaml:2:4: a NUL byte is not allowed (is this a binary file?)");
    /* A NUL written as an escape in a quoted string. */
    expect_fail("name: \"a\\0b\"\n", "x.yaml:1:7: name: a NUL character is not allowed in a value");
}

Test(hostile, binary_garbage)
{
    unsigned char y[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof y; i++) {
        x = x * 1103515245u + 12345u;
        y[i] = (unsigned char)(x >> 16);
    }
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("x.yaml", (const char *)y, sizeof y, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert(strncmp(err.msg, "x.yaml:1:", 9) == 0, "%s", err.msg);
}

Test(hostile, control_characters)
{
    expect_fail("name: a\x01z\n", "x.yaml:1:8: control character U+0001 is not allowed");
}

Test(hostile, files_larger_than_the_limit)
{
    size_t n = SR_SCENARIO_MAX_BYTES + 1;
    char *y = malloc(n);
    memset(y, ' ', n);
    expect_fail_len(y, n, SR_EXIT_DATAERR, "x.yaml:1:1: the file is larger than 16777216 bytes");
    /* The same from a file: it is not read beyond the limit. */
    char *dir = sr_test_tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(y, 1, n, f), n);
    fclose(f);
    sr_error err = {0};
    cr_assert_null(sr_scenario_load(path, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s:1:1: the file is larger than", path);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s", err.msg);
    remove(path);
    remove(dir);
    free(dir);
    free(y);
}

Test(hostile, flow_nesting_a_hundred_thousand_deep)
{
    /* libyaml's scanner is quadratic in flow depth; the pre-pass stops at level 65. */
    size_t n = 100000;
    char *y = malloc(n + 1);
    memset(y, '[', n);
    y[n] = '\0';
    expect_fail(y, "x.yaml:1:65: nesting deeper than 64 levels");
    free(y);
}

Test(hostile, block_nesting_past_the_limit)
{
    char y[16384];
    size_t len = 0;
    for (int i = 0; i < 70; i++)
        len += (size_t)snprintf(y + len, sizeof y - len, "%*sk%d:\n", i, "", i);
    expect_fail(y, "x.yaml:65:65: nesting deeper than 64 levels");
}

Test(hostile, anchors_and_aliases_even_a_billion_laughs)
{
    expect_fail("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n",
                "x.yaml:1:4: anchors (&a) are not supported");
    expect_fail("name: *x\n", "x.yaml:1:7: aliases (*x) are not supported");
}

Test(hostile, several_documents)
{
    expect_fail("name: a\n---\nname: b\n", "x.yaml:2:1: only one YAML document is allowed per file");
}

Test(hostile, tab_indentation)
{
    expect_fail("name: t\nsimulation:\n\ttrials: 1\n",
                "x.yaml:3:1: invalid YAML: found character that cannot start any token (while "
                "scanning for the next token); tabs are not allowed for indentation");
}

Test(hostile, syntax_errors_with_their_position)
{
    /* the problem is found on line 3; the mapping it is in began on line 2 */
    expect_fail("name: t\nsimulation: {trials: 1\n",
                "x.yaml:3:1: invalid YAML: did not find expected ',' or '}' (while parsing a "
                "flow mapping that starts at 2:13)");
    expect_fail("a: b\n  c: d\n", "x.yaml:2:4: invalid YAML: mapping values are not allowed in this context");
}

Test(hostile, tags_and_complex_keys)
{
    expect_fail("name: !!str t\n", "x.yaml:1:7: tags (tag:yaml.org,2002:str) are not supported");
    expect_fail("? [a, b]\n: 1\n", "x.yaml:1:3: a key must be a plain name, not a list or mapping, got [a, b]");
}

Test(hostile, more_values_than_the_limit)
{
    size_t n = SR_SCENARIO_MAX_NODES + 10, cap = 2 * n + 16, len = 0;
    char *y = malloc(cap);
    len += (size_t)snprintf(y, cap, "a: [1");
    for (size_t i = 1; i < n; i++) {
        y[len++] = ',';
        y[len++] = '1';
    }
    y[len++] = ']';
    y[len] = '\0';
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("x.yaml", y, len, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert(strstr(err.msg, "more than 262144 values") != NULL, "%s", err.msg);
    free(y);
}

Test(hostile, a_missing_or_unreadable_file)
{
    sr_error err = {0};
    cr_assert_null(sr_scenario_load("/nonexistent/x.yaml", NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_NOINPUT);
    cr_assert_str_eq(err.msg, "/nonexistent/x.yaml: cannot read the scenario: No such file or directory");
    char *dir = sr_test_tmpdir();
    cr_assert_null(sr_scenario_load(dir, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_NOINPUT);
    cr_assert(strstr(err.msg, "Is a directory") != NULL, "%s", err.msg);
    remove(dir);
    free(dir);
}

Test(scenario, loads_from_a_file)
{
    char *dir = sr_test_tmpdir();
    char *path = sr_test_write_file(dir, "s.yaml", spec_example);
    sr_error err = {0};
    sr_model *m = sr_scenario_load(path, NULL, 0, &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_str_eq(m->source_text, spec_example);
    sr_model_free(m);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
}

/* ---- distributions and parameters ------------------------------------------------------- */

Test(distributions, rejects_impossible_parameterisations)
{
#define P(x) BASE "parameters: {x: " x "}\n" PROG
    expect_fail(P("{dist: beta, mean: 0.3, sd: 0.5}"),
                "x.yaml:6:45: parameters.x.sd: must be below sqrt(mean (1 - mean)) = 0.458258 for a "
                "beta distribution with mean 0.3, got 0.5");
    expect_fail(P("{dist: beta, mean: 1.3, sd: 0.1}"),
                "x.yaml:6:36: parameters.x.mean: must be in (0, 1) for a beta distribution, got 1.3");
    expect_fail(P("{dist: gamma, mean: 0, sd: 1}"),
                "x.yaml:6:37: parameters.x.mean: must be > 0 for a gamma distribution, got 0");
    expect_fail(P("{dist: gamma, mean: 1, sd: 0}"), "x.yaml:6:44: parameters.x.sd: must be > 0, got 0");
    expect_fail(P("{dist: lognormal, median: 2, p95: 1.5}"),
                "x.yaml:6:51: parameters.x.p95: must be above the median (2), got 1.5");
    expect_fail(P("{dist: lognormal, median: 0, p95: 1.5}"),
                "x.yaml:6:43: parameters.x.median: must be > 0 for a lognormal distribution, got 0");
    expect_fail(P("{dist: lognormal, mean: -1, sd: 1}"),
                "x.yaml:6:41: parameters.x.mean: must be > 0 for a lognormal distribution, got -1");
    expect_fail(P("{dist: lognormal, median: 1, sd: 1}"),
                "x.yaml:6:17: parameters.x: a lognormal distribution takes either median and p95, "
                "or mean and sd, got {dist: lognormal, median: 1, sd: 1}");
    expect_fail(P("{dist: normal, mean: 0, sd: -1}"), "x.yaml:6:45: parameters.x.sd: must be > 0, got -1");
    expect_fail(P("{dist: normal, mean: 0, sd: 1, min: 2, max: 2}"),
                "x.yaml:6:61: parameters.x.max: must be above min (2), got 2");
    expect_fail(P("{dist: normal, mean: 0, sd: 1, min: 40}"),
                "x.yaml:6:17: parameters.x: [min, max] holds less than 1e-09 of the normal's probability");
    expect_fail(P("{dist: uniform, min: 3, max: 1}"),
                "x.yaml:6:46: parameters.x.max: must be above min (3), got 1");
    expect_fail(P("{dist: pert, min: 0, mode: 6, max: 5}"),
                "x.yaml:6:44: parameters.x.mode: must lie in [min, max] = [0, 5], got 6");
    expect_fail(P("{dist: triangular, min: 1, mode: 1, max: 1}"),
                "x.yaml:6:58: parameters.x.max: must be above min (1), got 1");
    expect_fail(P("{dist: weibull, shape: 1}"),
                "x.yaml:6:24: parameters.x.dist: must be beta, gamma, lognormal, normal, uniform, pert "
                "or triangular, got weibull");
    expect_fail(P("{dist: uniform, min: 0, max: 1, mode: 0.5}"),
                "x.yaml:6:49: parameters.x.mode: unknown key (expected dist, min, max), got mode");
    expect_fail(P("{dist: uniform, min: 0}"), "x.yaml:6:17: parameters.x.max: is required, got nothing");
    expect_fail(P("{mean: 1, sd: 2}"),
                "x.yaml:6:17: parameters.x.dist: is required: a number given as a mapping is a "
                "distribution, got nothing");
    expect_fail(P("{dist: uniform, min: $y, max: 1}"),
                "x.yaml:6:38: parameters.x.min: must be a number (the parameters of a uniform "
                "distribution are fixed numbers), got $y");
#undef P
}

Test(distributions, rejects_a_support_that_leaves_the_range_of_its_key)
{
    const char *head = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                       "discount: {public: 0.03, investor: 0.05}\n"
                       "states: [{name: out}, {name: job}]\n";
    char y[1024];
    /* A normal hazard without min >= 0 can go negative. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, hazard: {dist: normal, mean: 0.01, sd: 0.005}}]\n" PROG, head);
    expect_fail(y, "x.yaml:5:44: transitions[0].hazard: must be a number >= 0, but a normal distribution "
                   "on (-inf, inf) can leave it (bound it with min/max), got {dist: normal, mean: 0.01, sd: 0.005}");
    /* ... and with min: 0 it cannot. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, hazard: {dist: normal, mean: 0.01, sd: 0.005, min: 0}}]\n" PROG, head);
    sr_model *m = sr_test_model(y);
    cr_assert_eq(m->num[m->transitions[0].rate].kind, SR_DIST_NORMAL);
    cr_assert_eq(m->num[m->transitions[0].rate].p[2], 0.0);
    cr_assert(isinf(m->num[m->transitions[0].rate].p[3]));
    sr_model_free(m);
    /* A beta probability is fine; a uniform reaching 1 is not a probability in [0, 1). */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.1, sd: 0.05}}]\n" PROG, head);
    sr_model_free(sr_test_model(y));
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: uniform, min: 0, max: 1}}]\n" PROG, head);
    expect_fail(y, "x.yaml:5:49: transitions[0].probability: must be a number in [0, 1), but a uniform "
                   "distribution on [0, 1] can leave it");
    /* Each probability fits [0, 1), but together the draws can reach a sum of 1 or more,
     * which has no monthly hazard: two betas can sum to 2, a beta and 0.1 to 1.1. */
    const char *head3 = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                        "discount: {public: 0.03, investor: 0.05}\n"
                        "states: [{name: out}, {name: job}, {name: moved}]\n";
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.45, sd: 0.2}},\n"
                          "  {from: out, to: moved, probability: {dist: beta, mean: 0.45, sd: 0.2}}]\n" PROG, head3);
    expect_fail(y, "x.yaml:6:39: transitions[1].probability: the probabilities out of state out can sum to 2 in a trial");
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.1, sd: 0.05}},\n"
                          "  {from: out, to: moved, probability: 0.1}]\n" PROG, head3);
    expect_fail(y, "x.yaml:6:39: transitions[1].probability: the probabilities out of state out can sum to 1.1 in a trial");
    /* Bounded so that the upper ends sum to at most 1, they are accepted. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: uniform, min: 0.2, max: 0.6}},\n"
                          "  {from: out, to: moved, probability: 0.4}]\n" PROG, head3);
    sr_model_free(sr_test_model(y));
    /* A named parameter must fit every key that uses it. */
    snprintf(y, sizeof y, "%sparameters: {e: {dist: lognormal, median: 0.5, p95: 0.9}}\n"
                          "transitions: [{from: out, to: job, probability: $e}]\n" PROG, head);
    expect_fail(y, "x.yaml:6:49: transitions[0].probability: must be a number in [0, 1), but the "
                   "parameter is a lognormal distribution on (0, inf), which can leave it, got $e");
    snprintf(y, sizeof y, "%sparameters: {e: -0.5}\ntransitions: [{from: out, to: job, hazard: $e}]\n" PROG, head);
    expect_fail(y, "x.yaml:6:44: transitions[0].hazard: must be a number >= 0, but the parameter is -0.5, got $e");
}

Test(parameters, share_one_table_entry_between_uses)
{
    sr_model *m = sr_test_model(
        "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
        "discount: {public: $r, investor: 0.05}\n"
        "parameters: {h: {dist: gamma, mean: 0.1, sd: 0.02}, r: 0.03}\n"
        "states: [{name: out}, {name: job}, {name: x}]\n"
        "transitions: [{from: out, to: job, hazard: $h}, {from: job, to: x, hazard: \"$h\"}]\n" PROG);
    cr_assert_eq(m->transitions[0].rate, m->transitions[1].rate);
    cr_assert_eq(m->transitions[0].rate, m->parameters[0].num);
    cr_assert_eq(m->num[m->parameters[0].num].parameter, 0);
    cr_assert_eq(m->num[m->parameters[0].num].kind, SR_DIST_GAMMA);
    /* A fixed parameter may stand where no uncertainty is allowed. */
    cr_assert_float_eq(m->discount_public, 0.03, 0);
    sr_model_free(m);
}

Test(parameters, rejects_undefined_references_and_chains)
{
    expect_fail(BASE "parameters: {a: 1}\nindexation: $b\n" PROG,
                "x.yaml:7:13: indexation: undefined parameter (see parameters:), got $b");
    expect_fail(BASE "parameters: {a: 1, b: $a}\n" PROG,
                "x.yaml:6:23: parameters.b: must be a number or a distribution (a parameter cannot "
                "refer to another), got $a");
    expect_fail(BASE "parameters: {a: {dist: uniform, min: 0, max: 1}}\nindexation: $a\n" PROG,
                "x.yaml:7:13: indexation: must be a fixed number (this key cannot be uncertain), but "
                "the parameter is a uniform distribution on [0, 1], got $a");
    expect_fail(BASE "parameters: {1a: 1}\n" PROG,
                "x.yaml:6:14: parameters.1a: must be a name: a letter or _, then letters, digits or _");
    expect_fail(BASE "parameters: {a: hello}\n" PROG,
                "x.yaml:6:17: parameters.a: must be a number or a distribution {dist: ...}, got hello");
}

Test(parameters, notes_a_parameter_nobody_uses)
{
    sr_model *m = sr_test_model(BASE "parameters: {unused: 3}\n" PROG);
    cr_assert_not_null(m->notes);
    cr_assert_str_eq(m->notes, "parameter unused is defined but not used");
    sr_model_free(m);
}

Test(correlations, accepts_a_positive_definite_matrix)
{
    sr_model *m = sr_test_model(BASE
        "parameters: {a: {dist: uniform, min: 0, max: 1}, b: {dist: uniform, min: 0, max: 1},\n"
        "             c: {dist: uniform, min: 0, max: 1}}\n"
        "correlations: [[a, b, 0.5], [$b, $c, 0.5], [a, c, 0.25]]\n" PROG);
    cr_assert_eq(m->n_correlations, 3);
    cr_assert_eq(m->correlations[1].a, 1);
    cr_assert_eq(m->correlations[1].b, 2);
    cr_assert_float_eq(m->correlations[2].rho, 0.25, 0);
    sr_model_free(m);
}

Test(correlations, rejects_what_is_not_a_correlation)
{
#define C(x) BASE "parameters: {a: {dist: uniform, min: 0, max: 1}, b: {dist: uniform, min: 0, max: 1},\n" \
                  "             c: {dist: uniform, min: 0, max: 1}, f: 2}\n" \
                  "correlations: " x "\n" PROG
    /* rho(a,b) = rho(b,c) = 0.9 with rho(a,c) = -0.9 is no correlation matrix. */
    expect_fail(C("[[a, b, 0.9], [b, c, 0.9], [a, c, -0.9]]"),
                "x.yaml:8:15: correlations: the correlation matrix must be positive definite, got a "
                "matrix that is not positive definite (it fails at parameter c)");
    expect_fail(C("[[a, a, 0.5]]"), "x.yaml:8:20: correlations[0][1]: must differ from the first parameter, got a");
    expect_fail(C("[[a, b, 1]]"), "x.yaml:8:23: correlations[0][2]: must be a number in (-1, 1), got 1");
    expect_fail(C("[[a, f, 0.1]]"),
                "x.yaml:8:20: correlations[0][1]: must name an uncertain parameter (a distribution), "
                "but this one is fixed, got f");
    expect_fail(C("[[a, z, 0.1]]"), "x.yaml:8:20: correlations[0][1]: undefined parameter (see parameters:), got z");
    expect_fail(C("[[a, b, 0.1], [b, a, 0.2]]"),
                "x.yaml:8:29: correlations[1]: correlates a pair of parameters a second time");
    expect_fail(C("[[a, b]]"), "x.yaml:8:16: correlations[0]: must be a triple [parameter, parameter, rho], got [a, b]");
#undef C
}

/* ---- states, transitions, strata, cash flows -------------------------------------------- */

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
    sr_model *m = sr_test_model(BASE
        "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05}, recession: {pro: 0.6, counter: 1.5},\n"
        "        start_in_recession: true, rho: 0.2, persistence: 0.5}\n" PROG);
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_REGIME);
    cr_assert(m->macro.start_in_recession);
    cr_assert_str_eq(m->notes, "macro.rho is ignored: macro.model is regime\n"
                               "macro.persistence is ignored: macro.model is regime");
    sr_model_free(m);
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
    m = sr_test_model(BASE "macro: {model: gaussian_factor, rho: 0.2, persistence: 0.9}\n" PROG);
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_GAUSSIAN);
    cr_assert_float_eq(num(m, m->macro.rho), 0.2, 0);
    cr_assert_float_eq(num(m, m->macro.persistence), 0.9, 0);
    sr_model_free(m);
    m = sr_test_model(BASE PROG);
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_NONE);
    sr_model_free(m);
}

/* ---- programmes ------------------------------------------------------------------------- */

#define PROGRAMME_HEAD BASE "programmes:\n  - name: p\n"  /* lines 6, 7; keys from line 8, column 5 */

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
    sr_model *m = sr_test_model(PROGRAMME_HEAD
        "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out, initial_tenure: 5}\n");
    cr_assert_eq(m->programmes[0].initial_tenure, 5);
    cr_assert_str_eq(m->notes, "programmes[0].cohort.initial_tenure 5 is capped at the tenure_max (3) of state out");
    cr_assert(!m->programmes[0].has_intervention && !m->programmes[0].has_contract);
    cr_assert_null(m->programmes[0].control_intake);
    for (size_t s = 0; s < m->n_states; s++)
        cr_assert(m->programmes[0].while_in[s]);
    sr_model_free(m);
}

#define COHORT "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}\n" /* line 8 */

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
    sr_model *m = sr_test_model(PROGRAMME_HEAD COHORT
        "    contract:\n"
        "      payer: state\n"
        "      type: rate_card\n"
        "      outcomes: [{name: job0, state: job, tenure: 0, price: 10000},\n"
        "                 {name: out3, state: out, tenure: 3, price: {dist: uniform, min: 1, max: 2}}]\n"
        "      baseline: {method: historical, rates: {job0: 0.2, out3: 0.1}}\n"
        "      term_years: 1\n"
        "      termination: {hazard_per_year: 0.1, shared: true}\n"
        "      frame_overflow: forfeited\n");
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
    cr_assert_str_eq(m->notes, "programmes[0].contract.frame_overflow is ignored: there is no annual_frame");
    sr_model_free(m);
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
    sr_model *m = sr_test_model(PROGRAMME_HEAD COHORT
        "    contract: {payer: municipality, type: savings_share, share: 0.5, term_years: 1,\n"
        "               outcomes: [{name: o, state: job, tenure: 0, price: 1}],\n"
        "               baseline: {method: none, size: 50}}\n"
        "    financing: {guarantee: {first_loss: 0.5}}\n");
    cr_assert_str_eq(m->notes, "programmes[0].contract.outcomes is ignored: the contract type is savings_share\n"
                               "programmes[0].contract.baseline.size is ignored: baseline.method is none");
    cr_assert_eq(m->programmes[0].contract.n_outcomes, 0);
    cr_assert_null(m->programmes[0].control_intake);
    cr_assert(m->programmes[0].financing.has_guarantee);
    sr_model_free(m);
    m = sr_test_model(PROGRAMME_HEAD COHORT "    financing: {surplus: {cap_irr: 0.1}}\n");
    cr_assert_str_eq(m->notes, "programmes[0].financing is ignored: the programme has no contract");
    cr_assert(!m->programmes[0].financing.has_surplus_cap);
    sr_model_free(m);
    expect_fail(PROGRAMME_HEAD COHORT "    financing: {guarantee: {first_loss: 1.2}}\n",
                "x.yaml:9:41: programmes[0].financing.guarantee.first_loss: must be a number in [0, 1], got 1.2");
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

/* ---- overrides -------------------------------------------------------------------------- */

Test(overrides, replace_a_value_before_validation)
{
    sr_model *m = load_set(spec_example, "programmes[0].cohort.size=2000");
    cr_assert_eq(m->programmes[0].size, 2000);
    cr_assert_eq(intake_sum(m, m->programmes[0].intake, 0), 600);
    cr_assert_eq(intake_sum(m, m->programmes[0].intake, 1), 1400);
    sr_model_free(m);
    m = load_set(spec_example, "parameters.effect.median=1.1");
    cr_assert_float_eq(m->num[m->parameters[0].num].p[0], log(1.1), 1e-15);
    sr_model_free(m);
}

Test(overrides, take_a_flow_mapping_as_value)
{
    sr_model *m = load_set(spec_example, "macro.switch={to_recession: 0.02, to_normal: 0.1}");
    cr_assert_float_eq(num(m, m->macro.to_recession), 0.02, 0);
    cr_assert_float_eq(num(m, m->macro.to_normal), 0.1, 0);
    sr_model_free(m);
}

Test(overrides, add_a_missing_key_and_missing_mappings)
{
    sr_model *m = load_set(spec_example, "macro.start_in_recession=true");
    cr_assert(m->macro.start_in_recession);
    sr_model_free(m);
    m = load_set(BASE PROG, "macro.model=none");
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_NONE);
    sr_model_free(m);
    /* Two levels created: strata[0].multiply, then its key. */
    m = load_set(spec_example, "strata[0].multiply.outside->education=3");
    cr_assert_float_eq(num(m, m->strata[0].multiply[transition(m, "outside", "education")]), 3, 0);
    sr_model_free(m);
    /* A key whose value is null becomes a mapping to hold the new key. */
    m = load_set(BASE "macro:\n" PROG, "macro.model=none");
    cr_assert_eq(m->macro.model, SR_MACRO_MODEL_NONE);
    sr_model_free(m);
}

Test(overrides, apply_in_order_the_last_winning)
{
    const char *sets[] = {"programmes[0].cohort.size=20", "programmes[0].cohort.size=30"};
    sr_error err = {0};
    sr_model *m = load_with(BASE PROG, sets, 2, &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_eq(m->programmes[0].size, 30);
    sr_model_free(m);
}

Test(overrides, unset_an_optional_key_with_null)
{
    sr_model *m = load_set(spec_example, "programmes[0].contract.cap_total=~");
    cr_assert(!m->programmes[0].contract.has_cap_total);
    sr_model_free(m);
}

Test(overrides, report_schema_errors_with_the_set_prefix)
{
    expect_set_fail(spec_example, "programmes[0].cohort.size=-5",
                    "--set programmes[0].cohort.size=-5: programmes[0].cohort.size: must be a positive "
                    "integer, got -5");
    expect_set_fail(spec_example, "macro.switch={to_recession: 2, to_normal: 0.1}",
                    "--set macro.switch={to_recession: 2, to_normal: 0.1}: macro.switch.to_recession: "
                    "must be a number in [0, 1], got 2");
    expect_set_fail(spec_example, "macro.colour=red",
                    "--set macro.colour=red: macro.colour: unknown key (expected model, switch, recession, "
                    "start_in_recession, rho, persistence), got colour");
    expect_set_fail(spec_example, "macro.switch={to_recession: 0.1}",
                    "--set macro.switch={to_recession: 0.1}: macro.switch.to_normal: is required, got nothing");
    /* An error the override causes elsewhere points at the file. */
    expect_set_fail(spec_example, "strata[0].share=0.5",
                    "x.yaml:20:3: strata: the shares must sum to 1 (within 1e-9), got a sum of 1.2");
}

Test(overrides, reject_paths_that_do_not_lead_anywhere)
{
    expect_set_fail(spec_example, "programmes[3].cohort.size=5",
                    "--set programmes[3].cohort.size=5: programmes[3]: index out of range: programmes has 1 item, got 3");
    expect_set_fail(spec_example, "simulation.trials.x=1",
                    "--set simulation.trials.x=1: simulation.trials: is not a mapping, so it cannot hold key x, got 10000");
    expect_set_fail(spec_example, "simulation[0]=1",
                    "--set simulation[0]=1: simulation: is not a list, so [0] cannot index it, got {trials: 10000,");
    expect_set_fail(BASE PROG, "strata[0].share=1",
                    "--set strata[0].share=1: strata: does not exist, so [0] cannot index it, got nothing");
    expect_set_fail(spec_example, "a..b=1", "--set a..b=1: invalid path: expected a key at character 3");
    expect_set_fail(spec_example, "a[x]=1", "--set a[x]=1: invalid path: expected an index like [0] at character 2");
    expect_set_fail(spec_example, "a]=1", "--set a]=1: invalid path: unexpected ']' at character 2");
}

Test(overrides, reject_values_that_are_not_yaml)
{
    expect_set_fail(spec_example, "macro.switch={to_recession: 0.02",
                    "--set macro.switch={to_recession: 0.02: cannot read the value: invalid YAML: did not "
                    "find expected ',' or '}' (while parsing a flow mapping that starts at 1:1) (at character 20)");
    expect_set_fail(spec_example, "macro.switch=&a {x: *a}",
                    "--set macro.switch=&a {x: *a}: cannot read the value: anchors (&a) are not supported");
    expect_set_fail(spec_example, "name=a\n---\nb",
                    "--set name=a\n---\nb: cannot read the value: only one YAML document is allowed per file");
}

Test(overrides, write_the_document_as_run_into_source_text)
{
    const char *sets[] = {"programmes[0].cohort.size=2000", "macro.start_in_recession=true",
                          "simulation.seed=7"};
    sr_error err = {0};
    sr_model *m = load_with(spec_example, sets, 3, &err);
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert(strstr(m->source_text, "size: 2000") != NULL, "%s", m->source_text);
    cr_assert(strstr(m->source_text, "start_in_recession: true") != NULL);
    cr_assert(strstr(m->source_text, "seed: 7") != NULL);
    /* The text reads back, without overrides, to the same model. */
    sr_model *again = sr_test_model(m->source_text);
    cr_assert_eq(again->programmes[0].size, 2000);
    cr_assert(again->macro.start_in_recession);
    cr_assert_eq(again->seed, 7);
    cr_assert_eq(again->n_num, m->n_num);
    for (size_t i = 0; i < m->n_num; i++) {
        cr_assert_eq(again->num[i].kind, m->num[i].kind);
        for (int k = 0; k < 4; k++)
            cr_assert(again->num[i].p[k] == m->num[i].p[k] || (isnan(again->num[i].p[k]) && isnan(m->num[i].p[k])));
    }
    cr_assert_eq(again->n_stresses, 3);
    cr_assert_str_eq(again->stresses[2].overrides[0].path, "programmes[0].cohort.intake.start");
    sr_model_free(again);
    sr_model_free(m);
    /* A null inside a flow collection stays a null. */
    m = load_set(BASE PROG, "macro={model: none, rho: }");
    sr_model *back = sr_test_model(m->source_text);
    cr_assert(strstr(m->source_text, "rho: null") != NULL, "%s", m->source_text);
    sr_model_free(back);
    sr_model_free(m);
}

Test(overrides, parse_path_equals_value)
{
    sr_override o;
    sr_error err = {0};
    cr_assert_eq(sr_override_parse("a.b[0]=x=y", &o, &err), 0);
    cr_assert_str_eq(o.path, "a.b[0]");
    cr_assert_str_eq(o.value, "x=y");
    sr_override_clear(&o);
    cr_assert_eq(sr_override_parse("a.b=", &o, &err), 0);
    cr_assert_str_eq(o.value, "");
    sr_override_clear(&o);
    cr_assert_neq(sr_override_parse("a.b", &o, &err), 0);
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert_str_eq(err.msg, "--set a.b: expected PATH=VALUE");
    cr_assert_neq(sr_override_parse("=1", &o, &err), 0);
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert_str_eq(err.msg, "--set =1: the path before '=' is empty");
}

/* ---- stresses --------------------------------------------------------------------------- */

Test(stresses, are_checked_by_applying_each)
{
    char y[8192];
    snprintf(y, sizeof y, "%s", spec_example);
    /* Line 51 names the stress; its value breaks the effect's distribution. */
    char *p = strstr(y, "weak_effect: {parameters.effect.median: 1.1}");
    cr_assert_not_null(p);
    memcpy(p, "weak_effect: {parameters.effect.median: 2.5}", strlen("weak_effect: {parameters.effect.median: 2.5}"));
    expect_fail(y, "x.yaml:52:3: stresses.weak_effect: x.yaml:5:48: parameters.effect.p95: must be above the median (2.5), got 1.9");
    expect_fail(BASE PROG "stresses: {s: {macro.model: chaos}}\n",
                "x.yaml:7:12: stresses.s: --set macro.model=chaos: macro.model: must be none, regime or "
                "gaussian_factor, got chaos");
    expect_fail(BASE PROG "stresses: {s: {\"a..b\": 1}}\n",
                "x.yaml:7:16: stresses.s[\"a..b\"]: is not an override path: expected a key at character 3");
    expect_fail(BASE PROG "stresses: {s: [1]}\n",
                "x.yaml:7:15: stresses.s: must be a mapping of override paths to values, got [1]");
}

/* Stresses are checked on top of the command line's overrides: an override that mends the
 * file mends its stresses too. With overrides, a stress that does not apply is a note
 * (only `sirisk stress` uses it, and refuses it); without, it is an error. */
Test(stresses, are_checked_on_top_of_the_overrides)
{
    const char *mended = "name: t\n"
                         "simulation: {trials: many, seed: 1, start: 2027-01, horizon_years: 2}\n"
                         "discount: {public: 0.03, investor: 0.05}\n"
                         "states: [{name: out, tenure_max: 3}, {name: job}, {name: gone, absorbing: true}]\n"
                         "transitions: [{from: out, to: job, hazard: 0.1}]\n"
                         PROG "stresses: {s: {macro.model: none}}\n";
    expect_fail(mended, "x.yaml:2:22: simulation.trials: must be a positive integer, got many");
    sr_model *m = load_set(mended, "simulation.trials=50");
    cr_expect_eq(m->trials, 50);
    sr_model_free(m);
    const char *addressed = BASE "parameters: {e: {dist: lognormal, median: 1.3, p95: 1.9}}\n"
                            "programmes: [{name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2},\n"
                            "  initial_state: out}, intervention: {effect: {transitions: [out->job],\n"
                            "  hazard_ratio: $e, months: 6}}}]\n"
                            "stresses: {weak: {parameters.e.median: 1.1}}\n";
    m = load_set(addressed, "parameters.e=1.2");
    cr_expect(m->notes != NULL && strstr(m->notes, "x.yaml:10:12: stresses.weak does not apply on "
                                                   "top of the command line's overrides") != NULL,
              "notes: %s", m->notes ? m->notes : "(none)");
    sr_model_free(m);
    const char *broken = BASE PROG "stresses: {s: {macro.model: chaos}}\n";
    expect_fail(broken, "x.yaml:7:12: stresses.s: --set macro.model=chaos: macro.model: must be "
                        "none, regime or gaussian_factor, got chaos");
    m = load_set(broken, "simulation.seed=3");
    cr_expect(m->notes != NULL && strstr(m->notes, "stresses.s does not apply") != NULL);
    sr_model_free(m);
}

Test(stresses, keep_values_as_flow_text)
{
    sr_model *m = sr_test_model(BASE PROG
        "stresses:\n"
        "  s: {macro: {model: regime, switch: {to_recession: 0.1, to_normal: 0.2}, recession: {pro: 1, counter: 2}},\n"
        "      name: \"a, b\", indexation: ~}\n");
    cr_assert_eq(m->stresses[0].n_overrides, 3);
    cr_assert_str_eq(m->stresses[0].overrides[0].value,
                     "{model: regime, switch: {to_recession: 0.1, to_normal: 0.2}, recession: {pro: 1, counter: 2}}");
    cr_assert_str_eq(m->stresses[0].overrides[1].value, "\"a, b\"");
    cr_assert_str_eq(m->stresses[0].overrides[2].value, "~");
    sr_model_free(m);
}

/* ---- the print ---------------------------------------------------------------------------- */

Test(print, shows_the_resolved_model)
{
    sr_model *m = sr_test_model(spec_example);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    sr_scenario_print(f, m);
    fclose(f);
    const char *expect[] = {
        "Simulation: 10000 trials, seed 20261127, 2027-01 .. 2036-12 (120 months)",
        "  [6] employed -> exited: hazard 0.002, macro none (transitions[4])",
        "      programme copenhagen: 300 persons (control group 150)",
        "    outside: municipality 9000, state 2500",
        "    intake per calendar year: 2027: 508 2028: 492",
        "hazard ratio $effect on outside->employed for 18 months",
        "  effect: lognormal(mu 0.300105, sigma 0.207769; median 1.35, mean 1.37946)",
        "  late_start: programmes[0].cohort.intake.start=2028-01",
        "Macro: regime switching; per month to recession 0.01, to normal 0.05"};
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++)
        cr_assert(strstr(buf, expect[i]) != NULL, "missing \"%s\" in:\n%s", expect[i], buf);
    free(buf);
    sr_model_free(m);
}
