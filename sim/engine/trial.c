/* One trial (sim/engine/trial.h): the trial's numbers (each from its own keyed stream, named
 * parameters through a Gaussian copula), its macro path, its contracts' terminations, then
 * every programme's arms (its control group, then the treated arm and its counterfactual
 * as a pair) and the metrics that follow, per programme and summed for the portfolio.
 *
 * Invariants: a trial's rows depend only on (seed, trial) and the model, never on the
 * workspace's earlier trials (rates are recomputed whenever numbers or macro conditions
 * may differ, everything else is overwritten or zeroed); the deterministic expectation is
 * the same code with every number at its mean, no macro shock, no termination and every
 * draw replaced by its expected value (SR_DRAW_EXPECTED). Money: DKK, present values at
 * the public rate (monthly flows discounted from the end of their month); yearly rows are
 * kept by calendar year, nominal and discounted. */
#include "sim/engine/trial.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/budget.h"
#include "models/cashflow.h"
#include "models/dist.h"
#include "models/metric.h"
#include "models/size.h"
#include "sim/base/check.h"
#include "sim/engine/carve.h"
#include "sim/engine/contract.h"
#include "sim/engine/rng.h"

static bool model_has_uncertainty(const sr_model *m)
{
    for (size_t i = 0; i < m->n_num; i++)
        if (m->num[i].kind != SR_DIST_FIXED)
            return true;
    return false;
}

/* Whether the named parameters are correlated (a Gaussian copula). */
static bool has_copula(const sr_model *m)
{
    return m->n_correlations > 0 && m->n_parameters > 0;
}

/* Fills factor (lower, row-major n x n) with the Cholesky factor of the named parameters'
 * correlation matrix; the loader has checked positive definiteness. -1 when out of
 * memory. */
static int copula_factor(const sr_model *m, double *factor)
{
    const size_t n = m->n_parameters;
    gsl_matrix *c = gsl_matrix_alloc(n, n);
    if (c == NULL)
        return -1;
    gsl_matrix_set_identity(c);
    for (size_t k = 0; k < m->n_correlations; k++) {
        const sr_correlation *r = &m->correlations[k];
        gsl_matrix_set(c, r->a, r->b, r->rho);
        gsl_matrix_set(c, r->b, r->a, r->rho);
    }
    const int rc = gsl_linalg_cholesky_decomp1(c) == 0 ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t j = 0; j <= i; j++)
            factor[i * n + j] = gsl_matrix_get(c, i, j);
    gsl_matrix_free(c);
    return rc;
}

/* Macro conditions a trial's rates are tabulated for: the regime model's two, one per
 * month under the gaussian factor, else one. */
static size_t macro_conditions(const sr_model *m)
{
    return m->macro.model == SR_MACRO_MODEL_REGIME     ? 2
         : m->macro.model == SR_MACRO_MODEL_GAUSSIAN ? m->n_months
                                                     : 1;
}

/* Lays out a trial workspace's struct and own arrays on c (sim/engine/carve.h); its
 * parts (rates, progress tables, arms, contract, generator) are allocated each on its
 * own. */
static sr_trial_ws *carve_trial_ws(sr_carve *c, sr_trial_ws *scratch, const sr_model *m)
{
    sr_trial_ws *w = sr_carve_struct(c, sizeof *w, scratch);
    const size_t T = m->n_months, P = m->n_programmes, np = m->n_parameters;
    w->values = sr_carve_take(c, m->n_num > 0 ? m->n_num : 1, sizeof(double));
    w->discount = sr_carve_take(c, T, sizeof(double));
    w->year_of_month = sr_carve_take(c, T, sizeof(size_t));
    w->termination = sr_carve_take(c, P, sizeof(size_t));
    w->rates = sr_carve_take(c, P, sizeof(sr_rates *));
    w->progress = sr_carve_take(c, P, sizeof(sr_progress *));
    w->conds = sr_carve_take(c, macro_conditions(m), sizeof(sr_macro_cond));
    w->cond_of_month = sr_carve_take(c, T, 1);
    w->latent = sr_carve_take(c, np > 0 ? np : 1, sizeof(double));
    w->copula = has_copula(m) ? sr_carve_take(c, sr_size_mul(np, np), sizeof(double)) : NULL;
    w->records = sr_carve_take(c, P > 0 ? P : 1, sizeof(double *));
    for (size_t p = 0; p < P; p++) {
        double *record = sr_carve_take(c, sr_contract_record_size(m, &m->programmes[p]),
                                       sizeof(double));
        if (w->records != NULL)
            w->records[p] = record;
    }
    return w;
}

