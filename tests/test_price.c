/* `sirisk price` from the command line: a solved term reproduces its target when run
 * plainly (the same trials: to the search's width; fresh trials: within 4.5 of the stated
 * standard errors), the file's root is that plain run to the bit, a map's table is what
 * plain runs at its points give, and bad searches exit 64 or 65 with a message and no
 * file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define BIN SIRISK_BINARY

/* A rate card with a control group, a frame, cancellation and a guarantee; the investors'
 * median IRR runs from about -0.4 at no price to above 0.1 at four times the prices. */
static const char *small =
    "name: small\n"
    "simulation: {trials: 1000, seed: 3, start: 2027-01, horizon_years: 6}\n"
    "discount: {public: 0.03, investor: 0.05}\n"
    "parameters:\n"
    "  effect: {dist: lognormal, median: 1.5, p95: 2.2}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 12}\n"
    "  - {name: employed, tenure_max: 12}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.02}\n"
    "  - {from: employed, to: outside, hazard: 0.07, by_tenure: [[0, 1], [6, 0.5]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 7000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 400, intake: {start: 2027-01, months: 12}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect, months: 12}\n"
    "      costs: {per_participant: 12000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes:\n"
    "        - {name: job6, state: employed, tenure: 6, price: 60000}\n"
    "        - {name: job12, state: employed, tenure: 12, price: 40000}\n"
    "      baseline: {method: control_group, size: 200}\n"
    "      term_years: 4\n"
    "      annual_frame: 3000000\n"
    "      termination: {hazard_per_year: 0.05}\n"
    "    financing:\n"
    "      guarantee: {first_loss: 0.2}\n";

/* Reads /price/solve/set of dir/results/small-price.h5 as " --set A --set B". */
static char *plain_sets(const char *dir)
{
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && /usr/bin/python3 -c \"import h5py; "
                                     "print(' '.join('--set ' + s for s in h5py.File("
                                     "'results/small-price.h5', 'r')['price/solve/set']"
                                     ".asstr()[:]))\"",
                                     dir),
                         &out, &err);
    cr_assert_eq(rc, 0, "reading the sets: %s", err);
    free(err);
    out[strcspn(out, "\n")] = '\0';
    return out;
}

Test(price, a_solved_term_reproduces_its_target_when_run_plainly, .timeout = 240)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && mkdir results && %s price small.yaml --vary "
                                     "'programmes[0].contract.outcomes[*].price' --target "
                                     "investor_irr.q50=-0.05 --threads 2",
                                     dir, BIN),
                         &out, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "decision") != NULL && strstr(out, "Price: programmes[0].contract."
                                                             "outcomes[*].price") != NULL &&
                  strstr(out, "95% Monte Carlo interval") != NULL &&
                  strstr(out, "--set programmes[0].contract.outcomes[1].price=") != NULL,
              "the summary at the answer, then the answer:\n%s", out);
    free(out);
    free(err);
    char *sets = plain_sets(dir);
    /* The same trials, run plainly; and fresh ones (another seed). */
    rc = sr_test_run(sr_test_cmd("cd %s && %s run small.yaml %s -o same.h5 --quiet && %s run "
                                 "small.yaml %s --seed 99 --trials 4000 -o fresh.h5 --quiet",
                                 dir, BIN, sets, BIN, sets),
                     NULL, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);
    free(sets);
    const char *check =
        SR_TEST_PY_COMPARE
        "f = h5py.File('results/small-price.h5', 'r')\n"
        "s = f['price/solve']\n"
        "n = compare(f, h5py.File('same.h5', 'r'))\n"
        "assert n > 100, n\n"
        "value, target = s['value'][()], s['target_value'][()]\n"
        "lo, hi = s['interval'][:]\n"
        "assert target == -0.05 and lo < value < hi, (lo, value, hi)\n"
        "assert 0.5 < value < 4, value\n"
        "b = s['batch_values'][:]\n"
        "assert len(b) == 20 and np.isfinite(b).all(), b\n"
        "t = 2.093024054408263\n"
        "half = t * b.std(ddof=1) / np.sqrt(len(b))\n"
        "assert abs((hi - lo) / 2 - half) <= 1e-9 * half, (hi - lo, half)\n"
        "def median_irr(path):\n"
        "    irr = h5py.File(path, 'r')['trials/investor_irr'][:]\n"
        "    return np.quantile(irr[np.isfinite(irr)], 0.5)\n"
        "same = median_irr('same.h5')\n"
        "assert same == s['statistic'][()], (same, s['statistic'][()])\n"
        "assert abs(same - target) <= 1e-6, same\n"
        "c = s['candidates'][:]\n"
        "assert c.shape[1] == 2 and c[0, 0] == 0 and c[1, 0] == 4, c[:2]\n"
        "assert c[0, 1] < target < c[1, 1], c[:2]\n"
        "se = s['statistic_se'][()]\n"
        "fresh = median_irr('fresh.h5')\n"
        "z = abs(fresh - target) / (se / 2)\n"   /* 4,000 fresh trials: half the error */
        "assert z <= 4.5, (fresh, target, se, z)\n"
        "assert 0 < se < 0.05, se\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}

