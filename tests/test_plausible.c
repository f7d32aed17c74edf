/* Mistakes caught, not swallowed: values beyond a key's plausible range (a percentage
 * written where a fraction belongs) refused where nobody means them and noted by validate
 * and run where some might, each message saying what was probably meant; an unknown
 * stress for --only answered with the valid names; -o with another format's name refused
 * with the export that makes it; stress and sweep progress naming the run and the
 * command's ETA. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "support.h"

#define BIN SIRISK_BINARY

/* sr_test_small with a contract that has a termination clause and a surplus cap. */
static const char contract[] =
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job, state: employed, tenure: 0, price: 20000}]\n"
    "      term_years: 3\n"
    "      termination: {hazard_per_year: 0.05}\n"
    "    financing: {surplus: {cap_irr: 0.07}}\n"
    "stresses: {dear: {discount.public: 0.05}, slow: {\"transitions[0].hazard\": 0.01}}\n";

static char *scenario(void)
{
    size_t n = strlen(sr_test_small) + strlen(contract) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%s%s", sr_test_small, contract);
    return s;
}

/* Loads the scenario with one override; returns the scenario or NULL with err filled. */
static sr_scenario *load_with(const char *path, const char *value, sr_error *err)
{
    char *text = scenario();
    const sr_override o = {.path = (char *)path, .value = (char *)value};
    sr_scenario *sc = sr_scenario_load_text("p.yaml", text, strlen(text), &o, 1, err);
    free(text);
    return sc;
}

static void expect_refused(const char *path, const char *value, const char *message)
{
    sr_error err = {0};
    sr_scenario *sc = load_with(path, value, &err);
    cr_expect_null(sc, "%s=%s was accepted", path, value);
    sr_scenario_free(sc);
    cr_expect_eq(err.code, SR_EXIT_DATAERR, "%s=%s", path, value);
    cr_expect_not_null(strstr(err.msg, message), "%s=%s: message lacks\n  %s\n%s", path, value,
                       message, err.msg);
}

static void expect_noted(const char *path, const char *value, const char *message)
{
    sr_error err = {0};
    sr_scenario *sc = load_with(path, value, &err);
    cr_assert_not_null(sc, "%s=%s: %s", path, value, err.msg);
    cr_expect(sc->cautions != NULL && strstr(sc->cautions, message) != NULL,
              "%s=%s: cautions lack\n  %s\n%s", path, value, message,
              sc->cautions ? sc->cautions : "(none)");
    cr_expect(sc->notes != NULL && strstr(sc->notes, message) != NULL,
              "%s=%s: validate's notes lack it", path, value);
    sr_scenario_free(sc);
}

static void expect_quiet(const char *path, const char *value)
{
    sr_error err = {0};
    sr_scenario *sc = load_with(path, value, &err);
    cr_assert_not_null(sc, "%s=%s: %s", path, value, err.msg);
    cr_expect_null(sc->cautions, "%s=%s: %s", path, value, sc->cautions);
    sr_scenario_free(sc);
}

Test(plausible, percentages_where_fractions_belong_are_refused)
{
    expect_refused("discount.public", "3.5",
                   "--set discount.public=3.5: discount.public: 3.5 is 350% a year, which no "
                   "scenario means: rates are fractions (0.035 for 3.5%), got 3.5");
    expect_refused("discount.investor", "6", "discount.investor: 6 is 600% a year");
    expect_refused("indexation", "2", "indexation: 2 is 200% a year, which no scenario means: "
                                      "rates are fractions (0.02 for 2%)");
    expect_refused("programmes[0].financing.surplus.cap_irr", "7",
                   "programmes[0].financing.surplus.cap_irr: 7 is 700% a year, which no "
                   "scenario means: rates are fractions (0.07 for 7%), got 7");
    expect_refused("programmes[0].contract.termination.hazard_per_year", "5",
                   "programmes[0].contract.termination.hazard_per_year: 5 per year cancels "
                   "99.3% of contracts within a year, which no contract expects; a hazard of "
                   "0.05 per year cancels about 5% a year, got 5");
    expect_refused("programmes[0].intervention.effect.hazard_ratio", "35",
                   "programmes[0].intervention.effect.hazard_ratio: 35 multiplies the hazards "
                   "35-fold, which no programme does; a rise of 35% is 1.35, got 35");
    /* a distribution by its mean (lognormal: median 30, mean above it) */
    expect_refused("programmes[0].intervention.effect.hazard_ratio",
                   "{dist: lognormal, median: 30, p95: 40}", "hazard_ratio: its mean 30.");
}