sr_trial_ws *sr_trial_ws_alloc(const sr_model *m, const sr_layout *l, int *too_many)
{
    *too_many = 0;
    sr_trial_ws scratch;
    sr_carve c = {0};
    carve_trial_ws(&c, &scratch, m);
    if (sr_carve_alloc(&c) == NULL)
        return NULL;
    sr_trial_ws *w = carve_trial_ws(&c, &scratch, m);
    const size_t T = m->n_months;
    w->model = m;
    w->layout = l;
    w->n_years = sr_n_calendar_years(m);
    w->rates_constant = !model_has_uncertainty(m) && m->macro.model != SR_MACRO_MODEL_GAUSSIAN;
    w->n_conds = macro_conditions(m);
    size_t max_progress = 1, max_outcomes = 1;
    for (size_t p = 0; p < m->n_programmes; p++) {
        w->progress[p] = sr_progress_alloc(l, m, &m->programmes[p], too_many);
        w->rates[p] = sr_rates_alloc(l, w->n_conds, sr_effect_phases(&m->programmes[p]));
        if (w->progress[p] == NULL || w->rates[p] == NULL)
            goto fail;
        if (w->progress[p]->n_progress > max_progress)
            max_progress = w->progress[p]->n_progress;
        if (w->progress[p]->n_outcomes > max_outcomes)
            max_outcomes = w->progress[p]->n_outcomes;
    }
    w->contract = sr_contract_ws_alloc(m);
    w->arm = sr_arm_ws_alloc(l, m, max_progress, max_outcomes);
    w->control = sr_arm_flows_alloc(T, max_outcomes);
    w->rng = sr_rng_alloc();
    if (!w->contract || !w->arm || !w->control || !w->rng ||
        (w->copula != NULL && copula_factor(m, w->copula) != 0))
        goto fail;
    SR_CHECK(w->contract->n_flow == T + SR_AFTER_HORIZON_MONTHS);
    for (size_t t = 0; t < T; t++) {
        w->discount[t] = sr_discount_factor(m->discount_public, (int)t);
        w->year_of_month[t] = (size_t)(sr_calendar_year(m, (int)t) - m->start_year);
    }
    return w;
fail:
    sr_trial_ws_free(w);
    return NULL;
}

double sr_trial_ws_bytes(const sr_model *m, const sr_layout *l)
{
    const size_t T = m->n_months, np = m->n_parameters;
    size_t max_progress = 1, max_outcomes = 1;
    sr_trial_ws scratch;
    sr_carve c = {0};
    carve_trial_ws(&c, &scratch, m);
    double bytes = sr_carve_bytes(&c);
    for (size_t p = 0; p < m->n_programmes; p++) {
        const sr_programme *pr = &m->programmes[p];
        const size_t count = sr_progress_count(m, pr);
        if (count <= SR_PROGRESS_MAX && count > max_progress)
            max_progress = count;
        if (pr->has_contract && pr->contract.type == SR_CONTRACT_RATE_CARD &&
            pr->contract.n_outcomes > max_outcomes)
            max_outcomes = pr->contract.n_outcomes;
        bytes += sr_progress_bytes(l, m, pr) +
                 sr_rates_bytes(l, macro_conditions(m), sr_effect_phases(pr));
    }
    if (has_copula(m))   /* the matrix the factor is made in */
        bytes += sr_array_bytes(sr_size_mul(np, np), sizeof(double)) +
                 sr_array_bytes(1, sizeof(gsl_matrix)) + sr_array_bytes(1, sizeof(gsl_block));
    return bytes + sr_contract_ws_bytes(m) + sr_arm_ws_bytes(l, m, max_progress, max_outcomes) +
           sr_arm_flows_bytes(T, max_outcomes) +                     /* control */
           sr_array_bytes(1, sizeof(gsl_rng)) + sr_array_bytes(1, sr_rng_splitmix64->size);
}

