/* What the scenario tests share (test_scenario*.c, test_schema.c, test_yaml.c,
 * test_overrides.c): short scenarios to build on, a complete one, and loaders that check a
 * refusal's exit code and the exact `file:line:col: path:` start of its message (or
 * `--set PATH=VALUE: path:` for an override). Include after criterion.h. */
#ifndef SR_TEST_SCENARIO_CASES_H
#define SR_TEST_SCENARIO_CASES_H

#include <stdio.h>
#include <string.h>

#include "models/model.h"
#include "sim/scenario/scenario.h"
#include "support.h"

/* Lines 1-5 of most scenarios below; a programme line (6) completes them. Horizon
 * 2027-01 .. 2028-12 (24 months). */
#define BASE                                                                                \
    "name: t\n"                                                                             \
    "simulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"                 \
    "discount: {public: 0.03, investor: 0.05}\n"                                            \
    "states: [{name: out, tenure_max: 3}, {name: job}, {name: gone, absorbing: true}]\n"    \
    "transitions: [{from: out, to: job, hazard: 0.1}]\n"
#define PROG "programmes: [{name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}}]\n"

static inline sr_scenario *load_with(const char *yaml, const char *const *sets, size_t n,
                                     sr_error *err)
{
    sr_override ov[8];
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(sr_override_parse(sets[i], &ov[i], err), 0, "%s", err->msg);
    sr_scenario *sc = sr_scenario_load_text("x.yaml", yaml, strlen(yaml), ov, n, err);
    for (size_t i = 0; i < n; i++)
        sr_override_clear(&ov[i]);
    return sc;
}

static inline void expect_fail_len(const char *yaml, size_t len, int code, const char *prefix)
{
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load_text("x.yaml", yaml, len, NULL, 0, &err);
    cr_assert_null(sc, "accepted, expected: %s", prefix);
    cr_expect_eq(err.code, code, "exit code %d, message: %s", err.code, err.msg);
    cr_expect(strncmp(err.msg, prefix, strlen(prefix)) == 0, "message:\n  %s\nexpected it to begin:\n  %s",
              err.msg, prefix);
}

static inline void expect_fail(const char *yaml, const char *prefix)
{
    expect_fail_len(yaml, strlen(yaml), SR_EXIT_DATAERR, prefix);
}

static inline void expect_set_fail(const char *yaml, const char *set, const char *prefix)
{
    sr_error err = {0};
    sr_scenario *sc = load_with(yaml, &set, 1, &err);
    cr_assert_null(sc, "accepted --set %s, expected: %s", set, prefix);
    cr_assert_eq(err.code, SR_EXIT_DATAERR, "exit code %d, message: %s", err.code, err.msg);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0, "message:\n  %s\nexpected it to begin:\n  %s",
              err.msg, prefix);
}

static inline sr_scenario *load_set_scenario(const char *yaml, const char *set)
{
    sr_error err = {0};
    sr_scenario *sc = load_with(yaml, &set, 1, &err);
    cr_assert_not_null(sc, "--set %s rejected: %s", set, err.msg);
    return sc;
}

static inline sr_model *load_set(const char *yaml, const char *set)
{
    return sr_test_take_model(load_set_scenario(yaml, set));
}

static inline double num(const sr_model *m, sr_num n)
{
    cr_assert_lt(n, m->n_num);
    cr_assert_eq(m->num[n].kind, SR_DIST_FIXED, "entry %u is not fixed", (unsigned)n);
    return m->num[n].p[0];
}

static inline unsigned intake_sum(const sr_model *m, const unsigned *intake, size_t stratum)
{
    unsigned s = 0;
    for (size_t t = 0; t < m->n_months; t++)
        s += intake[stratum * m->n_months + t];
    return s;
}

static inline long transition(const sr_model *m, const char *from, const char *to)
{
    int a = sr_model_state_index(m, from), b = sr_model_state_index(m, to);
    for (size_t j = 0; j < m->n_transitions; j++)
        if ((int)m->transitions[j].from == a && (int)m->transitions[j].to == b)
            return (long)j;
    return -1;
}

/* A scenario using most keys (the example the format was designed around): one
 * municipality's job mentoring. Expected messages cite its lines. */
static const char spec_example[] __attribute__((unused)) =
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

#define PROGRAMME_HEAD BASE "programmes:\n  - name: p\n"  /* lines 6, 7; keys from line 8, column 5 */
#define COHORT "    cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}\n" /* line 8 */

#endif
