/* The command line as a user meets it: real runs read back with h5py and h5dump, the same
 * file for any thread count, and every class of bad input with its exit code, its message
 * and no result file. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define BIN SIRISK_BINARY
#define SRC SIRISK_SOURCE_DIR

/* The shared small scenario (tests/support.h). */
static const char *const small = sr_test_small;

Test(cli, run_writes_a_result_set_that_h5py_and_h5dump_read)
{
    char *dir = sr_test_tmpdir();
    char *scenario = sr_test_write_file(dir, "small.yaml", small);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run small.yaml -o r.h5", dir, BIN), &out, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "savings_total") != NULL, "the summary table is printed:\n%s", out);
    free(out);
    free(err);

    const char *check =
        "import h5py, numpy as np\n"
        "f = h5py.File('r.h5', 'r')\n"
        "x = f['trials/savings_total'][:]\n"
        "assert x.shape == (500,), x.shape\n"
        "assert x.dtype == np.float64\n"
        "s = f['summary/savings_total'].attrs\n"
        "assert abs(s['mean'] - x.mean()) <= 1e-9 * abs(x.mean()), (s['mean'], x.mean())\n"
        "assert isinstance(f['trials/savings_total'].attrs['units'], str)\n"
        "assert f.attrs['trials'] == 500 and f.attrs['seed'] == 3\n"
        "p = f['programmes/town/trials/savings_total'][:]\n"
        "assert (p == x).all()\n"
        "assert f['annual/savings_total'].shape == (3, 9)\n"
        "assert 'name: small' in f['scenario'][()].decode()\n"
        "d = f['deterministic/savings_total'][()]\n"
        "# no parameter or macro risk: the deterministic value is the exact expectation\n"
        "assert abs(d - x.mean()) < 4.5 * x.std(ddof=1) / len(x) ** 0.5, (d, x.mean())\n"
        "print('ok')\n";
    sr_test_python(dir, check);

    rc = sr_test_run(sr_test_cmd("cd %s && h5dump -d /trials/savings_total r.h5", dir), &out, &err);
    cr_expect_eq(rc, 0, "h5dump failed: %s", err);
    cr_expect(strstr(out, "H5T_IEEE_F64LE") != NULL);
    free(out);
    free(err);
    free(scenario);
    sr_test_remove_dir(dir);
}

/* Same scenario, seed and trials: the same datasets and attributes, but created_utc. */
Test(cli, one_and_two_threads_write_the_same_file)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "small.yaml", small);
    const char *strip = "sed -e 1d -e '/ATTRIBUTE \"created_utc\"/,/^   }/d'";
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run small.yaml -o a.h5 --threads 1 --quiet && "
                             "%s run small.yaml -o b.h5 --threads 2 --quiet && "
                             "h5dump a.h5 | %s > a.txt && h5dump b.h5 | %s > b.txt && "
                             "cmp a.txt b.txt && test $(wc -l < a.txt) -gt 1000 && "
                             "! grep -q created_utc a.txt",
                             dir, BIN, BIN, strip, strip),
                         NULL, NULL);
    cr_expect_eq(rc, 0, "the two files differ (or h5dump failed) in %s", dir);
    sr_test_remove_dir(dir);
}

/* sr_test_expect_failure with this file's small scenario. */
static void expect_failure(const char *args, int code, const char *fragment)
{
    sr_test_expect_failure(small, false, args, code, fragment);
}

Test(cli, usage_errors_exit_64)
{
    expect_failure("", 64, "usage");
    expect_failure("fly small.yaml", 64, "unknown command");
    expect_failure("run", 64, "needs a scenario");
    expect_failure("run small.yaml --frobnicate", 64, "unknown option '--frobnicate'");
    expect_failure("run small.yaml --trials -3 -o old.h5", 64, "--trials");
    expect_failure("run small.yaml --threads", 64, "--threads needs a value");
    expect_failure("run small.yaml extra.yaml", 64, "unexpected argument");
}

/* A usage error names the command and the option; a long option is matched whole, never
 * by an abbreviation that a later option could make ambiguous. */
