#include "sim/engine/contract.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "models/size.h"

/* One-sided 5% critical value of the standard normal. */
static const double z_critical = 1.6448536269514722;

/* Element counts of a contract workspace's arrays, which sr_contract_ws_alloc allocates
 * and sr_contract_ws_bytes adds up. */
typedef struct {
    size_t max_outcomes;      /* the most rate-card outcomes of any programme, at least 1 */
    size_t n_flow;            /* months of investor flows */
    size_t max_years;         /* budget years a term can touch */
    size_t capacity;          /* settlements of one programme */
} contract_sizes;

static contract_sizes contract_sizes_of(const sr_model *m)
{
    contract_sizes z = {.max_outcomes = 1};
    for (size_t p = 0; p < m->n_programmes; p++)
        if (m->programmes[p].has_contract && m->programmes[p].contract.n_outcomes > z.max_outcomes)
            z.max_outcomes = m->programmes[p].contract.n_outcomes;
    z.n_flow = m->n_months + SR_AFTER_HORIZON_MONTHS;
    z.max_years = sr_settle_max_years(m->n_months);
    z.capacity = z.max_years + SR_AFTER_HORIZON_MONTHS / 12 + 1;
    return z;
}

sr_contract_ws *sr_contract_ws_alloc(const sr_model *m)
{
    sr_contract_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    const contract_sizes z = contract_sizes_of(m);
    w->n_months = m->n_months;
    w->n_flow = z.n_flow;
    w->max_years = z.max_years;
    w->measured = calloc(w->max_years, sizeof *w->measured);
    w->settle_month = calloc(w->max_years, sizeof *w->settle_month);
    w->due = calloc(w->max_years, sizeof *w->due);
    w->due_true = calloc(w->max_years, sizeof *w->due_true);
    w->price = calloc(z.max_outcomes, sizeof *w->price);
    w->measured_now = calloc(z.max_outcomes, sizeof *w->measured_now);
    sr_settlement *s[2] = {&w->settlement, &w->settlement_true};
    for (size_t k = 0; k < 2; k++) {
        s[k]->capacity = z.capacity;
        s[k]->month = calloc(z.capacity, sizeof *s[k]->month);
        s[k]->payment = calloc(z.capacity, sizeof *s[k]->payment);
    }
    w->paid = calloc(w->n_flow, sizeof *w->paid);
    w->received = calloc(w->n_flow, sizeof *w->received);
    w->finance = sr_finance_ws_alloc(w->n_flow);
    if (!w->measured || !w->settle_month || !w->due || !w->due_true || !w->price ||
        !w->measured_now || !w->settlement.month || !w->settlement.payment ||
        !w->settlement_true.month || !w->settlement_true.payment || !w->paid ||
        !w->received || !w->finance) {
        sr_contract_ws_free(w);
        return NULL;
    }
    return w;
}

double sr_contract_ws_bytes(const sr_model *m)
{
    const contract_sizes z = contract_sizes_of(m);
    return sr_array_bytes(1, sizeof(sr_contract_ws)) +
           4 * sr_array_bytes(z.max_years, sizeof(double)) +     /* measured ... due_true */
           2 * sr_array_bytes(z.max_outcomes, sizeof(double)) +  /* price, measured_now */
           4 * sr_array_bytes(z.capacity, sizeof(double)) +      /* two settlements */
           2 * sr_array_bytes(z.n_flow, sizeof(double)) +        /* paid, received */
           sr_finance_ws_bytes(z.n_flow);
}

void sr_contract_ws_free(sr_contract_ws *w)
{
    if (w == NULL)
        return;
    free(w->measured);
    free(w->settle_month);
    free(w->due);
    free(w->due_true);
    free(w->price);
    free(w->measured_now);
    free(w->settlement.month);
    free(w->settlement.payment);
    free(w->settlement_true.month);
    free(w->settlement_true.payment);
    free(w->paid);
    free(w->received);
    sr_finance_ws_free(w->finance);
    free(w);
}

/* Sum of flow[0 .. last] (last < n_months), a cumulative quantity at the end of month last. */
static double cumulative(const double *flow, size_t last)
{
    double sum = 0.0;
    for (size_t t = 0; t <= last; t++)
        sum += flow[t];
    return sum;
}

/* Person-months of the treated cohort up to the end of month last: everyone enrolled so
 * far counts in every month since enrolment (the exposure of a historical expenditure). */
static double person_months(const double *enrolled, size_t last)
{
    double so_far = 0.0, sum = 0.0;
    for (size_t t = 0; t <= last; t++) {
        so_far += enrolled[t];
        sum += so_far;
    }
    return sum;
}

static size_t first_intake(const sr_model *m, const sr_programme *p)
{
    for (size_t t = 0; t < m->n_months; t++)
        for (size_t s = 0; s < m->n_strata; s++)
            if (p->intake[s * m->n_months + t] > 0)
                return t;
    return 0;
}

