/* What `sirisk price` prints after the summary of its file: the solve's answer with its
 * interval and how to run it plainly, or the map's table and, for two terms, its grid of
 * win-win marks. Every number says its units; trials left out are counted. */
#include "sim/cli/price_print.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "models/summary.h"
#include "sim/base/text.h"

/* The target's statistic as given, without "=VALUE". */
static int statistic_len(const sr_price_solution *s)
{
    return (int)strcspn(s->target_text, "=");
}

static void print_solve(FILE *out, const sr_price_solution *s, size_t n_trials)
{
    char trials[32], batch[32];
    sr_text_count(n_trials, trials, sizeof trials);
    const int len = statistic_len(s);
    const char *su = strcmp(sr_summary_stat_name(s->target.stat), "p_negative") == 0
                         ? "1 (share of trials)"
                         : sr_metrics[s->target.metric].units;
    fputs("\nPrice: ", out);
    sr_text_write(out, s->term.path, NULL);
    fprintf(out, " (%s) for %.*s = %.6g\n", s->term.units, len, s->target_text,
            s->target.value);
    fprintf(out, "  searched %.6g to %.6g, where %.*s is %.6g and %.6g; %zu candidate terms "
            "settled again from the %s trials of one run\n", s->bracket[0], s->bracket[1], len,
            s->target_text, s->bracket_statistic[0], s->bracket_statistic[1], s->n_candidates,
            trials);
    fprintf(out, "  answer: %.6g", s->value);
    if (isfinite(s->interval[0])) {
        sr_text_count(s->batch_trials, batch, sizeof batch);
        fprintf(out, ", 95%% Monte Carlo interval %.6g to %.6g (%zu batches of %s trials, "
                "each solved alone; Student t, %zu df)\n", s->interval[0], s->interval[1],
                s->n_batches, batch, s->n_batches - 1);
    } else if (s->n_batches > 0) {
        fprintf(out, "; no interval: %zu of %zu batches of trials have no root in the "
                "bracket\n", s->n_batches - s->batches_solved, s->n_batches);
    } else {
        fputs("; no interval: fewer than 100 trials\n", out);
    }
    fprintf(out, "  %.*s there: %.6g %s", len, s->target_text, s->statistic, su);
    if (isfinite(s->statistic_se))
        fprintf(out, ", Monte Carlo standard error %.2g", s->statistic_se);
    if (s->n_nan > 0)
        fprintf(out, "; %.0f of %s trials have no value and are left out", s->n_nan, trials);
    fputs("\n  the summary above is the result set at the answer; sirisk run gives it with:\n   ",
          out);
    for (size_t k = 0; k < s->n_sets; k++) {
        fputs(" --set ", out);
        sr_text_write(out, s->sets[k], NULL);
    }
    fputc('\n', out);
}

/* A map term's column heading: its path after "programmes[i].". */
static const char *heading(const sr_price_term *t)
{
    const char *dot = strchr(t->path, '.');
    return dot != NULL ? dot + 1 : t->path;
}

/* The width of a map term's column: its heading, at least 12. */
static int term_width(const sr_price_term *t)
{
    size_t n = strlen(heading(t));
    return n > 12 ? (int)n : 12;
}

static void print_map_table(FILE *out, const sr_price_map *m)
{
    fputs("  point", out);
    for (size_t k = 0; k < m->n_terms; k++) {
        fprintf(out, " %*s", term_width(&m->terms[k]) - (int)strlen(heading(&m->terms[k])), "");
        sr_text_write(out, heading(&m->terms[k]), NULL);
    }
    fprintf(out, " %9s %9s %10s %10s %9s %12s %8s\n", "P(loss)", "IRR q50", "pay mDKK",
            "net mDKK", "P(net<0)", "overpay mDKK", "win-win");
    double *const *c = m->column;
    for (size_t i = 0; i < m->n_points; i++) {
        fprintf(out, "  %5zu", i);
        for (size_t k = 0; k < m->n_terms; k++)
            fprintf(out, " %*.6g", term_width(&m->terms[k]), m->point[i * m->n_terms + k]);
        fprintf(out, " %9.4f %9.4f %10.2f %10.2f %9.4f %12.2f %8s\n", c[SR_MAP_P_LOSS][i],
                c[SR_MAP_IRR_Q50][i], c[SR_MAP_PAYMENTS_MEAN][i] / 1e6,
                c[SR_MAP_NET_MEAN][i] / 1e6, c[SR_MAP_NET_P_NEGATIVE][i],
                c[SR_MAP_OVERPAYMENT_MEAN][i] / 1e6, c[SR_MAP_WIN_WIN][i] ? "yes" : "");
    }
}

/* Two terms: a grid of marks, the first term down, the second across. */
static void print_map_grid(FILE *out, const sr_price_map *m)
{
    fputs("\n  win-win (*) by ", out);
    sr_text_write(out, heading(&m->terms[0]), NULL);
    fputs(" (down) and ", out);
    sr_text_write(out, heading(&m->terms[1]), NULL);
    fputs(" (across):\n  ", out);
    fprintf(out, "%12s", "");
    for (size_t j = 0; j < m->n_values[1]; j++)
        fprintf(out, " %10.4g", m->values[1][j]);
    fputc('\n', out);
    for (size_t i = 0; i < m->n_values[0]; i++) {
        fprintf(out, "  %12.6g", m->values[0][i]);
        for (size_t j = 0; j < m->n_values[1]; j++)
            fprintf(out, " %10s", m->column[SR_MAP_WIN_WIN][i * m->n_values[1] + j] ? "*" : ".");
        fputc('\n', out);
    }
}

static void print_map(FILE *out, const sr_price_map *m, size_t n_trials)
{
    char trials[32];
    sr_text_count(n_trials, trials, sizeof trials);
    size_t wins = 0;
    double most_nan = 0.0;
    for (size_t i = 0; i < m->n_points; i++) {
        wins += m->column[SR_MAP_WIN_WIN][i] != 0.0;
        most_nan = fmax(most_nan, m->column[SR_MAP_IRR_NAN][i]);
    }
    fprintf(out, "\nWin-win map of %zu points, the portfolio over the same %s trials at every "
            "point. Win-win: the investors' median IRR at least %.4g per year, and the paying "
            "budget's net result paying by results (savings - payments, present value) at "
            "least 0 in the mean and below 0 in at most %.4g of trials.\n", m->n_points, trials,
            m->investor_irr, m->municipality_risk);
    print_map_table(out, m);
    if (m->n_terms == 2)
        print_map_grid(out, m);
    fprintf(out, "\n  %zu of %zu points are win-win. mDKK: millions of DKK, present value at "
            "the public rate; P(loss): investors get back less than they paid in.\n", wins,
            m->n_points);
    if (most_nan > 0.0)
        fprintf(out, "  note: IRR q50 leaves out the trials without an IRR: up to %.0f of %s at "
                "a point\n", most_nan, trials);
}

int sr_price_print(FILE *out, const sr_price_result *r, sr_error *err)
{
    if (r->is_map)
        print_map(out, &r->map, r->n_trials);
    else
        print_solve(out, &r->solve, r->n_trials);
    if (fflush(out) != 0 || ferror(out))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write the price table: %s",
                            strerror(errno));
    return 0;
}
