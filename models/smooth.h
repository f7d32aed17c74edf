/* Penalised regression splines: the smooth conditional expectation E[y | x] of a response
 * given one to three inputs, estimated from trials (docs/results.md#value-of-information).
 *
 * The basis. Each input gets a marginal basis: cubic B-splines (gsl_bspline) on
 * breakpoints at the quantiles of its values, rescaled to [0, 1]; an input with few
 * distinct values (an indicator, a count of a few levels) gets one indicator per value
 * instead. Two or three inputs get the tensor product of their marginal bases. Every row
 * of the basis sums to 1, so constants are in its span.
 *
 * The fit. Penalised least squares: minimise sum_i w_i (y_i - f(x_i))^2 + lambda c'Pc
 * over the coefficients c. The penalty P sums, over each B-spline margin, the squared
 * second divided differences of the coefficients along that margin, taken at their
 * Greville abscissae: it vanishes exactly for functions linear in each input (bilinear,
 * trilinear for products), so that those are never shrunk, and grows with curvature.
 * Indicator margins are not penalised. lambda is chosen by generalised cross-validation,
 * GCV(lambda) = W RSS / (W - edf)^2 (W the sum of weights, edf the trace of the hat
 * matrix), searched over a log grid and refined by golden section; the fit is computed in
 * the Demmler-Reinsch basis (a Cholesky factor of the weighted cross-products and a
 * symmetric eigendecomposition of the penalty in its metric), where the GCV score of any
 * lambda costs O(p). A fit at a given lambda (bootstrap refits) solves the penalised
 * normal equations by Cholesky.
 *
 * The basis is stored sparsely: each row has at most 4^d nonzero entries, so the
 * cross-products cost O(n 16^d) and do not grow with the number of basis functions. */
#ifndef SR_SMOOTH_H
#define SR_SMOOTH_H

#include <stdbool.h>
#include <stddef.h>

/* Inputs a basis may combine. */
#define SR_SMOOTH_MAX_INPUTS 3
/* The most nonzero entries in a row: 4 cubic B-splines per input. */
#define SR_SMOOTH_MAX_NNZ 64
/* An input with at most this many distinct values gets indicators, not splines. */
#define SR_SMOOTH_MAX_LEVELS 8

/* The basis of one to three inputs at n points. Invariant: row i's nonzero entries are
 * col[i * nnz + j], val[i * nnz + j] for j < nnz (distinct columns < p), and sum to 1. */
typedef struct {
    size_t n;            /* rows: observations */
    size_t p;            /* columns: basis functions */
    size_t nnz;          /* nonzero entries per row */
    size_t *col;         /* [n * nnz] */
    double *val;         /* [n * nnz] */
    double *penalty;     /* [p * p] P, symmetric, positive semidefinite; all 0 when no
                          * margin is a spline */
    size_t *order;       /* [n]: the rows ordered by their first column (stable): rows with
                          * the same first column have the same columns, so their
                          * cross-products add up in one dense block */
} sr_smooth_basis;

/* The basis of the n_inputs inputs x[k][0 .. n) (finite values), with `intervals`
 * intervals between breakpoints per spline margin (at least 1; fewer where quantiles
 * tie). An input that takes one value only adds nothing (its margin is one constant).
 * NULL on allocation failure or when n_inputs is 0 or above SR_SMOOTH_MAX_INPUTS. */
sr_smooth_basis *sr_smooth_basis_alloc(const double *const *x, size_t n_inputs, size_t n,
                                       size_t intervals);
void sr_smooth_basis_free(sr_smooth_basis *b);   /* NULL is fine */

/* Workspace for fits on bases of up to p_max columns. */
typedef struct sr_smooth_ws sr_smooth_ws;

sr_smooth_ws *sr_smooth_ws_alloc(size_t p_max);
void sr_smooth_ws_free(sr_smooth_ws *ws);        /* NULL is fine */

/* Prepares ws for fits on b with weights w[n] (NULL: every weight 1; a bootstrap passes
 * how often each row was drawn): the weighted cross-products, decomposed for fits whose
 * lambda GCV chooses (lambda NaN) or factorised for fits at the given lambda >= 0. w must
 * stay valid until the next prepare. Returns 0, or -1 when b has more columns than ws
 * holds, the weights sum to 0, or the factorisation fails. */
int sr_smooth_prepare(sr_smooth_ws *ws, const sr_smooth_basis *b, const double *w,
                      double lambda);

/* Prepares ws again, for the basis and weights of the last sr_smooth_prepare, at another
 * lambda (NaN: by GCV), without recomputing the cross-products. Returns as
 * sr_smooth_prepare. */
int sr_smooth_refactor(sr_smooth_ws *ws, double lambda);

/* What a fit chose. */
typedef struct {
    double lambda;       /* the penalty's weight */
    double edf;          /* effective degrees of freedom (the trace of the hat matrix);
                          * NaN for a fit at a given lambda */
} sr_smooth_info;

/* Fits y[n] on the basis ws was prepared for: fitted[i] = f(x_i) at every row, whatever
 * its weight. The weighted mean of fitted equals the weighted mean of y. Returns 0, or -1
 * when ws is not prepared. info may be NULL. */
int sr_smooth_fit(sr_smooth_ws *ws, const double *y, double *fitted, sr_smooth_info *info);

#endif
