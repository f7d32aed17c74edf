/* The report's charts in SVG (report_svg.h). Coordinates are in a view box 720 units wide
 * that the page scales to its width; text sizes are in the same units. */
#include "sim/cli/report_svg.h"

#include <math.h>
#include <string.h>

#define WIDTH 720.0
#define FONT 12.0
#define LEGEND_ROW 22.0
#define MAX_TICKS 16
#define INK "#222"
#define GRID "#ddd"

/* ---- text ------------------------------------------------------------------------------ */

void sr_svg_escape(FILE *out, const char *s, bool keep_newlines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); continue;
        case '<': fputs("&lt;", out); continue;
        case '>': fputs("&gt;", out); continue;
        case '"': fputs("&quot;", out); continue;
        case '\'': fputs("&#39;", out); continue;
        default: break;
        }
        if ((*p < 0x20 && !(keep_newlines && (*p == '\n' || *p == '\t'))) || *p == 0x7f) {
            fputc('?', out);
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            fputc('?', out);   /* C1 controls */
            p++;
        } else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                                    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
            fputc('?', out);   /* bidirectional overrides and isolates */
            p += 2;
        } else {
            fputc(*p, out);
        }
    }
}

/* Text at (x, y) in the given anchor (start, middle, end) and extra attributes. */
static void text_at(FILE *out, double x, double y, const char *anchor, const char *attrs,
                    const char *s)
{
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
            attrs[0] ? " " : "", attrs);
    sr_svg_escape(out, s, false);
    fputs("</text>\n", out);
}

/* A label of at most max characters: longer ones end in an ellipsis (the whole is in the
 * table beside the chart). Counts UTF-8 characters. */
static void shorten(const char *s, size_t max, char *buf, size_t size)
{
    size_t chars = 0, k = 0;
    for (const char *p = s; *p != '\0' && k + 4 < size; p++) {
        if (((unsigned char)*p & 0xc0) != 0x80 && ++chars > max) {
            memcpy(buf + k, "\xe2\x80\xa6", 3);
            k += 3;
            break;
        }
        buf[k++] = *p;
    }
    buf[k] = '\0';
}

/* ---- scales and ticks ------------------------------------------------------------------ */

typedef struct {
    double lo, hi;      /* domain */
    double from, to;    /* range */
    bool log;
} scale;

static double at(const scale *s, double v)
{
    double a = s->log ? log10(s->lo) : s->lo, b = s->log ? log10(s->hi) : s->hi;
    double t = s->log ? log10(v) : v;
    return b > a ? s->from + (t - a) / (b - a) * (s->to - s->from) : (s->from + s->to) / 2.0;
}

/* A step of 1, 2 or 5 times a power of ten that cuts [lo, hi] into about target parts. */
static double nice_step(double lo, double hi, int target)
{
    double raw = (hi - lo) / target;
    if (!(raw > 0.0))
        return 1.0;
    double p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * p;
}

/* Widens [*lo, *hi] to whole steps and writes the ticks; returns how many. A range of one
 * value is widened around it. */
static size_t ticks(double *lo, double *hi, int target, double *tick, double *step)
{
    if (!(*hi > *lo)) {
        double pad = *lo != 0.0 ? fabs(*lo) * 0.1 : 1.0;
        *lo -= pad;
        *hi += pad;
    }
    *step = nice_step(*lo, *hi, target);
    *lo = floor(*lo / *step + 1e-9) * *step;
    *hi = ceil(*hi / *step - 1e-9) * *step;
    size_t n = 0;
    for (double v = *lo; v <= *hi + *step * 1e-6 && n < MAX_TICKS; v += *step)
        tick[n++] = fabs(v) < *step * 1e-9 ? 0.0 : v;
    return n;
}

/* A tick's label with as many decimals as its step needs. */
static void tick_label(double v, double step, sr_lang lang, char *buf, size_t size)
{
    int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    sr_format_fixed(buf, size, v, decimals, true, lang, true);
}

/* ---- frame ----------------------------------------------------------------------------- */

static void begin(const sr_svg_chart *c, double height)
{
    fprintf(c->out, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                    "aria-labelledby=\"%s-title\" xmlns=\"http://www.w3.org/2000/svg\" "
                    "font-size=\"%.0f\">\n<title id=\"%s-title\">",
            c->id, WIDTH, height, c->id, FONT, c->id);
    sr_svg_escape(c->out, c->title, false);
    fputs("</title>\n", c->out);
}

