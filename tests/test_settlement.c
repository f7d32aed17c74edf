/* Contract settlement and the measured amount due (models/settlement.c). Expected values
 * are computed by hand from docs/model.md's rule, in DKK with small round numbers; properties
 * (frames, caps, deferring versus forfeiting, no double counting) are checked on many
 * random inputs from a fixed-seed generator. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "models/settlement.h"

#define CAPACITY 64
#define TOL 1e-9        /* DKK: sums of a few round numbers are exact far below this */

typedef struct {
    size_t month[CAPACITY];
    double payment[CAPACITY];
    sr_settlement s;
} settlement_buf;

static sr_settlement *buf_init(settlement_buf *b)
{
    b->s = (sr_settlement){.capacity = CAPACITY, .month = b->month, .payment = b->payment};
    return &b->s;
}

static sr_settle_terms terms(double frame, double cap, sr_overflow overflow, size_t stop)
{
    return (sr_settle_terms){frame, cap, overflow, stop};
}

static const sr_settle_terms no_limits = {INFINITY, INFINITY, SR_OVERFLOW_DEFERRED,
                                          SR_SETTLE_NEVER};

/* Yearly settlements at the end of each December of a term from January, lag 0. */
static const size_t december[] = {11, 23, 35, 47, 59, 71, 83, 95};

/* ---- the measured amount due --------------------------------------------------------- */

Test(due, rate_card_pays_price_times_measured_outcomes)
{
    /* Two outcomes, baseline none: 10 − 6 = 4 and 4 − 1 = 3 attributable achievements. */
    const double price[] = {1000, 500};
    const double treated[] = {10, 4}, counterfactual[] = {6, 1};
    double measured[2];
    for (size_t o = 0; o < 2; o++) {
        sr_baseline_in b = {.counterfactual = counterfactual[o]};
        measured[o] = sr_measured_achievements(treated[o],
                                               sr_baseline_value(SR_BASELINE_NONE, &b));
    }
    cr_assert_eq(measured[0], 4);
    cr_assert_eq(measured[1], 3);
    double due = sr_due_rate_card(2, price, measured);
    cr_assert_eq(due, 4 * 1000 + 3 * 500);

    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    cr_assert_eq(sr_settle(&no_limits, 1, &due, december, s), 1);
    cr_assert_eq(s->payment[0], 5500);
    cr_assert_eq(s->month[0], 11);
    cr_assert_eq(s->paid, 5500);
}

Test(due, historical_baseline_is_the_contract_rate_times_the_enrolled)
{
    /* 30 achievements among 100 enrolled against a fixed 0.2 per person: 30 − 20 = 10. */
    sr_baseline_in b = {.historical_rate = 0.2, .exposure = 100};
    cr_assert_float_eq(sr_measured_achievements(30, sr_baseline_value(SR_BASELINE_HISTORICAL,
                                                                      &b)), 10, TOL);
    /* Savings: 9000 DKK per person-month over 1200 person-months = 10.8 M against 10 M
     * spent on the treated. */
    b = (sr_baseline_in){.historical_rate = 9000, .exposure = 1200};
    cr_assert_float_eq(sr_measured_savings(sr_baseline_value(SR_BASELINE_HISTORICAL, &b),
                                           10e6), 0.8e6, TOL);
}

Test(due, control_baseline_scales_the_control_group_to_the_treated_size)
{
    /* 10 achievements in a control group of 50, scaled to 100 treated: 20; 30 − 20 = 10. */
    sr_baseline_in b = {.control = 10, .control_size = 50, .treated_size = 100};
    cr_assert_eq(sr_measured_achievements(30, sr_baseline_value(SR_BASELINE_CONTROL, &b)), 10);
    /* Expenditure: 4 M for 50 control persons is 8 M for 100; the treated spent 7 M. */
    b = (sr_baseline_in){.control = 4e6, .control_size = 50, .treated_size = 100};
    cr_assert_eq(sr_measured_savings(sr_baseline_value(SR_BASELINE_CONTROL, &b), 7e6), 1e6);
}