Test(cli, usage_errors_name_the_option_and_the_command)
{
    expect_failure("run small.yaml --frobnicate -o old.h5", 64,
                   "run: unknown option '--frobnicate'");
    expect_failure("stress small.yaml --frobnicate=3", 64, "stress: unknown option '--frobnicate'");
    expect_failure("run small.yaml --tri 10 -o old.h5", 64, "run: unknown option '--tri'");
    expect_failure("sweep small.yaml --threads", 64, "sweep: --threads needs a value");
    expect_failure("run small.yaml --quiet=yes -o old.h5", 64, "run: --quiet takes no value");
    expect_failure("run small.yaml --trials=0 -o old.h5", 64,
                   "run: --trials: expected a whole number from 1 to 1000000000, got '0'");
    expect_failure("validate small.yaml --trials=5", 64,
                   "validate: --trials: validate takes a scenario and --set only");
    expect_failure("summary old.h5 --quiet", 64,
                   "summary: --quiet: summary takes only a result file");
    expect_failure("run small.yaml --only=x -o old.h5", 64, "run: --only is an option of stress");
    expect_failure("--version --quiet", 64, "--version: --quiet: --version takes nothing");
}

Test(cli, missing_scenario_exits_66)
{
    expect_failure("run nowhere.yaml -o old.h5", 66, "nowhere.yaml");
}

Test(cli, invalid_scenario_exits_65_with_position_and_no_file)
{
    expect_failure("run small.yaml --set programmes[0].cohort.size=-5 -o old.h5", 65,
                   "--set programmes[0].cohort.size=-5");
    char *dir = sr_test_tmpdir();
    char *bad = malloc(strlen(small) + 64);
    strcpy(bad, small);
    char *at = strstr(bad, "size: 300");
    memcpy(at, "size: -30", 9);
    sr_test_write_file(dir, "bad.yaml", bad);
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run bad.yaml", dir, BIN), NULL, &err);
    cr_expect_eq(rc, 65);
    cr_expect(strstr(err, "bad.yaml:17:") != NULL && strstr(err, "programmes[0].cohort.size") != NULL,
              "message: %s", err);
    cr_expect(!sr_test_exists(sr_test_cmd("%s/results/bad.h5", dir)));
    free(err);
    free(bad);
    sr_test_remove_dir(dir);
}

Test(cli, unwritable_output_exits_74_and_keeps_the_earlier_file)
{
    expect_failure("run small.yaml -o missing/dir/r.h5", 74, "missing/dir");
    expect_failure("run small.yaml -o old.h5/inside.h5", 74, "old.h5");
}

Test(cli, summary_of_a_file_that_is_not_a_result_set_fails)
{
    expect_failure("summary nowhere.h5", 66, "nowhere.h5");
    expect_failure("summary old.h5", 74, "old.h5");
}

Test(cli, validate_prints_the_model_and_writes_nothing)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "small.yaml", small);
    char *out = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s validate small.yaml && test ! -e results", dir, BIN),
                         &out, NULL);
    cr_expect_eq(rc, 0);
    cr_expect(strstr(out, "outside") != NULL && strstr(out, "town") != NULL, "%s", out);
    free(out);
    sr_test_remove_dir(dir);
}

/* An interrupt stops the run with 130 and leaves neither a result nor a temporary file. */
Test(cli, interrupt_leaves_no_file, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && timeout --preserve-status -s INT 1 %s run %s/scenarios/national.yaml "
                             "--trials 20000 -o r.h5 --quiet",
                             dir, BIN, SRC),
                         NULL, &err);
    cr_expect_eq(rc, 130, "exit %d: %s", rc, err);
    cr_expect(strstr(err, "interrupted") != NULL, "%s", err);
    int empty = sr_test_run(sr_test_cmd("test -z \"$(ls -A %s)\"", dir), NULL, NULL);
    cr_expect_eq(empty, 0, "files left in %s", dir);
    free(err);
    sr_test_remove_dir(dir);
}

/* An interrupt while a sweep or a stress has its file open (its first run written, the
 * next one running: 20 trials of the national scenario, then 20,000) stops it with 130
 * and leaves no file, neither the target nor its temporary. */