static void end(const sr_svg_chart *c)
{
    fputs("</svg>\n", c->out);
}

/* Legend entries from the left, on one row at y; an entry is a swatch drawn by the caller's
 * style: "box" (a filled square), "band" and "inner" (a square as light as a fan's outer and
 * inner band), "line" solid, "dash" or "dot". Returns the next x. */
static double legend_item(FILE *out, double x, double y, const char *style, const char *colour,
                          const char *label)
{
    if (strcmp(style, "box") == 0 || strcmp(style, "band") == 0 || strcmp(style, "inner") == 0)
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\" "
                     "fill-opacity=\"%.2f\"/>\n",
                x, y - 10, colour,
                strcmp(style, "band") == 0 ? 0.18 : strcmp(style, "inner") == 0 ? 0.5 : 1.0);
    else
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                     "stroke-width=\"2\"%s/>\n",
                x, y - 4, x + 18, y - 4, colour,
                strcmp(style, "dash") == 0  ? " stroke-dasharray=\"6 3\""
                : strcmp(style, "dot") == 0 ? " stroke-dasharray=\"2 3\""
                                            : "");
    text_at(out, x + 24, y, "start", "", label);
    return x + 24 + 7.0 * (double)strlen(label) + 18;
}

/* The y axis: grid lines at the ticks, their labels, and the axis label turned upright. */
static void y_axis(const sr_svg_chart *c, const scale *y, const double *tick, size_t n,
                   double step, double left, double right, bool label)
{
    FILE *out = c->out;
    fputs("<g class=\"axis y\">\n", out);
    for (size_t i = 0; i < n; i++) {
        char text[64];
        double py = at(y, tick[i]);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                left, py, right, py, GRID);
        tick_label(tick[i], step, c->lang, text, sizeof text);
        text_at(out, left - 6, py + 4, "end", "", text);
    }
    if (label) {
        double mid = (y->from + y->to) / 2.0;
        fprintf(out, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">",
                mid);
        sr_svg_escape(out, c->y_label, false);
        fputs("</text>\n", out);
    }
    fputs("</g>\n", out);
}

/* The x axis at y = base: the axis line, ticks with labels, and the axis label. */
static void x_axis(const sr_svg_chart *c, const scale *x, const double *tick,
                   const char *const *tick_text, size_t n, double step, double base)
{
    FILE *out = c->out;
    fputs("<g class=\"axis x\">\n", out);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            x->from, base, x->to, base, INK);
    for (size_t i = 0; i < n; i++) {
        char text[64];
        double px = at(x, tick[i]);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                px, base, px, base + 5, INK);
        if (tick_text != NULL)
            text_at(out, px, base + 18, "middle", "", tick_text[i]);
        else {
            tick_label(tick[i], step, c->lang, text, sizeof text);
            text_at(out, px, base + 18, "middle", "", text);
        }
    }
    text_at(out, (x->from + x->to) / 2.0, base + 36, "middle", "class=\"axis-label\"",
            c->x_label);
    fputs("</g>\n", out);
}

/* ---- histograms ------------------------------------------------------------------------ */

#define PANEL_HEIGHT 130.0
#define PANEL_GAP 26.0

static const char *const mark_style[3] = {"line", "dash", "dot"};
/* the 5% quantile in purple: apart from every series colour, and dashed besides */
static const char *const mark_colour[3] = {INK, "#6A3D9A", "#777"};