/* The outcome with the highest price (the evaluation's outcome, docs/results.md). */
static size_t top_outcome(const sr_contract *c, const double *v)
{
    size_t best = 0;
    for (size_t o = 1; o < c->n_outcomes; o++)
        if (v[c->outcomes[o].price] > v[c->outcomes[best].price])
            best = o;
    return best;
}

/* 1 if a one-sided z statistic finds a positive effect at the 5% level. A zero standard
 * error decides by the sign of the difference. */
static double significant(double difference, double se)
{
    if (se > 0.0)
        return difference / se > z_critical;
    return difference > 0.0;
}

/* The measured amount due at the end of budget year y, and what the same clauses would
 * owe on the true result (treated - counterfactual). Fills w->measured_now (rate card) or
 * w->measured_savings (savings share). */
static void amounts_due(sr_contract_ws *w, const sr_programme *p, const double *v,
                        const sr_contract_in *in, size_t last, double *due, double *due_true)
{
    const sr_contract *c = &p->contract;
    const size_t T = w->n_months;
    const double enrolled = cumulative(in->treated->enrolled, last);
    if (c->type == SR_CONTRACT_RATE_CARD) {
        double true_due = 0.0;
        for (size_t o = 0; o < c->n_outcomes; o++) {
            double treated = cumulative(in->treated->achieved + o * T, last);
            double counterfactual = cumulative(in->counterfactual->achieved + o * T, last);
            sr_baseline_in b = {
                .counterfactual = 0.0,   /* baseline none: every achieved outcome counts */
                .historical_rate = v[c->outcomes[o].historical_rate],
                .exposure = enrolled,
                .control = in->control ? cumulative(in->control->achieved + o * T, last) : 0.0,
                .control_size = c->control_size,
                .treated_size = p->size,
            };
            w->price[o] = v[c->outcomes[o].price];
            w->measured_now[o] = sr_measured_achievements(treated, sr_baseline_value(c->baseline, &b));
            true_due += w->price[o] * (treated - counterfactual);
        }
        *due = sr_due_rate_card(c->n_outcomes, w->price, w->measured_now);
        *due_true = true_due;
        return;
    }
    const size_t pay = c->payer;
    double treated = cumulative(in->treated->expenditure + pay * T, last);
    double counterfactual = cumulative(in->counterfactual->expenditure + pay * T, last);
    sr_baseline_in b = {
        .counterfactual = counterfactual,
        .historical_rate = v[c->historical_expenditure.amount[pay]],
        .exposure = person_months(in->treated->enrolled, last),
        .control = in->control ? cumulative(in->control->expenditure + pay * T, last) : 0.0,
        .control_size = c->control_size,
        .treated_size = p->size,
    };
    w->measured_savings = sr_measured_savings(sr_baseline_value(c->baseline, &b), treated);
    *due = sr_due_savings_share(v[c->share], w->measured_savings);
    *due_true = sr_due_savings_share(v[c->share], counterfactual - treated);
}

/* effect_true, effect_measured and evaluation_significant at the term's last measured
 * month `last` (docs/results.md). */
static void evaluation(sr_contract_ws *w, const sr_programme *p, const double *v,
                       const sr_contract_in *in, size_t last, double *metric)
{
    const sr_contract *c = &p->contract;
    const size_t T = w->n_months;
    const double enrolled = cumulative(in->treated->enrolled, last);
    const double n_t = enrolled > 0.0 ? enrolled : 1.0;
    double truth = 0.0, measured = 0.0, due, due_true;
    amounts_due(w, p, v, in, last, &due, &due_true);
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < c->n_outcomes; o++) {
            truth += cumulative(in->treated->achieved + o * T, last) -
                     cumulative(in->counterfactual->achieved + o * T, last);
            measured += w->measured_now[o];
        }
    } else {
        const size_t pay = c->payer;
        truth = cumulative(in->counterfactual->expenditure + pay * T, last) -
                cumulative(in->treated->expenditure + pay * T, last);
        measured = w->measured_savings;
    }
    metric[SR_M_EFFECT_TRUE] = truth / n_t;
    metric[SR_M_EFFECT_MEASURED] = measured / n_t;

    /* The evaluation's rates: the highest-priced outcome's achievements, or the share
     * employed at the term's end (the month after its last, or the horizon's end). */
    double x_t, x_c = 0.0, p0 = NAN;
    if (c->type == SR_CONTRACT_RATE_CARD) {
        size_t o = top_outcome(c, v);
        x_t = cumulative(in->treated->achieved + o * T, last);
        if (in->control)
            x_c = cumulative(in->control->achieved + o * T, last);
        p0 = v[c->outcomes[o].historical_rate];
    } else {
        x_t = last + 1 < T ? in->treated->employed[last + 1] : in->treated->employed_end;
        if (in->control)
            x_c = last + 1 < T ? in->control->employed[last + 1] : in->control->employed_end;
    }
    double rate_t = x_t / n_t;
    if (c->baseline == SR_BASELINE_CONTROL && in->control != NULL) {
        /* The persons actually enrolled: a termination stops both arms' intake. */
        double n_c = cumulative(in->control->enrolled, last);
        n_c = n_c > 0.0 ? n_c : 1.0;
        double rate_c = x_c / n_c;
        double se = sqrt(rate_t * (1.0 - rate_t) / n_t + rate_c * (1.0 - rate_c) / n_c);
        metric[SR_M_EVALUATION_SIGNIFICANT] = significant(rate_t - rate_c, se);
    } else if (c->baseline == SR_BASELINE_HISTORICAL && c->type == SR_CONTRACT_RATE_CARD) {
        metric[SR_M_EVALUATION_SIGNIFICANT] =
            significant(rate_t - p0, sqrt(p0 * (1.0 - p0) / n_t));
    } else {
        metric[SR_M_EVALUATION_SIGNIFICANT] = NAN;
    }
}