Test(cli, interrupt_during_a_sweep_or_a_stress_leaves_no_file, .timeout = 120)
{
    const char *commands[] = {
        "sweep %s/scenarios/national.yaml --param simulation.trials --values 20,20000",
        "stress %s/scenarios/national.yaml --trials 20 --set "
        "'stresses={long: {simulation.trials: 20000}}'",
    };
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
        char *dir = sr_test_tmpdir();
        char command[512];
        snprintf(command, sizeof command, commands[k], SRC);
        /* SIGINT once the temporary file is there (or the command has ended) */
        char *err = NULL;
        int rc = sr_test_run(sr_test_cmd(
            "cd %s && { %s %s -o r.h5 --quiet & pid=$!; i=0; "
            "while [ $i -lt 1200 ] && ! ls -A | grep -q sirisk-tmp && kill -0 $pid 2>/dev/null; "
            "do sleep 0.05; i=$((i+1)); done; "
            "ls -A | grep -q sirisk-tmp && echo 'temporary seen' >&2; sleep 0.3; "
            "kill -INT $pid; wait $pid; }",
            dir, BIN, command), NULL, &err);
        cr_expect_eq(rc, 130, "%s: exit %d: %s", command, rc, err);
        cr_expect(strstr(err, "temporary seen") != NULL, "%s: no file was open: %s", command,
                  err);
        cr_expect(strstr(err, "interrupted") != NULL, "%s: %s", command, err);
        int empty = sr_test_run(sr_test_cmd("test -z \"$(ls -A %s)\"", dir), NULL, NULL);
        cr_expect_eq(empty, 0, "%s: files left in %s", command, dir);
        free(err);
        sr_test_remove_dir(dir);
    }
}

static const char *stresses =
    "stresses:\n"
    "  no_effect: {\"programmes[0].intervention.effect.hazard_ratio\": 1.0}\n"
    "  dearer: {\"programmes[0].intervention.costs.per_participant\": 20000}\n"
    "  recession: {macro.model: regime, macro.start_in_recession: true,\n"
    "              macro.switch: {to_recession: 0.0, to_normal: 0.0},\n"
    "              macro.recession: {pro: 0.5, counter: 2.0}}\n";

/* The base and each stress on the same random numbers: without an effect the arms are
 * identical (savings exactly 0 in every trial); a price change moves only the cost. */
Test(cli, stress_runs_every_stress_on_common_random_numbers)
{
    char *dir = sr_test_tmpdir();
    char *text = malloc(strlen(small) + strlen(stresses) + 1);
    strcpy(text, small);
    strcat(text, stresses);
    sr_test_write_file(dir, "s.yaml", text);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s stress s.yaml -o s.h5 --trials 300", dir, BIN), &out,
                         &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "no_effect") != NULL && strstr(out, "change") != NULL,
              "the stress table is printed:\n%s", out);
    const char *check =
        "import h5py, numpy as np\n"
        "f = h5py.File('s.h5', 'r')\n"
        "s = f['stress']\n"
        "assert list(s.keys()) == ['base', 'no_effect', 'dearer', 'recession'], list(s.keys())\n"
        "b = s['base/trials/savings_total'][:]\n"
        "assert (b == f['trials/savings_total'][:]).all()\n"
        "assert s['base'].attrs['seed'] == 3\n"
        "assert (s['no_effect/trials/savings_total'][:] == 0).all()\n"
        "assert (s['dearer/trials/savings_total'][:] == b).all()\n"
        "c0, c1 = s['base/trials/programme_cost'][:], s['dearer/trials/programme_cost'][:]\n"
        "assert (c1 > c0).all()\n"
        "assert (s['recession/macro/recession_months'][:] == 36).all()\n"
        "e0 = s['base/trials/employed_end_counterfactual'][:]\n"
        "e1 = s['recession/trials/employed_end_counterfactual'][:]\n"
        "assert e1.mean() < e0.mean() - 5 * np.sqrt((e0.var() + e1.var()) / len(e0))\n"
        "assert 'start_in_recession: true' in s['recession/scenario'][()].decode()\n"
        "print('ok')\n";
    free(out);
    free(err);
    sr_test_python(dir, check);

    rc = sr_test_run(sr_test_cmd("cd %s && %s stress s.yaml -o o.h5 --trials 50 --only dearer --quiet "
                         "&& /usr/bin/python3 -c \"import h5py; "
                         "assert list(h5py.File('o.h5')['stress']) == ['base', 'dearer']\"",
                         dir, BIN),
                     NULL, &err);
    cr_expect_eq(rc, 0, "--only: %s", err);
    free(err);
    rc = sr_test_run(sr_test_cmd("cd %s && %s stress s.yaml -o x.h5 --only nothing", dir, BIN), NULL,
                     &err);
    cr_expect_eq(rc, 64, "unknown stress: exit %d: %s", rc, err);
    cr_expect(strstr(err, "nothing") != NULL && !sr_test_exists(sr_test_cmd("%s/x.h5", dir)), "%s", err);
    free(err);
    /* An override that a stress cannot apply on top of: a note for `validate`; `stress`
     * refuses it (exit 65, no file). */
    const char *unfit = "--set 'programmes[0].intervention=~'";
    rc = sr_test_run(sr_test_cmd("cd %s && %s validate s.yaml %s", dir, BIN, unfit), &out, &err);
    cr_expect_eq(rc, 0, "validate: exit %d: %s", rc, err);
    cr_expect(strstr(out, "stresses.no_effect does not apply on top of the command line's overrides") !=
                  NULL, "%s", out);
    free(out);
    free(err);
    rc = sr_test_run(sr_test_cmd("cd %s && %s stress s.yaml -o y.h5 --trials 50 %s", dir, BIN, unfit),
                     NULL, &err);
    cr_expect_eq(rc, 65, "stress: exit %d: %s", rc, err);
    cr_expect(strstr(err, "stress no_effect") != NULL && !sr_test_exists(sr_test_cmd("%s/y.h5", dir)),
              "%s", err);
    free(err);
    free(text);
    sr_test_remove_dir(dir);
}