Test(due, none_baseline_savings_are_counterfactual_minus_treated_and_not_floored)
{
    sr_baseline_in b = {.counterfactual = 5e6};
    cr_assert_eq(sr_measured_savings(sr_baseline_value(SR_BASELINE_NONE, &b), 6e6), -1e6);
    cr_assert_eq(sr_due_savings_share(0.5, -1e6), -0.5e6);
}

Test(due, savings_share_pays_share_times_cumulative_savings_when_they_only_grow)
{
    /* Cumulative savings 1.0, 2.5, 2.5, 4.0, 7.0 M; share 0.5: each settlement pays half
     * of the year's increment, and in total half of the final savings. */
    const double savings[] = {1.0e6, 2.5e6, 2.5e6, 4.0e6, 7.0e6};
    const double increment[] = {1.0e6, 1.5e6, 0, 1.5e6, 3.0e6};
    double due[5];
    for (size_t y = 0; y < 5; y++)
        due[y] = sr_due_savings_share(0.5, savings[y]);
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    cr_assert_eq(sr_settle(&no_limits, 5, due, december, s), 5);
    for (size_t y = 0; y < 5; y++)
        cr_assert_float_eq(s->payment[y], 0.5 * increment[y], TOL, "year %zu", y);
    cr_assert_float_eq(s->paid, 0.5 * 7.0e6, TOL);
    cr_assert_eq(s->forfeited, 0);
    cr_assert_eq(s->deferred_unpaid, 0);
}

/* ---- the settlement rule by hand ----------------------------------------------------- */

Test(settle, no_negative_payment_when_cumulative_due_falls)
{
    /* 100, then 40 and 60 (below the 100 paid: nothing, no clawback), then 130: the
     * cumulative rule pays 130 − 100 = 30. A negative due counts as 0. */
    const double due[] = {100, 40, -25, 60, 130};
    const double expect[] = {100, 0, 0, 0, 30};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    cr_assert_eq(sr_settle(&no_limits, 5, due, december, s), 5);
    for (size_t y = 0; y < 5; y++)
        cr_assert_eq(s->payment[y], expect[y], "year %zu", y);
    cr_assert_eq(s->paid, 130);
}

Test(settle, a_deferred_overflow_is_paid_in_later_years_and_after_the_term)
{
    /* Due 100 then 100, frame 40. Year 0: 40, 60 deferred. Year 1: request 100 − 40 = 60:
     * 40, 20 deferred. After the term: 20, twelve months after the last settlement. */
    const double due[] = {100, 100};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(40, INFINITY, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 2, due, december, s), 3);
    cr_assert_eq(s->payment[0], 40);
    cr_assert_eq(s->payment[1], 40);
    cr_assert_eq(s->payment[2], 20);
    cr_assert_eq(s->month[2], 35);
    cr_assert_eq(s->paid, 100);
    cr_assert_eq(s->forfeited, 0);
    cr_assert_eq(s->deferred_unpaid, 0);
    cr_assert_eq(s->end_month, 35);
}

Test(settle, a_forfeited_overflow_is_never_asked_again)
{
    /* Same inputs, forfeited: year 0 pays 40 and forfeits 60; year 1 asks
     * 100 − 40 − 60 = 0. Year 2 asks for the 50 new results, 150 − 100: 40 paid, 10
     * forfeited. */
    const double due[] = {100, 100, 150};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(40, INFINITY, SR_OVERFLOW_FORFEITED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 3, due, december, s), 3);
    cr_assert_eq(s->payment[0], 40);
    cr_assert_eq(s->payment[1], 0);
    cr_assert_eq(s->payment[2], 40);
    cr_assert_eq(s->paid, 80);
    cr_assert_eq(s->forfeited, 70);
    cr_assert_eq(s->end_month, 35);
}

Test(settle, a_shortfall_cancels_the_deferred_balance_first)
{
    /* Frame 60: year 0 pays 60 of 100, 40 deferred; year 1 measures only 70: request
     * 70 − 60 = 10 is paid, the rest of the balance lapses (no clawback, no double count);
     * year 2 measures 120: 120 − 70 = 50. */
    const double due[] = {100, 70, 120};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(60, INFINITY, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 3, due, december, s), 3);
    cr_assert_eq(s->payment[0], 60);
    cr_assert_eq(s->payment[1], 10);
    cr_assert_eq(s->payment[2], 50);
    cr_assert_eq(s->paid, 120);
}