Test(price, a_map_is_what_plain_runs_at_its_points_give, .timeout = 240)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s price small.yaml --trials 300 --map "
                                     "'programmes[0].contract.outcomes[0].price=40000,150000' "
                                     "--map programmes[0].financing.guarantee.first_loss=0,0.9 "
                                     "--investor-irr -0.2 --municipality-risk 0.3 -o map.h5 "
                                     "&& %s run small.yaml --trials 300 --set "
                                     "programmes[0].contract.outcomes[0].price=150000 --set "
                                     "programmes[0].financing.guarantee.first_loss=0.9 -o "
                                     "point3.h5 --quiet && %s run small.yaml --trials 300 -o "
                                     "base.h5 --quiet",
                                     dir, BIN, BIN, BIN),
                         &out, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "Win-win map of 4 points") != NULL &&
                  strstr(out, "at least -0.2 per year") != NULL &&
                  strstr(out, "(down) and financing.guarantee.first_loss (across)") != NULL,
              "the map's table and grid:\n%s", out);
    free(out);
    free(err);
    const char *check =
        SR_TEST_PY_COMPARE
        "f = h5py.File('map.h5', 'r')\n"
        "assert compare(f, h5py.File('base.h5', 'r')) > 100, 'the root is the scenario as given'\n"
        "m = f['price/map']\n"
        "assert list(m['terms'].asstr()[:]) == ['programmes[0].contract.outcomes[0].price',\n"
        "    'programmes[0].financing.guarantee.first_loss']\n"
        "assert (m['values'][:] == [[40000, 0], [40000, 0.9], [150000, 0], [150000, 0.9]]).all()\n"
        "t = m['table']\n"
        "p = h5py.File('point3.h5', 'r')['trials']\n"
        "irr = p['investor_irr'][:]\n"
        "net = p['payer_net_sib'][:]\n"
        "want = {'p_loss': p['investor_loss'][:].mean(),\n"
        "        'irr_q50': np.quantile(irr[np.isfinite(irr)], 0.5),\n"
        "        'irr_n_nan': np.isnan(irr).sum(),\n"
        "        'payments_mean': p['payments'][:].mean(),\n"
        "        'net_mean': net.mean(), 'net_p_negative': (net < 0).mean(),\n"
        "        'overpayment_mean': p['overpayment'][:].mean()}\n"
        "for k, v in want.items():\n"
        "    assert abs(t[k][3] - v) <= 1e-12 * max(1, abs(v)), (k, t[k][3], v)\n"
        "w = (t['irr_q50'][:] >= -0.2) & (t['net_mean'][:] >= 0) & (t['net_p_negative'][:] <= 0.3)\n"
        "assert (t['win_win'][:] == w).all(), (t['win_win'][:], w)\n"
        "assert t['p_loss'][3] < t['p_loss'][2] and t['p_loss'][2] < t['p_loss'][0]\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}

static void expect_failure(const char *args, int code, const char *fragment)
{
    sr_test_expect_failure(small, true, args, code, fragment);
}

