/* The schema's tables (sim/scenario/schema.c, schema_print.c): unknown and missing keys,
 * null as "not given", keys that do not apply; the tables themselves; and the format
 * reference printed from them, which must equal docs/scenario-format.md and name every key
 * the loader accepts. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"

Test(scenario, rejects_unknown_key_with_line_and_path)
{
    expect_fail(BASE PROG "simulation2: 1\n",
                "x.yaml:7:1: simulation2: unknown key (expected name, simulation, discount,");
    expect_fail("name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2, trails: 3}\n",
                "x.yaml:2:69: simulation.trails: unknown key (expected trials, seed, start, "
                "horizon_years, horizon_months), got trails");
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