/* The measured achievements the contract paid for (docs/results.md outcomes_paid): what was paid,
 * DKK, shared over the outcomes in proportion to their share of the largest cumulative
 * amount due that was settled, and divided by each outcome's price. With one outcome it is
 * payments / price, so it always reconciles with what was paid (frames, caps and
 * termination included). */
static double outcomes_paid(sr_contract_ws *w, const sr_programme *p, const double *v,
                            const sr_contract_in *in, size_t n_years, size_t termination)
{
    const sr_contract *c = &p->contract;
    const size_t T = w->n_months;
    size_t best = SIZE_MAX;
    for (size_t y = 0; y < n_years && w->settle_month[y] < termination; y++)
        if (best == SIZE_MAX || w->due[y] > w->due[best])
            best = y;
    if (best == SIZE_MAX || !(w->due[best] > 0.0) || !(w->settlement.paid > 0.0))
        return 0.0;
    double due, due_true;
    amounts_due(w, p, v, in, w->measured[best] < T ? w->measured[best] : T - 1, &due, &due_true);
    double weight = 0.0, paid = 0.0;
    for (size_t o = 0; o < c->n_outcomes; o++)
        weight += w->price[o] * fmax(0.0, w->measured_now[o]);
    for (size_t o = 0; o < c->n_outcomes && weight > 0.0; o++)
        if (w->price[o] > 0.0)
            paid += w->settlement.paid * w->price[o] * fmax(0.0, w->measured_now[o]) / weight /
                    w->price[o];
    return paid;
}

static const sr_metric investor_metrics[] = {SR_M_INVESTOR_NPV, SR_M_INVESTOR_IRR,
                                             SR_M_INVESTOR_MOIC, SR_M_INVESTOR_LOSS};

static void set_investor(double *metric, const sr_investor_metrics *im)
{
    metric[SR_M_INVESTOR_NPV] = im->npv;
    metric[SR_M_INVESTOR_IRR] = im->irr;
    metric[SR_M_INVESTOR_MOIC] = im->moic;
    metric[SR_M_INVESTOR_LOSS] = im->loss;
}

