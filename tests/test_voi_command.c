/* `sirisk voi` as a user meets it: what it stores under /voi, checked against the file's
 * own trials (the EVPI and the options' expected net benefits are exact functions of
 * them); a result file gains /voi and keeps every other object as it was; the analysis of
 * a scenario run first equals that of its result file; the same bytes for any thread
 * count; bad options refused with exit 64 and no file touched. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define BIN SIRISK_BINARY

static const char *scenario =
    "name: voi\n"
    "simulation: {trials: 400, seed: 11, start: 2027-01, horizon_years: 6}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "parameters:\n"
    "  effect: {dist: lognormal, median: 1.3, p95: 1.9}\n"
    "  job_finding: {dist: gamma, mean: 0.01, sd: 0.003}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 12}\n"
    "  - {name: employed, tenure_max: 12}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: $job_finding, macro: pro}\n"
    "  - {from: employed, to: outside, hazard: {dist: uniform, min: 0.04, max: 0.08}}\n"
    "cashflows:\n"
    "  outside: {municipality: 6000, state: 2000}\n"
    "  employed: {municipality: -3000, state: -2000}\n"
    "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05},\n"
    "        recession: {pro: 0.6, counter: 1.5}}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 400, intake: {start: 2027-01, months: 6}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect, months: 12}\n"
    "      costs: {per_participant: 20000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job_6m, state: employed, tenure: 6, price: 60000}]\n"
    "      baseline: {method: control_group, size: 200}\n"
    "      term_years: 4\n";

/* Runs a shell command in dir; fails the test unless it exits 0. Returns its stdout.
 * cmd may be sr_test_cmd()'s buffer. */
static char *must(const char *dir, const char *cmd_in)
{
    char *cmd = strdup(cmd_in), *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s", dir, cmd), &out, &err);
    cr_assert_eq(rc, 0, "%s: exit %d: %s", cmd, rc, err);
    free(err);
    free(cmd);
    return out;
}

static char *setup(void)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "s.yaml", scenario));
    return dir;
}