Test(price, bad_searches_exit_64_or_65_with_a_message_and_no_file, .timeout = 120)
{
    /* usage */
    expect_failure("price small.yaml --vary programmes[0].contract.share", 64,
                   "--vary needs --target STATISTIC=VALUE");
    expect_failure("price small.yaml --vary programmes[0].cohort.size --target "
                   "payments.mean=1e6",
                   64, "'programmes[0].cohort.size' is not a contract term");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payouts.mean=1e6",
                   64, "--target: unknown metric 'payouts'; the metrics are savings_municipality");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payments.q42=1e6",
                   64, "--target: unknown statistic 'q42'; the statistics are mean, sd");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payments.mean",
                   64, "--target: expected METRIC.STATISTIC=VALUE");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payments.mean=1e6 --bracket 3,1",
                   64, "--bracket: expected LO,HI with LO < HI");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payments.mean=1e6 --map programmes[0].contract.cap_total=1e6",
                   64, "not both");
    expect_failure("price small.yaml --map programmes[0].contract.cap_total", 64,
                   "--map: expected PATH=V1,V2,...");
    expect_failure("price small.yaml --map programmes[0].contract.cap_total=1 --map "
                   "programmes[0].contract.cap_total=2 --map programmes[0].contract.cap_total=3",
                   64, "--map: at most 2 terms");
    expect_failure("price small.yaml --vary programmes[0].contract.cap_total --target "
                   "payments.mean=1e6",
                   64, "give --bracket LO,HI");
    expect_failure("price small.yaml --values 1,2", 64, "--values is an option of sweep");
    /* the scenario */
    expect_failure("price small.yaml --vary programmes[0].contract.share --target "
                   "payments.mean=1e6",
                   65, "programmes[0].contract.share: programme 'town' pays by a rate card");
    expect_failure("price small.yaml --vary programmes[1].contract.share --target "
                   "payments.mean=1e6",
                   65, "the scenario has 1 programme");
    expect_failure("price small.yaml --vary 'programmes[0].contract.outcomes[*].price' "
                   "--target payments.mean=1e12",
                   65, "--target payments.mean=1e12: no root in the bracket: payments.mean is 0 at "
                       "programmes[0].contract.outcomes[*].price = 0");
    expect_failure("price small.yaml --vary programmes[0].financing.guarantee.first_loss "
                   "--target payments.mean=1e6 --bracket 0,2",
                   65, "--set programmes[0].financing.guarantee.first_loss=2: ");
    expect_failure("price small.yaml --vary programmes[0].contract.cap_total --target "
                   "elsewhere/payments.mean=1e6 --bracket 0,1e7",
                   65, "the scenario has no programme 'elsewhere'");
    expect_failure("price small.yaml --map programmes[0].contract.annual_frame=1e6,-5", 65,
                   "--set programmes[0].contract.annual_frame=-5: ");
}

/* A statistic that counts trials steps as the term moves: the answer is where it crosses
 * the target, so the statistic there is within one trial's share of it, and a term a
 * hair below (or above) lies on the other side. */
Test(price, a_step_statistic_is_solved_where_it_crosses_the_target, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s price small.yaml --trials 400 --vary "
                                     "programmes[0].contract.outcomes[0].price --target "
                                     "investor_loss.mean=0.5 --bracket 0,400000 -o p.h5 --quiet",
                                     dir, BIN),
                         NULL, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);
    const char *check =
        "import h5py, numpy as np\n"
        "s = h5py.File('p.h5', 'r')['price/solve']\n"
        "v, st = s['value'][()], s['statistic'][()]\n"
        "assert abs(st - 0.5) <= 1 / 400 + 1e-12, st\n"
        "c = s['candidates'][:]\n"
        "near = c[np.abs(c[:, 0] - v) <= 1e-9 * 400000]\n"
        "far = c[np.abs(c[:, 0] - v) > 1e-9 * 400000]\n"
        "assert len(far) >= 2 and len(near) >= 1, c\n"
        "below = c[c[:, 0] < v][:, 1]\n"
        "above = c[c[:, 0] > v][:, 1]\n"
        "assert (below >= 0.5).all() and (above <= 0.5).all(), (below, above)\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}