void sr_trial_ws_free(sr_trial_ws *w)
{
    if (w == NULL)
        return;
    for (size_t p = 0; p < w->model->n_programmes; p++) {
        sr_rates_free(w->rates[p]);
        sr_progress_free(w->progress[p]);
    }
    sr_contract_ws_free(w->contract);
    sr_arm_flows_free(w->control);
    sr_arm_ws_free(w->arm);
    gsl_rng_free(w->rng);
    free(w);
}

/* The trial's numbers: each uncertain number is the quantile of one uniform from its own
 * sub-stream of the parameter stream, keyed by the key path that defines it, so adding,
 * removing or changing another number (a stress, a sweep) does not move its draw. Named parameters in `correlations` get their uniforms through a Gaussian
 * copula: latent z = L e, u = Phi(z). */
static void draw_values(sr_trial_ws *w, uint64_t seed, uint64_t trial)
{
    const sr_model *m = w->model;
    const uint64_t key = sr_stream_key(seed, trial, 0, SR_ARM_NONE, SR_PURPOSE_PARAMETERS);
    const size_t np = m->n_parameters;
    if (w->copula != NULL) {
        for (size_t k = 0; k < np; k++) {
            sr_rng_seek(w->rng, sr_stream_sub(key, m->num[m->parameters[k].num].stream));
            w->latent[k] = gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(w->rng));
        }
        /* In place from the last row down: row i only reads latent[0..i]. */
        for (size_t i = np; i-- > 0;) {
            double z = 0.0;
            for (size_t j = 0; j <= i; j++)
                z += w->copula[i * np + j] * w->latent[j];
            w->latent[i] = z;
        }
    }
    for (size_t i = 0; i < m->n_num; i++) {
        const sr_numdef *d = &m->num[i];
        if (d->kind == SR_DIST_FIXED) {
            w->values[i] = d->p[0];
            continue;
        }
        double u;
        if (w->copula != NULL && d->parameter >= 0) {
            /* held to the independent draws' range, which the loader bounds each number's
             * draws by (Phi rounds to 1 beyond z = 8.3, whose quantile may be infinite) */
            u = fmin(fmax(gsl_cdf_ugaussian_P(w->latent[d->parameter]), SR_DRAW_U_MIN),
                     SR_DRAW_U_MAX);
        } else {
            sr_rng_seek(w->rng, sr_stream_sub(key, d->stream));
            u = gsl_rng_uniform_pos(w->rng);
        }
        w->values[i] = sr_dist_quantile(d, u);
    }
}

