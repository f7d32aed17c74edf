/* The summary table of a result set, read from the file (never from memory), so that what
 * `sirisk run` shows is what the file holds. The reader is lenient about what it prints
 * (metrics are listed as found, absent statistics show as NaN) and strict about what it
 * opens (an HDF5 file with a format_version it knows). HDF5 runs on the calling thread. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "h5read.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "h5util.h"
#include "h5write.h"

#define NAME_MAX_BYTES 256   /* longest link name read; longer names are skipped */

/* Reads a scalar string (fixed or variable length) from an attribute (is_attr) or a
 * dataset; returns it malloc'd, or NULL. */
static char *read_string(hid_t id, bool is_attr)
{
    hid_t ft = is_attr ? H5Aget_type(id) : H5Dget_type(id);
    hid_t mt = H5I_INVALID_HID;
    char *result = NULL;
    if (ft < 0 || H5Tget_class(ft) != H5T_STRING || (mt = H5Tcopy(ft)) < 0)
        goto done;
    if (H5Tis_variable_str(ft) > 0) {
        char *s = NULL;
        herr_t st = is_attr ? H5Aread(id, mt, &s)
                            : H5Dread(id, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s);
        if (st >= 0 && s != NULL)
            result = strdup(s);
        if (s != NULL)
            H5free_memory(s);
    } else {
        size_t n = H5Tget_size(ft);
        char *s = n > 0 ? calloc(n + 1, 1) : NULL;
        if (s != NULL) {
            herr_t st = is_attr ? H5Aread(id, mt, s)
                                : H5Dread(id, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, s);
            if (st >= 0)
                result = s;
            else
                free(s);
        }
    }
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    return result;
}

/* The string attribute name of obj, malloc'd, or NULL when absent or not a string. */
static char *attr_string(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    char *s = read_string(a, true);
    H5Aclose(a);
    return s;
}

/* Reads the numeric scalar attribute name of obj, converted to mem_type, into buf.
 * Returns 0, or -1 when it is absent or unreadable. */
static int attr_number(hid_t obj, const char *name, hid_t mem_type, void *buf)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    herr_t st = H5Aread(a, mem_type, buf);
    H5Aclose(a);
    return st < 0 ? -1 : 0;
}

static double attr_f64(hid_t obj, const char *name)
{
    double v;
    return attr_number(obj, name, H5T_NATIVE_DOUBLE, &v) == 0 ? v : NAN;
}

