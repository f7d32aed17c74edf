/* The summary table that `sirisk run` prints after writing a file and that `sirisk summary
 * FILE` prints: a header, one row per metric of each level, and the reports that read
 * across them (diversification, the decision table, the stress table; a sweep file's
 * table in summary_sweep.c). Every figure is read from the file through sim/resultset/
 * h5read.h, so the table shows what the file holds; which metrics a report picks, and in
 * which order, is the metric table's (models/metric.h). The table is composed in memory
 * and written only when complete: a refused file prints nothing. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include "sim/cli/summary_print.h"

#include <errno.h>
#include <hdf5.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/metric.h"
#include "sim/cli/figures.h"
#include "sim/cli/result.h"
#include "sim/cli/summary_sweep.h"
#include "sim/resultset/h5check.h"
#include "sim/resultset/h5read.h"
#include "sim/resultset/h5util.h"

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

/* A units attribute (NULL: absent) as the table shows it, made printable. */
static unit_kind short_units(const char *units, char *short_form, size_t size)
{
    unit_kind kind = unit_of(units, short_form, size);
    sr_h5check_printable(short_form);
    return kind;
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
static int print_row(hid_t sg, hid_t dg, const char *name, const sr_h5_trials *trials,
                     nonfinite *left_out, FILE *out, sr_error *err)
{
    static const char *const stats[N_COLUMNS - 1] = {"mean", "sd", "mcse", "q05", "q50", "q95"};
    double v[N_COLUMNS];
    sr_h5_metric m;
    bool found;
    int rc = sr_h5_read_metric(sg, dg, name, stats, N_COLUMNS - 1, trials, v, &m, &found, err);
    if (rc == 0 && found) {
        char units[UNITS_WIDTH + 1], shown[SR_H5_MAX_NAME_BYTES + 1];
        unit_kind kind = short_units(m.units, units, sizeof units);
        v[N_COLUMNS - 1] = m.deterministic;
        *left_out = (nonfinite){m.n_nan, m.n_infinite};
        snprintf(shown, sizeof shown, "%s", name);
        sr_h5check_printable(shown);
        fprintf(out, "  %-40s %-*s", shown, UNITS_WIDTH, units);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            char cell[64];
            format_value(cell, sizeof cell, v[c], kind);
            fprintf(out, " %*s", c + 1 < N_COLUMNS ? 11 : 14, cell);
        }
        fputc('\n', out);
    }
    sr_h5_metric_clear(&m);
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
                        const sr_h5_trials *trials, FILE *out)
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
static int print_level(hid_t level, const char *title, const sr_h5_trials *trials, FILE *out,
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
        (rc = sr_h5_check_trials(level, trials, err)) != 0 ||
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
static int print_programmes(hid_t root, const sr_h5_trials *trials, FILE *out, sr_error *err)
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

/* Diversification of the tail metrics: the portfolio's expected shortfall (mean of the
 * worst 5%) against the sum of the programmes' (what it would be if their bad trials
 * always coincided). */
static int print_diversification(hid_t root, FILE *out, sr_error *err)
{
    sr_fig_diversification d;
    int rc = sr_fig_read_diversification(root, &d, err);
    if (rc != 0 || d.n == 0)
        return rc;
    fprintf(out, "\ndiversification (es95: mean of the worst 5%% of trials, mDKK)\n");
    fprintf(out, "  %-28s %14s %22s %12s\n", "metric", "portfolio es95",
            "sum of programmes' es95", "difference");
    for (size_t k = 0; k < d.n; k++)
        fprintf(out, "  %-28s %14.2f %22.2f %12.2f\n", sr_metrics[d.metric[k]].name,
                d.portfolio[k] / 1e6, d.sum[k] / 1e6, (d.portfolio[k] - d.sum[k]) / 1e6);
    return 0;
}

/* The decision table (docs/model.md, contracts and financing): the paying budget's net
 * result when it funds the programme itself and when it pays by results (the metrics
 * measured against the paying budget), what the transfer of risk costs, how often it pays
 * for savings that did not happen, and the investors' risk. */
static int print_decision(hid_t level, const sr_h5_trials *trials, FILE *out, sr_error *err)
{
    sr_fig_decision d;
    int rc = sr_fig_read_decision(level, trials, &d, err);
    if (rc != 0 || !d.present)
        return rc;
    fprintf(out, "\ndecision (the paying budget; mDKK, present values at the public rate)\n");
    fprintf(out, "  %-44s %11s %11s %11s\n", "net result", "mean", "q05", "es95");
    for (size_t k = 0; k < d.n_net; k++)
        fprintf(out, "  %-44s %11.2f %11.2f %11.2f\n", sr_metrics[d.net_metric[k]].caption,
                d.net[k][0] / 1e6, d.net[k][1] / 1e6, d.net[k][2] / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "price of transferring the risk: E[payments] - E[cost]",
            d.transfer / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "expected overpayment (deadweight, measurement noise)",
            d.overpayment / 1e6);
    fprintf(out, "  %-56s %11.3f\n", "P(paying while the payer's savings are <= 0)",
            (double)d.unfounded / (double)d.trials);
    fprintf(out, "investors\n");
    fprintf(out, "  %-56s %11.3f\n", "P(loss)", d.p_loss);
    fprintf(out, "  %-56s %11.4f\n", "IRR, median (per year)", d.irr_q50);
    fprintf(out, "  %-56s %11.4f\n", "IRR, 5% quantile", d.irr_q05);
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, es95 (mDKK)", d.npv_es95 / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, mean (mDKK)", d.npv_mean / 1e6);
    return 0;
}