/* An option's value follows it as the next word or after '=': both give the same file. */
Test(cli, an_options_value_may_follow_an_equals_sign, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    char *text = malloc(strlen(small) + strlen(stresses) + 1);
    strcpy(text, small);
    strcat(text, stresses);
    sr_test_write_file(dir, "s.yaml", text);
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd(
        "cd %s && %s run s.yaml --trials=40 --seed=9 --threads=1 "
        "--set=programmes[0].cohort.size=200 -o eq.h5 --quiet && "
        "%s run s.yaml --trials 40 --seed 9 --threads 1 "
        "--set programmes[0].cohort.size=200 -o sp.h5 --quiet && "
        "%s stress s.yaml --only=dearer --trials=20 -o st.h5 --quiet && "
        "%s sweep s.yaml --param=programmes[0].cohort.size --values=200,300 --trials=20 "
        "-o sw.h5 --quiet",
        dir, BIN, BIN, BIN, BIN), NULL, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    const char *check =
        "import h5py\n"
        "a, b = h5py.File('eq.h5', 'r'), h5py.File('sp.h5', 'r')\n"
        "assert a.attrs['trials'] == 40 and a.attrs['seed'] == 9, dict(a.attrs)\n"
        "assert 'size: 200' in a['scenario'][()].decode()\n"
        "assert a['trials/savings_total'].shape == (40,)\n"
        "assert (a['trials/savings_total'][:] == b['trials/savings_total'][:]).all()\n"
        "assert a['scenario'][()] == b['scenario'][()]\n"
        "assert list(h5py.File('st.h5', 'r')['stress']) == ['base', 'dearer']\n"
        "w = h5py.File('sw.h5', 'r')\n"
        "assert list(w['sweep/values'][:]) == [200, 300], w['sweep/values'][:]\n"
        "assert w.attrs['trials'] == 20\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    free(err);
    free(text);
    sr_test_remove_dir(dir);
}

Test(cli, stress_without_stresses_is_an_invalid_scenario)
{
    expect_failure("stress small.yaml -o old.h5", 65, "stresses");
}

/* Output problems are found before any simulating, and a device is never replaced. */
Test(cli, output_problems_are_found_before_simulating, .timeout = 60)
{
    expect_failure("run small.yaml --trials 100000000 -o missing/r.h5", 74, "missing");
    expect_failure("run small.yaml -o /dev/null", 74, "not a regular file");
    expect_failure("validate small.yaml -o x.h5", 64, "validate takes");
    expect_failure("run small.yaml --set nothing", 65, "--set nothing");
}

/* Without -o, results/ is created in the working directory. */
Test(cli, default_output_directory_is_created)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "small.yaml", small);
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run small.yaml --trials 20 --quiet && test -f "
                             "results/small.h5", dir, BIN), NULL, NULL);
    cr_expect_eq(rc, 0);
    sr_test_remove_dir(dir);
}

/* A factor far in the tail (rho near 1, large hazards, two exits from a state) must not
 * produce a NaN probability: the run ends and every trial's counts are finite. */
