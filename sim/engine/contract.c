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
    w->scratch_sums = calloc(w->max_years, sizeof *w->scratch_sums);
    w->price = calloc(z.max_outcomes, sizeof *w->price);
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
    w->portfolio_paid = calloc(w->n_flow, sizeof *w->portfolio_paid);
    w->portfolio_received = calloc(w->n_flow, sizeof *w->portfolio_received);
    w->finance = sr_finance_ws_alloc(w->n_flow);
    if (!w->measured || !w->measured_at || !w->settle_month || !w->points ||
        !w->scratch_sums || !w->price || !ms->due || !ms->due_true ||
        !ms->measured || !ms->settlement.month || !ms->settlement.payment ||
        !ms->settlement_true.month || !ms->settlement_true.payment || !w->paid ||
        !w->received || !w->portfolio_paid || !w->portfolio_received || !w->finance) {
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
           2 * sr_array_bytes(z.max_outcomes, sizeof(double)) + /* price, measured */
           4 * sr_array_bytes(z.capacity, sizeof(double)) +    /* two settlements */
           4 * sr_array_bytes(z.n_flow, sizeof(double)) +      /* paid, received, portfolio */
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
    free(w->scratch_sums);
    free(w->price);
    free(w->scratch.due);
    free(w->scratch.due_true);
    free(w->scratch.measured);
    free(w->scratch.settlement.month);
    free(w->scratch.settlement.payment);
    free(w->scratch.settlement_true.month);
    free(w->scratch.settlement_true.payment);
    free(w->paid);
    free(w->received);
    free(w->portfolio_paid);
    free(w->portfolio_received);
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

/* Where each part of programme p's record lies, in doubles from its start (contract.h):
 * the points' numbers (POINT_VALUES per budget year), the achievements ([3][n_years]
 * [n_outcomes]: treated, counterfactual, control), the monthly cost, the prices and
 * historical rates, the other terms (TERM_VALUES), the persons enrolled and the month of
 * cancellation (-1: none). */
typedef struct {
    size_t n_years, n_outcomes;
    size_t achieved, cost, price, historical_rate, terms, enrolled, termination, size;
} record_layout;

enum {
    POINT_ENROLLED, POINT_PERSON_MONTHS, POINT_CONTROL_ENROLLED, POINT_EXPENDITURE_TREATED,
    POINT_EXPENDITURE_COUNTERFACTUAL, POINT_EXPENDITURE_CONTROL, POINT_EMPLOYED_TREATED,
    POINT_EMPLOYED_CONTROL, POINT_VALUES
};
enum {
    TERM_SHARE, TERM_HISTORICAL_EXPENDITURE, TERM_ANNUAL_FRAME, TERM_CAP_TOTAL,
    TERM_FIRST_LOSS, TERM_CAP_IRR, TERM_VALUES
};

/* The budget years of p's term, measured at their last term month, settled after the lag:
 * their number, and (if measured and settle are not NULL) their months. */
static size_t term_calendar(const sr_model *m, const sr_programme *p, size_t *measured,
                            size_t *settle)
{
    return sr_settle_calendar(m->start_month, first_intake(m, p), p->contract.term_months,
                              p->contract.lag_months, measured, settle);
}

static record_layout layout_of(const sr_model *m, const sr_programme *p)
{
    record_layout l = {0};
    if (!p->has_contract)
        return l;
    l.n_years = term_calendar(m, p, NULL, NULL);
    l.n_outcomes = p->contract.type == SR_CONTRACT_RATE_CARD ? p->contract.n_outcomes : 0;
    l.achieved = POINT_VALUES * l.n_years;
    l.cost = l.achieved + 3 * l.n_years * l.n_outcomes;
    l.price = l.cost + m->n_months;
    l.historical_rate = l.price + l.n_outcomes;
    l.terms = l.historical_rate + l.n_outcomes;
    l.enrolled = l.terms + TERM_VALUES;
    l.termination = l.enrolled + 1;
    l.size = l.termination + 1;
    return l;
}

size_t sr_contract_record_size(const sr_model *m, const sr_programme *p)
{
    return layout_of(m, p).size;
}

/* The arms at the measured month of each of the term's budget years (the month capped at
 * the horizon's last; w->measured holds the calendar): the cumulative quantities that
 * contract c measures (models/measure.h), into the record's points and achievements. */
static void record_points(sr_contract_ws *w, const sr_contract *c, const sr_contract_in *in,
                          const record_layout *l, double *record)
{
    const size_t T = w->n_months, K = l->n_outcomes, Y = l->n_years;
    size_t *at = w->measured_at;
    for (size_t y = 0; y < Y; y++)
        at[y] = w->measured[y] < T ? w->measured[y] : T - 1;
    double so_far = 0.0, person_months = 0.0;
    size_t t = 0;
    for (size_t y = 0; y < Y; y++) {
        for (; t <= at[y]; t++) {
            so_far += in->treated->enrolled[t];
            person_months += so_far;
        }
        double *x = record + y * POINT_VALUES;
        const size_t next = at[y] + 1;
        x[POINT_ENROLLED] = so_far;
        x[POINT_PERSON_MONTHS] = person_months;
        x[POINT_EMPLOYED_TREATED] = next < T ? in->treated->employed[next]
                                             : in->treated->employed_end;
        x[POINT_EMPLOYED_CONTROL] = in->control == NULL ? 0.0
                                    : next < T         ? in->control->employed[next]
                                                       : in->control->employed_end;
        x[POINT_CONTROL_ENROLLED] = 0.0;
        x[POINT_EXPENDITURE_TREATED] = x[POINT_EXPENDITURE_COUNTERFACTUAL] =
            x[POINT_EXPENDITURE_CONTROL] = 0.0;
    }
    if (in->control != NULL) {
        running_sums(in->control->enrolled, at, Y, w->scratch_sums, 1);
        for (size_t y = 0; y < Y; y++)
            record[y * POINT_VALUES + POINT_CONTROL_ENROLLED] = w->scratch_sums[y];
    }
    double *treated = record + l->achieved, *counterfactual = treated + Y * K,
           *control = counterfactual + Y * K;
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < K; o++) {
            running_sums(in->treated->achieved + o * T, at, Y, treated + o, K);
            running_sums(in->counterfactual->achieved + o * T, at, Y, counterfactual + o, K);
            if (in->control != NULL)
                running_sums(in->control->achieved + o * T, at, Y, control + o, K);
            else
                for (size_t y = 0; y < Y; y++)
                    control[y * K + o] = 0.0;
        }
        return;
    }
    const size_t pay = c->payer;
    const sr_arm_flows *arms[3] = {in->treated, in->counterfactual, in->control};
    static const size_t field[3] = {POINT_EXPENDITURE_TREATED, POINT_EXPENDITURE_COUNTERFACTUAL,
                                    POINT_EXPENDITURE_CONTROL};
    for (size_t a = 0; a < 3; a++) {
        if (arms[a] == NULL)
            continue;
        running_sums(arms[a]->expenditure + pay * T, at, Y, w->scratch_sums, 1);
        for (size_t y = 0; y < Y; y++)
            record[y * POINT_VALUES + field[a]] = w->scratch_sums[y];
    }
}

