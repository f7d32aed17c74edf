/* Overrides (sim/scenario/yaml_edit.c, sr_override_parse): `--set PATH=VALUE` grafted into
 * the document before it is checked, and the document as run written back. */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_cases.h"

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
    sr_scenario *sc = load_with(BASE PROG, sets, 2, &err);
    sr_model *m = sc->model;
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert_eq(m->programmes[0].size, 30);
    sr_scenario_free(sc);
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

Test(overrides, write_the_document_as_run_into_the_scenario_text)
{
    const char *sets[] = {"programmes[0].cohort.size=2000", "macro.start_in_recession=true",
                          "simulation.seed=7"};
    sr_error err = {0};
    sr_scenario *sc = load_with(spec_example, sets, 3, &err);
    sr_model *m = sc->model;
    cr_assert_not_null(m, "%s", err.msg);
    cr_assert(strstr(sc->text, "size: 2000") != NULL, "%s", sc->text);
    cr_assert(strstr(sc->text, "start_in_recession: true") != NULL);
    cr_assert(strstr(sc->text, "seed: 7") != NULL);
    /* The text reads back, without overrides, to the same model. */
    sr_scenario *again_sc = sr_test_scenario(sc->text);
    const sr_model *again = again_sc->model;
    cr_assert_eq(again->programmes[0].size, 2000);
    cr_assert(again->macro.start_in_recession);
    cr_assert_eq(again->seed, 7);
    cr_assert_eq(again->n_num, m->n_num);
    for (size_t i = 0; i < m->n_num; i++) {
        cr_assert_eq(again->num[i].kind, m->num[i].kind);
        for (int k = 0; k < 4; k++)
            cr_assert(again->num[i].p[k] == m->num[i].p[k] || (isnan(again->num[i].p[k]) && isnan(m->num[i].p[k])));
    }
    cr_assert_eq(again_sc->n_stresses, 3);
    cr_assert_str_eq(again_sc->stresses[2].overrides[0].path, "programmes[0].cohort.intake.start");
    sr_scenario_free(again_sc);
    sr_scenario_free(sc);
    /* A null inside a flow collection stays a null. */
    sc = load_set_scenario(BASE PROG, "macro={model: none, rho: }");
    sr_model *back = sr_test_model(sc->text);
    cr_assert(strstr(sc->text, "rho: null") != NULL, "%s", sc->text);
    sr_model_free(back);
    sr_scenario_free(sc);
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