void sr_contract_trial(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                       const double *v, const sr_contract_in *in, double *metric,
                       double *annual_payments, size_t n_years, double *portfolio_paid,
                       double *portfolio_received)
{
    const size_t pay = p->has_contract ? p->contract.payer : SR_MUNICIPALITY;
    memset(annual_payments, 0, n_years * sizeof *annual_payments);
    metric[SR_M_PAYMENTS] = 0.0;
    metric[SR_M_MUNICIPALITY_NET_SIB] = in->savings[pay];
    metric[SR_M_MUNICIPALITY_NET_SELFFUND] = in->savings[pay] - in->programme_cost;
    metric[SR_M_OVERPAYMENT] = 0.0;
    metric[SR_M_REINVESTED] = 0.0;
    metric[SR_M_GUARANTOR_PAID] = 0.0;
    metric[SR_M_OUTCOMES_TREATED] = 0.0;
    metric[SR_M_OUTCOMES_ATTRIBUTABLE] = 0.0;
    metric[SR_M_OUTCOMES_PAID] = 0.0;
    metric[SR_M_EFFECT_TRUE] = 0.0;
    metric[SR_M_EFFECT_MEASURED] = 0.0;
    metric[SR_M_EVALUATION_SIGNIFICANT] = NAN;
    for (size_t k = 0; k < sizeof investor_metrics / sizeof *investor_metrics; k++)
        metric[investor_metrics[k]] = NAN;
    if (!p->has_contract)
        return;

    const sr_contract *c = &p->contract;
    const size_t T = w->n_months;
    /* Budget years of the term, measured at their last term month, settled after the lag. */
    size_t n_years_term = sr_settle_calendar(m->start_month, first_intake(m, p), c->term_months,
                                             c->lag_months, w->measured, w->settle_month);
    for (size_t y = 0; y < n_years_term; y++)
        amounts_due(w, p, v, in, w->measured[y] < T ? w->measured[y] : T - 1, &w->due[y],
                    &w->due_true[y]);
    sr_settle_terms terms = {
        .annual_frame = c->has_annual_frame ? v[c->annual_frame] : INFINITY,
        .cap_total = c->has_cap_total ? v[c->cap_total] : INFINITY,
        .overflow = c->frame_overflow,
        .termination_month = in->termination == SIZE_MAX ? SR_SETTLE_NEVER : in->termination,
    };
    sr_settle(&terms, n_years_term, w->due, w->settle_month, &w->settlement);
    sr_settle(&terms, n_years_term, w->due_true, w->settle_month, &w->settlement_true);
    const sr_settlement *s = &w->settlement;
    const size_t stored = s->n < s->capacity ? s->n : s->capacity;

    metric[SR_M_PAYMENTS] = sr_settlement_pv(s, m->discount_public);
    double true_payments = sr_settlement_pv(&w->settlement_true, m->discount_public);
    metric[SR_M_MUNICIPALITY_NET_SIB] = in->savings[pay] - metric[SR_M_PAYMENTS];
    metric[SR_M_OVERPAYMENT] = fmax(0.0, metric[SR_M_PAYMENTS] - true_payments);
    for (size_t k = 0; k < stored; k++)
        if (s->month[k] < T)
            annual_payments[sr_calendar_year(m, (int)s->month[k]) - m->start_year] +=
                s->payment[k];

    /* Outcomes over the term, and those measured at the last settlement made. */
    const size_t last = w->measured[n_years_term - 1] < T ? w->measured[n_years_term - 1] : T - 1;
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < c->n_outcomes; o++) {
            double treated = cumulative(in->treated->achieved + o * T, last);
            metric[SR_M_OUTCOMES_TREATED] += treated;
            metric[SR_M_OUTCOMES_ATTRIBUTABLE] +=
                treated - cumulative(in->counterfactual->achieved + o * T, last);
        }
        metric[SR_M_OUTCOMES_PAID] = outcomes_paid(w, p, v, in, n_years_term,
                                                    terms.termination_month);
    }
    evaluation(w, p, v, in, last, metric);

    /* Investors pay the costs as they fall and receive the payments. */
    memset(w->paid, 0, w->n_flow * sizeof *w->paid);
    memset(w->received, 0, w->n_flow * sizeof *w->received);
    memcpy(w->paid, in->treated->cost, T * sizeof *w->paid);
    size_t end = 0;
    for (size_t k = 0; k < stored; k++)
        if (s->month[k] < w->n_flow) {
            w->received[s->month[k]] += s->payment[k];
            end = s->month[k];
        }
    if (s->end_month != SIZE_MAX && s->end_month < w->n_flow)
        end = s->end_month;
    sr_investor_terms it = {
        .has_guarantee = p->financing.has_guarantee,
        .first_loss = p->financing.has_guarantee ? v[p->financing.first_loss] : 0.0,
        .has_surplus_cap = p->financing.has_surplus_cap,
        .cap_irr = p->financing.has_surplus_cap ? v[p->financing.cap_irr] : 0.0,
    };
    double reinvested = 0.0, guarantor = 0.0;
    size_t guarantee_month = 0;
    sr_investor_clauses(&it, w->paid, w->received, w->n_flow, end, NULL, &reinvested,
                        &guarantor, &guarantee_month);
    metric[SR_M_REINVESTED] = reinvested;
    metric[SR_M_GUARANTOR_PAID] = guarantor;
    sr_investor_metrics im;
    sr_investor_compute(w->finance, w->paid, w->received, w->n_flow, m->discount_investor, &im);
    set_investor(metric, &im);
    for (size_t t = 0; t < w->n_flow; t++) {
        portfolio_paid[t] += w->paid[t];
        portfolio_received[t] += w->received[t];
    }
}

void sr_contract_portfolio(sr_contract_ws *w, const sr_model *m, const double *paid,
                           const double *received, double *metric)
{
    bool any = false;
    for (size_t p = 0; p < m->n_programmes; p++)
        any = any || m->programmes[p].has_contract;
    if (!any) {
        for (size_t k = 0; k < sizeof investor_metrics / sizeof *investor_metrics; k++)
            metric[investor_metrics[k]] = NAN;
        return;
    }
    sr_investor_metrics im;
    sr_investor_compute(w->finance, paid, received, w->n_flow, m->discount_investor, &im);
    set_investor(metric, &im);
}