void sr_contract_record(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                        const double *v, const sr_contract_in *in, double *record)
{
    if (!p->has_contract)
        return;
    const sr_contract *c = &p->contract;
    const sr_financing *f = &p->financing;
    const record_layout l = layout_of(m, p);
    term_calendar(m, p, w->measured, w->settle_month);
    record_points(w, c, in, &l, record);
    memcpy(record + l.cost, in->treated->cost, w->n_months * sizeof *record);
    for (size_t o = 0; o < l.n_outcomes; o++) {
        record[l.price + o] = v[c->outcomes[o].price];
        record[l.historical_rate + o] = v[c->outcomes[o].historical_rate];
    }
    double *terms = record + l.terms;
    terms[TERM_SHARE] = c->type == SR_CONTRACT_SAVINGS_SHARE ? v[c->share] : 0.0;
    terms[TERM_HISTORICAL_EXPENDITURE] = c->type == SR_CONTRACT_SAVINGS_SHARE
                                             ? v[c->historical_expenditure.amount[c->payer]]
                                             : 0.0;
    terms[TERM_ANNUAL_FRAME] = c->has_annual_frame ? v[c->annual_frame] : INFINITY;
    terms[TERM_CAP_TOTAL] = c->has_cap_total ? v[c->cap_total] : INFINITY;
    terms[TERM_FIRST_LOSS] = f->has_guarantee ? v[f->first_loss] : 0.0;
    terms[TERM_CAP_IRR] = f->has_surplus_cap ? v[f->cap_irr] : 0.0;
    double enrolled = 0.0;
    for (size_t t = 0; t < w->n_months; t++)
        enrolled += in->treated->enrolled[t];
    record[l.enrolled] = enrolled;
    record[l.termination] = in->termination == SIZE_MAX ? -1.0 : (double)in->termination;
}

