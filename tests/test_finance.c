/* Investor finance (models/finance.c): NPV against closed forms, IRR against flows of
 * known IRR, and the financing clauses by hand and as properties on many random flows
 * from a fixed-seed generator. GSL's aborting error handler is off: every code is checked. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "models/finance.h"

/* The IRR is the low end of a bracket 1e-13 wide in ln(1 + r); 1e-12 covers it for the
 * rates used here (|r| < 1.5). */
#define IRR_TOL 1e-12
#define MONEY_TOL 1e-9   /* DKK, on sums of a few hundred amounts of at most thousands */
#define N_MAX 120

static void handler_off(void)
{
    gsl_set_error_handler_off();
}

TestSuite(npv, .init = handler_off);
TestSuite(irr, .init = handler_off);
TestSuite(investor, .init = handler_off);
TestSuite(clauses, .init = handler_off);

static sr_finance_ws *ws(void)
{
    sr_finance_ws *w = sr_finance_ws_alloc(N_MAX);
    cr_assert_not_null(w);
    return w;
}

static double irr_of(sr_finance_ws *w, const double *flow, size_t n)
{
    double r;
    cr_assert_eq(sr_irr(w, flow, n, &r), GSL_SUCCESS);
    return r;
}

/* ---- NPV ----------------------------------------------------------------------------- */

Test(npv, one_flow_is_discounted_from_the_end_of_its_month)
{
    double f[12] = {0};
    f[11] = 110;                                   /* end of month 11: one year */
    cr_assert_float_eq(sr_npv(f, 12, 0.10), 100, 1e-12);
    cr_assert_eq(sr_npv(f, 12, 0), 110);
}

Test(npv, a_level_monthly_annuity_has_its_closed_form)
{
    /* A in months 0 .. n−1 at r: A v (1 − v^n) / (1 − v), v = (1 + r)^(−1/12). */
    const double a = 250, r = 0.05;
    const size_t n = 36;
    double f[36];
    for (size_t t = 0; t < n; t++)
        f[t] = a;
    double v = pow(1 + r, -1.0 / 12);
    cr_assert_float_eq(sr_npv(f, n, r), a * v * (1 - pow(v, (double)n)) / (1 - v), 1e-9);
    cr_assert_eq(sr_npv(f, n, 0), a * (double)n);
}

/* ---- IRR ----------------------------------------------------------------------------- */

Test(irr, minus_100_then_110_a_year_later_is_10_percent)
{
    sr_finance_ws *w = ws();
    double f[13] = {0};
    f[0] = -100;
    f[12] = 110;
    cr_assert_float_eq(irr_of(w, f, 13), 0.10, IRR_TOL);
    f[12] = 100;
    cr_assert_float_eq(irr_of(w, f, 13), 0, IRR_TOL);
    f[12] = 90;
    cr_assert_float_eq(irr_of(w, f, 13), -0.10, IRR_TOL);
    sr_finance_ws_free(w);
}

Test(irr, a_monthly_annuity_returns_its_monthly_rate_compounded)
{
    /* Lend 1000 at the end of month 0, get A at the end of months 1 .. 12 with
     * A = 1000 i / (1 − (1 + i)^−12) at i = 1% a month: IRR = 1.01^12 − 1. */
    sr_finance_ws *w = ws();
    const double i = 0.01;
    double f[13];
    f[0] = -1000;
    for (size_t t = 1; t <= 12; t++)
        f[t] = 1000 * i / (1 - pow(1 + i, -12));
    cr_assert_float_eq(irr_of(w, f, 13), pow(1 + i, 12) - 1, IRR_TOL);
    sr_finance_ws_free(w);
}

Test(irr, is_nan_without_a_sign_change_or_with_the_root_outside_the_bracket)
{
    sr_finance_ws *w = ws();
    const double negative[] = {-10, 0, -5, -1}, positive[] = {3, 4, 0, 5}, zero[] = {0, 0};
    cr_assert(isnan(irr_of(w, negative, 4)));
    cr_assert(isnan(irr_of(w, positive, 4)));
    cr_assert(isnan(irr_of(w, zero, 2)));
    cr_assert(isnan(irr_of(w, NULL, 0)));
    /* −100 then 100000 a month later: (1 + r)^(1/12) = 1000, r = 1e36 − 1 > 10. */
    const double huge[] = {-100, 1e5};
    cr_assert(isnan(irr_of(w, huge, 2)));
    sr_finance_ws_free(w);
}