Test(voi_command, stores_under_voi_what_the_trials_give_and_prints_it)
{
    char *dir = setup();
    char *out = must(dir, sr_test_cmd("%s voi s.yaml -o v.h5 --bootstrap 20 "
                                      "--groups effect+job_finding --population 4000", BIN));
    cr_expect(strstr(out, "EVPI (perfect information)") != NULL, "%s", out);
    cr_expect(strstr(out, "EVPPI effect+job_finding") != NULL, "%s", out);
    cr_expect(strstr(out, "savings_total") != NULL, "%s", out);
    free(out);
    const char *check =
        "import h5py, numpy as np\n"
        "f = h5py.File('v.h5', 'r')\n"
        "v = f['voi']\n"
        "t = lambda m: f['trials/' + m][:]\n"
        "nb = np.stack([t('municipality_net_selffund'), t('municipality_net_sib'),\n"
        "               np.zeros(400)])\n"
        "evpi = nb.max(axis=0).mean() - nb.mean(axis=1).max()\n"
        "assert abs(v.attrs['evpi'] - evpi) <= 1e-9 * abs(evpi), (v.attrs['evpi'], evpi)\n"
        "assert np.allclose(v['expected_net_benefit'][:], nb.mean(axis=1), rtol=1e-12,\n"
        "                   atol=1e-6)\n"
        "assert list(v.attrs['options']) == ['fund_itself', 'pay_by_results', 'do_nothing']\n"
        "assert v.attrs['best'] == ['fund_itself', 'pay_by_results',\n"
        "                           'do_nothing'][int(nb.mean(axis=1).argmax())]\n"
        "assert v.attrs['persons'] == 400 and v.attrs['population'] == 4000\n"
        "assert v.attrs['evpi_se'] > 0 and v.attrs['bootstrap'] == 20\n"
        "inputs = [s.decode() for s in v['evppi/input'][:]]\n"
        "assert set(inputs) == {'effect', 'job_finding', 'transitions[1].hazard',\n"
        "                       'macro.recession_months', 'effect+job_finding'}, inputs\n"
        "e = dict(zip(inputs, v['evppi/value'][:]))\n"
        "assert all(0 <= x <= v.attrs['evpi'] for x in e.values()), e\n"
        "assert e['effect+job_finding'] >= max(e['effect'], e['job_finding'])\n"
        "assert (np.diff(v['evppi/value'][:]) <= 0).all()\n"
        "assert (v['evppi/se'][:] >= 0).all()\n"
        "npv = t('investor_npv')\n"
        "i = v['investor']\n"
        "ie = np.maximum(npv, 0).mean() - max(npv.mean(), 0)\n"
        "assert abs(i.attrs['evpi'] - ie) <= 1e-9 * abs(ie) + 1e-6, (i.attrs['evpi'], ie)\n"
        "assert list(i.attrs['options']) == ['invest', 'decline']\n"
        "for m in ['savings_total', 'municipality_net_selffund', 'municipality_net_sib',\n"
        "          'investor_npv']:\n"
        "    g = v['variance/' + m]\n"
        "    s = g['index'][:]\n"
        "    assert ((s >= 0) & (s <= 1)).all() and (np.diff(s) <= 0).all(), (m, s)\n"
        "    assert abs(g.attrs['sum'] - s.sum()) <= 1e-12, m\n"
        "    assert abs(g.attrs['sd'] - t(m).std(ddof=1)) <= 1e-9 * t(m).std(), m\n"
        "    assert g['index'].attrs['units'].startswith('1')\n"
        "p = f['parameters']\n"
        "assert p['effect'].attrs['path'] == 'parameters.effect'\n"
        "assert p['transitions[1].hazard'].attrs['path'] == 'transitions[1].hazard'\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}

Test(voi_command, a_result_file_gains_voi_and_keeps_every_other_object)
{
    char *dir = setup();
    free(must(dir, sr_test_cmd("%s run s.yaml -o r.h5 --quiet && cp r.h5 before.h5 && "
                               "%s voi r.h5 --bootstrap 20 --quiet && "
                               "%s voi s.yaml -o fresh.h5 --bootstrap 20 --quiet && "
                               "%s voi before.h5 -o copy.h5 --bootstrap 20 --quiet && "
                               "cp r.h5 once.h5 && %s voi r.h5 --bootstrap 20 --quiet",
                               BIN, BIN, BIN, BIN, BIN)));
    const char *check =
        "import h5py, numpy as np\n"
        "def walk(g, prefix=''):\n"
        "    out = {}\n"
        "    for k, x in g.items():\n"
        "        if isinstance(x, h5py.Group):\n"
        "            out.update(walk(x, prefix + k + '/'))\n"
        "        else:\n"
        "            out[prefix + k] = (x[()], dict(x.attrs))\n"
        "    return out\n"
        "def same(a, b):\n"
        "    assert a.keys() == b.keys(), set(a) ^ set(b)\n"
        "    for k in a:\n"
        "        x, y = np.asarray(a[k][0]), np.asarray(b[k][0])\n"
        "        assert np.array_equal(x, y, equal_nan=x.dtype.kind == 'f'), k\n"
        "        assert str(a[k][1]) == str(b[k][1]), k\n"
        "before = h5py.File('before.h5', 'r')\n"
        "after = h5py.File('r.h5', 'r')\n"
        "# every object of the run as it was; /voi added\n"
        "b, a = walk(before), walk(after)\n"
        "same(b, {k: v for k, v in a.items() if not k.startswith('voi/')})\n"
        "assert dict(before.attrs).keys() == dict(after.attrs).keys()\n"
        "assert 'voi' in after and 'voi' not in before\n"
        "# the analysis of a run in memory is the analysis of its file; a second analysis of\n"
        "# the file replaces /voi by the same figures; a copy written elsewhere holds them too\n"
        "voi = lambda name: walk(h5py.File(name, 'r')['voi'])\n"
        "same(voi('r.h5'), voi('fresh.h5'))\n"
        "same(voi('r.h5'), voi('once.h5'))\n"
        "same(voi('r.h5'), voi('copy.h5'))\n"
        "assert 'voi' not in h5py.File('before.h5', 'r')\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}

Test(voi_command, one_and_two_threads_store_the_same_figures)
{
    char *dir = setup();
    const char *strip = "sed -e 1d -e '/ATTRIBUTE \"created_utc\"/,/^   }/d'";
    free(must(dir, sr_test_cmd("%s run s.yaml -o r.h5 --quiet && "
                               "%s voi r.h5 -o a.h5 --threads 1 --bootstrap 20 --quiet "
                               "--pilot-sizes 20,200 && "
                               "%s voi r.h5 -o b.h5 --threads 2 --bootstrap 20 --quiet "
                               "--pilot-sizes 20,200 && "
                               "h5dump -g /voi a.h5 | %s > a.txt && "
                               "h5dump -g /voi b.h5 | %s > b.txt && cmp a.txt b.txt && "
                               "test $(wc -l < a.txt) -gt 200 && grep -q evsi a.txt",
                               BIN, BIN, BIN, strip, strip)));
    sr_test_remove_dir(dir);
}

/* Runs sirisk ARGS in a directory holding s.yaml and a result file r.h5; expects exit
 * code with fragment in the message, r.h5 unchanged and no other file. */
static void expect_refused(const char *args, int code, const char *fragment)
{
    char *dir = setup();
    free(must(dir, sr_test_cmd("%s run s.yaml -o r.h5 --quiet --trials 50 && cp r.h5 .keep",
                               BIN)));
    char *err = NULL;
    args = strdup(args);
    int rc = sr_test_run(sr_test_cmd("cd %s && %s %s", dir, BIN, args), NULL, &err);
    cr_expect_eq(rc, code, "sirisk %s: exit %d, expected %d: %s", args, rc, code, err);
    cr_expect(err != NULL && strstr(err, fragment) != NULL, "sirisk %s: message lacks '%s':\n%s",
              args, fragment, err);
    cr_expect_eq(sr_test_run(sr_test_cmd("cd %s && cmp r.h5 .keep && test $(ls -A | wc -l) = 3",
                                         dir), NULL, NULL), 0,
                 "sirisk %s changed r.h5 or left a file", args);
    free(err);
    free((char *)args);
    sr_test_remove_dir(dir);
}

Test(voi_command, bad_options_are_refused_and_touch_nothing)
{
    expect_refused("voi r.h5 --options fund_itself,frobnicate", 64,
                   "voi: --options: unknown option 'frobnicate'");
    expect_refused("voi r.h5 --options fund_itself", 64, "at least two options");
    expect_refused("voi r.h5 --options a=payments,b=nothing", 64, "'nothing' is not a metric");
    expect_refused("voi r.h5 --options a=0,a=payments", 64, "'a' given twice");
    expect_refused("voi r.h5 --groups effect+nope", 64, "'nope' is no input");
    expect_refused("voi r.h5 --groups effect", 64, "not a group of 2 or 3 inputs");
    expect_refused("voi r.h5 --groups effect+effect", 64, "names an input twice");
    expect_refused("voi r.h5 --set simulation.trials=10", 64, "apply to a scenario");
    expect_refused("voi r.h5 --pilot-sizes 100,50", 64, "sizes must increase");
    expect_refused("voi r.h5 --pilot-sizes 0", 64, "--pilot-sizes");
    expect_refused("voi r.h5 --bootstrap 1", 64, "--bootstrap");
    expect_refused("voi r.h5 --only x", 64, "--only is an option of stress");
    expect_refused("voi s.yaml --set programmes[0].cohort.size=-1", 65, "cohort.size");
    expect_refused("voi missing.h5", 66, "missing.h5");
}

/* A result file damaged below what sirisk checks (tests/data/damaged: HDF5 loops on
 * heap_loop.h5 until 30 s of processor time end it) is read first in a child process:
 * exit 74 with a message naming it, the file unchanged, no file left beside it. */
Test(voi_command, a_file_on_which_hdf5_loops_is_refused, .timeout = 180)
{
    char *dir = sr_test_tmpdir();
    const char *names[] = {"heap_loop", "heap_fault_dataset"};
    for (size_t i = 0; i < 2; i++) {
        char *err = NULL;
        int rc = sr_test_run(sr_test_cmd("cd %s && cp '%s/tests/data/damaged/%s.h5' x.h5 && "
                                         "cp x.h5 .keep && %s voi x.h5", dir, SIRISK_SOURCE_DIR,
                                         names[i], BIN),
                             NULL, &err);
        cr_expect_eq(rc, 74, "%s: exit %d: %s", names[i], rc, err);
        cr_expect(err != NULL && strstr(err, "sirisk: x.h5: ") != NULL, "%s: %s", names[i], err);
        cr_expect_eq(sr_test_run(sr_test_cmd("cd %s && cmp x.h5 .keep && test $(ls -A | wc -l) "
                                             "= 2 && rm x.h5 .keep", dir), NULL, NULL), 0,
                     "%s: x.h5 changed or a file was left", names[i]);
        free(err);
    }
    sr_test_remove_dir(dir);
}

/* Without a contract nobody is paid by results and there are no investors: the decision
 * is between funding the programme and doing nothing. Without an uncertain input, the
 * cohort's noise is all there is, and the EVPPI table is empty. */
Test(voi_command, without_a_contract_the_decision_is_to_fund_or_not)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "plain.yaml", sr_test_small));
    char *out = must(dir, sr_test_cmd("%s voi plain.yaml -o p.h5 --bootstrap 10", BIN));
    cr_expect(strstr(out, "no uncertain input varies") != NULL, "%s", out);
    cr_expect(strstr(out, "investors") == NULL, "%s", out);
    free(out);
    const char *check =
        "import h5py, numpy as np\n"
        "f = h5py.File('p.h5', 'r')\n"
        "v = f['voi']\n"
        "assert list(v.attrs['options']) == ['fund_itself', 'do_nothing'], v.attrs['options']\n"
        "assert 'investor' not in v and len(v['evppi/input']) == 0\n"
        "nb = f['trials/municipality_net_selffund'][:]\n"
        "e = np.maximum(nb, 0).mean() - max(nb.mean(), 0)\n"
        "assert abs(v.attrs['evpi'] - e) <= 1e-9 * abs(e) + 1e-6, (v.attrs['evpi'], e)\n"
        "assert sorted(v['variance']) == ['municipality_net_selffund', 'municipality_net_sib',\n"
        "                                 'savings_total']\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}
