/* Loading a scenario (sim/scenario/scenario.c): a whole file to a model, from text or a
 * file; the parameters, their correlations and the stresses it reads at the top level. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"

Test(scenario, loads_spec_example_states_and_simulation)
{
    sr_scenario *sc = sr_test_scenario(spec_example);
    sr_model *m = sc->model;
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
    cr_assert_null(sc->notes, "unexpected notes: %s", sc->notes);
    sr_scenario_free(sc);
}

Test(scenario, fills_intervention_contract_financing_macro_and_stresses)
{
    sr_scenario *sc = sr_test_scenario(spec_example);
    sr_model *m = sc->model;
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

    cr_assert_eq(sc->n_stresses, 3);
    cr_assert_str_eq(sc->stresses[0].name, "recession");
    cr_assert_str_eq(sc->stresses[0].overrides[0].path, "macro.start_in_recession");
    cr_assert_str_eq(sc->stresses[0].overrides[0].value, "true");
    cr_assert_str_eq(sc->stresses[1].overrides[0].value, "1.1");
    cr_assert_str_eq(sc->stresses[2].overrides[0].path, "programmes[0].cohort.intake.start");
    cr_assert_str_eq(sc->stresses[2].overrides[0].value, "2028-01");
    /* Without overrides the scenario text is kept verbatim, comments and all. */
    cr_assert_str_eq(sc->text, spec_example);
    sr_scenario_free(sc);
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
    sr_scenario *sc = sr_scenario_load(path, NULL, 0, &err);
    cr_assert_not_null(sc, "%s", err.msg);
    cr_assert_str_eq(sc->text, spec_example);
    sr_scenario_free(sc);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
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
    sr_scenario *sc = sr_test_scenario(BASE "parameters: {unused: 3}\n" PROG);
    cr_assert_not_null(sc->notes);
    cr_assert_str_eq(sc->notes, "parameter unused is defined but not used");
    sr_scenario_free(sc);
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
    sr_scenario *sc = load_set_scenario(addressed, "parameters.e=1.2");
    cr_expect(sc->notes != NULL && strstr(sc->notes, "x.yaml:10:12: stresses.weak does not apply on "
                                                   "top of the command line's overrides") != NULL,
              "notes: %s", sc->notes ? sc->notes : "(none)");
    sr_scenario_free(sc);
    const char *broken = BASE PROG "stresses: {s: {macro.model: chaos}}\n";
    expect_fail(broken, "x.yaml:7:12: stresses.s: --set macro.model=chaos: macro.model: must be "
                        "none, regime or gaussian_factor, got chaos");
    sc = load_set_scenario(broken, "simulation.seed=3");
    cr_expect(sc->notes != NULL && strstr(sc->notes, "stresses.s does not apply") != NULL);
    sr_scenario_free(sc);
}

Test(stresses, keep_values_as_flow_text)
{
    sr_scenario *sc = sr_test_scenario(BASE PROG
        "stresses:\n"
        "  s: {macro: {model: regime, switch: {to_recession: 0.1, to_normal: 0.2}, recession: {pro: 1, counter: 2}},\n"
        "      name: \"a, b\", indexation: ~}\n");
    cr_assert_eq(sc->stresses[0].n_overrides, 3);
    cr_assert_str_eq(sc->stresses[0].overrides[0].value,
                     "{model: regime, switch: {to_recession: 0.1, to_normal: 0.2}, recession: {pro: 1, counter: 2}}");
    cr_assert_str_eq(sc->stresses[0].overrides[1].value, "\"a, b\"");
    cr_assert_str_eq(sc->stresses[0].overrides[2].value, "~");
    sr_scenario_free(sc);
}