Test(irr, of_two_roots_is_the_lower)
{
    /* −100, +230, −132 at the end of years 1, 2, 3: with y = 1/(1 + r) the NPV is
     * y(−100 + 230 y − 132 y²) = 0 at y = 1/1.1 and 1/1.2: roots 10% and 20%. */
    sr_finance_ws *w = ws();
    double f[36] = {0};
    f[11] = -100;
    f[23] = 230;
    f[35] = -132;
    cr_assert_float_eq(irr_of(w, f, 36), 0.10, IRR_TOL);
    sr_finance_ws_free(w);
}

Test(irr, with_several_sign_changes_zeroes_the_npv_and_no_lower_rate_does)
{
    sr_finance_ws *w = ws();
    double f[48] = {0};
    f[0] = -100;
    f[12] = 50;
    f[18] = -10;
    f[24] = 40;
    f[47] = 45;
    double r = irr_of(w, f, 48);
    cr_assert(r > 0 && r < 1, "got %g", r);
    /* The NPV at r is 0 to the bracket's width times its slope (< 1e-9 here). */
    cr_assert_float_eq(sr_npv(f, 48, r), 0, 1e-9);
    for (double x = SR_IRR_MIN; x < r - 1e-6; x += 0.001)
        cr_assert_gt(sr_npv(f, 48, x), 0, "a lower root near %g", x);
    sr_finance_ws_free(w);
}

Test(irr, rejects_non_finite_flows)
{
    sr_finance_ws *w = ws();
    double f[3] = {-1, NAN, 2}, r = 0;
    cr_assert_eq(sr_irr(w, f, 3, &r), GSL_EINVAL);
    cr_assert(isnan(r));
    f[1] = INFINITY;
    cr_assert_eq(sr_irr(w, f, 3, &r), GSL_EINVAL);
    sr_finance_ws_free(w);
}

/* ---- investor metrics ---------------------------------------------------------------- */

Test(investor, moic_loss_npv_and_irr_of_paid_and_received)
{
    sr_finance_ws *w = ws();
    double paid[13] = {0}, received[13] = {0};
    paid[0] = 100;
    received[12] = 80;
    sr_investor_metrics m;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.paid, 100);
    cr_assert_eq(m.received, 80);
    cr_assert_eq(m.moic, 0.8);
    cr_assert_eq(m.loss, 1);
    cr_assert_eq(m.npv, -20);
    cr_assert_float_eq(m.irr, -0.2, IRR_TOL);
    received[12] = 100;                            /* break-even is not a loss */
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.loss, 0);
    cr_assert_eq(m.moic, 1);
    cr_assert_eq(m.irr, 0.0);                      /* exactly, not -1e-15 */
    paid[0] = 0;                                   /* nothing paid in: no multiple */
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert(isnan(m.moic));
    cr_assert_eq(m.irr, SR_IRR_MAX);               /* a gain without a root below 10 */
    cr_assert_eq(m.loss, 0);
    cr_assert_eq(sr_investor_compute(w, paid, received, N_MAX + 1, 0, &m), GSL_EBADLEN);
    sr_finance_ws_free(w);
}

/* Every trial gets an IRR whose sign is its nominal result's (docs/model.md): money back
 * within rounding is 0 and no loss, a loss without a root above -0.99 is -1, a gain
 * without one below 10 is 10, and a gain whose flows also have a negative root takes the
 * root at or above 0. */