/* The trial's macro path (docs/model.md): conditions and the condition of each month. */
static void draw_macro(sr_trial_ws *w, uint64_t seed, uint64_t trial, bool neutral)
{
    const sr_model *m = w->model;
    const sr_macro *mac = &m->macro;
    const double *v = w->values;
    const size_t T = m->n_months;
    memset(w->cond_of_month, 0, T);
    for (size_t c = 0; c < w->n_conds; c++)
        w->conds[c] = sr_macro_neutral;
    w->recession_months = 0.0;
    w->factor_mean = 0.0;
    if (neutral || mac->model == SR_MACRO_MODEL_NONE)
        return;
    gsl_rng *r = w->rng;
    sr_rng_seek(r, sr_stream_key(seed, trial, 0, SR_ARM_NONE, SR_PURPOSE_MACRO));
    if (mac->model == SR_MACRO_MODEL_REGIME) {
        w->conds[1].pro = v[mac->recession_pro];
        w->conds[1].counter = v[mac->recession_counter];
        double up = v[mac->to_recession], down = v[mac->to_normal];
        double stationary = up + down > 0.0 ? up / (up + down) : 0.0;
        double u = gsl_rng_uniform(r);
        unsigned char state = mac->start_in_recession || u < stationary;
        for (size_t t = 0; t < T; t++) {
            w->cond_of_month[t] = state;
            w->recession_months += state;
            u = gsl_rng_uniform(r);
            state = state ? !(u < down) : u < up;
        }
        return;
    }
    /* Gaussian factor: Z_0 ~ N(0,1), Z_t = phi Z_{t-1} + sqrt(1 - phi^2) e_t. */
    double rho = v[mac->rho], phi = v[mac->persistence];
    double z = gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(r));
    for (size_t t = 0; t < T; t++) {
        if (t > 0)
            z = phi * z + sqrt(1.0 - phi * phi) *
                              gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(r));
        w->conds[t] = (sr_macro_cond){1.0, 1.0, true, sqrt(rho) * z, 1.0 / sqrt(1.0 - rho)};
        w->factor_mean += z / (double)T;
    }
}

/* Present value at the public rate of a monthly nominal flow, and its calendar-year sums. */
static double present_value(const sr_trial_ws *w, const double *flow)
{
    double pv = 0.0;
    for (size_t t = 0; t < w->model->n_months; t++)
        pv += flow[t] * w->discount[t];
    return pv;
}

/* Adds sign × flow[t] (a monthly flow over the horizon, DKK nominal) to metric m's yearly
 * row: to its calendar year's column as it falls, and discounted like present_value. */
static void yearly_sums(const sr_trial_ws *w, const double *flow, double sign,
                        const sr_level_row *row, sr_metric m)
{
    double *nominal = sr_row_yearly(row, w->n_years, m, SR_NOMINAL);
    double *pv = sr_row_yearly(row, w->n_years, m, SR_PRESENT_VALUE);
    for (size_t t = 0; t < w->model->n_months; t++) {
        nominal[w->year_of_month[t]] += sign * flow[t];
        pv[w->year_of_month[t]] += sign * flow[t] * w->discount[t];
    }
}

/* The paying budget's yearly net results (docs/results.md): its savings of each year minus
 * the programme's cost, and minus the payments, both valuations, over n_years + 1 columns. */
static void payer_net_years(size_t n_years, const sr_level_row *row, sr_metric savings)
{
    const size_t n_cols = sr_yearly_columns(n_years);
    for (size_t k = 0; k < SR_VALUATIONS; k++) {
        const sr_valuation v = (sr_valuation)k;
        const double *saved = sr_row_yearly(row, n_years, savings, v);
        const double *cost = sr_row_yearly(row, n_years, SR_M_PROGRAMME_COST, v);
        const double *paid = sr_row_yearly(row, n_years, SR_M_PAYMENTS, v);
        double *selffund = sr_row_yearly(row, n_years, SR_M_PAYER_NET_SELFFUND, v);
        double *sib = sr_row_yearly(row, n_years, SR_M_PAYER_NET_SIB, v);
        for (size_t y = 0; y < n_cols; y++) {
            selffund[y] = saved[y] - cost[y];
            sib[y] = saved[y] - paid[y];
        }
    }
}

/* The payback years of a level's row from its nominal yearly net results (calendar years;
 * NaN: never within the horizon). */
static void payback_years(const sr_model *m, size_t n_years, const sr_level_row *row)
{
    static const sr_metric net[2] = {SR_M_PAYER_NET_SELFFUND, SR_M_PAYER_NET_SIB};
    static const sr_metric payback[2] = {SR_M_PAYBACK_YEAR_SELFFUND, SR_M_PAYBACK_YEAR_SIB};
    for (size_t k = 0; k < 2; k++) {
        size_t y = sr_payback_year(sr_row_yearly(row, n_years, net[k], SR_NOMINAL), n_years);
        row->metric[payback[k]] = y == SR_NEVER ? NAN : (double)m->start_year + (double)y;
    }
}