void sr_contract_record_terms(const sr_model *m, const sr_programme *p, const double *record,
                              sr_contract_terms *terms)
{
    const sr_contract *c = &p->contract;
    const record_layout l = layout_of(m, p);
    const double *v = record + l.terms;
    const double termination = record[l.termination];
    *terms = (sr_contract_terms){
        .measure = {
            .type = c->type,
            .baseline = c->baseline,
            .has_control = c->baseline == SR_BASELINE_CONTROL,
            .n_outcomes = l.n_outcomes,
            .price = record + l.price,
            .historical_rate = record + l.historical_rate,
            .share = v[TERM_SHARE],
            .historical_expenditure = v[TERM_HISTORICAL_EXPENDITURE],
            .control_size = c->control_size,
            .treated_size = p->size,
        },
        .settle = {
            .annual_frame = v[TERM_ANNUAL_FRAME],
            .cap_total = v[TERM_CAP_TOTAL],
            .overflow = c->frame_overflow,
            .termination_month = termination < 0.0 ? SR_SETTLE_NEVER : (size_t)termination,
        },
        .investor = {
            .has_guarantee = p->financing.has_guarantee,
            .first_loss = v[TERM_FIRST_LOSS],
            .has_surplus_cap = p->financing.has_surplus_cap,
            .cap_irr = v[TERM_CAP_IRR],
        },
    };
}

double sr_contract_record_enrolled(const sr_model *m, const sr_programme *p,
                                   const double *record)
{
    return record[layout_of(m, p).enrolled];
}

/* The record's points as the measurement reads them: w->points[0 .. n_years − 1], their
 * achievements pointing into the record. */
