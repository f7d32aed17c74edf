/* The map of one or two terms (price.h): at each grid point every trial is settled again
 * with the terms at the point's values, and the investors' and the paying budget's figures
 * are summarised over the trials, for the portfolio (the programme, in a scenario of one).
 * A point is win-win when the investors' median IRR reaches the required return, and the
 * paying budget's net result paying by results is at least 0 in expectation and below 0
 * with at most the accepted probability. */
#include <math.h>
#include <stdlib.h>

#include "models/summary.h"
#include "sim/variants/price_search.h"

/* The figures collected per trial. */
enum { PICK_LOSS, PICK_IRR, PICK_PAYMENTS, PICK_NET, PICK_OVERPAYMENT, N_PICKS };

static const sr_resettle_pick picks[N_PICKS] = {
    [PICK_LOSS] = {0, SR_M_INVESTOR_LOSS},
    [PICK_IRR] = {0, SR_M_INVESTOR_IRR},
    [PICK_PAYMENTS] = {0, SR_M_PAYMENTS},
    [PICK_NET] = {0, SR_M_PAYER_NET_SIB},
    [PICK_OVERPAYMENT] = {0, SR_M_OVERPAYMENT},
};

int sr_price_map_run(sr_price_search *s, sr_price_map *map, sr_error *err)
{
    const size_t n = s->n_trials;
    double *columns[N_PICKS] = {NULL};
    int rc = 0;
    for (size_t j = 0; j < N_PICKS && rc == 0; j++)
        if ((columns[j] = malloc(n * sizeof(double))) == NULL)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    for (size_t k = 0; k < SR_MAP_COLUMNS && rc == 0; k++)
        if ((map->column[k] = calloc(map->n_points, sizeof(double))) == NULL)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    for (size_t i = 0; i < map->n_points && rc == 0; i++) {
        sr_term terms[SR_PRICE_MAX_MAPS];
        for (size_t k = 0; k < map->n_terms; k++) {
            terms[k] = map->terms[k].term;
            terms[k].value = map->point[i * map->n_terms + k];
        }
        sr_resettle_columns(s->resettle, (sr_changes){terms, map->n_terms}, 0, n, picks,
                            N_PICKS, columns);
        sr_summary loss, irr, payments, net, over;
        sr_summary_compute(columns[PICK_LOSS], n, s->scratch, &loss);
        sr_summary_compute(columns[PICK_IRR], n, s->scratch, &irr);
        sr_summary_compute(columns[PICK_PAYMENTS], n, s->scratch, &payments);
        sr_summary_compute(columns[PICK_NET], n, s->scratch, &net);
        sr_summary_compute(columns[PICK_OVERPAYMENT], n, s->scratch, &over);
        double *const *c = map->column;
        c[SR_MAP_P_LOSS][i] = loss.mean;
        c[SR_MAP_IRR_Q50][i] = irr.q[SR_Q50];
        c[SR_MAP_IRR_NAN][i] = irr.n_nan + irr.n_infinite;
        c[SR_MAP_PAYMENTS_MEAN][i] = payments.mean;
        c[SR_MAP_NET_MEAN][i] = net.mean;
        c[SR_MAP_NET_P_NEGATIVE][i] = net.p_negative;
        c[SR_MAP_OVERPAYMENT_MEAN][i] = over.mean;
        c[SR_MAP_WIN_WIN][i] = irr.q[SR_Q50] >= map->investor_irr && net.mean >= 0.0 &&
                               net.p_negative <= map->municipality_risk;
        rc = sr_price_search_step(s, true, err);
    }
    for (size_t j = 0; j < N_PICKS; j++)
        free(columns[j]);
    return rc;
}
