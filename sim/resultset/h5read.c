/* The summary table of a result set, read from the file (never from memory), so that what
 * `sirisk run` shows is what the file holds. The reader is lenient about what it finds
 * missing (metrics are listed as found, absent statistics show as NaN) and strict about
 * what it finds: every object goes through the checks of h5check.h, so that a crafted file
 * is refused, naming the object, before it can cost more than it stores. The table is
 * composed in memory and written only when complete: a refused file prints nothing.
 * HDF5 runs on the calling thread. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include "sim/resultset/h5read.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"
#include "sim/resultset/h5util.h"
#include "sim/resultset/h5read_sweep.h"

/* The root attribute trials: how many values every /trials dataset holds. */
typedef struct {
    bool known;   /* false when the file does not say */
    uint64_t n;
} trial_count;

/* A trials dataset is read this many values at a time (512 KiB of float64), so that memory
 * does not grow with the trials. */
#define BLOCK_VALUES 65536

/* ---- formatting ---------------------------------------------------------------------- */

typedef enum { UNIT_DKK, UNIT_PERSONS, UNIT_OTHER } unit_kind;

/* The width of the tables' units column. */
#define UNITS_WIDTH 12

/* Classifies a units attribute and gives its short form for the table. */
static unit_kind unit_of(const char *units, char *short_form, size_t size)
{
    if (units != NULL && strncmp(units, "DKK", 3) == 0) {
        snprintf(short_form, size, "mDKK");
        return UNIT_DKK;
    }
    if (units != NULL && strcmp(units, "persons") == 0) {
        snprintf(short_form, size, "persons");
        return UNIT_PERSONS;
    }
    /* anything else up to its explanation in brackets ("1", "achievements", "per year
     * (annual effective rate)"), at most UNITS_WIDTH */
    size_t n = units != NULL ? strcspn(units, "(") : 0;
    while (n > 0 && units[n - 1] == ' ')
        n--;
    snprintf(short_form, size, "%.*s", (int)(n < UNITS_WIDTH ? n : UNITS_WIDTH),
             units != NULL ? units : "");
    return UNIT_OTHER;
}

/* A table cell: millions with 2 decimals for DKK, 1 decimal for persons, 4 significant
 * digits otherwise; "NaN" for NaN, and no "-0.00" for tiny negatives. */
static void format_value(char *buf, size_t size, double v, unit_kind kind)
{
    if (isnan(v)) {
        snprintf(buf, size, "NaN");
        return;
    }
    switch (kind) {
    case UNIT_DKK:
        snprintf(buf, size, "%.2f", v / 1e6);
        break;
    case UNIT_PERSONS:
        snprintf(buf, size, "%.1f", v);
        break;
    case UNIT_OTHER:
        snprintf(buf, size, "%.4g", v);
        break;
    }
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

#define N_COLUMNS 7   /* mean sd mcse q05 q50 q95 deterministic */

static void print_rule(FILE *out)
{
    fprintf(out, "  %-40s %-*s", "metric", UNITS_WIDTH, "units");
    static const char *const heads[N_COLUMNS] = {"mean", "sd",  "mcse",         "q05",
                                                 "q50",  "q95", "deterministic"};
    for (size_t c = 0; c < N_COLUMNS; c++)
        fprintf(out, " %*s", c + 1 < N_COLUMNS ? 11 : 14, heads[c]);
    fputc('\n', out);
}

/* ---- reading a level ----------------------------------------------------------------- */

/* The units attribute of a metric's dataset, as the table shows it. */
static int read_units(hid_t ds, char *short_form, size_t size, unit_kind *kind, sr_error *err)
{
    char *units;
    int rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &units, err);
    if (rc != 0)
        return rc;
    *kind = unit_of(units, short_form, size);
    sr_h5check_printable(short_form);
    free(units);
    return 0;
}

/* Opens level/summary/<metric>: *ds is H5I_INVALID_HID when the level has no such metric
 * (or something that is not a dataset by its name). */