Test(cli, extreme_macro_factor_draws_stay_defined, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "gx.yaml",
        "name: gx\n"
        "simulation: {trials: 3000, seed: 1, start: 2027-01, horizon_months: 24}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}, {name: gone, absorbing: true}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: 3, macro: pro}\n"
        "  - {from: outside, to: gone, hazard: 0.01}\n"
        "  - {from: employed, to: outside, hazard: 1.0, macro: counter}\n"
        "  - {from: employed, to: gone, hazard: 0.01}\n"
        "macro: {model: gaussian_factor, rho: 0.99, persistence: 0.9}\n"
        "programmes:\n"
        "  - {name: a, cohort: {size: 1000, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n");
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run gx.yaml -o gx.h5 --quiet && /usr/bin/python3 -c "
                             "\"import h5py, numpy as np; f = h5py.File('gx.h5'); "
                             "x = f['trials/employed_end_treated'][:]; "
                             "assert np.isfinite(x).all() and (x >= 0).all() and (x <= 1000).all()\"",
                             dir, BIN),
                         NULL, &err);
    cr_expect_eq(rc, 0, "%s", err);
    free(err);
    sr_test_remove_dir(dir);
}

/* A portfolio's summary shows diversification and the decision table of its contracts. */
Test(cli, portfolio_summary_shows_diversification_and_the_decision, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run %s/scenarios/national.yaml --trials 60 -o n.h5 "
                             "--quiet && %s summary n.h5",
                             dir, BIN, SRC, BIN),
                         &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "diversification") != NULL && strstr(out, "portfolio es95") != NULL,
              "%s", out);
    cr_expect(strstr(out, "fund it itself") != NULL && strstr(out, "pay by results") != NULL &&
                  strstr(out, "P(loss)") != NULL,
              "%s", out);
    free(out);
    free(err);
    sr_test_remove_dir(dir);
}

/* Whether text is plain printable ASCII in lines: what a terminal shows as it is. */
static bool printable(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p >= 0x7F)
            return false;
    return true;
}

/* A YAML escape puts a control or format character into a name: refused (exit 65) with
 * the file, line, column and key, and the character escaped; nothing raw reaches the
 * terminal. Positions: the value's line and column in the edited scenario. */
Test(cli, names_with_control_or_format_characters_are_refused)
{
    static const struct {
        const char *plain, *escaped;   /* replaced in the small scenario */
        const char *where, *character;
    } cases[] = {
        {"name: small", "name: \"sm\\u202eall\"", "s.yaml:1:7: name: ", "\\u202e"},
        {"name: outside, tenure_max", "name: \"out\\e[2Jside\", tenure_max",
         "s.yaml:5:12: states[0].name: ", "\\x1b"},
        {"- name: town", "- name: \"to\\u2066wn\"", "s.yaml:16:11: programmes[0].name: ",
         "\\u2066"},
        {"discount:", "parameters: {\"p\\x85\": 1}\ndiscount:", "s.yaml:3:14: parameters",
         "\\x85"},
        {"programmes:", "stresses: {\"a\\u200bb\": {trials: 5}}\nprogrammes:",
         "s.yaml:15:12: stresses", "\\u200b"},
    };
    char *dir = sr_test_tmpdir();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *at = strstr(small, cases[i].plain);
        cr_assert_not_null(at);
        char *text = malloc(strlen(small) + strlen(cases[i].escaped) + 1);
        sprintf(text, "%.*s%s%s", (int)(at - small), small, cases[i].escaped,
                at + strlen(cases[i].plain));
        free(sr_test_write_file(dir, "s.yaml", text));
        char *out = NULL, *err = NULL;
        int rc = sr_test_run(sr_test_cmd("cd %s && %s validate s.yaml", dir, BIN), &out, &err);
        cr_expect_eq(rc, 65, "case %zu: exit %d: %s%s", i, rc, out, err);
        cr_expect(strstr(err, cases[i].where) != NULL, "case %zu lacks '%s': %s", i,
                  cases[i].where, err);
        cr_expect(strstr(err, "must not hold a control or format character") != NULL &&
                      strstr(err, cases[i].character) != NULL,
                  "case %zu lacks '%s': %s", i, cases[i].character, err);
        cr_expect(printable(err) && printable(out), "case %zu printed raw bytes: %s", i, err);
        free(out);
        free(err);
        free(text);
    }
    sr_test_remove_dir(dir);
}