Test(settle, the_cap_limits_payments_and_what_is_deferred)
{
    /* Cap 150, frame 50, due 100 then 200. Year 0: 50, 50 deferred. Year 1: request 150,
     * cap left 100: 50 paid, 50 deferred (the other 50 lie above the cap). Then 50. */
    const double due[] = {100, 200};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(50, 150, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 2, due, december, s), 3);
    cr_assert_eq(s->payment[0], 50);
    cr_assert_eq(s->payment[1], 50);
    cr_assert_eq(s->payment[2], 50);
    cr_assert_eq(s->paid, 150);
    cr_assert_eq(s->deferred_unpaid, 0);
    /* Frame 80: 80, then min(80, cap left 70, 120) = 70, nothing deferred, no tail. */
    t.annual_frame = 80;
    cr_assert_eq(sr_settle(&t, 2, due, december, s), 2);
    cr_assert_eq(s->payment[1], 70);
    cr_assert_eq(s->paid, 150);
}

Test(settle, termination_stops_settlements_from_its_month_on)
{
    const double due[] = {100, 200, 300};
    const size_t months[] = {14, 26, 38};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    /* Cancelled in month 26: the settlement due that month and later ones are not made. */
    sr_settle_terms t = terms(INFINITY, INFINITY, SR_OVERFLOW_DEFERRED, 26);
    cr_assert_eq(sr_settle(&t, 3, due, months, s), 1);
    cr_assert_eq(s->paid, 100);
    cr_assert_eq(s->end_month, 26);
    t.termination_month = 27;
    cr_assert_eq(sr_settle(&t, 3, due, months, s), 2);
    cr_assert_eq(s->paid, 200);
    /* Before the first settlement: nothing at all. */
    t.termination_month = 0;
    cr_assert_eq(sr_settle(&t, 3, due, months, s), 0);
    cr_assert_eq(s->paid, 0);
    /* A deferred balance stays unpaid: frame 60, 40 deferred in month 14, cancelled in 26. */
    t = terms(60, INFINITY, SR_OVERFLOW_DEFERRED, 26);
    cr_assert_eq(sr_settle(&t, 3, due, months, s), 1);
    cr_assert_eq(s->paid, 60);
    cr_assert_eq(s->deferred_unpaid, 40);
    /* A cancellation after the term cuts the tail: 1000 due, frame 100, settled in month 14
     * (100), then 26, 38, 50 (300); cancelled in month 60. */
    const double big = 1000;
    t = terms(100, INFINITY, SR_OVERFLOW_DEFERRED, 60);
    cr_assert_eq(sr_settle(&t, 1, &big, months, s), 4);
    cr_assert_eq(s->month[3], 50);
    cr_assert_eq(s->paid, 400);
    cr_assert_eq(s->deferred_unpaid, 600);
    cr_assert_eq(s->end_month, 60);
}

Test(settle, a_zero_frame_defers_everything_and_pays_nothing)
{
    const double due[] = {100, 200};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(0, INFINITY, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 2, due, december, s), 2);
    cr_assert_eq(s->paid, 0);
    cr_assert_eq(s->deferred_unpaid, 200);
}

Test(settle, a_long_tail_is_counted_beyond_the_capacity_with_complete_totals)
{
    /* 1000 due, frame 100: ten settlements, the last nine after the term. Room for 2. */
    const double due = 1000;
    size_t month[2];
    double payment[2];
    sr_settlement s = {.capacity = 2, .month = month, .payment = payment};
    sr_settle_terms t = terms(100, INFINITY, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 1, &due, december, &s), 10);
    cr_assert_eq(s.paid, 1000);
    cr_assert_eq(s.deferred_unpaid, 0);
    cr_assert_eq(month[1], 23);
    cr_assert_eq(s.end_month, 11 + 9 * 12);
}