void sr_svg_histograms(const sr_svg_chart *c, const sr_svg_panel *panels, size_t n,
                       const sr_svg_legend *legend)
{
    FILE *out = c->out;
    const double top = 16 + 2 * LEGEND_ROW, left = 64, right = WIDTH - 16;
    const double height = top + n * PANEL_HEIGHT + (n > 0 ? n - 1 : 0) * PANEL_GAP + 48;
    /* the x domain: every panel's range and marks, and the region's edge */
    double lo = legend->region != NULL ? legend->below : INFINITY;
    double hi = legend->region != NULL ? legend->below : -INFINITY, y_max = 0.0;
    for (size_t p = 0; p < n; p++) {
        lo = fmin(lo, panels[p].lo);
        hi = fmax(hi, panels[p].hi);
        for (size_t m = 0; m < panels[p].n_marks; m++)
            if (isfinite(panels[p].marks[m].at)) {
                lo = fmin(lo, panels[p].marks[m].at);
                hi = fmax(hi, panels[p].marks[m].at);
            }
        for (size_t b = 0; b < panels[p].n_bins && panels[p].n > 0; b++)
            y_max = fmax(y_max, 100.0 * (double)panels[p].count[b] / (double)panels[p].n);
    }
    double xt[MAX_TICKS], x_step;
    size_t n_xt = ticks(&lo, &hi, 8, xt, &x_step);
    const scale x = {lo, hi, left, right, false};

    begin(c, height);
    /* legend: the panels' colours, then the marks and the region */
    double lx = left;
    for (size_t p = 0; p < n && n > 1; p++)   /* one panel needs no name */
        lx = legend_item(out, lx, 16, "box", panels[p].colour, panels[p].label);
    if (legend->region != NULL)
        legend_item(out, lx, 16, "box", "#f6d5c8", legend->region);
    lx = left;
    for (int m = 0; m < 3; m++)
        if (legend->mark[m] != NULL)
            lx = legend_item(out, lx, 16 + LEGEND_ROW, mark_style[m], mark_colour[m],
                             legend->mark[m]);

    for (size_t p = 0; p < n; p++) {
        const sr_svg_panel *pl = &panels[p];
        const double ptop = top + p * (PANEL_HEIGHT + PANEL_GAP), pbottom = ptop + PANEL_HEIGHT;
        double ylo = 0.0, yhi = y_max > 0 ? y_max : 1.0, yt[MAX_TICKS], y_step;
        size_t n_yt = ticks(&ylo, &yhi, 4, yt, &y_step);
        const scale y = {ylo, yhi, pbottom, ptop, false};
        if (legend->region != NULL && legend->below > lo)
            fprintf(out, "<rect class=\"region\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"#fcefe9\"/>\n",
                    left, ptop, at(&x, fmin(legend->below, hi)) - left, PANEL_HEIGHT);
        y_axis(c, &y, yt, n_yt, y_step, left, right, p == 0 || n == 1);
        if (n > 1)
            text_at(out, left + 6, ptop + 14, "start", "font-weight=\"bold\"", pl->label);
        fputs("<g class=\"marks\">\n", out);
        const double width = pl->n_bins > 0 ? (pl->hi - pl->lo) / (double)pl->n_bins : 0.0;
        for (size_t b = 0; b < pl->n_bins && pl->n > 0; b++) {
            if (pl->count[b] == 0)
                continue;
            double share = 100.0 * (double)pl->count[b] / (double)pl->n;
            double x0 = at(&x, pl->lo + width * (double)b);
            double x1 = width > 0 ? at(&x, pl->lo + width * (double)(b + 1)) : x0 + 4;
            double y0 = at(&y, share);
            fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                         "fill=\"%s\"><title>%llu</title></rect>\n",
                    x0, y0, fmax(x1 - x0 - 0.6, 0.8), pbottom - y0, pl->colour,
                    (unsigned long long)pl->count[b]);
        }
        for (size_t m = 0; m < pl->n_marks; m++) {
            const sr_svg_mark *mk = &pl->marks[m];
            if (!isfinite(mk->at))
                continue;
            double px = at(&x, mk->at);
            fprintf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"%s\" "
                         "stroke-width=\"2.5\"%s/>\n",
                    px, ptop, px, pbottom, mark_colour[mk->kind],
                    mk->kind == SR_MARK_Q05             ? " stroke-dasharray=\"6 3\""
                    : mk->kind == SR_MARK_DETERMINISTIC ? " stroke-dasharray=\"2 3\""
                                                        : "");
        }
        fputs("</g>\n", out);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                left, pbottom, right, pbottom, INK);
    }
    x_axis(c, &x, xt, NULL, n_xt, x_step, top + n * PANEL_HEIGHT + (n - 1) * PANEL_GAP);
    end(c);
}

/* ---- fan charts ------------------------------------------------------------------------ */

/* A band between two curves over the years, as one closed path. */
static void band(FILE *out, const scale *x, const scale *y, unsigned first, size_t n,
                 const double *lower, const double *upper, const char *colour, double opacity)
{
    fprintf(out, "<path fill=\"%s\" fill-opacity=\"%.2f\" d=\"", colour, opacity);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%.2f %.2f ", i == 0 ? "M" : "L", at(x, first + (double)i),
                at(y, upper[i]));
    for (size_t i = n; i-- > 0;)
        fprintf(out, "L%.2f %.2f ", at(x, first + (double)i), at(y, lower[i]));
    fputs("Z\"/>\n", out);
}

