/* Pilots for the value of sample information (sim/engine/pilot.c) and the EVSI they give
 * (sirisk voi --pilot-sizes). Exact values: a pilot's employment shares against the
 * closed form of its one transition; statistical checks on fixed seeds with tolerances of
 * 4.5 standard errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/pilot.h"
#include "support.h"

#define TOLERANCE_SE 4.5

/* One transition, outside -> employed at hazard 0.05 a month, made 1.5 times as likely by
 * the intervention for 24 months; no macro risk, no contract (an equal control group). */
static const char *one_transition =
    "name: pilot\n"
    "simulation: {trials: 400, seed: 5, start: 2027-01, horizon_years: 3}\n"
    "discount: {public: 0, investor: 0}\n"
    "states: [{name: outside}, {name: employed}]\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.05}\n"
    "cashflows: {outside: {municipality: 1000}}\n"
    "programmes:\n"
    "  - name: p\n"
    "    cohort: {size: 5000, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.5, months: 24}\n"
    "      costs: {per_participant: 1000, per_participant_month: 100,\n"
    "              while_in: [outside]}\n";

/* Everyone enrols outside at the start of month 0 and moves at the end of a month with
 * probability q = 1 - exp(-h), so a person is employed during month t with probability
 * 1 - (1 - q)^t. Over the pilot's M months the expected share of person-months employed is
 * (1/M) sum_{t < M} (1 - (1 - q)^t): the control group's at h = 0.05, the treated arm's at
 * h = 0.075 (the effect lasts beyond the pilot). The statistics are the treated share
 * minus the control's, and the control's. The cost: 1,000 per person at enrolment and 100
 * per person-month outside. A treated person's months outside, K = sum_{t < M} 1{outside
 * during t}, have E[K] = sum_{t < M} s^t and E[K^2] = sum_{t, u < M} s^max(t, u) =
 * sum_{t < M} (2t + 1) s^t with s = 1 - q_T; persons move independently. */