/* The float64 scalar dataset name in group g, or NaN. */
static double dataset_scalar(hid_t g, const char *name)
{
    double v = NAN;
    if (H5Lexists(g, name, H5P_DEFAULT) <= 0)
        return NAN;
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    if (ds < 0)
        return NAN;
    hid_t space = H5Dget_space(ds);
    if (space >= 0 && H5Sget_simple_extent_npoints(space) == 1 &&
        H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        v = NAN;
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(ds);
    return v;
}

/* The name of link i of group g in the order written (creation order when the group
 * tracks it, else by name), into buf. Returns 0 or -1. */
static int link_name(hid_t g, H5_index_t order, hsize_t i, char *buf)
{
    ssize_t n = H5Lget_name_by_idx(g, ".", order, H5_ITER_INC, i, buf, NAME_MAX_BYTES,
                                   H5P_DEFAULT);
    return n > 0 && n < NAME_MAX_BYTES ? 0 : -1;
}

/* How to list g's links: in creation order if recorded, by name otherwise (files written
 * by other tools). */
static H5_index_t link_order(hid_t g)
{
    unsigned flags = 0;
    hid_t gcpl = H5Gget_create_plist(g);
    if (gcpl >= 0) {
        if (H5Pget_link_creation_order(gcpl, &flags) < 0)
            flags = 0;
        H5Pclose(gcpl);
    }
    return flags & H5P_CRT_ORDER_TRACKED ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
}

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

/* ---- the table ----------------------------------------------------------------------- */

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

/* One row per dataset under level/summary, in the order written. A level without a
 * summary group prints its title and nothing else. */
static void print_level(hid_t level, const char *title, FILE *out)
{
    fprintf(out, "\n%s\n", title);
    if (H5Lexists(level, "summary", H5P_DEFAULT) <= 0) {
        fprintf(out, "  (no summary)\n");
        return;
    }
    hid_t sg = H5Gopen2(level, "summary", H5P_DEFAULT);
    hid_t dg = H5Lexists(level, "deterministic", H5P_DEFAULT) > 0
                   ? H5Gopen2(level, "deterministic", H5P_DEFAULT)
                   : H5I_INVALID_HID;
    H5G_info_t info;
    if (sg < 0 || H5Gget_info(sg, &info) < 0)
        goto done;
    print_rule(out);
    H5_index_t order = link_order(sg);
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[NAME_MAX_BYTES];
        if (link_name(sg, order, i, name) != 0)
            continue;
        hid_t ds = H5Dopen2(sg, name, H5P_DEFAULT);
        if (ds < 0)
            continue;   /* a group or something newer: not a metric row */
        char *units = attr_string(ds, "units");
        char short_units[UNITS_WIDTH + 1];
        unit_kind kind = unit_of(units, short_units, sizeof short_units);
        const double v[N_COLUMNS] = {
            attr_f64(ds, "mean"), attr_f64(ds, "sd"),  attr_f64(ds, "mcse"),
            attr_f64(ds, "q05"),  attr_f64(ds, "q50"), attr_f64(ds, "q95"),
            dg >= 0 ? dataset_scalar(dg, name) : NAN,
        };
        fprintf(out, "  %-40s %-*s", name, UNITS_WIDTH, short_units);
        for (size_t c = 0; c < N_COLUMNS; c++) {
            char cell[64];
            format_value(cell, sizeof cell, v[c], kind);
            fprintf(out, " %*s", c + 1 < N_COLUMNS ? 11 : 14, cell);
        }
        fputc('\n', out);
        free(units);
        H5Dclose(ds);
    }
done:
    if (dg >= 0)
        H5Gclose(dg);
    if (sg >= 0)
        H5Gclose(sg);
    H5Eclear2(H5E_DEFAULT);
}

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

static void print_header(const char *path, hid_t root, FILE *out)
{
    char name[512] = "";
    if (H5Lexists(root, "scenario", H5P_DEFAULT) > 0) {
        hid_t ds = H5Dopen2(root, "scenario", H5P_DEFAULT);
        char *text = ds >= 0 ? read_string(ds, false) : NULL;
        if (text != NULL)
            scenario_name(text, name, sizeof name);
        free(text);
        if (ds >= 0)
            H5Dclose(ds);
    }
    uint64_t trials = 0, seed = 0;
    int have_trials = attr_number(root, "trials", H5T_NATIVE_UINT64, &trials) == 0;
    int have_seed = attr_number(root, "seed", H5T_NATIVE_UINT64, &seed) == 0;
    char *version = attr_string(root, "sirisk_version");
    char *rng = attr_string(root, "rng");
    char *created = attr_string(root, "created_utc");

    fprintf(out, "result set  %s\n", path);
    fprintf(out, "scenario    %s\n", name[0] ? name : "(unnamed)");
    if (have_trials)
        fprintf(out, "trials      %" PRIu64 "\n", trials);
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
    free(version);
    free(rng);
    free(created);
    H5Eclear2(H5E_DEFAULT);
}

/* The per-programme tables, in the order written; a single programme's is the
 * portfolio's, so it is named, not repeated. */
static void print_programmes(hid_t root, FILE *out)
{
    if (H5Lexists(root, "programmes", H5P_DEFAULT) <= 0)
        return;
    hid_t pg = H5Gopen2(root, "programmes", H5P_DEFAULT);
    H5G_info_t info;
    if (pg < 0 || H5Gget_info(pg, &info) < 0)
        goto done;
    H5_index_t order = link_order(pg);
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[NAME_MAX_BYTES];
        if (link_name(pg, order, i, name) != 0)
            continue;
        hid_t g = H5Gopen2(pg, name, H5P_DEFAULT);
        if (g < 0)
            continue;
        char title[NAME_MAX_BYTES + 16];
        snprintf(title, sizeof title, "programme %s", name);
        if (info.nlinks == 1)
            fprintf(out, "\n%s: the portfolio's only programme (the table above)\n", title);
        else
            print_level(g, title, out);
        H5Gclose(g);
    }