void sr_svg_fans(const sr_svg_chart *c, unsigned first_year, size_t n_years,
                 const sr_svg_fan *fans, size_t n_fans, const char *band_90,
                 const char *band_50, const char *median)
{
    FILE *out = c->out;
    const double top = 16 + 2 * LEGEND_ROW, left = 72, right = WIDTH - 16, bottom = 300;
    double lo = 0.0, hi = 0.0;
    for (size_t f = 0; f < n_fans; f++)
        for (size_t i = 0; i < n_years; i++) {
            if (isfinite(fans[f].q05[i]))
                lo = fmin(lo, fans[f].q05[i]);
            if (isfinite(fans[f].q95[i]))
                hi = fmax(hi, fans[f].q95[i]);
        }
    double yt[MAX_TICKS], y_step;
    size_t n_yt = ticks(&lo, &hi, 5, yt, &y_step);
    const scale x = {first_year - 0.5, first_year + n_years - 0.5, left, right, false};
    const scale y = {lo, hi, bottom, top, false};

    begin(c, bottom + 48);
    double lx = left;
    for (size_t f = 0; f < n_fans; f++)
        lx = legend_item(out, lx, 16, "box", fans[f].colour, fans[f].label);
    lx = left;
    /* one fan's bands in its colour; several fans' in grey, as a key to all of them */
    const char *shade = n_fans == 1 ? fans[0].colour : "#555";
    lx = legend_item(out, lx, 16 + LEGEND_ROW, "band", shade, band_90);
    lx = legend_item(out, lx, 16 + LEGEND_ROW, "inner", shade, band_50);
    legend_item(out, lx, 16 + LEGEND_ROW, "line", shade, median);
    y_axis(c, &y, yt, n_yt, y_step, left, right, true);
    fputs("<g class=\"marks\">\n", out);
    for (size_t f = 0; f < n_fans; f++) {
        band(out, &x, &y, first_year, n_years, fans[f].q05, fans[f].q95, fans[f].colour, 0.18);
        band(out, &x, &y, first_year, n_years, fans[f].q25, fans[f].q75, fans[f].colour, 0.5);
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"",
                fans[f].colour);
        for (size_t i = 0; i < n_years; i++)
            fprintf(out, "%.2f,%.2f ", at(&x, first_year + (double)i), at(&y, fans[f].q50[i]));
        fputs("\"/>\n", out);
    }
    fputs("</g>\n", out);
    if (lo < 0 && hi > 0)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                left, at(&y, 0.0), right, at(&y, 0.0), INK);
    /* a tick per year, labelled at most every second year when there are many */
    double xt[64];
    char labels[64][16];
    const char *xt_text[64];
    size_t n_xt = 0, every = n_years > 12 ? 2 : 1;
    for (size_t i = 0; i < n_years && n_xt < 64; i += every) {
        xt[n_xt] = first_year + (double)i;
        snprintf(labels[n_xt], sizeof labels[n_xt], "%u", first_year + (unsigned)i);
        xt_text[n_xt] = labels[n_xt];
        n_xt++;
    }
    x_axis(c, &x, xt, xt_text, n_xt, 1.0, bottom);
    end(c);
}

/* ---- bars ------------------------------------------------------------------------------ */

#define BAR 15.0
#define GROUP_GAP 12.0