Test(pilot, statistics_have_the_expected_shares_of_their_one_transition)
{
    sr_model *m = sr_test_model(one_transition);
    const double sizes[] = {200, 2000};
    const unsigned M = 12;
    sr_pilot_spec ps = {.n_sizes = 2, .size = sizes, .months = M};
    sr_run_options ro = {.threads = 2};
    sr_pilot_result r;
    sr_error err = {0};
    const size_t N = 400;
    cr_assert_eq(sr_pilot_run(m, &ps, N, &ro, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r.months, M);
    cr_assert_eq(r.control_ratio, 1.0);
    const double qc = 1.0 - exp(-0.05), qt = 1.0 - exp(-0.075);
    double control = 0.0, treated = 0.0, k1 = 0.0, k2 = 0.0;
    for (unsigned t = 0; t < M; t++) {
        control += (1.0 - pow(1.0 - qc, t)) / M;
        treated += (1.0 - pow(1.0 - qt, t)) / M;
        k1 += pow(1.0 - qt, t);
        k2 += (2.0 * t + 1.0) * pow(1.0 - qt, t);
    }
    for (size_t k = 0; k < 2; k++) {
        const double expect[2] = {treated - control, control};
        for (size_t s = 0; s < SR_PILOT_STATS; s++) {
            const double *x = r.stats + (k * SR_PILOT_STATS + s) * N;
            double mean = 0.0, var = 0.0;
            for (size_t i = 0; i < N; i++)
                mean += x[i] / N;
            for (size_t i = 0; i < N; i++)
                var += (x[i] - mean) * (x[i] - mean) / (N - 1);
            const double se = sqrt(var / N);
            cr_expect(fabs(mean - expect[s]) <= TOLERANCE_SE * se,
                      "size %g, statistic %zu: %.5f, exact %.5f, se %.5f", sizes[k], s, mean,
                      expect[s], se);
        }
        const double cost = sizes[k] * (1000.0 + 100.0 * k1);
        const double se_cost = 100.0 * sqrt(sizes[k] * (k2 - k1 * k1) / (double)N);
        cr_expect(fabs(r.cost[k] - cost) <= TOLERANCE_SE * se_cost,
                  "size %g: cost %.0f, exact %.0f", sizes[k], r.cost[k], cost);
    }
    /* a pilot ten times as large measures the effect about sqrt(10) times as precisely */
    double spread[2];
    for (size_t k = 0; k < 2; k++) {
        const double *x = r.stats + (k * SR_PILOT_STATS) * N;
        double mean = 0.0, var = 0.0;
        for (size_t i = 0; i < N; i++)
            mean += x[i] / N;
        for (size_t i = 0; i < N; i++)
            var += (x[i] - mean) * (x[i] - mean) / (N - 1);
        spread[k] = sqrt(var);
    }
    const double ratio = spread[0] / spread[1];
    /* the ratio of two sample sds of 400 draws: each within about 3.5% (1/sqrt(2 (N-1))) */
    cr_expect(fabs(ratio - sqrt(10.0)) <= TOLERANCE_SE * sqrt(10.0) * sqrt(2.0) * 0.0354,
              "ratio of the spreads %.3f, expected %.3f", ratio, sqrt(10.0));
    sr_pilot_result_clear(&r);
    sr_model_free(m);
}

Test(pilot, the_same_statistics_on_any_number_of_threads_and_beside_any_sizes)
{
    sr_model *m = sr_test_model(one_transition);
    const double sizes[] = {50, 500, 5000};
    sr_pilot_spec ps = {.n_sizes = 3, .size = sizes, .months = 6};
    sr_pilot_result a, b;
    sr_error err = {0};
    sr_run_options one = {.threads = 1}, two = {.threads = 2};
    cr_assert_eq(sr_pilot_run(m, &ps, 100, &one, &a, &err), 0, "%s", err.msg);
    cr_assert_eq(sr_pilot_run(m, &ps, 100, &two, &b, &err), 0, "%s", err.msg);
    cr_assert_eq(memcmp(a.stats, b.stats, 3 * SR_PILOT_STATS * 100 * sizeof *a.stats), 0);
    cr_assert_eq(memcmp(a.cost, b.cost, 3 * sizeof *a.cost), 0);
    /* a size draws the same whatever other sizes are asked for */
    const double other[] = {500, 7000};
    sr_pilot_spec po = {.n_sizes = 2, .size = other, .months = 6};
    sr_pilot_result c;
    cr_assert_eq(sr_pilot_run(m, &po, 100, &two, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(memcmp(c.stats, a.stats + SR_PILOT_STATS * 100,
                        SR_PILOT_STATS * 100 * sizeof *a.stats), 0);
    sr_pilot_result_clear(&a);
    sr_pilot_result_clear(&b);
    sr_pilot_result_clear(&c);
    sr_model_free(m);
}

Test(pilot, a_scenario_without_an_intervention_has_nothing_to_pilot)
{
    const char *none =
        "name: none\n"
        "simulation: {trials: 10, seed: 5, start: 2027-01, horizon_years: 1}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions: [{from: outside, to: employed, hazard: 0.05}]\n"
        "programmes:\n"
        "  - {name: p, cohort: {size: 10, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n";
    sr_model *m = sr_test_model(none);
    const double sizes[] = {10};
    sr_pilot_spec ps = {.n_sizes = 1, .size = sizes};
    sr_pilot_result r;
    sr_error err = {0};
    cr_assert_eq(sr_pilot_run(m, &ps, 10, NULL, &r, &err), SR_EXIT_DATAERR);
    cr_assert(strstr(err.msg, "no programme has an intervention") != NULL, "%s", err.msg);
    sr_model_free(m);
}

/* The effect is the only uncertain input, and the programme is worth funding only when the
 * effect is large: a pilot informs the decision, and a larger pilot more. EVSI(n) rises
 * with n and reaches the EVPPI of the effect for a pilot large enough to measure it
 * exactly; a small pilot is worth clearly less. */
static const char *uncertain_effect =
    "name: evsi\n"
    "simulation: {trials: 3000, seed: 17, start: 2027-01, horizon_years: 4}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "parameters: {effect: {dist: lognormal, median: 1.3, p95: 2.0}}\n"
    "states: [{name: outside}, {name: employed}]\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.02}\n"
    "  - {from: employed, to: outside, hazard: 0.03}\n"
    "cashflows: {outside: {municipality: 8000}}\n"
    "programmes:\n"
    "  - name: p\n"
    "    cohort: {size: 2000, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect, months: 24}\n"
    "      costs: {per_participant: 30000}\n";

Test(pilot, evsi_rises_with_the_pilot_towards_the_evppi_of_the_effect)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "e.yaml", uncertain_effect));
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s voi e.yaml -o e.h5 --quiet --bootstrap 100 "
                                     "--options fund_itself,do_nothing --pilot-months 24 "
                                     "--pilot-sizes 5,20,80,320,20000",
                                     dir, SIRISK_BINARY),
                         NULL, &err);
    cr_assert_eq(rc, 0, "%s", err);
    free(err);
    const char *check =
        "import h5py, numpy as np\n"
        "v = h5py.File('e.h5', 'r')['voi']\n"
        "e = dict(zip([s.decode() for s in v['evppi/input'][:]], zip(v['evppi/value'][:],\n"
        "                                                        v['evppi/se'][:])))\n"
        "evppi, evppi_se = e['effect']\n"
        "evsi, se = v['evsi/value'][:], v['evsi/se'][:]\n"
        "assert list(v['evsi/n'][:]) == [5, 20, 80, 320, 20000]\n"
        "assert evppi > 10 * evppi_se, (evppi, evppi_se)   # a decision worth informing\n"
        "for a, b, sa, sb in zip(evsi, evsi[1:], se, se[1:]):\n"
        "    assert b >= a - 4.5 * max(sa, sb), (evsi, se)\n"
        "assert evsi[-1] > evsi[0] + 4.5 * max(se[0], se[-1]), (evsi, se)\n"
        "assert abs(evsi[-1] - evppi) <= 4.5 * max(se[-1], evppi_se), (evsi[-1], evppi)\n"
        "assert (evsi <= v.attrs['evpi']).all() and (evsi >= 0).all()\n"
        "enbs = v['evsi/enbs'][:]\n"
        "pop = v.attrs['population'] / v.attrs['persons']\n"
        "assert np.allclose(enbs, evsi * pop - v['evsi/cost'][:], rtol=1e-12, atol=1e-6)\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}