/* Each contract's month of cancellation (docs/model.md termination), or SIZE_MAX: the first
 * month whose end sees a cancellation, with monthly probability 1 - exp(-h/12), drawn by
 * inversion from one uniform per programme, or one shared by the programmes marked
 * shared. */
static void draw_terminations(sr_trial_ws *w, uint64_t seed, uint64_t trial, bool deterministic)
{
    const sr_model *m = w->model;
    for (size_t pi = 0; pi < m->n_programmes; pi++) {
        const sr_programme *p = &m->programmes[pi];
        w->termination[pi] = SIZE_MAX;
        if (deterministic || !p->has_contract || !p->contract.has_termination)
            continue;
        double h = w->values[p->contract.termination_hazard_per_year];
        if (h <= 0.0)
            continue;
        uint64_t owner = p->contract.termination_shared ? UINT64_MAX : pi;
        sr_rng_seek(w->rng, sr_stream_key(seed, trial, owner, SR_ARM_NONE,
                                          SR_PURPOSE_TERMINATION));
        double month = floor(-12.0 * log(gsl_rng_uniform_pos(w->rng)) / h);
        if (month < (double)m->n_months)
            w->termination[pi] = (size_t)month;
    }
}

/* Whether the programmes' contracts measure their effects in one unit: all rate cards
 * (achievements per person) or all savings shares (DKK per person). */
static bool effects_in_one_unit(const sr_model *m)
{
    bool cards = false, shares = false;
    for (size_t p = 0; p < m->n_programmes; p++)
        if (m->programmes[p].has_contract) {
            cards |= m->programmes[p].contract.type == SR_CONTRACT_RATE_CARD;
            shares |= m->programmes[p].contract.type == SR_CONTRACT_SAVINGS_SHARE;
        }
    return !(cards && shares);
}