static int open_metric(hid_t level, const char *metric, hid_t *ds, sr_error *err)
{
    hid_t sg;
    *ds = H5I_INVALID_HID;
    int rc = sr_h5check_group(level, "summary", &sg, err);
    if (rc != 0 || sg < 0)
        return rc;
    rc = sr_h5check_open(sg, metric, ds, err);
    if (rc == 0 && *ds >= 0 && H5Iget_type(*ds) != H5I_DATASET) {
        H5Oclose(*ds);
        *ds = H5I_INVALID_HID;
    }
    H5Gclose(sg);
    return rc;
}

/* A summary statistic of level/summary/<metric>, NaN when absent. Failures are sticky: once
 * *rc is not 0, nothing is read, so that a table reads its cells in plain expressions and
 * checks *rc once before printing. */
static double stat_of(hid_t level, const char *metric, const char *stat, int *rc,
                      sr_error *err)
{
    double v = NAN;
    hid_t ds;
    bool found;
    if (*rc != 0 || (*rc = open_metric(level, metric, &ds, err)) != 0 || ds < 0)
        return NAN;
    *rc = sr_h5check_attr_f64(ds, stat, &v, &found, err);
    H5Oclose(ds);
    return v;
}

/* The units of level/summary/<metric>, as the table shows them. */
static int metric_units(hid_t level, const char *metric, char *short_form, size_t size,
                        unit_kind *kind, sr_error *err)
{
    hid_t ds;
    int rc = open_metric(level, metric, &ds, err);
    if (rc != 0)
        return rc;
    if (ds < 0) {
        *kind = unit_of(NULL, short_form, size);
        return 0;
    }
    rc = read_units(ds, short_form, size, kind, err);
    H5Oclose(ds);
    return rc;
}

/* Every dataset of level/trials holds one value per trial: the root attribute trials of
 * them, stored in the file. Nothing to check against when the root does not say. */
static int check_trials(hid_t level, const trial_count *trials, sr_error *err)
{
    hid_t tg;
    if (!trials->known)
        return 0;
    int rc = sr_h5check_group(level, "trials", &tg, err);
    if (rc != 0 || tg < 0)
        return rc;
    sr_h5_names names;
    rc = sr_h5check_names(tg, SR_H5_MAX_LINKS, &names, err);
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t ds;
        rc = sr_h5check_vector(tg, names.name[i], trials->n, "the root attribute trials", &ds,
                               err);
        if (rc == 0)
            H5Oclose(ds);
    }
    sr_h5_names_clear(&names);
    H5Gclose(tg);
    return rc;
}

/* ---- the table ----------------------------------------------------------------------- */

/* Trials of a metric left out of its statistics: those without a value and the infinite
 * ones (n_nan and n_infinite; 0 where the file has no such attribute). */
typedef struct {
    uint64_t nan, infinite;
} nonfinite;

/* One row of a level's table: the metric name of summary group sg, with its deterministic
 * value from dg (when dg >= 0). A link that is not a dataset is no metric (a group, or
 * something newer) and prints nothing. */
static int print_row(hid_t sg, hid_t dg, const char *name, const trial_count *trials,
                     nonfinite *left_out, FILE *out, sr_error *err)
{
    static const char *const stats[N_COLUMNS - 1] = {"mean", "sd", "mcse", "q05", "q50", "q95"};
    hid_t ds;
    int rc = sr_h5check_open(sg, name, &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    if (H5Iget_type(ds) != H5I_DATASET) {
        H5Oclose(ds);
        return 0;
    }
    char short_units[UNITS_WIDTH + 1];
    unit_kind kind;
    double v[N_COLUMNS];
    bool found;
    rc = read_units(ds, short_units, sizeof short_units, &kind, err);
    for (size_t c = 0; rc == 0 && c < N_COLUMNS - 1; c++)
        rc = sr_h5check_attr_f64(ds, stats[c], &v[c], &found, err);
    v[N_COLUMNS - 1] = NAN;
    if (rc == 0 && dg >= 0)
        rc = sr_h5check_f64(dg, name, &v[N_COLUMNS - 1], &found, err);
    const uint64_t most = trials->known ? trials->n : SR_H5_MAX_TRIALS;
    if (rc == 0)
        rc = sr_h5check_attr_uint(ds, "n_nan", 0, most, &left_out->nan, &found, err);
    if (rc == 0)
        rc = sr_h5check_attr_uint(ds, "n_infinite", 0, most, &left_out->infinite, &found, err);
    if (rc == 0 && left_out->nan > most - left_out->infinite)
        rc = sr_h5check_refuse(ds, NULL, err, "n_nan (%" PRIu64 ") and n_infinite (%" PRIu64
                               ") count more than the %" PRIu64 " trials", left_out->nan,
                               left_out->infinite, most);
    if (rc == 0) {
        char shown[SR_H5_MAX_NAME_BYTES + 1];
        snprintf(shown, sizeof shown, "%s", name);
        sr_h5check_printable(shown);
        fprintf(out, "  %-40s %-*s", shown, UNITS_WIDTH, short_units);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            char cell[64];
            format_value(cell, sizeof cell, v[c], kind);
            fprintf(out, " %*s", c + 1 < N_COLUMNS ? 11 : 14, cell);
        }
        fputc('\n', out);
    }
    H5Oclose(ds);
    return rc;
}