static void record_to_points(sr_contract_ws *w, const record_layout *l, bool has_control,
                             const double *record)
{
    const size_t K = l->n_outcomes, Y = l->n_years;
    const double *treated = record + l->achieved, *counterfactual = treated + Y * K,
                 *control = counterfactual + Y * K;
    for (size_t y = 0; y < Y; y++) {
        const double *x = record + y * POINT_VALUES;
        w->points[y] = (sr_measure_point){
            .enrolled = x[POINT_ENROLLED],
            .person_months = x[POINT_PERSON_MONTHS],
            .control_enrolled = x[POINT_CONTROL_ENROLLED],
            .treated = treated + y * K,
            .counterfactual = counterfactual + y * K,
            .control = has_control ? control + y * K : NULL,
            .expenditure_treated = x[POINT_EXPENDITURE_TREATED],
            .expenditure_counterfactual = x[POINT_EXPENDITURE_COUNTERFACTUAL],
            .expenditure_control = x[POINT_EXPENDITURE_CONTROL],
            .employed_treated = x[POINT_EMPLOYED_TREATED],
            .employed_control = x[POINT_EMPLOYED_CONTROL],
        };
    }
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

/* What settlement s pays each calendar year, nominal and discounted like `payments`
 * (added to payments_nominal and payments_pv, sr_yearly_columns(n_years) each: the
 * horizon's years, then the settlements after it), and the investors' flows in w->paid and
 * w->received: the programme's cost each month (cost[n_months]) paid in, the payments
 * received; *end gets the month in which settlement ends. */
static void settlement_flows(sr_contract_ws *w, const sr_model *m, const sr_settlement *s,
                             const double *cost, double *payments_nominal, double *payments_pv,
                             size_t n_years, size_t *end)
{
    const size_t T = w->n_months;
    const size_t stored = s->n < s->capacity ? s->n : s->capacity;
    for (size_t k = 0; k < stored; k++) {
        const size_t column = s->month[k] < T
                                  ? (size_t)(sr_calendar_year(m, (int)s->month[k]) - m->start_year)
                                  : n_years;
        payments_nominal[column] += s->payment[k];
        payments_pv[column] += s->payment[k] * sr_discount_factor(m->discount_public,
                                                                  (int)s->month[k]);
    }
    memset(w->paid, 0, w->n_flow * sizeof *w->paid);
    memset(w->received, 0, w->n_flow * sizeof *w->received);
    memcpy(w->paid, cost, T * sizeof *w->paid);
    *end = 0;
    for (size_t k = 0; k < stored; k++)
        if (s->month[k] < w->n_flow) {
            w->received[s->month[k]] += s->payment[k];
            *end = s->month[k];
        }
    if (s->end_month != SIZE_MAX && s->end_month < w->n_flow)
        *end = s->end_month;
}

void sr_contract_settle(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                        const double *record, const sr_contract_terms *terms, double *metric,
                        double *payments_nominal, double *payments_pv, size_t n_years)
{
    static const sr_metric savings_metric[SR_PAYERS] = {SR_M_SAVINGS_MUNICIPALITY,
                                                        SR_M_SAVINGS_STATE};
    const double savings = metric[savings_metric[p->has_contract ? p->contract.payer
                                                                 : SR_MUNICIPALITY]];
    memset(payments_nominal, 0, sr_yearly_columns(n_years) * sizeof *payments_nominal);
    memset(payments_pv, 0, sr_yearly_columns(n_years) * sizeof *payments_pv);
    metric[SR_M_TERMINATION_MONTH] = NAN;
    metric[SR_M_PAYMENTS] = 0.0;
    metric[SR_M_PAYER_NET_SIB] = savings;
    metric[SR_M_PAYER_NET_SELFFUND] = savings - metric[SR_M_PROGRAMME_COST];
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

    const record_layout l = layout_of(m, p);
    term_calendar(m, p, w->measured, w->settle_month);
    record_to_points(w, &l, terms->measure.has_control, record);
    sr_measure_result r;
    sr_measure_contract(&terms->measure, &terms->settle, l.n_years, w->points,
                        w->settle_month, m->discount_public, &w->scratch, &r);
    metric[SR_M_PAYMENTS] = r.payments;
    metric[SR_M_PAYER_NET_SIB] = savings - r.payments;
    metric[SR_M_OVERPAYMENT] = r.overpayment;
    metric[SR_M_OUTCOMES_TREATED] = r.outcomes_treated;
    metric[SR_M_OUTCOMES_ATTRIBUTABLE] = r.outcomes_attributable;
    metric[SR_M_OUTCOMES_PAID] = r.outcomes_paid;
    metric[SR_M_EFFECT_TRUE] = r.evaluation.effect_true;
    metric[SR_M_EFFECT_MEASURED] = r.evaluation.effect_measured;
    metric[SR_M_EVALUATION_SIGNIFICANT] = r.evaluation.significant;
    if (terms->settle.termination_month != SR_SETTLE_NEVER)
        metric[SR_M_TERMINATION_MONTH] = (double)terms->settle.termination_month;

    /* Investors pay the costs as they fall and receive the payments. */
    size_t end;
    settlement_flows(w, m, &w->scratch.settlement, record + l.cost, payments_nominal,
                     payments_pv, n_years, &end);
    double reinvested = 0.0, guarantor = 0.0;
    size_t guarantee_month = 0;
    sr_investor_clauses(&terms->investor, w->paid, w->received, w->n_flow, end, NULL,
                        &reinvested, &guarantor, &guarantee_month);
    metric[SR_M_REINVESTED] = reinvested;
    metric[SR_M_GUARANTOR_PAID] = guarantor;
    sr_investor_metrics im;
    sr_investor_compute(w->finance, w->paid, w->received, w->n_flow, m->discount_investor, &im);
    set_investor(metric, &im);
    for (size_t t = 0; t < w->n_flow; t++) {
        w->portfolio_paid[t] += w->paid[t];
        w->portfolio_received[t] += w->received[t];
    }
}

void sr_contract_portfolio(sr_contract_ws *w, const sr_model *m, double *metric)
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
    sr_investor_compute(w->finance, w->portfolio_paid, w->portfolio_received, w->n_flow,
                        m->discount_investor, &im);
    set_investor(metric, &im);
}
