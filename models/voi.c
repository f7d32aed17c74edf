/* Value of information and variance attribution from trials (voi.h). */
#include "models/voi.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>

static double weight(const double *w, size_t i)
{
    return w != NULL ? w[i] : 1.0;
}

/* Weighted means of the increments into mean[n_increments]; returns the sum of weights. */
static double means(const double *g, size_t k, size_t n, const double *w, double *mean)
{
    double wsum = 0.0;
    for (size_t d = 0; d < k; d++)
        mean[d] = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double wi = weight(w, i);
        wsum += wi;
        for (size_t d = 0; d < k; d++)
            mean[d] += wi * g[d * n + i];
    }
    for (size_t d = 0; d < k; d++)
        mean[d] /= wsum;
    return wsum;
}

/* Decisions have few options: the command line names at most a handful. */
#define MAX_INCREMENTS 16

double sr_voi_value(const double *g, size_t k, size_t n, const double *w)
{
    double mean[MAX_INCREMENTS];
    if (k == 0 || k > MAX_INCREMENTS || n == 0)
        return NAN;
    const double wsum = means(g, k, n, w, mean);
    double best_mean = 0.0, mean_best = 0.0;
    for (size_t d = 0; d < k; d++)
        best_mean = fmax(best_mean, mean[d]);
    for (size_t i = 0; i < n; i++) {
        double best = 0.0;
        for (size_t d = 0; d < k; d++)
            best = fmax(best, g[d * n + i]);
        mean_best += weight(w, i) * best;
    }
    return fmax(mean_best / wsum - best_mean, 0.0);
}

size_t sr_voi_best(const double *g, size_t k, size_t n, const double *w)
{
    double mean[MAX_INCREMENTS];
    if (k == 0 || k > MAX_INCREMENTS || n == 0)
        return 0;
    means(g, k, n, w, mean);
    size_t best = 0;
    double top = 0.0;
    for (size_t d = 0; d < k; d++)
        if (mean[d] > top) {
            top = mean[d];
            best = d + 1;
        }
    return best;
}

double sr_voi_variance_share(const double *fitted, const double *y, size_t n, const double *w)
{
    double wsum = 0.0, ybar = 0.0;
    for (size_t i = 0; i < n; i++) {
        wsum += weight(w, i);
        ybar += weight(w, i) * y[i];
    }
    ybar /= wsum;
    double explained = 0.0, total = 0.0;
    for (size_t i = 0; i < n; i++) {
        explained += weight(w, i) * (fitted[i] - ybar) * (fitted[i] - ybar);
        total += weight(w, i) * (y[i] - ybar) * (y[i] - ybar);
    }
    return total > 0.0 ? explained / total : NAN;
}

void sr_voi_replicate(gsl_rng *r, unsigned long seed, size_t replicate, size_t n, double *w)
{
    /* distinct replicates, distinct seeds: the golden ratio's odd multiples */
    gsl_rng_set(r, seed ^ ((unsigned long)(replicate + 1) * 0x9e3779b97f4a7c15UL));
    for (size_t i = 0; i < n; i++)
        w[i] = 0.0;
    for (size_t i = 0; i < n; i++)
        w[gsl_rng_uniform_int(r, n)] += 1.0;
}

double sr_voi_sd(const double *x, size_t n)
{
    return n >= 2 ? gsl_stats_sd(x, 1, n) : NAN;
}

/* The statistic of fitted values (k responses) with weights w. */
static double statistic(sr_voi_statistic stat, const double *fitted, const double *y,
                        size_t k, size_t n, const double *w)
{
    return stat == SR_VOI_INDEX ? sr_voi_variance_share(fitted, y, n, w)
                                : sr_voi_value(fitted, k, n, w);
}

int sr_voi_estimate(sr_smooth_ws *ws, const sr_smooth_basis *b, sr_voi_statistic stat,
                    const double *y, size_t k, size_t n_boot, gsl_rng *rng,
                    unsigned long seed, double *scratch, double *estimate, double *rep,
                    sr_smooth_info *info)
{
    const size_t n = b->n;
    double *fitted = scratch, *w = scratch + k * n;
    double lambda[MAX_INCREMENTS];
    if (k == 0 || k > MAX_INCREMENTS || (stat == SR_VOI_INDEX && k != 1))
        return -1;
    if (sr_smooth_prepare(ws, b, NULL, NAN) != 0)
        return -1;
    for (size_t j = 0; j < k; j++) {
        sr_smooth_info fit;
        if (sr_smooth_fit(ws, y + j * n, fitted + j * n, &fit) != 0)
            return -1;
        lambda[j] = fit.lambda;
        if (info != NULL)
            info[j] = fit;
    }
    *estimate = statistic(stat, fitted, y, k, n, NULL);
    for (size_t r = 0; r < n_boot; r++) {
        sr_voi_replicate(rng, seed, r, n, w);
        for (size_t j = 0; j < k; j++)   /* one set of cross-products per replicate */
            if ((j == 0 ? sr_smooth_prepare(ws, b, w, lambda[j])
                        : sr_smooth_refactor(ws, lambda[j])) != 0 ||
                sr_smooth_fit(ws, y + j * n, fitted + j * n, NULL) != 0)
                return -1;
        rep[r] = statistic(stat, fitted, y, k, n, w);
    }
    return 0;
}

double sr_voi_evpi(const double *g, size_t k, size_t n, size_t n_boot, gsl_rng *rng,
                   unsigned long seed, double *scratch, double *rep)
{
    for (size_t r = 0; r < n_boot; r++) {
        sr_voi_replicate(rng, seed, r, n, scratch);
        rep[r] = sr_voi_value(g, k, n, scratch);
    }
    return sr_voi_value(g, k, n, NULL);
}

void sr_voi_order(const double *value, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)   /* insertion sort: stable, and tables are short */
        for (size_t j = i; j > 0; j--) {
            const double a = value[order[j - 1]], b = value[order[j]];
            if (!((isnan(a) && !isnan(b)) || (!isnan(a) && !isnan(b) && b > a)))
                break;
            const size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

bool sr_voi_subset(const sr_voi_set *a, const sr_voi_set *b)
{
    for (size_t i = 0; i < a->n; i++) {
        bool in = false;
        for (size_t j = 0; j < b->n; j++)
            in |= a->member[i] == b->member[j];
        if (!in)
            return false;
    }
    return true;
}

void sr_voi_monotone(const sr_voi_set *sets, size_t n_sets, double *value, double evpi)
{
    /* Smallest sets first: by the time a set is raised, its subsets have been. Sets of
     * equal size are each other's subsets only when equal. */
    for (size_t size = 1; size <= SR_VOI_MAX_GROUP; size++)
        for (size_t s = 0; s < n_sets; s++) {
            if (sets[s].n != size)
                continue;
            for (size_t t = 0; t < n_sets; t++)
                if (t != s && sets[t].n <= size && sr_voi_subset(&sets[t], &sets[s]))
                    value[s] = fmax(value[s], value[t]);
        }
    for (size_t s = 0; s < n_sets; s++)
        value[s] = fmin(fmax(value[s], 0.0), evpi);
}
