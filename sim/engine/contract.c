#include "sim/engine/contract.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "models/measure.h"
#include "models/size.h"

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
    w->max_outcomes = z.max_outcomes;
    w->measured = calloc(w->max_years, sizeof *w->measured);
    w->measured_at = calloc(w->max_years, sizeof *w->measured_at);
    w->settle_month = calloc(w->max_years, sizeof *w->settle_month);
    w->points = calloc(w->max_years, sizeof *w->points);
    w->cumulative = calloc(3 * w->max_years * z.max_outcomes, sizeof *w->cumulative);
    w->scratch_sums = calloc(w->max_years, sizeof *w->scratch_sums);
    w->price = calloc(z.max_outcomes, sizeof *w->price);
    w->historical_rate = calloc(z.max_outcomes, sizeof *w->historical_rate);
    sr_measure_scratch *ms = &w->scratch;
    ms->due = calloc(w->max_years, sizeof *ms->due);
    ms->due_true = calloc(w->max_years, sizeof *ms->due_true);
    ms->measured = calloc(z.max_outcomes, sizeof *ms->measured);
    sr_settlement *s[2] = {&ms->settlement, &ms->settlement_true};
    for (size_t k = 0; k < 2; k++) {
        s[k]->capacity = z.capacity;
        s[k]->month = calloc(z.capacity, sizeof *s[k]->month);
        s[k]->payment = calloc(z.capacity, sizeof *s[k]->payment);
    }
    w->paid = calloc(w->n_flow, sizeof *w->paid);
    w->received = calloc(w->n_flow, sizeof *w->received);
    w->finance = sr_finance_ws_alloc(w->n_flow);
    if (!w->measured || !w->measured_at || !w->settle_month || !w->points || !w->cumulative ||
        !w->scratch_sums || !w->price || !w->historical_rate || !ms->due || !ms->due_true ||
        !ms->measured || !ms->settlement.month || !ms->settlement.payment ||
        !ms->settlement_true.month || !ms->settlement_true.payment || !w->paid ||
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
           6 * sr_array_bytes(z.max_years, sizeof(double)) +  /* measured ... due_true */
           sr_array_bytes(z.max_years, sizeof(sr_measure_point)) +
           sr_array_bytes(sr_size_mul(3 * z.max_years, z.max_outcomes), sizeof(double)) +
           3 * sr_array_bytes(z.max_outcomes, sizeof(double)) + /* price, rates, measured */
           4 * sr_array_bytes(z.capacity, sizeof(double)) +    /* two settlements */
           2 * sr_array_bytes(z.n_flow, sizeof(double)) +      /* paid, received */
           sr_finance_ws_bytes(z.n_flow);
}

void sr_contract_ws_free(sr_contract_ws *w)
{
    if (w == NULL)
        return;
    free(w->measured);
    free(w->measured_at);
    free(w->settle_month);
    free(w->points);
    free(w->cumulative);
    free(w->scratch_sums);
    free(w->price);
    free(w->historical_rate);
    free(w->scratch.due);
    free(w->scratch.due_true);
    free(w->scratch.measured);
    free(w->scratch.settlement.month);
    free(w->scratch.settlement.payment);
    free(w->scratch.settlement_true.month);
    free(w->scratch.settlement_true.payment);
    free(w->paid);
    free(w->received);
    sr_finance_ws_free(w->finance);
    free(w);
}

static size_t first_intake(const sr_model *m, const sr_programme *p)
{
    for (size_t t = 0; t < m->n_months; t++)
        for (size_t s = 0; s < m->n_strata; s++)
            if (p->intake[s * m->n_months + t] > 0)
                return t;
    return 0;
}

/* The running sum of flow[0 .. at[y]] for each y < n (at[] non-decreasing) into
 * out[y * stride]: summed in month order, as a cumulative quantity is. */
static void running_sums(const double *flow, const size_t *at, size_t n, double *out,
                         size_t stride)
{
    double sum = 0.0;
    size_t t = 0;
    for (size_t y = 0; y < n; y++) {
        for (; t <= at[y]; t++)
            sum += flow[t];
        out[y * stride] = sum;
    }
}

/* The arms at the measured month of each of the term's n_years budget years (the month
 * capped at the horizon's last): w->points[0 .. n_years − 1], the cumulative quantities
 * that contract c measures (models/measure.h). */