/* Free text of a scenario that validate shows (a stress's override, a note quoting it)
 * is escaped: here a stress that does not apply on top of --set, so a note, not an
 * error. */
Test(cli, validate_escapes_the_scenarios_free_text)
{
    char *dir = sr_test_tmpdir();
    char *text = malloc(strlen(small) + 128);
    sprintf(text, "%sstresses:\n  odd: {\"programmes[0].cohort.size\": \"5\\u202e\\e[2J\"}\n",
            small);
    free(sr_test_write_file(dir, "s.yaml", text));
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s validate s.yaml --set "
                                     "'programmes[0].cohort.size=100'", dir, BIN),
                         &out, &err);
    cr_expect_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "odd: programmes[0].cohort.size=\"5\\u202e\\x1b[2J\"") != NULL,
              "%s", out);
    cr_expect(strstr(out, "does not apply") != NULL, "the note: %s", out);
    cr_expect(printable(out), "raw bytes in:\n%s", out);
    free(out);
    free(err);
    free(text);
    sr_test_remove_dir(dir);
}

/* A scenario whose every trial takes seconds (100 years, tenures to 600 months, four
 * strata, a 120-month intervention window: about 10^9 cell-months a trial). */
static const char *long_trials =
    "name: long\n"
    "simulation: {trials: 2, seed: 5, start: 2027-01, horizon_years: 100}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 600}\n"
    "  - {name: employed, tenure_max: 600}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.02,\n"
    "     by_tenure: [[0, 1], [100, 0.9], [200, 0.8], [300, 0.7], [400, 0.6], [500, 0.5]]}\n"
    "  - {from: employed, to: outside, hazard: 0.05,\n"
    "     by_tenure: [[0, 1], [100, 0.9], [200, 0.8], [300, 0.7], [400, 0.6], [500, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.001}\n"
    "strata:\n"
    "  - {name: a, share: 0.25}\n"
    "  - {name: b, share: 0.25}\n"
    "  - {name: c, share: 0.25}\n"
    "  - {name: d, share: 0.25}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -5500, state: -3500}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 100000000, intake: {start: 2027-01, months: 600},\n"
    "             initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.4, months: 60,\n"
    "               fade_months: 60}\n"
    "      costs: {per_participant: 10000}\n";

/* An interrupt inside a long trial is honoured at the trial's next month: SIGINT a second
 * into the run (inside the first trial), exit 130 within two seconds, and neither a result
 * nor a temporary file. A run still going three seconds after the signal is killed, so
 * the test ends either way. */
Test(cli, interrupt_inside_a_long_trial_stops_within_a_second, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "long.yaml", long_trials);
    char *out = NULL;
    int rc = sr_test_run(
        sr_test_cmd("cd %s && { %s run long.yaml --threads 2 -o r.h5 --quiet 2>err.txt & "
                    "pid=$!; sleep 1; kill -INT $pid; start=$(date +%%s%%N); "
                    "( sleep 3; kill -KILL $pid 2>/dev/null ) & killer=$!; "
                    "wait $pid; code=$?; end=$(date +%%s%%N); kill $killer 2>/dev/null; "
                    "echo \"$code $(( (end - start) / 1000000 ))\"; }",
                    dir, BIN),
        &out, NULL);
    cr_assert_eq(rc, 0);
    int code = -1;
    long ms = -1;
    cr_assert_eq(sscanf(out, "%d %ld", &code, &ms), 2, "%s", out);
    cr_expect_eq(code, 130, "exit %d after %ld ms (137: still running 3 s after SIGINT)", code,
                 ms);
    cr_expect_lt(ms, 2000, "the run took %ld ms to stop", ms);
    char *err = NULL;
    sr_test_run(sr_test_cmd("cat %s/err.txt", dir), &err, NULL);
    cr_expect(err != NULL && strstr(err, "interrupted") != NULL, "%s", err);
    int only = sr_test_run(
        sr_test_cmd("test \"$(ls -A %s | tr '\\n' ' ')\" = 'err.txt long.yaml '", dir), NULL,
        NULL);
    cr_expect_eq(only, 0, "files left in %s", dir);
    free(out);
    free(err);
    sr_test_remove_dir(dir);
}