/* A count with thousands separators: 1120 gives "1,120". */
static void format_count(uint64_t n, char *buf, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
    size_t k = 0;
    for (int i = 0; i < len && k + 1 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0 && k + 2 < size)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
}

/* After a level's table, a note per metric and kind of trial left out of its statistics,
 * so that a mean over some of the trials is not read as a mean over all of them. */
static void print_notes(const sr_h5_names *names, const nonfinite *left_out,
                        const trial_count *trials, FILE *out)
{
    char of[48] = "";
    if (trials->known) {
        char total[32];
        format_count(trials->n, total, sizeof total);
        snprintf(of, sizeof of, " of %s", total);
    }
    for (size_t i = 0; i < names->n; i++) {
        const uint64_t counts[2] = {left_out[i].nan, left_out[i].infinite};
        for (size_t kind = 0; kind < 2; kind++) {
            if (counts[kind] == 0)
                continue;
            char shown[SR_H5_MAX_NAME_BYTES + 1], count[32];
            snprintf(shown, sizeof shown, "%s", names->name[i]);
            sr_h5check_printable(shown);
            format_count(counts[kind], count, sizeof count);
            const bool one = counts[kind] == 1;
            fprintf(out, "  note: %s: %s%s trial%s %s and %s left out of its statistics\n",
                    shown, count, of, trials->known || !one ? "s" : "",
                    kind == 0 ? (one ? "has no value (NaN)" : "have no value (NaN)")
                              : (one ? "is infinite" : "are infinite"),
                    one ? "is" : "are");
        }
    }
}

/* One row per dataset under level/summary, in the order written, then the notes on trials
 * left out. A level without a summary group prints its title and nothing else. */