Test(settle, a_tail_of_decimal_amounts_has_the_exact_number_of_payments)
{
    /* 0.3 / 0.1 is 2.9999999999999996 in binary: still three payments of (about) 0.1. */
    const double due = 0.3;
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle_terms t = terms(0.1, INFINITY, SR_OVERFLOW_DEFERRED, SR_SETTLE_NEVER);
    cr_assert_eq(sr_settle(&t, 1, &due, december, s), 3);
    double sum = 0;
    for (size_t k = 0; k < 3; k++) {
        cr_assert(s->payment[k] > 0 && s->payment[k] <= 0.1);
        sum += s->payment[k];
    }
    cr_assert_float_eq(sum, 0.3, 1e-15);
    cr_assert_float_eq(s->paid, 0.3, 1e-15);
}

Test(settle, settlements_after_the_horizon_are_discounted_like_any_month)
{
    /* A payment of 100 in month 35 (after a 24-month horizon) at 5%: 100 × 1.05^−3. */
    const double due[] = {0, 100};
    const size_t months[] = {23, 35};
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    sr_settle(&no_limits, 2, due, months, s);
    cr_assert_float_eq(sr_settlement_pv(s, 0.05), 100 / pow(1.05, 3), 1e-12);
    cr_assert_eq(sr_settlement_pv(s, 0), 100);
}

/* ---- the calendar -------------------------------------------------------------------- */

Test(calendar, lag_moves_settlements_by_its_months)
{
    size_t measured[4], settle[4];
    /* Start January, term of two years from month 0. */
    cr_assert_eq(sr_settle_calendar(1, 0, 24, 0, measured, settle), 2);
    cr_assert_eq(measured[0], 11);
    cr_assert_eq(measured[1], 23);
    cr_assert_eq(settle[0], 11);
    cr_assert_eq(settle[1], 23);
    cr_assert_eq(sr_settle_calendar(1, 0, 24, 3, measured, settle), 2);
    cr_assert_eq(settle[0], 14);
    cr_assert_eq(settle[1], 26);
    cr_assert_eq(measured[1], 23, "the lag moves payment, not measurement");
}

Test(calendar, a_term_ending_mid_year_settles_with_its_calendar_year)
{
    size_t measured[4], settle[4];
    /* t = 0 is January 2027; term from April 2027 (t = 3) for 18 months, to September
     * 2028 (t = 20): budget years 2027 and 2028, the second measured at the term's end
     * and settled with its year, December 2028 (t = 23) + lag 2. */
    cr_assert_eq(sr_settle_calendar(1, 3, 18, 2, measured, settle), 2);
    cr_assert_eq(measured[0], 11);
    cr_assert_eq(settle[0], 13);
    cr_assert_eq(measured[1], 20);
    cr_assert_eq(settle[1], 25);
    /* t = 0 is July: a one-year term from t = 0 touches two budget years; the second
     * ends in June (t = 11) and settles in its December (t = 17). */
    cr_assert_eq(sr_settle_calendar(7, 0, 12, 0, measured, settle), 2);
    cr_assert_eq(measured[0], 5);
    cr_assert_eq(settle[0], 5);
    cr_assert_eq(measured[1], 11);
    cr_assert_eq(settle[1], 17);
    /* The bound holds for every start month and term start. */
    for (int sm = 1; sm <= 12; sm++)
        for (size_t first = 0; first < 12; first++)
            for (size_t term = 1; term <= 40; term++)
                cr_assert_leq(sr_settle_calendar(sm, first, term, 0, NULL, NULL),
                              sr_settle_max_years(term));
}

/* ---- properties on random inputs ----------------------------------------------------- */

#define N_RANDOM 20000

/* A random contract: 1 .. 8 years of cumulative due as a random walk that may fall and go
 * negative, with or without frame, cap and termination. */
typedef struct {
    size_t n_years;
    double due[8];
    size_t months[8];
    sr_settle_terms t;
} random_case;

