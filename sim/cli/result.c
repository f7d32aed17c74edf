/* A result set read whole (result.h). */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sim/cli/result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"
#include "sim/resultset/h5util.h"

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

void sr_result_scenario_name(const char *text, char *buf, size_t size)
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

/* Whether a + b is c, to the rounding of sums of a few million terms of DKK. */
static bool adds_up(double a, double b, double c)
{
    return isfinite(a + b) && isfinite(c) && fabs(a + b - c) <= 1e-9 * fabs(c) + 1e-6;
}

/* The paying budget: the savings that its net result funding itself, plus the programme's
 * cost, equals; from the deterministic expectation, else from the means. */
static sr_payer payer_of(const sr_fig_level *l)
{
    const sr_fig_metric *net = sr_fig_find(l, sr_metrics[SR_M_MUNICIPALITY_NET_SELFFUND].name),
                        *cost = sr_fig_find(l, sr_metrics[SR_M_PROGRAMME_COST].name),
                        *mun = sr_fig_find(l, sr_metrics[SR_M_SAVINGS_MUNICIPALITY].name),
                        *state = sr_fig_find(l, sr_metrics[SR_M_SAVINGS_STATE].name);
    if (net == NULL || cost == NULL || mun == NULL || state == NULL)
        return SR_PAYER_UNKNOWN;
    for (int pass = 0; pass < 2; pass++) {
        const double n = pass == 0 ? net->deterministic : net->stat[SR_FIG_MEAN];
        const double c = pass == 0 ? cost->deterministic : cost->stat[SR_FIG_MEAN];
        const bool by_mun = adds_up(n, c, pass == 0 ? mun->deterministic : mun->stat[SR_FIG_MEAN]);
        const bool by_state =
            adds_up(n, c, pass == 0 ? state->deterministic : state->stat[SR_FIG_MEAN]);
        if (by_mun != by_state)
            return by_mun ? SR_PAYER_MUNICIPALITY : SR_PAYER_STATE;
    }
    return SR_PAYER_UNKNOWN;
}

/* "GSL 2.7.1, HDF5 1.10.8, libyaml 0.2.5" from the root's attributes; NULL when none. */
static int read_libraries(hid_t root, char **out, sr_error *err)
{
    static const char *const attrs[] = {"gsl_version", "hdf5_version", "libyaml_version"};
    static const char *const names[] = {"GSL", "HDF5", "libyaml"};
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    int rc = 0, n = 0;
    for (size_t i = 0; rc == 0 && i < sizeof attrs / sizeof *attrs; i++) {
        char *v;
        if ((rc = sr_h5check_attr_text(root, attrs[i], SR_H5_MAX_LABEL_BYTES, &v, err)) == 0 &&
            v != NULL)
            fprintf(mem, "%s%s %s", n++ ? ", " : "", names[i], v);
        free(v);
    }
    if (fclose(mem) != 0 && rc == 0)
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    if (rc != 0 || n == 0) {
        free(text);
        text = NULL;
    }
    *out = text;
    return rc;
}