static void measure_points(sr_contract_ws *w, const sr_contract *c, const sr_contract_in *in,
                           size_t n_years)
{
    const size_t T = w->n_months, K = w->max_outcomes, Y = w->max_years;
    size_t *at = w->measured_at;
    for (size_t y = 0; y < n_years; y++)
        at[y] = w->measured[y] < T ? w->measured[y] : T - 1;
    double *treated = w->cumulative, *counterfactual = treated + Y * K,
           *control = counterfactual + Y * K;
    double so_far = 0.0, person_months = 0.0;
    size_t t = 0;
    for (size_t y = 0; y < n_years; y++) {
        for (; t <= at[y]; t++) {
            so_far += in->treated->enrolled[t];
            person_months += so_far;
        }
        sr_measure_point *x = &w->points[y];
        *x = (sr_measure_point){
            .enrolled = so_far,
            .person_months = person_months,
            .treated = treated + y * K,
            .counterfactual = counterfactual + y * K,
            .control = in->control != NULL ? control + y * K : NULL,
        };
        const size_t next = at[y] + 1;
        x->employed_treated = next < T ? in->treated->employed[next] : in->treated->employed_end;
        if (in->control != NULL)
            x->employed_control = next < T ? in->control->employed[next]
                                           : in->control->employed_end;
    }
    if (in->control != NULL) {
        running_sums(in->control->enrolled, at, n_years, w->scratch_sums, 1);
        for (size_t y = 0; y < n_years; y++)
            w->points[y].control_enrolled = w->scratch_sums[y];
    }
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < c->n_outcomes; o++) {
            running_sums(in->treated->achieved + o * T, at, n_years, treated + o, K);
            running_sums(in->counterfactual->achieved + o * T, at, n_years,
                         counterfactual + o, K);
            if (in->control != NULL)
                running_sums(in->control->achieved + o * T, at, n_years, control + o, K);
        }
        return;
    }
    const size_t pay = c->payer;
    const sr_arm_flows *arms[3] = {in->treated, in->counterfactual, in->control};
    for (size_t a = 0; a < 3; a++) {
        if (arms[a] == NULL)
            continue;
        running_sums(arms[a]->expenditure + pay * T, at, n_years, w->scratch_sums, 1);
        for (size_t y = 0; y < n_years; y++) {
            double *field[3] = {&w->points[y].expenditure_treated,
                                &w->points[y].expenditure_counterfactual,
                                &w->points[y].expenditure_control};
            *field[a] = w->scratch_sums[y];
        }
    }
}

/* Contract c's measurement with this trial's numbers v. */
static sr_measure_terms measure_terms(sr_contract_ws *w, const sr_programme *p, const double *v,
                                      const sr_contract_in *in)
{
    const sr_contract *c = &p->contract;
    for (size_t o = 0; o < c->n_outcomes; o++) {
        w->price[o] = v[c->outcomes[o].price];
        w->historical_rate[o] = v[c->outcomes[o].historical_rate];
    }
    return (sr_measure_terms){
        .type = c->type,
        .baseline = c->baseline,
        .has_control = in->control != NULL,
        .n_outcomes = c->n_outcomes,
        .price = w->price,
        .historical_rate = w->historical_rate,
        .share = c->type == SR_CONTRACT_SAVINGS_SHARE ? v[c->share] : 0.0,
        .historical_expenditure = c->type == SR_CONTRACT_SAVINGS_SHARE
                                      ? v[c->historical_expenditure.amount[c->payer]]
                                      : 0.0,
        .control_size = c->control_size,
        .treated_size = p->size,
    };
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
    measure_points(w, c, in, n_years_term);
    const sr_measure_terms mt = measure_terms(w, p, v, in);
    sr_settle_terms terms = {
        .annual_frame = c->has_annual_frame ? v[c->annual_frame] : INFINITY,
        .cap_total = c->has_cap_total ? v[c->cap_total] : INFINITY,
        .overflow = c->frame_overflow,
        .termination_month = in->termination == SIZE_MAX ? SR_SETTLE_NEVER : in->termination,
    };
    sr_measure_result r;
    sr_measure_contract(&mt, &terms, n_years_term, w->points, w->settle_month,
                        m->discount_public, &w->scratch, &r);
    const sr_settlement *s = &w->scratch.settlement;
    const size_t stored = s->n < s->capacity ? s->n : s->capacity;

    metric[SR_M_PAYMENTS] = r.payments;
    metric[SR_M_MUNICIPALITY_NET_SIB] = in->savings[pay] - r.payments;
    metric[SR_M_OVERPAYMENT] = r.overpayment;
    metric[SR_M_OUTCOMES_TREATED] = r.outcomes_treated;
    metric[SR_M_OUTCOMES_ATTRIBUTABLE] = r.outcomes_attributable;
    metric[SR_M_OUTCOMES_PAID] = r.outcomes_paid;
    metric[SR_M_EFFECT_TRUE] = r.evaluation.effect_true;
    metric[SR_M_EFFECT_MEASURED] = r.evaluation.effect_measured;
    metric[SR_M_EVALUATION_SIGNIFICANT] = r.evaluation.significant;
    for (size_t k = 0; k < stored; k++)
        if (s->month[k] < T)
            annual_payments[sr_calendar_year(m, (int)s->month[k]) - m->start_year] +=
                s->payment[k];

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