void sr_trial_run(sr_trial_ws *w, uint64_t seed, uint64_t trial, bool deterministic,
                  sr_level_row *rows)
{
    const sr_model *m = w->model;
    const size_t T = m->n_months, Y = w->n_years;
    const sr_draw draw = {deterministic ? SR_DRAW_EXPECTED : SR_DRAW_RANDOM, w->rng};

    if (deterministic)
        sr_model_mean_values(m, w->values);
    else
        draw_values(w, seed, trial);
    draw_macro(w, seed, trial, deterministic);
    draw_terminations(w, seed, trial, deterministic);
    /* Deterministic runs use the mean numbers and no macro: their rates always differ. */
    bool recompute = deterministic || !w->rates_constant || !w->rates_ready;
    w->rates_ready = w->rates_constant && !deterministic;

    for (size_t p = 0; p <= m->n_programmes; p++)
        memset(rows[p].metric, 0, sr_level_row_values(Y) * sizeof(double));

    for (size_t pi = 0; pi < m->n_programmes; pi++) {
        const sr_programme *p = &m->programmes[pi];
        const size_t n_outcomes = w->progress[pi]->n_outcomes;
        sr_rates *rates = w->rates[pi];
        if (recompute)
            sr_rates_compute(rates, w->layout, m, p, w->values, w->conds);
        const unsigned char *cond = m->macro.model == SR_MACRO_MODEL_GAUSSIAN && !deterministic
                                        ? NULL : w->cond_of_month;
        sr_arm_spec spec = {
            .model = m,
            .programme = p,
            .values = w->values,
            .rates = rates,
            .cond_of_month = cond,
            .draw = draw,
            .intake = p->intake,
            .window = p->has_intervention ? p->effect_months + p->fade_months : 0,
            .treated = true,
            .stop = w->termination[pi],
            .progress = w->progress[pi],
            .stream = sr_stream_key(seed, trial, pi, SR_ARM_COHORT, SR_PURPOSE_TRANSITIONS),
            .interrupted = w->interrupted,
        };
        /* The control group first (its flows copied out), then the cohort's pair, whose
         * flows stay in the workspace. */
        const bool control = p->has_contract && p->contract.baseline == SR_BASELINE_CONTROL;
        if (control) {
            sr_arm_spec control_spec = spec;
            control_spec.intake = p->control_intake;
            control_spec.window = 0;
            control_spec.treated = false;
            control_spec.stream =
                sr_stream_key(seed, trial, pi, SR_ARM_CONTROL, SR_PURPOSE_TRANSITIONS);
            sr_arm_run(w->arm, &control_spec);
            sr_arm_flows_copy(w->control, w->arm->flows, T, n_outcomes);
        }
        sr_arm_run_pair(w->arm, &spec);
        if (w->interrupted != NULL && *w->interrupted)
            return;   /* the arms stopped part way: the run is abandoned */
        const sr_arm_flows *treated = w->arm->flows, *counterfactual = w->arm->counterfactual;

        const sr_level_row *row = &rows[1 + pi];
        double *metric = row->metric;
        static const sr_metric treated_metric[SR_PAYERS] = {
            SR_M_EXP_TREATED_MUNICIPALITY, SR_M_EXP_TREATED_STATE};
        static const sr_metric counterfactual_metric[SR_PAYERS] = {
            SR_M_EXP_COUNTERFACTUAL_MUNICIPALITY, SR_M_EXP_COUNTERFACTUAL_STATE};
        static const sr_metric savings_metric[SR_PAYERS] = {
            SR_M_SAVINGS_MUNICIPALITY, SR_M_SAVINGS_STATE};
        for (size_t pay = 0; pay < SR_PAYERS; pay++) {
            const double *te = treated->expenditure + pay * T;
            const double *ce = counterfactual->expenditure + pay * T;
            metric[treated_metric[pay]] = present_value(w, te);
            metric[counterfactual_metric[pay]] = present_value(w, ce);
            metric[savings_metric[pay]] =
                metric[counterfactual_metric[pay]] - metric[treated_metric[pay]];
            yearly_sums(w, te, 1.0, row, treated_metric[pay]);
            yearly_sums(w, ce, 1.0, row, counterfactual_metric[pay]);
            yearly_sums(w, ce, 1.0, row, savings_metric[pay]);
            yearly_sums(w, te, -1.0, row, savings_metric[pay]);
            yearly_sums(w, ce, 1.0, row, SR_M_SAVINGS_TOTAL);
            yearly_sums(w, te, -1.0, row, SR_M_SAVINGS_TOTAL);
        }
        metric[SR_M_SAVINGS_TOTAL] =
            metric[SR_M_SAVINGS_MUNICIPALITY] + metric[SR_M_SAVINGS_STATE];
        metric[SR_M_PROGRAMME_COST] = present_value(w, treated->cost);
        yearly_sums(w, treated->cost, 1.0, row, SR_M_PROGRAMME_COST);
        metric[SR_M_EMPLOYED_END_TREATED] = treated->employed_end;
        metric[SR_M_EMPLOYED_END_COUNTERFACTUAL] = counterfactual->employed_end;

        sr_contract_in in = {
            .treated = treated,
            .counterfactual = counterfactual,
            .control = control ? w->control : NULL,
            .termination = w->termination[pi],
        };
        sr_contract_record(w->contract, m, p, w->values, &in, w->records[pi]);
    }
    sr_trial_settle(m, w->contract, (const double *const *)w->records, NULL, 0, rows);
}