static int read_provenance(hid_t root, sr_result *r, sr_error *err)
{
    uint64_t format;
    bool found;
    char name[1024] = "";
    int rc;
    if ((rc = sr_h5_read_provenance(root, &r->provenance, err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "scenario_sha256", SR_H5_MAX_LABEL_BYTES,
                                   &r->scenario_sha256, err)) != 0 ||
        (rc = sr_h5check_attr_uint(root, "format_version", 1, SR_H5_FORMAT_VERSION, &format,
                                   &found, err)) != 0 ||
        (rc = read_libraries(root, &r->library_versions, err)) != 0)
        return rc;
    r->format_version = (unsigned)format;
    if (r->provenance.scenario != NULL)
        sr_result_scenario_name(r->provenance.scenario, name, sizeof name);
    if ((r->scenario_name = strdup(name)) == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    return 0;
}

/* The portfolio's trials: the paying budget's net results on one range, the investors'
 * IRR and multiple, and how often the guarantee and the surplus cap come into play. */
static int read_trials(hid_t root, sr_result *r, sr_error *err)
{
    const sr_h5_trials *t = &r->provenance.trials;
    const char *const net[] = {sr_metrics[SR_M_MUNICIPALITY_NET_SIB].name,
                               sr_metrics[SR_M_MUNICIPALITY_NET_SELFFUND].name};
    const char *irr = sr_metrics[SR_M_INVESTOR_IRR].name;
    const char *moic = sr_metrics[SR_M_INVESTOR_MOIC].name;
    int rc;
    if ((rc = sr_fig_read_histograms(root, t, net, 2, SR_RESULT_BINS, true, r->net_hist,
                                     &r->have_net_hist, err)) != 0 ||
        !r->decision.present)
        return rc;
    if ((rc = sr_fig_read_histograms(root, t, &irr, 1, SR_RESULT_BINS, false, &r->irr_hist,
                                     &r->have_irr_hist, err)) != 0 ||
        (rc = sr_fig_read_histograms(root, t, &moic, 1, SR_RESULT_BINS, false, &r->moic_hist,
                                     &r->have_moic_hist, err)) != 0 ||
        (rc = sr_fig_count_positive(root, t, sr_metrics[SR_M_GUARANTOR_PAID].name,
                                    &r->guarantee_pays, &r->have_guarantee, err)) != 0)
        return rc;
    return sr_fig_count_positive(root, t, sr_metrics[SR_M_REINVESTED].name, &r->cap_binds,
                                 &r->have_cap, err);
}

static int read_root(hid_t root, sr_result *r, sr_error *err)
{
    hid_t sweep;
    int rc;
    if ((rc = read_provenance(root, r, err)) != 0 ||
        (rc = sr_h5check_group(root, "sweep", &sweep, err)) != 0)
        return rc;
    if (sweep >= 0) {
        rc = sr_fig_read_sweep(sweep, true, &r->sweep, err);
        H5Gclose(sweep);
        if (rc != 0)
            return rc;
    }
    const sr_h5_trials *t = &r->provenance.trials;
    if ((rc = sr_fig_read_level(root, "", t, &r->portfolio, err)) != 0 ||
        (rc = sr_fig_read_programmes(root, t, &r->programmes, err)) != 0 ||
        (rc = sr_fig_read_decision(root, t, &r->decision, err)) != 0 ||
        (rc = sr_fig_read_diversification(root, &r->diversification, err)) != 0 ||
        (rc = sr_fig_read_stresses(root, &r->stresses, err)) != 0)
        return rc;
    r->payer = payer_of(&r->portfolio);
    static const sr_metric net[2] = {SR_M_MUNICIPALITY_NET_SELFFUND, SR_M_MUNICIPALITY_NET_SIB};
    for (int k = 0; k < 2; k++)
        if ((rc = sr_fig_read_yearly(root, sr_metrics[net[k]].name, t, true, &r->yearly[k],
                                     &r->have_yearly[k], err)) != 0)
            return rc;
    if ((rc = sr_fig_read_budget(root, &r->budget, err)) != 0)
        return rc;
    return read_trials(root, r, err);
}

int sr_result_read(const char *path, sr_result *r, sr_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->payer = SR_PAYER_UNKNOWN;
    hid_t file = sr_h5check_open_file(path, err), root = H5I_INVALID_HID;
    if (file < 0)
        return err->code;
    int rc;
    if ((root = H5Gopen2(file, "/", H5P_DEFAULT)) < 0)
        rc = sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the root group");
    else
        rc = read_root(root, r, err);
    if (root >= 0)
        H5Gclose(root);
    H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    if (rc != 0) {
        sr_error_prefix(err, "%s", path);
        sr_result_clear(r);
    }
    return rc;
}

void sr_result_clear(sr_result *r)
{
    sr_h5_provenance_clear(&r->provenance);
    free(r->scenario_name);
    free(r->scenario_sha256);
    free(r->library_versions);
    sr_fig_level_clear(&r->portfolio);
    sr_fig_levels_clear(&r->programmes);
    sr_fig_stresses_clear(&r->stresses);
    sr_fig_sweep_clear(&r->sweep);
    sr_fig_hist_clear(r->net_hist, 2);
    sr_fig_hist_clear(&r->irr_hist, 1);
    sr_fig_hist_clear(&r->moic_hist, 1);
    for (int k = 0; k < 2; k++)
        sr_fig_yearly_clear(&r->yearly[k]);
    sr_fig_budget_clear(&r->budget);
    memset(r, 0, sizeof *r);
}
