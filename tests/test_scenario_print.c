/* `sirisk validate`'s print of the resolved model (sim/scenario/scenario_print.c). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"

Test(print, shows_the_resolved_model)
{
    sr_scenario *sc = sr_test_scenario(spec_example);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    sr_scenario_print(f, sc);
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
    sr_scenario_free(sc);
}