Test(investor, every_outcome_has_an_irr_on_the_side_of_its_result)
{
    sr_finance_ws *w = ws();
    double paid[37] = {0}, received[37] = {0};
    sr_investor_metrics m;
    /* paid 0.1 ten times (a sum of 0.9999999999999999) and 1 received */
    for (size_t t = 0; t < 10; t++)
        paid[t] = 0.1;
    received[12] = 1.0;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_neq(m.paid, m.received);
    cr_assert_eq(m.irr, 0.0);
    cr_assert_eq(m.loss, 0);
    /* nothing at all: no flows, nothing lost */
    memset(paid, 0, sizeof paid);
    memset(received, 0, sizeof received);
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.irr, 0.0);
    cr_assert_eq(m.loss, 0);
    /* everything lost */
    paid[0] = 100;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.irr, SR_IRR_LOSS_NO_ROOT);
    cr_assert_eq(m.loss, 1);
    /* 0.5 back after a year: a rate of -99.5% a year, below the bracket */
    received[12] = 0.5;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.irr, SR_IRR_LOSS_NO_ROOT);
    /* 2 back: -98% a year, within it */
    received[12] = 2.0;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_float_eq(m.irr, -0.98, IRR_TOL);
    /* 1,200 back: 1,100% a year, above it */
    received[12] = 1200.0;
    cr_assert_eq(sr_investor_compute(w, paid, received, 13, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.irr, SR_IRR_MAX);
    cr_assert_eq(m.loss, 0);
    /* -100, +230, -121 a year apart (months 0, 12, 24): the NPV is a positive multiple of
     * -100 + 230 v - 121 v^2, v = 1 / (1 + r), zero at v = (230 +- sqrt 4500) / 242: at
     * r = -0.1854 and at r = 0.4854. The investors gain 9: their IRR is the second; the
     * whole bracket's lowest root is the first. */
    memset(received, 0, sizeof received);
    paid[0] = 100;
    received[12] = 230;
    paid[24] = 121;
    cr_assert_eq(sr_investor_compute(w, paid, received, 37, 0, &m), GSL_SUCCESS);
    cr_assert_eq(m.loss, 0);
    cr_assert_float_eq(m.irr, 242.0 / (230.0 - sqrt(4500.0)) - 1.0, IRR_TOL);
    double flow[37], lowest;
    for (size_t t = 0; t < 37; t++)
        flow[t] = received[t] - paid[t];
    cr_assert_eq(sr_irr(w, flow, 37, &lowest), GSL_SUCCESS);
    cr_assert_float_eq(lowest, 242.0 / (230.0 + sqrt(4500.0)) - 1.0, IRR_TOL);
    sr_finance_ws_free(w);
}

/* ---- financing clauses by hand ------------------------------------------------------- */

Test(clauses, first_loss_covers_the_loss_up_to_f_times_paid)
{
    cr_assert_eq(sr_first_loss(100, 30, 0.2), 20);    /* loss 70, capped at 20 */
    cr_assert_eq(sr_first_loss(100, 90, 0.2), 10);    /* loss 10, covered */
    cr_assert_eq(sr_first_loss(100, 120, 0.2), 0);    /* no loss */
}

Test(clauses, the_guarantee_falls_at_the_last_settlement_or_the_last_cost)
{
    double paid[24] = {0}, received[24] = {0};
    paid[0] = 100;
    received[12] = 50;
    sr_investor_terms t = {.has_guarantee = true, .first_loss = 0.2};
    double reinvested, guaranteed;
    size_t month;
    sr_investor_clauses(&t, paid, received, 24, 12, NULL, &reinvested, &guaranteed, &month);
    cr_assert_eq(guaranteed, 20);
    cr_assert_eq(month, 12);
    cr_assert_eq(received[12], 70);
    cr_assert_eq(reinvested, 0);
    /* A cost after the last settlement: the loss is known only when it is paid. */
    memset(received, 0, sizeof received);
    received[12] = 50;
    paid[20] = 10;
    sr_investor_clauses(&t, paid, received, 24, 12, NULL, &reinvested, &guaranteed, &month);
    cr_assert_eq(month, 20);
    cr_assert_eq(guaranteed, 22);                     /* min(60, 0.2 × 110) */
    cr_assert_eq(received[20], 22);
}

