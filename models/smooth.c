/* Penalised regression splines (smooth.h): the sparse tensor-product basis, the
 * divided-difference penalty, and penalised least squares with lambda chosen by GCV. */
#include "models/smooth.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_bspline.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/size.h"

/* Cubic splines: four nonzero functions at any point. */
#define ORDER 4

/* ---- one input's basis ---------------------------------------------------------------- */

/* One input's marginal basis at n points: row i's nonzero functions are first[i] ..
 * first[i] + nnz - 1 with values value[i * nnz ..]. For a spline margin, greville[j] is
 * the Greville abscissa of function j on the rescaled input. */
typedef struct {
    size_t n_coef, nnz;
    bool spline;
    size_t *first;       /* [n] */
    double *value;       /* [n * nnz] */
    double *greville;    /* [n_coef]; NULL for indicators */
} margin;

static void margin_clear(margin *mg)
{
    free(mg->first);
    free(mg->value);
    free(mg->greville);
    memset(mg, 0, sizeof *mg);
}

/* The distinct values of sorted[n] into levels (in place at the front); returns how many. */
static size_t distinct(double *sorted, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || sorted[i] != sorted[k - 1])
            sorted[k++] = sorted[i];
    return k;
}

/* The index of v among levels[k] (which holds it). */
static size_t level_of(const double *levels, size_t k, double v)
{
    size_t lo = 0, hi = k;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (levels[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* One indicator per distinct value. */
static int margin_levels(margin *mg, const double *x, size_t n, const double *levels, size_t k)
{
    mg->n_coef = k;
    mg->nnz = 1;
    mg->spline = false;
    mg->first = malloc(sr_size_mul(n, sizeof *mg->first));
    mg->value = malloc(sr_size_mul(n, sizeof *mg->value));
    if (mg->first == NULL || mg->value == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        mg->first[i] = level_of(levels, k, x[i]);
        mg->value[i] = 1.0;
    }
    return 0;
}

/* Cubic B-splines on breakpoints at the quantiles 0, 1/intervals, .., 1 of the input
 * (ties merged), the input rescaled to [0, 1] by its range. */
static int margin_spline(margin *mg, const double *x, size_t n, const double *sorted,
                         size_t intervals)
{
    const double lo = sorted[0], range = sorted[n - 1] - sorted[0];
    double *breaks = malloc((intervals + 1) * sizeof *breaks);
    if (breaks == NULL)
        return -1;
    size_t nb = 0;
    for (size_t j = 0; j <= intervals; j++) {
        double q = j == intervals ? sorted[n - 1]
                                  : gsl_stats_quantile_from_sorted_data(sorted, 1, n,
                                                                        (double)j /
                                                                            (double)intervals);
        double u = (q - lo) / range;
        if (nb == 0 || u > breaks[nb - 1])
            breaks[nb++] = u;
    }
    breaks[nb - 1] = 1.0;   /* the last breakpoint is the maximum, exactly */
    gsl_bspline_workspace *bw = gsl_bspline_alloc(ORDER, nb);
    gsl_vector *bv = gsl_vector_alloc(ORDER);
    gsl_vector_view bk = gsl_vector_view_array(breaks, nb);
    int rc = -1;
    if (bw == NULL || bv == NULL || gsl_bspline_knots(&bk.vector, bw) != 0)
        goto out;
    mg->n_coef = gsl_bspline_ncoeffs(bw);
    mg->nnz = ORDER;
    mg->spline = true;
    mg->first = malloc(sr_size_mul(n, sizeof *mg->first));
    mg->value = malloc(sr_size_mul(sr_size_mul(n, ORDER), sizeof *mg->value));
    mg->greville = malloc(mg->n_coef * sizeof *mg->greville);
    if (mg->first == NULL || mg->value == NULL || mg->greville == NULL)
        goto out;
    for (size_t j = 0; j < mg->n_coef; j++)
        mg->greville[j] = gsl_bspline_greville_abscissa(j, bw);
    for (size_t i = 0; i < n; i++) {
        size_t start, end;
        double u = fmin(fmax((x[i] - lo) / range, 0.0), 1.0);
        if (gsl_bspline_eval_nonzero(u, bv, &start, &end, bw) != 0)
            goto out;
        mg->first[i] = start;
        for (size_t j = 0; j < ORDER; j++)
            mg->value[i * ORDER + j] = gsl_vector_get(bv, j);
    }
    rc = 0;
out:
    gsl_bspline_free(bw);
    gsl_vector_free(bv);
    free(breaks);
    return rc;
}

static int margin_build(margin *mg, const double *x, size_t n, size_t intervals, double *sorted)
{
    memcpy(sorted, x, n * sizeof *sorted);
    gsl_sort(sorted, 1, n);
    double *levels = malloc(n * sizeof *levels);
    if (levels == NULL)
        return -1;
    memcpy(levels, sorted, n * sizeof *levels);
    size_t k = distinct(levels, n);
    int rc = k <= SR_SMOOTH_MAX_LEVELS ? margin_levels(mg, x, n, levels, k)
                                       : margin_spline(mg, x, n, sorted, intervals);
    free(levels);
    return rc;
}

/* ---- the tensor product and its penalty ---------------------------------------------- */

/* Adds to P (p x p) the penalty of spline margin mg along the tensor axis whose columns
 * step by `stride` and repeat in blocks of `block` = stride * mg->n_coef: for every
 * combination of the other margins' functions, the squared second divided differences of
 * the coefficients at the Greville abscissae, sum_j (D c)_j^2 with
 * (D c)_j = (c_{j+2} - c_{j+1}) / (g_{j+2} - g_{j+1}) - (c_{j+1} - c_j) / (g_{j+1} - g_j),
 * zero exactly for coefficients linear in g, which represent linear functions. */
static void add_penalty(double *P, size_t p, const margin *mg, size_t stride)
{
    const size_t m = mg->n_coef, block = stride * m;
    const double *g = mg->greville;
    for (size_t j = 0; j + 2 < m; j++) {
        const double a = 1.0 / (g[j + 1] - g[j]), b = 1.0 / (g[j + 2] - g[j + 1]);
        const double d[3] = {a, -a - b, b};   /* coefficients of c_j, c_{j+1}, c_{j+2} */
        for (size_t base = 0; base < p; base += block)
            for (size_t s = 0; s < stride; s++)
                for (size_t u = 0; u < 3; u++)
                    for (size_t v = 0; v < 3; v++) {
                        size_t r = base + (j + u) * stride + s, c = base + (j + v) * stride + s;
                        P[r * p + c] += d[u] * d[v];
                    }
    }
}

/* b->order: the rows by their first column, stably (a counting sort). */
static int order_rows(sr_smooth_basis *b)
{
    size_t *start = calloc(b->p + 1, sizeof *start);
    b->order = malloc(sr_size_mul(b->n, sizeof *b->order));
    if (start == NULL || b->order == NULL) {
        free(start);
        return -1;
    }
    for (size_t i = 0; i < b->n; i++)
        start[b->col[i * b->nnz] + 1]++;
    for (size_t c = 0; c < b->p; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < b->n; i++)
        b->order[start[b->col[i * b->nnz]]++] = i;
    free(start);
    return 0;
}

sr_smooth_basis *sr_smooth_basis_alloc(const double *const *x, size_t n_inputs, size_t n,
                                       size_t intervals)
{
    if (n_inputs == 0 || n_inputs > SR_SMOOTH_MAX_INPUTS || n == 0)
        return NULL;
    margin mg[SR_SMOOTH_MAX_INPUTS] = {{0}};
    sr_smooth_basis *b = calloc(1, sizeof *b);
    double *sorted = malloc(n * sizeof *sorted);
    if (b == NULL || sorted == NULL)
        goto fail;
    size_t p = 1, nnz = 1, stride[SR_SMOOTH_MAX_INPUTS];
    for (size_t k = 0; k < n_inputs; k++) {
        if (margin_build(&mg[k], x[k], n, intervals < 1 ? 1 : intervals, sorted) != 0)
            goto fail;
        p = sr_size_mul(p, mg[k].n_coef);
        nnz *= mg[k].nnz;
    }
    for (size_t k = n_inputs; k-- > 0;)   /* the last input's functions are adjacent */
        stride[k] = k + 1 == n_inputs ? 1 : stride[k + 1] * mg[k + 1].n_coef;
    b->n = n;
    b->p = p;
    b->nnz = nnz;
    b->col = malloc(sr_size_mul(sr_size_mul(n, nnz), sizeof *b->col));
    b->val = malloc(sr_size_mul(sr_size_mul(n, nnz), sizeof *b->val));
    b->penalty = calloc(sr_size_mul(p, p), sizeof *b->penalty);
    if (b->col == NULL || b->val == NULL || b->penalty == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        size_t *col = b->col + i * nnz;
        double *val = b->val + i * nnz;
        for (size_t j = 0; j < nnz; j++) {
            size_t rest = j, c = 0;
            double v = 1.0;
            for (size_t k = n_inputs; k-- > 0;) {   /* j's digit of each margin */
                size_t digit = rest % mg[k].nnz;
                rest /= mg[k].nnz;
                c += (mg[k].first[i] + digit) * stride[k];
                v *= mg[k].value[i * mg[k].nnz + digit];
            }
            col[j] = c;
            val[j] = v;
        }
    }
    for (size_t k = 0; k < n_inputs; k++)
        if (mg[k].spline)
            add_penalty(b->penalty, p, &mg[k], stride[k]);
    if (order_rows(b) != 0)
        goto fail;
    for (size_t k = 0; k < n_inputs; k++)
        margin_clear(&mg[k]);
    free(sorted);
    return b;
fail:
    for (size_t k = 0; k < n_inputs; k++)
        margin_clear(&mg[k]);
    free(sorted);
    sr_smooth_basis_free(b);
    return NULL;
}

void sr_smooth_basis_free(sr_smooth_basis *b)
{
    if (b == NULL)
        return;
    free(b->col);
    free(b->val);
    free(b->penalty);
    free(b->order);
    free(b);
}

/* ---- fits ---------------------------------------------------------------------------- */

/* A ridge of this size relative to the largest diagonal entry of the cross-products keeps
 * their factorisation defined where a column has no weight (an indicator's value missing
 * from a bootstrap sample); the fitted values it moves are corrected by recentring. */
#define JITTER 1e-12

/* GCV's search: a log grid over lambda, from where every penalised component keeps
 * nearly all of its fit to where it keeps nearly none, then golden section. */
#define GRID_POINTS 61
#define GOLDEN_STEPS 40

struct sr_smooth_ws {
    size_t p_max;
    const sr_smooth_basis *b;
    const double *w;
    size_t p;
    double wsum;
    bool choose;             /* lambda by GCV: factor, eig hold the decomposition */
    double lambda;           /* else the lambda factor was made for */
    gsl_matrix *factor;      /* [p_max^2]: Cholesky factor L of A = X'WX (GCV), or of
                              * A + lambda P */
    gsl_matrix *eig;         /* eigenvectors V of L^-1 P L^-T */
    gsl_matrix *scratch;     /* L^-1 P L^-T, or lambda P, as it is built */
    gsl_matrix *cross;       /* X'WX of the last weights, for sr_smooth_refactor */
    double local[SR_SMOOTH_MAX_NNZ * SR_SMOOTH_MAX_NNZ]; /* one first column's block */
    gsl_vector *d;           /* their eigenvalues, >= 0 */
    gsl_vector *rhs, *z, *coef;
    gsl_eigen_symmv_workspace *eigen;
    bool prepared;
};

sr_smooth_ws *sr_smooth_ws_alloc(size_t p_max)
{
    sr_smooth_ws *ws = calloc(1, sizeof *ws);
    if (ws == NULL || p_max == 0)
        goto fail;
    ws->p_max = p_max;
    ws->factor = gsl_matrix_alloc(p_max, p_max);
    ws->eig = gsl_matrix_alloc(p_max, p_max);
    ws->scratch = gsl_matrix_alloc(p_max, p_max);
    ws->cross = gsl_matrix_alloc(p_max, p_max);
    ws->d = gsl_vector_alloc(p_max);
    ws->rhs = gsl_vector_alloc(p_max);
    ws->z = gsl_vector_alloc(p_max);
    ws->coef = gsl_vector_alloc(p_max);
    ws->eigen = gsl_eigen_symmv_alloc(p_max);
    if (!ws->factor || !ws->eig || !ws->scratch || !ws->cross || !ws->d || !ws->rhs ||
        !ws->z || !ws->coef || !ws->eigen)
        goto fail;
    return ws;
fail:
    sr_smooth_ws_free(ws);
    return NULL;
}

void sr_smooth_ws_free(sr_smooth_ws *ws)
{
    if (ws == NULL)
        return;
    gsl_matrix_free(ws->factor);
    gsl_matrix_free(ws->eig);
    gsl_matrix_free(ws->scratch);
    gsl_matrix_free(ws->cross);
    gsl_vector_free(ws->d);
    gsl_vector_free(ws->rhs);
    gsl_vector_free(ws->z);
    gsl_vector_free(ws->coef);
    if (ws->eigen != NULL)
        gsl_eigen_symmv_free(ws->eigen);
    free(ws);
}

/* Adds the dense block local[nnz x nnz] (upper triangle) of rows whose columns are col[]
 * to the upper triangle of a. */
static void flush_block(double *a, size_t tda, const size_t *col, size_t nnz, double *local)
{
    for (size_t j = 0; j < nnz; j++) {
        double *row = a + col[j] * tda;
        for (size_t k = j; k < nnz; k++) {
            row[col[k]] += local[j * nnz + k];
            local[j * nnz + k] = 0.0;
        }
    }
}

/* A = X'WX into the upper triangle of the p x p view, then mirrored. Rows are taken by
 * their first column: those that share it share every column, so their products add up
 * in a small dense block that stays in cache, added to A once per first column. */
static void cross_products(gsl_matrix *A, const sr_smooth_basis *b, const double *w,
                           double *local)
{
    const size_t nnz = b->nnz, p = b->p;
    gsl_matrix_set_zero(A);
    double *a = A->data;
    const size_t tda = A->tda;
    memset(local, 0, nnz * nnz * sizeof *local);
    const size_t *cols = NULL;   /* the block's columns, NULL before the first row */
    for (size_t r = 0; r < b->n; r++) {
        const size_t i = b->order[r];
        const double wi = w != NULL ? w[i] : 1.0;
        const size_t *col = b->col + i * nnz;
        if (cols != NULL && col[0] != cols[0])
            flush_block(a, tda, cols, nnz, local);
        cols = col;
        if (wi == 0.0)
            continue;
        const double *val = b->val + i * nnz;
        for (size_t j = 0; j < nnz; j++) {
            const double vj = wi * val[j];
            double *lj = local + j * nnz;
            for (size_t k = j; k < nnz; k++)
                lj[k] += vj * val[k];
        }
    }
    if (cols != NULL)
        flush_block(a, tda, cols, nnz, local);
    double top = 0.0;
    for (size_t r = 0; r < p; r++)
        top = fmax(top, a[r * tda + r]);
    for (size_t r = 0; r < p; r++) {
        a[r * tda + r] += JITTER * top;
        for (size_t c = r + 1; c < p; c++)
            a[c * tda + r] = a[r * tda + c];
    }
}

/* Factorises the cached cross-products for lambda (NaN: GCV's decomposition follows). */
static int factor(sr_smooth_ws *ws, double lambda)
{
    const size_t p = ws->p;
    ws->prepared = false;
    ws->choose = isnan(lambda);
    ws->lambda = lambda;
    gsl_matrix_view L = gsl_matrix_submatrix(ws->factor, 0, 0, p, p);
    gsl_matrix_view M = gsl_matrix_submatrix(ws->scratch, 0, 0, p, p);
    gsl_matrix_const_view A = gsl_matrix_const_submatrix(ws->cross, 0, 0, p, p);
    gsl_matrix_const_view P = gsl_matrix_const_view_array(ws->b->penalty, p, p);
    gsl_matrix_memcpy(&L.matrix, &A.matrix);
    gsl_matrix_memcpy(&M.matrix, &P.matrix);
    if (!ws->choose) {
        gsl_matrix_scale(&M.matrix, lambda);
        gsl_matrix_add(&L.matrix, &M.matrix);
        if (gsl_linalg_cholesky_decomp1(&L.matrix) != 0)
            return -1;
        ws->prepared = true;
        return 0;
    }
    if (gsl_linalg_cholesky_decomp1(&L.matrix) != 0)
        return -1;
    /* M = L^-1 P L^-T, symmetric; its eigenvectors diagonalise the penalty in the metric
     * of the cross-products (Demmler-Reinsch). */
    gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &L.matrix, &M.matrix);
    gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, &L.matrix, &M.matrix);
    for (size_t r = 0; r < p; r++)   /* symmetric but for rounding: make it exactly so */
        for (size_t c = r + 1; c < p; c++) {
            double v = 0.5 * (gsl_matrix_get(&M.matrix, r, c) + gsl_matrix_get(&M.matrix, c, r));
            gsl_matrix_set(&M.matrix, r, c, v);
            gsl_matrix_set(&M.matrix, c, r, v);
        }
    gsl_vector_view d = gsl_vector_subvector(ws->d, 0, p);
    gsl_matrix_view V = gsl_matrix_submatrix(ws->eig, 0, 0, p, p);
    if (gsl_eigen_symmv(&M.matrix, &d.vector, &V.matrix, ws->eigen) != 0)
        return -1;
    for (size_t j = 0; j < p; j++)   /* P is semidefinite: a negative value is rounding */
        if (gsl_vector_get(&d.vector, j) < 0.0)
            gsl_vector_set(&d.vector, j, 0.0);
    ws->prepared = true;
    return 0;
}

int sr_smooth_prepare(sr_smooth_ws *ws, const sr_smooth_basis *b, const double *w,
                      double lambda)
{
    ws->prepared = false;
    if (b->p > ws->p_max)
        return -1;
    double wsum = 0.0;
    for (size_t i = 0; i < b->n; i++)
        wsum += w != NULL ? w[i] : 1.0;
    if (!(wsum > 0.0))
        return -1;
    ws->b = b;
    ws->w = w;
    ws->p = b->p;
    ws->wsum = wsum;
    gsl_matrix_view A = gsl_matrix_submatrix(ws->cross, 0, 0, b->p, b->p);
    cross_products(&A.matrix, b, w, ws->local);
    return factor(ws, lambda);
}

int sr_smooth_refactor(sr_smooth_ws *ws, double lambda)
{
    return ws->b != NULL ? factor(ws, lambda) : -1;
}

/* The weighted residual sum of squares and the trace of the hat matrix at lambda, from
 * z = V' L^-1 X'W(y - ybar) and yy = sum w (y - ybar)^2: with f_j = 1 / (1 + lambda d_j),
 * RSS = yy - sum (2 f_j - f_j^2) z_j^2 and edf = sum f_j. */
static double gcv_score(const sr_smooth_ws *ws, double yy, double lambda, double *edf)
{
    double rss = yy, tr = 0.0;
    for (size_t j = 0; j < ws->p; j++) {
        const double f = 1.0 / (1.0 + lambda * gsl_vector_get(ws->d, j));
        const double zj = gsl_vector_get(ws->z, j);
        rss -= (2.0 * f - f * f) * zj * zj;
        tr += f;
    }
    if (edf != NULL)
        *edf = tr;
    const double left = ws->wsum - tr;
    return left > 0.0 ? ws->wsum * fmax(rss, 0.0) / (left * left) : INFINITY;
}

/* The lambda that minimises GCV: a grid over log lambda, refined by golden section
 * between the neighbours of the grid's best point. */
static double choose_lambda(const sr_smooth_ws *ws, double yy)
{
    double dmax = 0.0, dmin = INFINITY;
    for (size_t j = 0; j < ws->p; j++)
        dmax = fmax(dmax, gsl_vector_get(ws->d, j));
    if (!(dmax > 0.0))
        return 0.0;   /* nothing is penalised */
    for (size_t j = 0; j < ws->p; j++) {
        double dj = gsl_vector_get(ws->d, j);
        if (dj > dmax * 1e-12)
            dmin = fmin(dmin, dj);
    }
    const double lo = log(1e-4 / dmax), hi = log(1e4 / dmin);
    size_t best = 0;
    double best_score = INFINITY;
    for (size_t k = 0; k < GRID_POINTS; k++) {
        double s = gcv_score(ws, yy, exp(lo + (hi - lo) * (double)k / (GRID_POINTS - 1)), NULL);
        if (s < best_score) {
            best_score = s;
            best = k;
        }
    }
    const double step = (hi - lo) / (GRID_POINTS - 1);
    double a = lo + step * (double)(best > 0 ? best - 1 : 0);
    double c = lo + step * (double)(best + 1 < GRID_POINTS ? best + 1 : best);
    const double phi = 0.5 * (sqrt(5.0) - 1.0);
    double x1 = c - phi * (c - a), x2 = a + phi * (c - a);
    double f1 = gcv_score(ws, yy, exp(x1), NULL), f2 = gcv_score(ws, yy, exp(x2), NULL);
    for (int it = 0; it < GOLDEN_STEPS; it++) {
        if (f1 <= f2) {
            c = x2;
            x2 = x1;
            f2 = f1;
            x1 = c - phi * (c - a);
            f1 = gcv_score(ws, yy, exp(x1), NULL);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + phi * (c - a);
            f2 = gcv_score(ws, yy, exp(x2), NULL);
        }
    }
    const double x = f1 <= f2 ? x1 : x2;
    return fmin(f1, f2) <= best_score ? exp(x) : exp(lo + step * (double)best);
}

int sr_smooth_fit(sr_smooth_ws *ws, const double *y, double *fitted, sr_smooth_info *info)
{
    if (!ws->prepared)
        return -1;
    const sr_smooth_basis *b = ws->b;
    const double *w = ws->w;
    const size_t p = ws->p, nnz = b->nnz;
    /* y is centred first: constants are in the basis's span and never penalised, so the
     * fit of y is ybar plus the fit of y - ybar, computed with smaller numbers. */
    double ybar = 0.0;
    for (size_t i = 0; i < b->n; i++)
        ybar += (w != NULL ? w[i] : 1.0) * y[i];
    ybar /= ws->wsum;
    double yy = 0.0;
    gsl_vector_view rhs = gsl_vector_subvector(ws->rhs, 0, p);
    gsl_vector_set_zero(&rhs.vector);
    for (size_t i = 0; i < b->n; i++) {
        const double wi = w != NULL ? w[i] : 1.0;
        if (wi == 0.0)
            continue;
        const double r = y[i] - ybar;
        yy += wi * r * r;
        for (size_t j = 0; j < nnz; j++)
            ws->rhs->data[b->col[i * nnz + j] * ws->rhs->stride] += wi * r * b->val[i * nnz + j];
    }
    gsl_matrix_view L = gsl_matrix_submatrix(ws->factor, 0, 0, p, p);
    gsl_vector_view coef = gsl_vector_subvector(ws->coef, 0, p);
    double lambda = ws->lambda, edf = NAN;
    if (ws->choose) {
        /* z = V' L^-1 rhs; coef = L^-T V F z */
        gsl_matrix_view V = gsl_matrix_submatrix(ws->eig, 0, 0, p, p);
        gsl_vector_view z = gsl_vector_subvector(ws->z, 0, p);
        gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &L.matrix, &rhs.vector);
        gsl_blas_dgemv(CblasTrans, 1.0, &V.matrix, &rhs.vector, 0.0, &z.vector);
        lambda = choose_lambda(ws, yy);
        gcv_score(ws, yy, lambda, &edf);
        for (size_t j = 0; j < p; j++)
            gsl_vector_set(&rhs.vector, j, gsl_vector_get(&z.vector, j) /
                                               (1.0 + lambda * gsl_vector_get(ws->d, j)));
        gsl_blas_dgemv(CblasNoTrans, 1.0, &V.matrix, &rhs.vector, 0.0, &coef.vector);
        gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &L.matrix, &coef.vector);
    } else {
        gsl_vector_memcpy(&coef.vector, &rhs.vector);
        gsl_linalg_cholesky_svx(&L.matrix, &coef.vector);
    }
    /* Fitted values, recentred so that their weighted mean is exactly ybar (the jitter
     * shrinks the constant a hair; a constant is in the span, so this stays a fit). */
    double mean = 0.0;
    const double *c = coef.vector.data;   /* a subvector of a vector of stride 1 */
    for (size_t i = 0; i < b->n; i++) {
        double f = 0.0;
        for (size_t j = 0; j < nnz; j++)
            f += b->val[i * nnz + j] * c[b->col[i * nnz + j]];
        fitted[i] = f;
        mean += (w != NULL ? w[i] : 1.0) * f;
    }
    mean /= ws->wsum;
    for (size_t i = 0; i < b->n; i++)
        fitted[i] += ybar - mean;
    if (info != NULL)
        *info = (sr_smooth_info){.lambda = lambda, .edf = edf};
    return 0;
}
