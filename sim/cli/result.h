/* A result set read whole for the report and the export: its provenance, the portfolio
 * and every programme with all their statistics and yearly quantiles, the decision,
 * diversification, stresses and the sweep table, all through figures.h (checked reading).
 * HDF5 calls: one thread, outside OpenMP regions. */
#ifndef SR_RESULT_H
#define SR_RESULT_H

#include <stddef.h>

#include "sim/base/error.h"
#include "sim/cli/figures.h"

/* Who pays: the paying budget's savings are the municipality's or the state's, found from
 * the figures themselves (its net result funding itself plus the programme's cost equals
 * one of them in the deterministic expectation, else in the means). */
typedef enum { SR_PAYER_MUNICIPALITY, SR_PAYER_STATE, SR_PAYER_UNKNOWN } sr_payer;

/* The whole of a result set as the report and the export read it. */
typedef struct {
    const char *path;         /* the file, as given */
    sr_h5_provenance provenance;
    char *scenario_name;      /* the scenario's `name:`; "" when none */
    char *scenario_sha256;    /* the root attribute; NULL when absent */
    unsigned format_version;
    char *library_versions;   /* "GSL x, HDF5 y, libyaml z"; NULL when absent */
    sr_fig_level portfolio;
    sr_fig_levels programmes;
    sr_fig_decision decision;
    sr_fig_diversification diversification;
    sr_fig_stresses stresses;
    sr_fig_sweep sweep;
    sr_payer payer;
    /* the portfolio's trials, counted (have_*: the file holds them) */
    bool have_net_hist;
    sr_fig_hist net_hist[2];  /* paying by results, funding itself: one shared range */
    bool have_irr_hist, have_moic_hist;
    sr_fig_hist irr_hist, moic_hist;
    bool have_guarantee;
    uint64_t guarantee_pays;  /* trials in which the guarantor pays */
    bool have_cap;
    uint64_t cap_binds;       /* trials in which the surplus cap passes money on */
    /* budget years (result-set format 2): the paying budget's yearly net result funding
     * the programme itself [0] and paying by results [1], with cumulative quantiles, and
     * the budget table */
    bool have_yearly[2];
    sr_fig_yearly yearly[2];
    sr_fig_budget budget;
} sr_result;

/* Bins of the histograms read. */
#define SR_RESULT_BINS 40

/* Opens path as a sirisk result set (SR_EXIT_NOINPUT when it is not a readable regular
 * file, SR_EXIT_IOERR when it is not a result set or an object fails a check, the message
 * naming the file) and reads all of it that the reports use. A sweep's points are not read
 * (the root holds point 0). */
int sr_result_read(const char *path, sr_result *r, sr_error *err);
void sr_result_clear(sr_result *r);

/* The value of the first top-level `name:` line of a scenario text into buf (empty when
 * there is none), unquoted. A YAML parse is not needed for a title. */
void sr_result_scenario_name(const char *text, char *buf, size_t size);

#endif