Test(clauses, the_surplus_cap_repays_the_investors_at_c_and_pools_the_rest)
{
    /* Pay 100 at month 0, receive 150 at month 12. At c = 0 the investors are owed 100:
     * 50 goes to the pool. At c = 10% they are owed 100 × 1.1 = 110: 40 does. */
    sr_finance_ws *w = ws();
    double paid[13] = {0}, received[13] = {0}, cut[13];
    paid[0] = 100;
    received[12] = 150;
    /* (Criterion's float comparison evaluates its arguments twice: call first.) */
    double pooled = sr_surplus_cap(paid, received, 13, 0, cut);
    cr_assert_float_eq(pooled, 50, MONEY_TOL);
    cr_assert_float_eq(received[12], 100, MONEY_TOL);
    cr_assert_float_eq(cut[12], 50, MONEY_TOL);
    double flow[13];
    for (size_t t = 0; t < 13; t++)
        flow[t] = received[t] - paid[t];
    cr_assert_float_eq(irr_of(w, flow, 13), 0, IRR_TOL);

    received[12] = 150;
    pooled = sr_surplus_cap(paid, received, 13, 0.10, NULL);
    cr_assert_float_eq(pooled, 40, MONEY_TOL);
    cr_assert_float_eq(received[12], 110, MONEY_TOL);
    /* Below the cap nothing is cut. */
    received[12] = 105;
    pooled = sr_surplus_cap(paid, received, 13, 0.10, NULL);
    cr_assert_eq(pooled, 0);
    cr_assert_eq(received[12], 105);
    sr_finance_ws_free(w);
}

Test(clauses, with_all_costs_first_the_cap_cuts_the_latest_receipts_to_an_irr_of_c)
{
    /* 100 in months 0, 1, 2; 150 in months 12, 24, 36 (IRR about 20%); c = 5%. The
     * investors are repaid during the third receipt: only it is cut, and the IRR is c. */
    sr_finance_ws *w = ws();
    double paid[37] = {0}, received[37] = {0}, cut[37], flow[37];
    paid[0] = paid[1] = paid[2] = 100;
    received[12] = received[24] = received[36] = 150;
    double pooled = sr_surplus_cap(paid, received, 37, 0.05, cut);
    cr_assert_gt(pooled, 0);
    cr_assert_eq(cut[12], 0);
    cr_assert_eq(cut[24], 0);
    cr_assert_float_eq(cut[36], pooled, MONEY_TOL);
    for (size_t t = 0; t < 37; t++)
        flow[t] = received[t] - paid[t];
    cr_assert_float_eq(irr_of(w, flow, 37), 0.05, IRR_TOL);
    sr_finance_ws_free(w);
}

Test(clauses, a_guarantee_never_lifts_the_investors_above_a_negative_cap)
{
    /* Pay 100, receive 95 a year later (IRR −5%); c = −10%: the investors are owed 90, so
     * 5 goes to the pool; the first-loss guarantee (loss 10) would lift them back above c,
     * and pays nothing: the cap prevails. */
    double paid[13] = {0}, received[13] = {0};
    paid[0] = 100;
    received[12] = 95;
    sr_investor_terms t = {true, 0.5, true, -0.10};
    double reinvested, guaranteed;
    size_t month;
    sr_investor_clauses(&t, paid, received, 13, 12, NULL, &reinvested, &guaranteed, &month);
    cr_assert_float_eq(reinvested, 5, MONEY_TOL);
    cr_assert_float_eq(guaranteed, 0, MONEY_TOL);
    cr_assert_float_eq(received[12], 90, MONEY_TOL);
}

/* ---- financing clauses on random flows ----------------------------------------------- */

#define N_RANDOM 5000
#define N_MONTHS 72

/* An investor's flows as the engine makes them: costs in the first 3 .. 36 months, some
 * months without; five annual settlements from month 14, overlapping the costs, of random
 * size (from nothing to several times the costs). */