Test(plausible, unusual_values_are_noted_with_what_was_probably_meant)
{
    expect_noted("discount.public", "0.35",
                 "--set discount.public=0.35: discount.public: 0.35 is 35% a year; if 0.35% "
                 "was meant, write 0.0035 (rates are fractions) (valid, but probably not what "
                 "was meant)");
    expect_noted("indexation", "0.5", "indexation: 0.5 is 50% a year; if 0.5% was meant, "
                                      "write 0.005");
    expect_noted("programmes[0].financing.surplus.cap_irr", "0.5",
                 "cap_irr: 0.5 is 50% a year; if 0.5% was meant, write 0.005");
    expect_noted("programmes[0].contract.termination.hazard_per_year", "0.8",
                 "hazard_per_year: 0.8 per year cancels 55.1% of contracts within a year; a "
                 "hazard of 0.008 per year cancels about 0.8% a year");
    expect_noted("programmes[0].intervention.effect.hazard_ratio", "4",
                 "hazard_ratio: 4 multiplies the hazards 4-fold, beyond what evaluations of "
                 "such programmes report; a rise of 4% is 1.04");
    /* at the bounds: neither refused nor noted at the note's, noted at the error's */
    expect_quiet("discount.public", "0.15");
    expect_quiet("programmes[0].intervention.effect.hazard_ratio", "3");
    expect_noted("discount.public", "1", "discount.public: 1 is 100% a year");
    /* and the shipped scenarios raise none */
    const char *files[] = {"default", "national", "scale"};
    for (size_t k = 0; k < 3; k++) {
        char path[512];
        snprintf(path, sizeof path, SIRISK_SOURCE_DIR "/scenarios/%s.yaml", files[k]);
        sr_error err = {0};
        sr_scenario *sc = sr_scenario_load(path, NULL, 0, &err);
        cr_assert_not_null(sc, "%s", err.msg);
        cr_expect_null(sc->cautions, "%s: %s", files[k], sc->cautions);
        sr_scenario_free(sc);
    }
}

/* validate prints the note among its notes, run on stderr unless --quiet; both exit 0. */
Test(plausible, validate_and_run_print_the_note)
{
    char *dir = sr_test_tmpdir();
    char *text = scenario();
    free(sr_test_write_file(dir, "p.yaml", text));
    const char *note = "discount.public: 0.35 is 35% a year; if 0.35% was meant, write 0.0035";
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s validate p.yaml --set discount.public=0.35",
                                     dir, BIN), &out, &err);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect_not_null(strstr(out, note), "%s", out);
    free(out);
    free(err);
    rc = sr_test_run(sr_test_cmd("cd %s && %s run p.yaml --trials 20 -o r.h5 --set "
                                 "discount.public=0.35", dir, BIN), &out, &err);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect_not_null(strstr(err, "sirisk: note: --set discount.public=0.35: "), "%s", err);
    cr_expect_not_null(strstr(err, note), "%s", err);
    free(out);
    free(err);
    rc = sr_test_run(sr_test_cmd("cd %s && %s run p.yaml --trials 20 -o r.h5 --quiet --set "
                                 "discount.public=0.35", dir, BIN), &out, &err);
    cr_expect_eq(rc, 0);
    cr_expect_str_empty(err);
    cr_expect_str_empty(out);
    free(out);
    free(err);
    free(text);
    sr_test_remove_dir(dir);
}

Test(plausible, only_with_an_unknown_stress_lists_the_valid_names)
{
    char *text = scenario();
    sr_test_expect_failure(text, false, "stress small.yaml --only dear,fast -o s.h5", 64,
                           "sirisk: --only: no stress named 'fast' in the scenario; its "
                           "stresses are dear, slow");
    free(text);
}

Test(plausible, an_output_named_as_another_format_is_refused_with_the_export)
{
    char *text = scenario();
    sr_test_expect_failure(text, false, "run small.yaml -o result.csv", 64,
                           "sirisk: -o result.csv: sirisk writes HDF5 result sets, not csv: "
                           "write result.h5, then `sirisk export result.h5 --format csv`");
    sr_test_expect_failure(text, false, "stress small.yaml -o out/Table.XLSX", 64,
                           "-o out/Table.XLSX: sirisk writes HDF5 result sets, not XLSX: "
                           "write out/Table.h5, then `sirisk export out/Table.h5 --format "
                           "xlsx`");
    free(text);
}

/* What `sirisk ARGS` prints on a terminal (a pseudo-terminal made by script), run in dir;
 * malloc'd. */
static char *on_a_terminal(const char *dir, const char *args)
{
    char *out = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && script -qec '%s %s' /dev/null", dir, BIN, args),
                         &out, NULL);
    cr_expect_eq(rc, 0, "%s: %s", args, out);
    return out;
}

/* On a terminal, stress and sweep say before each run which it is, of how many, and from
 * the second on the whole command's ETA. */
Test(plausible, stress_and_sweep_progress_counts_runs_and_gives_an_eta)
{
    char *dir = sr_test_tmpdir();
    char *text = scenario();
    free(sr_test_write_file(dir, "p.yaml", text));
    char *out = on_a_terminal(dir, "stress p.yaml --trials 20 -o s.h5");
    const char *stress[] = {"stress 1 of 3: base (the whole command's ETA follows this run)",
                            "stress 2 of 3: dear (elapsed ", "stress 3 of 3: slow (elapsed ",
                            " s; ETA of the whole command "};
    for (size_t k = 0; k < sizeof stress / sizeof *stress; k++)
        cr_expect_not_null(strstr(out, stress[k]), "missing '%s':\n%s", stress[k], out);
    free(out);
    out = on_a_terminal(dir, "sweep p.yaml --trials 20 --param discount.public --values "
                             "0.02,0.04 -o w.h5");
    cr_expect_not_null(strstr(out, "sweep point 2 of 2: discount.public=0.04 (elapsed "),
                       "%s", out);
    free(out);
    free(text);
    sr_test_remove_dir(dir);
}