static void random_contract(gsl_rng *r, random_case *c)
{
    c->n_years = 1 + gsl_rng_uniform_int(r, 8);
    double level = 0;
    for (size_t y = 0; y < c->n_years; y++) {
        level += 100 * (gsl_rng_uniform(r) - 0.3);
        c->due[y] = level;
        c->months[y] = 11 + 12 * y + 3;
    }
    /* Frames of at least 20 keep the deferred tail within CAPACITY settlements. */
    c->t.annual_frame = gsl_rng_uniform(r) < 0.8 ? 20 + 40 * gsl_rng_uniform(r) : INFINITY;
    c->t.cap_total = gsl_rng_uniform(r) < 0.5 ? 300 * gsl_rng_uniform(r) : INFINITY;
    c->t.termination_month = gsl_rng_uniform(r) < 0.3 ? gsl_rng_uniform_int(r, 120)
                                                       : SR_SETTLE_NEVER;
}

Test(settle, frames_and_caps_hold_and_nothing_is_counted_twice_on_random_inputs)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    settlement_buf buf;
    sr_settlement *s = buf_init(&buf);
    for (int i = 0; i < N_RANDOM; i++) {
        random_case c;
        random_contract(r, &c);
        double max_due = 0;
        for (size_t y = 0; y < c.n_years; y++)
            max_due = fmax(max_due, c.due[y]);
        for (int o = 0; o < 2; o++) {
            c.t.overflow = o ? SR_OVERFLOW_FORFEITED : SR_OVERFLOW_DEFERRED;
            size_t n = sr_settle(&c.t, c.n_years, c.due, c.months, s);
            cr_assert_leq(n, CAPACITY, "case %d", i);
            double sum = 0;
            for (size_t k = 0; k < n; k++) {
                cr_assert_geq(s->payment[k], 0, "case %d", i);
                cr_assert_leq(s->payment[k], c.t.annual_frame, "case %d", i);
                cr_assert_lt(s->month[k], c.t.termination_month, "case %d", i);
                sum += s->payment[k];
            }
            cr_assert_float_eq(sum, s->paid, TOL, "case %d", i);
            cr_assert_leq(s->paid, c.t.cap_total + TOL, "case %d", i);
            /* Never more recognised than the highest cumulative amount measured. */
            cr_assert_leq(s->paid + s->forfeited + s->deferred_unpaid, max_due + TOL,
                          "case %d", i);
            cr_assert_geq(s->forfeited, 0);
            cr_assert_geq(s->deferred_unpaid, 0);
            if (o == 1)
                cr_assert_eq(s->deferred_unpaid, 0, "case %d", i);
            /* Deferring, uncapped, uncancelled, with a frame: all that is finally due is paid. */
            if (o == 0 && c.t.termination_month == SR_SETTLE_NEVER && c.t.annual_frame > 0
                && isinf(c.t.cap_total))
                cr_assert_geq(s->paid, fmax(0, c.due[c.n_years - 1]) - TOL, "case %d", i);
        }
    }
    gsl_rng_free(r);
}

Test(settle, deferring_never_pays_less_than_forfeiting_on_random_inputs)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    settlement_buf bd, bf;
    sr_settlement *d = buf_init(&bd), *f = buf_init(&bf);
    size_t strictly_more = 0;
    for (int i = 0; i < N_RANDOM; i++) {
        random_case c;
        random_contract(r, &c);
        c.t.overflow = SR_OVERFLOW_DEFERRED;
        sr_settle(&c.t, c.n_years, c.due, c.months, d);
        c.t.overflow = SR_OVERFLOW_FORFEITED;
        sr_settle(&c.t, c.n_years, c.due, c.months, f);
        cr_assert_geq(d->paid, f->paid - TOL, "case %d", i);
        /* ... and at every settlement of the term, cumulatively. */
        cr_assert_geq(d->n, f->n);
        double cd = 0, cf = 0;
        for (size_t k = 0; k < f->n; k++) {
            cr_assert_eq(d->month[k], f->month[k]);
            cd += d->payment[k];
            cf += f->payment[k];
            cr_assert_geq(cd, cf - TOL, "case %d, settlement %zu", i, k);
        }
        strictly_more += d->paid > f->paid + TOL;
    }
    cr_assert_gt(strictly_more, N_RANDOM / 10, "the frame binds often enough to matter");
    gsl_rng_free(r);
}