done:
    if (pg >= 0)
        H5Gclose(pg);
    H5Eclear2(H5E_DEFAULT);
}

/* A summary attribute of level/summary/<metric>, or NaN when absent. */
static double summary_stat(hid_t level, const char *metric, const char *stat)
{
    char path[NAME_MAX_BYTES + 16];
    snprintf(path, sizeof path, "summary/%s", metric);
    if (H5Lexists(level, "summary", H5P_DEFAULT) <= 0 ||
        H5Lexists(level, path, H5P_DEFAULT) <= 0)
        return NAN;
    hid_t ds = H5Dopen2(level, path, H5P_DEFAULT);
    if (ds < 0)
        return NAN;
    double v = attr_f64(ds, stat);
    H5Dclose(ds);
    return v;
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
static void print_diversification(hid_t root, FILE *out)
{
    if (H5Lexists(root, "programmes", H5P_DEFAULT) <= 0)
        return;
    hid_t pg = H5Gopen2(root, "programmes", H5P_DEFAULT);
    H5G_info_t info;
    if (pg < 0 || H5Gget_info(pg, &info) < 0 || info.nlinks < 2)
        goto done;
    fprintf(out, "\ndiversification (es95: mean of the worst 5%% of trials, mDKK)\n");
    fprintf(out, "  %-28s %14s %22s %12s\n", "metric", "portfolio es95",
            "sum of programmes' es95", "difference");
    H5_index_t order = link_order(pg);
    for (size_t k = 0; k < sizeof tail_metrics / sizeof *tail_metrics; k++) {
        double whole = summary_stat(root, tail_metrics[k], "es95"), parts = 0.0;
        if (isnan(whole))
            continue;
        for (hsize_t i = 0; i < info.nlinks; i++) {
            char name[NAME_MAX_BYTES];
            hid_t g = link_name(pg, order, i, name) == 0 ? H5Gopen2(pg, name, H5P_DEFAULT)
                                                          : H5I_INVALID_HID;
            parts += g >= 0 ? summary_stat(g, tail_metrics[k], "es95") : NAN;
            if (g >= 0)
                H5Gclose(g);
        }
        fprintf(out, "  %-28s %14.2f %22.2f %12.2f\n", tail_metrics[k], whole / 1e6,
                parts / 1e6, (whole - parts) / 1e6);
    }
done:
    if (pg >= 0)
        H5Gclose(pg);
    H5Eclear2(H5E_DEFAULT);
}

/* trials/<metric> of a level as n doubles (malloc'd), or NULL. */
static double *read_trials(hid_t level, const char *metric, size_t n)
{
    char path[NAME_MAX_BYTES + 16];
    snprintf(path, sizeof path, "trials/%s", metric);
    if (H5Lexists(level, "trials", H5P_DEFAULT) <= 0 || H5Lexists(level, path, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t ds = H5Dopen2(level, path, H5P_DEFAULT);
    hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
    double *x = NULL;
    if (space >= 0 && H5Sget_simple_extent_npoints(space) == (hssize_t)n &&
        (x = malloc(n * sizeof *x)) != NULL &&
        H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0) {
        free(x);
        x = NULL;
    }
    if (space >= 0)
        H5Sclose(space);
    if (ds >= 0)
        H5Dclose(ds);
    return x;
}

/* The decision table (SPEC 2.8-2.9): the paying municipality's net result when it funds
 * the programme itself and when it pays by results, what the transfer of risk costs, how
 * often it pays for savings that did not happen, and the investors' risk. */
static void print_decision(hid_t level, FILE *out)
{
    uint64_t trials = 0;
    if (attr_number(level, "trials", H5T_NATIVE_UINT64, &trials) != 0 || trials == 0 ||
        isnan(summary_stat(level, "investor_npv", "mean")))
        return;
    const size_t n = (size_t)trials;
    double *net = read_trials(level, "municipality_net_sib", n);
    double *payments = read_trials(level, "payments", n);
    if (net == NULL || payments == NULL)
        goto done;
    size_t unfounded = 0;
    for (size_t i = 0; i < n; i++)
        unfounded += payments[i] > 0.0 && net[i] + payments[i] <= 0.0;
    fprintf(out, "\ndecision (the paying budget; mDKK, present values at the public rate)\n");
    fprintf(out, "  %-44s %11s %11s %11s\n", "net result", "mean", "q05", "es95");
    static const struct {
        const char *label, *metric;
    } rows[] = {{"fund it itself: savings - programme cost", "municipality_net_selffund"},
                {"pay by results: savings - payments", "municipality_net_sib"}};
    for (size_t k = 0; k < 2; k++)
        fprintf(out, "  %-44s %11.2f %11.2f %11.2f\n", rows[k].label,
                summary_stat(level, rows[k].metric, "mean") / 1e6,
                summary_stat(level, rows[k].metric, "q05") / 1e6,
                summary_stat(level, rows[k].metric, "es95") / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "price of transferring the risk: E[payments] - E[cost]",
            (summary_stat(level, "payments", "mean") -
             summary_stat(level, "programme_cost", "mean")) / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "expected overpayment (deadweight, measurement noise)",
            summary_stat(level, "overpayment", "mean") / 1e6);
    fprintf(out, "  %-56s %11.3f\n", "P(paying while the payer's savings are <= 0)",
            (double)unfounded / (double)n);
    fprintf(out, "investors\n");
    fprintf(out, "  %-56s %11.3f\n", "P(loss)", summary_stat(level, "investor_loss", "mean"));
    fprintf(out, "  %-56s %11.4f\n", "IRR, median (per year)",
            summary_stat(level, "investor_irr", "q50"));
    fprintf(out, "  %-56s %11.4f\n", "IRR, 5% quantile", summary_stat(level, "investor_irr", "q05"));
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, es95 (mDKK)",
            summary_stat(level, "investor_npv", "es95") / 1e6);
    fprintf(out, "  %-56s %11.2f\n", "NPV at the investor rate, mean (mDKK)",
            summary_stat(level, "investor_npv", "mean") / 1e6);
done:
    free(net);
    free(payments);
    H5Eclear2(H5E_DEFAULT);
}

/* The stress table: per stress and key metric, the mean and the 5% quantile, and their
 * change against the base (all on common random numbers). */
static void print_stresses(hid_t root, FILE *out)
{
    if (H5Lexists(root, "stress", H5P_DEFAULT) <= 0)
        return;
    hid_t sg = H5Gopen2(root, "stress", H5P_DEFAULT);
    hid_t base = sg >= 0 && H5Lexists(sg, "base", H5P_DEFAULT) > 0
                     ? H5Gopen2(sg, "base", H5P_DEFAULT)
                     : H5I_INVALID_HID;
    H5G_info_t info;
    if (sg < 0 || base < 0 || H5Gget_info(sg, &info) < 0)
        goto done;
    fprintf(out, "\nstresses (portfolio; change against base on the same random numbers; "
                 "q05: 5%% quantile)\n");
    fprintf(out, "  %-24s %-24s %-*s %11s %11s %11s %11s\n", "stress", "metric", UNITS_WIDTH,
            "units", "mean", "change", "q05", "change");
    H5_index_t order = link_order(sg);
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[NAME_MAX_BYTES];
        if (link_name(sg, order, i, name) != 0)
            continue;
        hid_t g = H5Gopen2(sg, name, H5P_DEFAULT);
        if (g < 0)
            continue;
        for (size_t k = 0; k < sizeof stress_metrics / sizeof *stress_metrics; k++) {
            const char *metric = stress_metrics[k];
            double mean = summary_stat(g, metric, "mean"), q05 = summary_stat(g, metric, "q05");
            if (isnan(mean))
                continue;
            char units_path[NAME_MAX_BYTES + 16], short_units[UNITS_WIDTH + 1];
            snprintf(units_path, sizeof units_path, "summary/%s", metric);
            hid_t ds = H5Dopen2(g, units_path, H5P_DEFAULT);
            char *units = ds >= 0 ? attr_string(ds, "units") : NULL;
            unit_kind kind = unit_of(units, short_units, sizeof short_units);
            free(units);
            if (ds >= 0)
                H5Dclose(ds);
            double v[4] = {mean, mean - summary_stat(base, metric, "mean"), q05,
                           q05 - summary_stat(base, metric, "q05")};
            fprintf(out, "  %-24s %-24s %-*s", name, metric, UNITS_WIDTH, short_units);
            for (size_t c = 0; c < 4; c++) {
                char cell[64];
                format_value(cell, sizeof cell, v[c], kind);
                fprintf(out, " %11s", cell);
            }
            fputc('\n', out);
        }
        H5Gclose(g);
    }
done:
    if (base >= 0)
        H5Gclose(base);
    if (sg >= 0)
        H5Gclose(sg);
    H5Eclear2(H5E_DEFAULT);
}

/* ---- sweep files ---------------------------------------------------------------------- */

/* The strings of a variable-length string dataset with n values (malloc'd array of
 * malloc'd strings), or NULL. */
static char **read_strings(hid_t g, const char *name, size_t n)
{
    if (H5Lexists(g, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
    hid_t t = sr_h5_str_type();
    char **raw = NULL, **copy = NULL;
    if (ds < 0 || space < 0 || t < 0 || H5Sget_simple_extent_npoints(space) != (hssize_t)n)
        goto done;
    hid_t ft = H5Dget_type(ds);
    int vlen = ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0;
    if (ft >= 0)
        H5Tclose(ft);
    if (!vlen || (raw = calloc(n, sizeof *raw)) == NULL)
        goto done;
    if (H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
        free(raw);
        raw = NULL;
        goto done;
    }
    copy = calloc(n, sizeof *copy);
    for (size_t i = 0; copy != NULL && i < n; i++)
        copy[i] = strdup(raw[i] != NULL ? raw[i] : "");
    for (size_t i = 0; i < n; i++)
        if (raw[i] != NULL)
            H5free_memory(raw[i]);
    free(raw);
done:
    if (t >= 0)
        H5Tclose(t);
    if (space >= 0)
        H5Sclose(space);
    if (ds >= 0)
        H5Dclose(ds);
    return copy;
}

/* Shape of a dataset: rows (first dimension) and columns (second, 1 for rank 1); -1 when
 * it is absent or of another rank. */
static int dataset_shape(hid_t g, const char *name, size_t *rows, size_t *cols)
{
    if (H5Lexists(g, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
    hsize_t dims[2] = {0, 1};
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    int rc = -1;
    if (rank == 1 || rank == 2) {
        H5Sget_simple_extent_dims(space, dims, NULL);
        *rows = (size_t)dims[0];
        *cols = rank == 2 ? (size_t)dims[1] : 1;
        rc = 0;
    }
    if (space >= 0)
        H5Sclose(space);
    if (ds >= 0)
        H5Dclose(ds);
    return rc;
}

/* The swept key(s): the `param` attribute of /sweep/values, a string or an array of them,
 * joined by ", " into buf. */
static void sweep_keys(hid_t values, char *buf, size_t size)
{
    buf[0] = '\0';
    hid_t a = H5Aexists(values, "param") > 0 ? H5Aopen(values, "param", H5P_DEFAULT)
                                              : H5I_INVALID_HID;
    hid_t space = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hid_t t = sr_h5_str_type();
    hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : 0;
    char *keys[8] = {0};
    if (a >= 0 && t >= 0 && n > 0 && n <= 8 && H5Aread(a, t, keys) >= 0) {
        for (hssize_t i = 0; i < n; i++) {
            size_t len = strlen(buf);
            snprintf(buf + len, size - len, "%s%s", i ? ", " : "", keys[i] ? keys[i] : "");
        }
        for (hssize_t i = 0; i < n; i++)
            if (keys[i] != NULL)
                H5free_memory(keys[i]);
    }
    if (t >= 0)
        H5Tclose(t);
    if (space >= 0)
        H5Sclose(space);
    if (a >= 0)
        H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
}

/* A cell of the sweep table, formatted by the column's units. */
static void format_sweep_cell(char *buf, size_t size, double v, const char *units)
{
    if (isnan(v))
        snprintf(buf, size, "NaN");
    else if (units != NULL && strncmp(units, "DKK per", 7) == 0)
        snprintf(buf, size, "%.0f", v);
    else if (units != NULL && strncmp(units, "DKK", 3) == 0)
        snprintf(buf, size, "%.2f", v / 1e6);
    else if (units != NULL && strcmp(units, "persons") == 0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.4g", v);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

#define SWEEP_MAX_COLUMNS 32
#define SWEEP_CELL 10

/* The sweep table: one row per point with its value(s), then every column of
 * /sweep/table in the order written but the Monte Carlo standard errors (kept in the
 * file), headed by each column's `heading`. */
static void print_sweep(hid_t root, FILE *out)
{
    hid_t sg = H5Gopen2(root, "sweep", H5P_DEFAULT);
    hid_t values = sg >= 0 && H5Lexists(sg, "values", H5P_DEFAULT) > 0
                       ? H5Dopen2(sg, "values", H5P_DEFAULT)
                       : H5I_INVALID_HID;
    hid_t tg = sg >= 0 && H5Lexists(sg, "table", H5P_DEFAULT) > 0
                   ? H5Gopen2(sg, "table", H5P_DEFAULT)
                   : H5I_INVALID_HID;
    size_t k = 0, n_keys = 0, n_cols = 0;
    char **text = NULL;
    double *col[SWEEP_MAX_COLUMNS] = {0};
    char *units[SWEEP_MAX_COLUMNS] = {0}, *heading[SWEEP_MAX_COLUMNS] = {0};
    H5G_info_t info;
    if (values < 0 || tg < 0 || dataset_shape(sg, "values", &k, &n_keys) != 0 || k == 0 ||
        H5Gget_info(tg, &info) < 0) {
        fprintf(out, "\nsweep\n  (no sweep table)\n");
        goto done;
    }
    text = read_strings(sg, "value_text", k * n_keys);
    char keys[1024];
    sweep_keys(values, keys, sizeof keys);
    char *design = attr_string(values, "design");
    fprintf(out, "\nsweep over %s (%s, %zu points, all on the same random numbers; "
                 "per participant in DKK, net in mDKK)\n",
            keys, design != NULL ? design : "points", k);
    free(design);

    H5_index_t order = link_order(tg);
    for (hsize_t i = 0; i < info.nlinks && n_cols < SWEEP_MAX_COLUMNS; i++) {
        char name[NAME_MAX_BYTES];
        if (link_name(tg, order, i, name) != 0)
            continue;
        size_t len = strlen(name);
        if (len >= 5 && strcmp(name + len - 5, "_mcse") == 0)
            continue;
        hid_t ds = H5Dopen2(tg, name, H5P_DEFAULT);
        hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
        double *v = NULL;
        if (space >= 0 && H5Sget_simple_extent_npoints(space) == (hssize_t)k &&
            (v = malloc(k * sizeof *v)) != NULL &&
            H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            free(v);
            v = NULL;
        }
        if (v != NULL) {
            col[n_cols] = v;
            units[n_cols] = attr_string(ds, "units");
            heading[n_cols] = attr_string(ds, "heading");
            if (heading[n_cols] == NULL)
                heading[n_cols] = strdup(name);
            n_cols++;
        }
        if (space >= 0)
            H5Sclose(space);
        if (ds >= 0)
            H5Dclose(ds);
    }

    /* the value column is as wide as its widest entry */
    size_t width = strlen("value");
    char cell[256];
    for (size_t i = 0; text != NULL && i < k; i++) {
        size_t w = 0;
        for (size_t j = 0; j < n_keys; j++)
            w += strlen(text[i * n_keys + j]) + (j ? 2 : 0);
        width = w > width ? w : width;
    }
    width = width > 40 ? 40 : width;
    fprintf(out, "  %5s  %-*s", "point", (int)width, n_keys > 1 ? "values" : "value");
    for (size_t c = 0; c < n_cols; c++)
        fprintf(out, " %*.*s", SWEEP_CELL, SWEEP_CELL, heading[c]);
    fputc('\n', out);
    for (size_t i = 0; i < k; i++) {
        cell[0] = '\0';
        for (size_t j = 0; j < n_keys; j++) {
            size_t len = strlen(cell);
            snprintf(cell + len, sizeof cell - len, "%s%s", j ? ", " : "",
                     text != NULL ? text[i * n_keys + j] : "?");
        }
        fprintf(out, "  %5zu  %-*.*s", i, (int)width, (int)width, cell);
        for (size_t c = 0; c < n_cols; c++) {
            format_sweep_cell(cell, sizeof cell, col[c][i], units[c]);
            fprintf(out, " %*s", SWEEP_CELL, cell);
        }
        fputc('\n', out);
    }
    fprintf(out, "The root of the file holds point 0; every point's full result set is under "
                 "/sweep/points/<point>/ (sirisk summary prints this table only).\n");
done:
    for (size_t c = 0; c < n_cols; c++) {
        free(col[c]);
        free(units[c]);
        free(heading[c]);
    }
    for (size_t i = 0; text != NULL && i < k * n_keys; i++)
        free(text[i]);
    free(text);
    if (tg >= 0)
        H5Gclose(tg);
    if (values >= 0)
        H5Dclose(values);
    if (sg >= 0)
        H5Gclose(sg);
    H5Eclear2(H5E_DEFAULT);
}

int sr_h5_print_summary(const char *path, FILE *out, sr_error *err)
{
    sr_h5_quiet();
    struct stat st;
    if (stat(path, &st) != 0)
        return sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot open: %s", path,
                            strerror(errno));
    if (S_ISDIR(st.st_mode))
        return sr_error_set(err, SR_EXIT_NOINPUT, "%s: is a directory, not a result set",
                            path);
    FILE *probe = fopen(path, "rb");
    if (probe == NULL)
        return sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot open: %s", path,
                            strerror(errno));
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return sr_error_set(err, SR_EXIT_IOERR,
                            "%s: not a sirisk result set (not an HDF5 file)", path);
    }

    int rc = SR_EXIT_IOERR;
    hid_t root = H5I_INVALID_HID;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the HDF5 file");
        goto done;
    }
    root = H5Gopen2(file, "/", H5P_DEFAULT);
    if (root < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the root group");
        goto done;
    }
    int32_t format = 0;
    if (attr_number(root, "format_version", H5T_NATIVE_INT32, &format) != 0) {
        sr_error_set(err, SR_EXIT_IOERR,
                     "not a sirisk result set (an HDF5 file without a format_version "
                     "attribute)");
        goto done;
    }
    if (format < 1 || format > SR_H5_FORMAT_VERSION) {
        sr_error_set(err, SR_EXIT_IOERR,
                     "result-set format_version %" PRId32 " is not one this sirisk reads "
                     "(1 to %d): written by a newer sirisk?",
                     format, SR_H5_FORMAT_VERSION);
        goto done;
    }
    print_header(path, root, out);
    if (H5Lexists(root, "sweep", H5P_DEFAULT) > 0) {
        /* a sweep: its table, not point 0's tables (each point's are in the file) */
        print_sweep(root, out);
    } else {
        print_level(root, "portfolio", out);
        print_programmes(root, out);
        print_diversification(root, out);
        print_decision(root, out);
        print_stresses(root, out);
    }
    if (fflush(out) != 0 || ferror(out)) {
        sr_error_set(err, SR_EXIT_IOERR, "cannot write the summary table: %s",
                     strerror(errno));
        goto done;
    }
    rc = 0;
done:
    if (root >= 0)
        H5Gclose(root);
    if (file >= 0)
        H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    if (rc != 0)
        sr_error_prefix(err, "%s", path);
    return rc;
}