static int print_level(hid_t level, const char *title, const trial_count *trials, FILE *out,
                       sr_error *err)
{
    hid_t sg = H5I_INVALID_HID, dg = H5I_INVALID_HID;
    sr_h5_names names = {0};
    nonfinite *left_out = NULL;
    fprintf(out, "\n%s\n", title);
    int rc = sr_h5check_group(level, "summary", &sg, err);
    if (rc != 0)
        goto done;
    if (sg < 0) {
        fprintf(out, "  (no summary)\n");
        goto done;
    }
    if ((rc = sr_h5check_group(level, "deterministic", &dg, err)) != 0 ||
        (rc = check_trials(level, trials, err)) != 0 ||
        (rc = sr_h5check_names(sg, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    if ((left_out = calloc(names.n + 1, sizeof *left_out)) == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    print_rule(out);
    for (size_t i = 0; rc == 0 && i < names.n; i++)
        rc = print_row(sg, dg, names.name[i], trials, &left_out[i], out, err);
    if (rc == 0)
        print_notes(&names, left_out, trials, out);
done:
    free(left_out);
    sr_h5_names_clear(&names);
    if (dg >= 0)
        H5Gclose(dg);
    if (sg >= 0)
        H5Gclose(sg);
    return rc;
}

/* The per-programme tables, in the order written; a single programme's is the
 * portfolio's, so it is named, not repeated. */
static int print_programmes(hid_t root, const trial_count *trials, FILE *out, sr_error *err)
{
    hid_t pg;
    int rc = sr_h5check_group(root, "programmes", &pg, err);
    if (rc != 0 || pg < 0)
        return rc;
    sr_h5_names names;
    rc = sr_h5check_names(pg, SR_H5_MAX_LINKS, &names, err);
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t g;
        rc = sr_h5check_open(pg, names.name[i], &g, err);
        if (rc != 0 || g < 0)
            break;
        if (H5Iget_type(g) == H5I_GROUP) {
            char title[SR_H5_MAX_NAME_BYTES + 16];
            snprintf(title, sizeof title, "programme %s", names.name[i]);
            sr_h5check_printable(title);
            if (names.n == 1)
                fprintf(out, "\n%s: the portfolio's only programme (the table above)\n", title);
            else
                rc = print_level(g, title, trials, out, err);
        }
        H5Oclose(g);
    }
    sr_h5_names_clear(&names);
    H5Gclose(pg);
    return rc;
}

/* Metrics whose lower tail is the risk that pooling programmes diversifies, and the key
 * metrics of the stress table. */
static const char *const tail_metrics[] = {"savings_total", "investor_npv",
                                           "municipality_net_sib"};
static const char *const stress_metrics[] = {"savings_total", "savings_municipality",
                                             "programme_cost", "employed_end_treated",
                                             "payments", "investor_npv",
                                             "municipality_net_sib"};

/* Diversification: the portfolio's expected shortfall (mean of the worst 5%) against the
 * sum of the programmes' (what it would be if their bad trials always coincided). */
static int print_diversification(hid_t root, FILE *out, sr_error *err)
{
    hid_t pg;
    int rc = sr_h5check_group(root, "programmes", &pg, err);
    if (rc != 0 || pg < 0)
        return rc;
    sr_h5_names names;
    if ((rc = sr_h5check_names(pg, SR_H5_MAX_LINKS, &names, err)) != 0 || names.n < 2)
        goto done;
    fprintf(out, "\ndiversification (es95: mean of the worst 5%% of trials, mDKK)\n");
    fprintf(out, "  %-28s %14s %22s %12s\n", "metric", "portfolio es95",
            "sum of programmes' es95", "difference");
    for (size_t k = 0; rc == 0 && k < sizeof tail_metrics / sizeof *tail_metrics; k++) {
        double whole = stat_of(root, tail_metrics[k], "es95", &rc, err), parts = 0.0;
        if (isnan(whole))
            continue;
        for (size_t i = 0; rc == 0 && i < names.n; i++) {
            hid_t g;
            if ((rc = sr_h5check_open(pg, names.name[i], &g, err)) != 0 || g < 0)
                break;
            parts += H5Iget_type(g) == H5I_GROUP ? stat_of(g, tail_metrics[k], "es95", &rc, err)
                                                 : NAN;
            H5Oclose(g);
        }
        fprintf(out, "  %-28s %14.2f %22.2f %12.2f\n", tail_metrics[k], whole / 1e6,
                parts / 1e6, (whole - parts) / 1e6);
    }
done:
    sr_h5_names_clear(&names);
    H5Gclose(pg);
    return rc;
}

/* How many trials pay while the payer's savings are <= 0: payments > 0 and
 * municipality_net_sib + payments <= 0, read a block at a time. *have is false when the
 * level lacks either trials dataset. */
static int count_unfounded(hid_t level, const trial_count *trials, bool *have,
                           uint64_t *unfounded, sr_error *err)
{
    hid_t tg, net = H5I_INVALID_HID, payments = H5I_INVALID_HID;
    double *a = NULL, *b = NULL;
    *have = false;
    *unfounded = 0;
    int rc = sr_h5check_group(level, "trials", &tg, err);
    if (rc != 0 || tg < 0)
        return rc;
    const char *what = "the root attribute trials";
    if ((rc = sr_h5check_vector(tg, "municipality_net_sib", trials->n, what, &net, err)) != 0 ||
        (rc = sr_h5check_vector(tg, "payments", trials->n, what, &payments, err)) != 0 ||
        net < 0 || payments < 0)
        goto done;
    a = malloc(BLOCK_VALUES * sizeof *a);
    b = malloc(BLOCK_VALUES * sizeof *b);
    if (a == NULL || b == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    const sr_h5_shape shape = {.rank = 1, .dims = {trials->n, 1}};
    for (uint64_t first = 0; rc == 0 && first < trials->n; first += BLOCK_VALUES) {
        hsize_t n = trials->n - first < BLOCK_VALUES ? trials->n - first : BLOCK_VALUES;
        if ((rc = sr_h5check_read_rows(net, &shape, first, n, a, err)) == 0 &&
            (rc = sr_h5check_read_rows(payments, &shape, first, n, b, err)) == 0)
            for (hsize_t i = 0; i < n; i++)
                *unfounded += b[i] > 0.0 && a[i] + b[i] <= 0.0;
    }
    *have = rc == 0;
done:
    free(a);
    free(b);
    if (payments >= 0)
        H5Oclose(payments);
    if (net >= 0)
        H5Oclose(net);
    H5Gclose(tg);
    return rc;
}

/* The decision table (SPEC 2.8-2.9): the paying municipality's net result when it funds
 * the programme itself and when it pays by results, what the transfer of risk costs, how
 * often it pays for savings that did not happen, and the investors' risk. */
static int print_decision(hid_t level, const trial_count *trials, FILE *out, sr_error *err)
{
    int rc = 0;
    if (!trials->known || isnan(stat_of(level, "investor_npv", "mean", &rc, err)))
        return rc;
    bool have;
    uint64_t unfounded;
    if ((rc = count_unfounded(level, trials, &have, &unfounded, err)) != 0 || !have)
        return rc;
    static const struct {
        const char *label, *metric;
    } rows[] = {{"fund it itself: savings - programme cost", "municipality_net_selffund"},
                {"pay by results: savings - payments", "municipality_net_sib"}};
    double net[2][3];
    for (size_t k = 0; k < 2; k++) {
        net[k][0] = stat_of(level, rows[k].metric, "mean", &rc, err);
        net[k][1] = stat_of(level, rows[k].metric, "q05", &rc, err);
        net[k][2] = stat_of(level, rows[k].metric, "es95", &rc, err);
    }
    const double transfer = stat_of(level, "payments", "mean", &rc, err) -
                            stat_of(level, "programme_cost", "mean", &rc, err);
    const double overpayment = stat_of(level, "overpayment", "mean", &rc, err);
    const double p_loss = stat_of(level, "investor_loss", "mean", &rc, err);
    const double irr_q50 = stat_of(level, "investor_irr", "q50", &rc, err);
    const double irr_q05 = stat_of(level, "investor_irr", "q05", &rc, err);
    const double npv_es95 = stat_of(level, "investor_npv", "es95", &rc, err);
    const double npv_mean = stat_of(level, "investor_npv", "mean", &rc, err);
    if (rc != 0)
        return rc;
    fprintf(out, "\ndecision (the paying budget; mDKK, present values at the public rate)\n");
    fprintf(out, "  %-44s %11s %11s %11s\n", "net result", "mean", "q05", "es95");
    for (size_t k = 0; k < 2; k++)
        fprintf(out, "  %-44s %11.2f %11.2f %11.2f\n", rows[k].label, net[k][0] / 1e6,
                net[k][1] / 1e6, net[k][2] / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "price of transferring the risk: E[payments] - E[cost]",
            transfer / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "expected overpayment (deadweight, measurement noise)",
            overpayment / 1e6);
    fprintf(out, "  %-56s %11.3f\n", "P(paying while the payer's savings are <= 0)",
            (double)unfounded / (double)trials->n);
    fprintf(out, "investors\n");
    fprintf(out, "  %-56s %11.3f\n", "P(loss)", p_loss);
    fprintf(out, "  %-56s %11.4f\n", "IRR, median (per year)", irr_q50);
    fprintf(out, "  %-56s %11.4f\n", "IRR, 5% quantile", irr_q05);
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, es95 (mDKK)", npv_es95 / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, mean (mDKK)", npv_mean / 1e6);
    return 0;
}

/* One stress's rows of the stress table: per key metric it has, the mean and the 5%
 * quantile and their change against the base. */
static int print_stress_rows(hid_t g, hid_t base, const char *name, FILE *out, sr_error *err)
{
    int rc = 0;
    char shown[SR_H5_MAX_NAME_BYTES + 1];
    snprintf(shown, sizeof shown, "%s", name);
    sr_h5check_printable(shown);
    for (size_t k = 0; rc == 0 && k < sizeof stress_metrics / sizeof *stress_metrics; k++) {
        const char *metric = stress_metrics[k];
        double mean = stat_of(g, metric, "mean", &rc, err);
        double q05 = stat_of(g, metric, "q05", &rc, err);
        if (rc != 0 || isnan(mean))
            continue;
        char short_units[UNITS_WIDTH + 1];
        unit_kind kind;
        if ((rc = metric_units(g, metric, short_units, sizeof short_units, &kind, err)) != 0)
            break;
        double v[4] = {mean, mean - stat_of(base, metric, "mean", &rc, err), q05,
                       q05 - stat_of(base, metric, "q05", &rc, err)};
        fprintf(out, "  %-24s %-24s %-*s", shown, metric, UNITS_WIDTH, short_units);
        for (size_t c = 0; c < 4; c++) {
            char cell[64];
            format_value(cell, sizeof cell, v[c], kind);
            fprintf(out, " %11s", cell);
        }
        fputc('\n', out);
    }
    return rc;
}

/* The stress table: per stress and key metric, the mean and the 5% quantile, and their
 * change against the base (all on common random numbers). */
static int print_stresses(hid_t root, FILE *out, sr_error *err)
{
    hid_t sg, base = H5I_INVALID_HID;
    sr_h5_names names = {0};
    int rc = sr_h5check_group(root, "stress", &sg, err);
    if (rc != 0 || sg < 0)
        return rc;
    if ((rc = sr_h5check_group(sg, "base", &base, err)) != 0 || base < 0 ||
        (rc = sr_h5check_names(sg, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    fprintf(out, "\nstresses (portfolio; change against base on the same random numbers; "
                 "q05: 5%% quantile)\n");
    fprintf(out, "  %-24s %-24s %-*s %11s %11s %11s %11s\n", "stress", "metric", UNITS_WIDTH,
            "units", "mean", "change", "q05", "change");
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t g;
        if ((rc = sr_h5check_open(sg, names.name[i], &g, err)) != 0 || g < 0)
            break;
        if (H5Iget_type(g) == H5I_GROUP)
            rc = print_stress_rows(g, base, names.name[i], out, err);
        H5Oclose(g);
    }
done:
    sr_h5_names_clear(&names);
    if (base >= 0)
        H5Gclose(base);
    H5Gclose(sg);
    return rc;
}

/* ---- the header ------------------------------------------------------------------------ */

/* The unquoted content of a YAML quoted scalar starting at v (*v is the quote) up to the
 * closing quote or the end of the line, into buf: '' in single quotes is one quote, and a
 * backslash in double quotes keeps the next character as is (enough for a header line). */
static void unquote(const char *v, char *buf, size_t size)
{
    char quote = *v++;
    size_t k = 0;
    while (*v != '\0' && *v != '\n' && *v != '\r') {
        char c = *v++;
        if (c == quote) {
            if (quote != '\'' || *v != '\'')
                break;
            v++;
        } else if (quote == '"' && c == '\\' && *v != '\0' && *v != '\n') {
            c = *v++;
        }
        if (k + 1 < size)
            buf[k++] = c;
    }
    buf[k] = '\0';
}

/* The value of the first top-level `name:` line of a scenario text into buf (empty when
 * there is none). A YAML parse is not needed for a header line. */
static void scenario_name(const char *text, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, "name:", 5) == 0) {
            const char *v = line + 5;
            v += strspn(v, " \t");
            if (*v == '"' || *v == '\'') {
                unquote(v, buf, size);
                return;
            }
            /* a plain scalar ends at the line's end or at a comment (" #") */
            size_t n = strcspn(v, "\r\n");
            for (size_t i = 1; i < n; i++)
                if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
                    n = i;
                    break;
                }
            while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
                n--;
            snprintf(buf, size, "%.*s", (int)n, v);
            return;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
}

/* The header lines: the file, the scenario's name, trials, seed, versions. Reads the root
 * attribute trials into *trials. */
static int print_header(const char *path, hid_t root, trial_count *trials, FILE *out,
                        sr_error *err)
{
    char name[512] = "", *text = NULL, *version = NULL, *rng = NULL, *created = NULL;
    uint64_t seed = 0;
    bool have_seed = false;
    int rc;
    if ((rc = sr_h5check_text(root, "scenario", SR_H5_MAX_TEXT_BYTES, &text, err)) != 0 ||
        (rc = sr_h5check_attr_uint(root, "trials", 1, SR_H5_MAX_TRIALS, &trials->n,
                                   &trials->known, err)) != 0 ||
        (rc = sr_h5check_attr_uint(root, "seed", 0, UINT64_MAX, &seed, &have_seed, err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "sirisk_version", SR_H5_MAX_LABEL_BYTES, &version,
                                   err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "rng", SR_H5_MAX_LABEL_BYTES, &rng, err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "created_utc", SR_H5_MAX_LABEL_BYTES, &created,
                                   err)) != 0)
        goto done;
    if (text != NULL)
        scenario_name(text, name, sizeof name);
    char *shown[] = {name, version, rng, created};
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        if (shown[i] != NULL)
            sr_h5check_printable(shown[i]);

    fprintf(out, "result set  %s\n", path);
    fprintf(out, "scenario    %s\n", name[0] ? name : "(unnamed)");
    if (trials->known)
        fprintf(out, "trials      %" PRIu64 "\n", trials->n);
    if (have_seed)
        fprintf(out, "seed        %" PRIu64 "\n", seed);
    fprintf(out, "sirisk      %s", version != NULL ? version : "(unknown version)");
    if (rng != NULL && rng[0] != '\0')
        fprintf(out, ", rng %s", rng);
    if (created != NULL)
        fprintf(out, ", written %s", created);
    fputc('\n', out);
    fprintf(out, "DKK amounts are present values at the public rate, in millions (mDKK); "
                 "q05/q50/q95 are quantiles over trials.\n");
done:
    free(text);
    free(version);
    free(rng);
    free(created);
    return rc;
}

/* ---- the result set -------------------------------------------------------------------- */

/* The whole table of the result set at root into out. */
static int print_result_set(const char *path, hid_t root, FILE *out, sr_error *err)
{
    trial_count trials = {0};
    hid_t sweep;
    int rc;
    if ((rc = print_header(path, root, &trials, out, err)) != 0 ||
        (rc = sr_h5check_group(root, "sweep", &sweep, err)) != 0)
        return rc;
    if (sweep >= 0) {
        /* a sweep: its table, not point 0's tables (each point's are in the file) */
        if ((rc = check_trials(root, &trials, err)) == 0)
            rc = sr_h5_print_sweep(sweep, out, err);
        H5Gclose(sweep);
        return rc;
    }
    if ((rc = print_level(root, "portfolio", &trials, out, err)) != 0 ||
        (rc = print_programmes(root, &trials, out, err)) != 0 ||
        (rc = print_diversification(root, out, err)) != 0 ||
        (rc = print_decision(root, &trials, out, err)) != 0)
        return rc;
    return print_stresses(root, out, err);
}

int sr_h5_print_summary(const char *path, FILE *out, sr_error *err)
{
    hid_t file = sr_h5check_open_file(path, err), root = H5I_INVALID_HID;
    if (file < 0)
        return err->code;
    char *table = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&table, &size);
    int rc;
    if (mem == NULL)
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the summary table");
    else if ((root = H5Gopen2(file, "/", H5P_DEFAULT)) < 0)
        rc = sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the root group");
    else
        rc = print_result_set(path, root, mem, err);
    if (mem != NULL) {
        bool failed = ferror(mem) != 0;   /* an fprintf that found no memory */
        if ((fclose(mem) != 0 || failed) && rc == 0)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the summary table");
    }
    if (root >= 0)
        H5Gclose(root);
    H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    if (rc == 0 && (fwrite(table, 1, size, out) != size || fflush(out) != 0 || ferror(out)))
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the summary table: %s",
                          strerror(errno));
    free(table);
    if (rc != 0)
        sr_error_prefix(err, "%s", path);
    return rc;
}