void sr_trial_settle(const sr_model *m, sr_contract_ws *w, const double *const *records,
                     const sr_term *changes, size_t n_changes, sr_level_row *rows)
{
    static const sr_metric savings_metric[SR_PAYERS] = {SR_M_SAVINGS_MUNICIPALITY,
                                                        SR_M_SAVINGS_STATE};
    const size_t Y = sr_n_calendar_years(m);
    memset(rows[0].metric, 0, sr_level_row_values(Y) * sizeof(double));
    memset(w->portfolio_paid, 0, w->n_flow * sizeof *w->portfolio_paid);
    memset(w->portfolio_received, 0, w->n_flow * sizeof *w->portfolio_received);
    double enrolled_total = 0.0, effect_true = 0.0, effect_measured = 0.0;
    double earliest_termination = NAN;   /* the portfolio's: the earliest, NaN: none */

    for (size_t pi = 0; pi < m->n_programmes; pi++) {
        const sr_programme *p = &m->programmes[pi];
        const sr_level_row *row = &rows[1 + pi];
        double *metric = row->metric;
        sr_contract_terms terms = {0};
        if (p->has_contract) {
            sr_contract_record_terms(m, p, records[pi], &terms);
            for (size_t k = 0; k < n_changes; k++)
                if (changes[k].programme == pi)
                    sr_term_apply(&changes[k], &terms, w->price);
        }
        sr_contract_settle(w, m, p, records[pi], &terms, metric,
                           sr_row_yearly(row, Y, SR_M_PAYMENTS, SR_NOMINAL),
                           sr_row_yearly(row, Y, SR_M_PAYMENTS, SR_PRESENT_VALUE), Y);
        payer_net_years(Y, row, savings_metric[p->has_contract ? p->contract.payer
                                                               : SR_MUNICIPALITY]);
        payback_years(m, Y, row);
        const double tau = metric[SR_M_TERMINATION_MONTH];
        if (!isnan(tau) && !(earliest_termination <= tau))
            earliest_termination = tau;
        if (p->has_contract) {   /* a programme without one measures no effect */
            const double enrolled = sr_contract_record_enrolled(m, p, records[pi]);
            enrolled_total += enrolled;
            effect_true += metric[SR_M_EFFECT_TRUE] * enrolled;
            effect_measured += metric[SR_M_EFFECT_MEASURED] * enrolled;
        }
        /* the other metrics are computed for the portfolio as a whole, below */
        for (size_t k = 0; k < SR_N_METRICS; k++)
            if (sr_metric_is((sr_metric)k, SR_METRIC_ADDITIVE))
                rows[0].metric[k] += metric[k];
        for (size_t k = 0; k < SR_N_METRICS; k++)
            if (sr_metric_is((sr_metric)k, SR_METRIC_ANNUAL))
                for (size_t v = 0; v < SR_VALUATIONS; v++) {
                    const double *part = sr_row_yearly(row, Y, (sr_metric)k, (sr_valuation)v);
                    double *sum = sr_row_yearly(&rows[0], Y, (sr_metric)k, (sr_valuation)v);
                    for (size_t y = 0; y <= Y; y++)
                        sum[y] += part[y];
                }
    }
    double *portfolio = rows[0].metric;
    payback_years(m, Y, &rows[0]);
    portfolio[SR_M_TERMINATION_MONTH] = earliest_termination;
    sr_contract_portfolio(w, m, portfolio);
    /* The programmes with a contract, weighted by enrolment; an effect in achievements and
     * one in DKK do not add up: NaN for such a portfolio. */
    portfolio[SR_M_EFFECT_TRUE] = portfolio[SR_M_EFFECT_MEASURED] = 0.0;
    if (!effects_in_one_unit(m)) {
        portfolio[SR_M_EFFECT_TRUE] = portfolio[SR_M_EFFECT_MEASURED] = NAN;
    } else if (enrolled_total > 0.0) {
        portfolio[SR_M_EFFECT_TRUE] = effect_true / enrolled_total;
        portfolio[SR_M_EFFECT_MEASURED] = effect_measured / enrolled_total;
    }
    portfolio[SR_M_EVALUATION_SIGNIFICANT] =
        m->n_programmes == 1 ? rows[1].metric[SR_M_EVALUATION_SIGNIFICANT] : NAN;
}

void sr_trial_draw_numbers(sr_trial_ws *w, uint64_t seed, uint64_t trial)
{
    draw_values(w, seed, trial);
}