static void random_flows(gsl_rng *r, double *paid, double *received)
{
    size_t cost_months = 3 + gsl_rng_uniform_int(r, 34);
    double scale = 3 * gsl_rng_uniform(r);
    for (size_t t = 0; t < N_MONTHS; t++) {
        paid[t] = t < cost_months && gsl_rng_uniform(r) < 0.8 ? 100 * gsl_rng_uniform(r) : 0;
        received[t] = 0;
    }
    for (size_t t = 14; t < N_MONTHS; t += 12)
        received[t] = scale * (double)cost_months * 100 * gsl_rng_uniform(r) / 5;
}

static double sum(const double *x, size_t n)
{
    double s = 0;
    for (size_t t = 0; t < n; t++)
        s += x[t];
    return s;
}

Test(clauses, investor_loss_after_the_guarantee_is_at_most_one_minus_f_of_paid_in)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    size_t binding = 0;
    for (int i = 0; i < N_RANDOM; i++) {
        double paid[N_MONTHS], received[N_MONTHS];
        random_flows(r, paid, received);
        /* With and without a cap at c >= 0: the two clauses never conflict then. */
        sr_investor_terms t = {true, gsl_rng_uniform(r), i % 2 == 1, 0.3 * gsl_rng_uniform(r)};
        double before = sum(received, N_MONTHS), reinvested, guaranteed;
        size_t month;
        sr_investor_clauses(&t, paid, received, N_MONTHS, 62, NULL, &reinvested, &guaranteed,
                            &month);
        double p = sum(paid, N_MONTHS), after = sum(received, N_MONTHS);
        cr_assert_float_eq(after, before - reinvested + guaranteed, MONEY_TOL, "case %d", i);
        cr_assert_geq(guaranteed, 0);
        cr_assert_leq(guaranteed, t.first_loss * p + MONEY_TOL, "case %d", i);
        cr_assert_leq(fmax(0, p - after), (1 - t.first_loss) * p + MONEY_TOL, "case %d", i);
        binding += guaranteed > 0;
    }
    cr_assert_gt(binding, N_RANDOM / 10, "losses are common enough to test the floor");
    gsl_rng_free(r);
}

Test(clauses, the_irr_after_the_surplus_cap_is_at_most_c)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    sr_finance_ws *w = ws();
    size_t binding = 0;
    for (int i = 0; i < N_RANDOM; i++) {
        double paid[N_MONTHS], received[N_MONTHS], flow[N_MONTHS];
        random_flows(r, paid, received);
        double c = -0.2 + 0.6 * gsl_rng_uniform(r);
        for (size_t t = 0; t < N_MONTHS; t++)
            flow[t] = received[t] - paid[t];
        double irr_before = irr_of(w, flow, N_MONTHS);
        /* With a guarantee too: it must not lift the investors above c either. */
        sr_investor_terms terms = {i % 2 == 1, gsl_rng_uniform(r), true, c};
        double reinvested, guaranteed;
        size_t month;
        sr_investor_clauses(&terms, paid, received, N_MONTHS, 62, NULL, &reinvested,
                            &guaranteed, &month);
        for (size_t t = 0; t < N_MONTHS; t++)
            flow[t] = received[t] - paid[t];
        double irr = irr_of(w, flow, N_MONTHS);
        if (irr_before > c)
            cr_assert_gt(reinvested, 0, "case %d: IRR %g above c %g, nothing cut", i,
                         irr_before, c);
        if (reinvested > 0) {
            binding++;
            /* NaN: the cut left no rate that zeroes the flows (costs after it). */
            cr_assert(isnan(irr) || irr <= c + IRR_TOL, "case %d: IRR %.15g > c %.15g", i,
                      irr, c);
            /* At every rate above c the investors' NPV is <= 0. */
            static const double above[] = {1e-3, 0.01, 0.1, 0.5, 2, 9};
            double scale = sum(paid, N_MONTHS);
            for (size_t k = 0; k < sizeof above / sizeof above[0]; k++)
                cr_assert_leq(sr_npv(flow, N_MONTHS, c + above[k]), MONEY_TOL * scale,
                              "case %d, rate %g", i, c + above[k]);
        }
    }
    cr_assert_gt(binding, N_RANDOM / 4, "the cap binds often enough to test it");
    sr_finance_ws_free(w);
    gsl_rng_free(r);
}