/* The stress table: per stress and key metric, the mean and the 5% quantile, and their
 * change against the base (all on common random numbers). */
static int print_stresses(hid_t root, FILE *out, sr_error *err)
{
    sr_fig_stresses s;
    int rc = sr_fig_read_stresses(root, &s, err);
    if (rc != 0 || !s.present)
        return rc;
    fprintf(out, "\nstresses (portfolio; change against base on the same random numbers; "
                 "q05: 5%% quantile)\n");
    fprintf(out, "  %-24s %-24s %-*s %11s %11s %11s %11s\n", "stress", "metric", UNITS_WIDTH,
            "units", "mean", "change", "q05", "change");
    for (size_t i = 0; i < s.n_rows; i++) {
        const sr_fig_stress_row *r = &s.row[i];
        char shown[SR_H5_MAX_NAME_BYTES + 1], shown_units[UNITS_WIDTH + 1];
        snprintf(shown, sizeof shown, "%s", s.names.name[r->stress]);
        sr_h5check_printable(shown);
        unit_kind kind = short_units(r->units, shown_units, sizeof shown_units);
        double v[4] = {r->mean, r->mean - r->base_mean, r->q05, r->q05 - r->base_q05};
        fprintf(out, "  %-24s %-24s %-*s", shown, sr_metrics[r->metric].name, UNITS_WIDTH,
                shown_units);
        for (size_t c = 0; c < 4; c++) {
            char cell[64];
            format_value(cell, sizeof cell, v[c], kind);
            fprintf(out, " %11s", cell);
        }
        fputc('\n', out);
    }
    sr_fig_stresses_clear(&s);
    return 0;
}

/* ---- the header ------------------------------------------------------------------------ */

/* The header lines: the file, the scenario's name, trials, seed, versions. Reads the root
 * attribute trials into *trials. */
static int print_header(const char *path, hid_t root, sr_h5_trials *trials, FILE *out,
                        sr_error *err)
{
    char name[512] = "";
    sr_h5_provenance p;
    int rc = sr_h5_read_provenance(root, &p, err);
    if (rc != 0)
        goto done;
    *trials = p.trials;
    if (p.scenario != NULL)
        sr_result_scenario_name(p.scenario, name, sizeof name);
    char *shown[] = {name, p.sirisk_version, p.rng, p.created_utc};
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        if (shown[i] != NULL)
            sr_h5check_printable(shown[i]);

    fprintf(out, "result set  %s\n", path);
    fprintf(out, "scenario    %s\n", name[0] ? name : "(unnamed)");
    if (trials->known)
        fprintf(out, "trials      %" PRIu64 "\n", trials->n);
    if (p.has_seed)
        fprintf(out, "seed        %" PRIu64 "\n", p.seed);
    fprintf(out, "sirisk      %s", p.sirisk_version != NULL ? p.sirisk_version
                                                         : "(unknown version)");
    if (p.rng != NULL && p.rng[0] != '\0')
        fprintf(out, ", rng %s", p.rng);
    if (p.created_utc != NULL)
        fprintf(out, ", written %s", p.created_utc);
    fputc('\n', out);
    fprintf(out, "DKK amounts are present values at the public rate, in millions (mDKK); "
                 "q05/q50/q95 are quantiles over trials.\n");
done:
    sr_h5_provenance_clear(&p);
    return rc;
}

/* ---- the result set -------------------------------------------------------------------- */

/* The whole table of the result set at root into out. */
static int print_result_set(const char *path, hid_t root, FILE *out, sr_error *err)
{
    sr_h5_trials trials = {0};
    hid_t sweep;
    int rc;
    if ((rc = print_header(path, root, &trials, out, err)) != 0 ||
        (rc = sr_h5check_group(root, "sweep", &sweep, err)) != 0)
        return rc;
    if (sweep >= 0) {
        /* a sweep: its table, not point 0's tables (each point's are in the file) */
        if ((rc = sr_h5_check_trials(root, &trials, err)) == 0)
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