void sr_svg_bars(const sr_svg_chart *c, const char *const *categories, size_t n,
                 const sr_svg_series *series, size_t n_series, int decimals)
{
    FILE *out = c->out;
    size_t longest = 0;
    char name[160];
    for (size_t i = 0; i < n; i++) {
        shorten(categories[i], 30, name, sizeof name);
        longest = strlen(name) > longest ? strlen(name) : longest;
    }
    const double top = 16 + LEGEND_ROW + 8, left = fmin(16 + 7.0 * (double)longest, 240);
    const double right = WIDTH - 56, group = n_series * BAR + GROUP_GAP;
    const double bottom = top + n * group;
    double lo = 0.0, hi = 0.0;
    for (size_t s = 0; s < n_series; s++)
        for (size_t i = 0; i < n; i++)
            if (isfinite(series[s].value[i])) {
                lo = fmin(lo, series[s].value[i]);
                hi = fmax(hi, series[s].value[i]);
            }
    /* room beyond the longest bars for their labels */
    const double span = hi - lo;
    lo -= lo < 0 ? 0.14 * span : 0.0;
    hi += hi > 0 ? 0.14 * span : 0.0;
    double xt[MAX_TICKS], x_step;
    size_t n_xt = ticks(&lo, &hi, 6, xt, &x_step);
    const scale x = {lo, hi, left, right, false};

    begin(c, bottom + 48);
    double lx = left;
    for (size_t s = 0; s < n_series; s++)
        lx = legend_item(out, lx, 16, "box", series[s].colour, series[s].label);
    for (size_t i = 0; i < n_xt; i++)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                at(&x, xt[i]), top - 4, at(&x, xt[i]), bottom, GRID);
    fputs("<g class=\"marks\">\n", out);
    for (size_t i = 0; i < n; i++) {
        const double gy = top + i * group;
        shorten(categories[i], 30, name, sizeof name);
        text_at(out, left - 8, gy + n_series * BAR / 2.0 + 4, "end", "", name);
        for (size_t s = 0; s < n_series; s++) {
            const double v = series[s].value[i];
            if (!isfinite(v))
                continue;
            char text[64];
            double x0 = at(&x, fmin(v, 0.0)), x1 = at(&x, fmax(v, 0.0));
            double by = gy + s * BAR;
            fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                         "fill=\"%s\"/>\n",
                    x0, by + 1, fmax(x1 - x0, 0.8), BAR - 2, series[s].colour);
            sr_format_fixed(text, sizeof text, v, decimals, true, c->lang, true);
            text_at(out, v < 0 ? x0 - 4 : x1 + 4, by + BAR - 4, v < 0 ? "end" : "start",
                    "font-size=\"10\"", text);
        }
    }
    fputs("</g>\n", out);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            at(&x, 0.0), top - 4, at(&x, 0.0), bottom, INK);
    x_axis(c, &x, xt, NULL, n_xt, x_step, bottom);
    end(c);
}

/* ---- lines ----------------------------------------------------------------------------- */

void sr_svg_lines(const sr_svg_chart *c, const double *x_values, const char *const *x_text,
                  size_t n, bool log_x, const sr_svg_series *series, size_t n_series)
{
    FILE *out = c->out;
    const double top = 16 + LEGEND_ROW + 8, left = 72, right = WIDTH - 24, bottom = 260;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t s = 0; s < n_series; s++)
        for (size_t i = 0; i < n; i++)
            if (isfinite(series[s].value[i])) {
                lo = fmin(lo, series[s].value[i]);
                hi = fmax(hi, series[s].value[i]);
            }
    if (!isfinite(lo))
        lo = hi = 0.0;
    lo = fmin(lo, 0.0);   /* from zero, so that a small change does not look large */
    double yt[MAX_TICKS], y_step;
    size_t n_yt = ticks(&lo, &hi, 5, yt, &y_step);
    double xlo = n > 0 ? x_values[0] : 0.0, xhi = n > 0 ? x_values[n - 1] : 1.0;
    const double pad = log_x ? 0.0 : (xhi - xlo) * 0.04;
    scale x = {xlo - pad, xhi + pad, left + 16, right - 16, log_x};
    if (log_x && xhi > xlo) {
        double f = pow(xhi / xlo, 0.04);
        x.lo = xlo / f;
        x.hi = xhi * f;
    }
    const scale y = {lo, hi, bottom, top, false};

    begin(c, bottom + 48);
    double lx = left;
    for (size_t s = 0; s < n_series; s++)
        lx = legend_item(out, lx, 16, "line", series[s].colour, series[s].label);
    y_axis(c, &y, yt, n_yt, y_step, left, right, true);
    fputs("<g class=\"marks\">\n", out);
    for (size_t s = 0; s < n_series; s++) {
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"",
                series[s].colour);
        for (size_t i = 0; i < n; i++)
            if (isfinite(series[s].value[i]))
                fprintf(out, "%.2f,%.2f ", at(&x, x_values[i]), at(&y, series[s].value[i]));
        fputs("\"/>\n", out);
        for (size_t i = 0; i < n; i++)
            if (isfinite(series[s].value[i]))
                fprintf(out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>\n",
                        at(&x, x_values[i]), at(&y, series[s].value[i]), series[s].colour);
    }
    fputs("</g>\n", out);
    x_axis(c, &x, x_values, x_text, n, 1.0, bottom);
    end(c);
}
