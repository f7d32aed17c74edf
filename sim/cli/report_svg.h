/* The report's charts, drawn as inline SVG by sirisk itself (no script, no library): a
 * histogram of trials in stacked panels, a fan chart of yearly quantiles, horizontal grouped
 * bars and lines against a swept value. Each chart is one <svg> with a <title>, a legend,
 * axes with labelled ticks and the data's marks in <g class="marks">. Values come in the
 * units they are shown in (mDKK, per cent); the caller scales them. Text is escaped here. */
#ifndef SR_REPORT_SVG_H
#define SR_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/cli/lang.h"

/* Colours of the series, distinguishable in colour blindness (Okabe and Ito). */
#define SR_SVG_BLUE "#0072B2"
#define SR_SVG_ORANGE "#E69F00"
#define SR_SVG_GREEN "#009E73"
#define SR_SVG_RED "#D55E00"
#define SR_SVG_SKY "#56B4E9"
#define SR_SVG_PURPLE "#CC79A7"

/* What every chart has: where its text comes from and how its numbers are written. */
typedef struct {
    FILE *out;
    sr_lang lang;
    const char *id;        /* the <svg>'s id (unique on the page) */
    const char *title;     /* its accessible title */
    const char *x_label, *y_label;   /* axis labels with units */
} sr_svg_chart;

/* ---- histograms ------------------------------------------------------------------------ */

typedef enum { SR_MARK_MEAN, SR_MARK_Q05, SR_MARK_DETERMINISTIC } sr_svg_mark_kind;

typedef struct {
    sr_svg_mark_kind kind;
    double at;             /* on the x axis; NaN: not drawn */
} sr_svg_mark;

typedef struct {
    const char *label;     /* the panel's name */
    const char *colour;
    double lo, hi;         /* the bins' range, in shown units */
    size_t n_bins;
    const uint64_t *count; /* [n_bins] */
    uint64_t n;            /* trials counted (the bars show count / n in per cent) */
    sr_svg_mark marks[3];
    size_t n_marks;
} sr_svg_panel;

/* The names of the marks and of the shaded region, in the legend. */
typedef struct {
    const char *mark[3];   /* by sr_svg_mark_kind */
    const char *region;    /* what the region below `below` is ("loss"); NULL: none */
    double below;          /* in shown units */
} sr_svg_legend;

/* Panels stacked on one x axis (the union of their ranges, marks and legend.below). */
void sr_svg_histograms(const sr_svg_chart *c, const sr_svg_panel *panels, size_t n,
                       const sr_svg_legend *legend);

/* ---- fan charts ------------------------------------------------------------------------ */

typedef struct {
    const char *label;
    const char *colour;
    const double *q05, *q25, *q50, *q75, *q95;   /* [n] per year, shown units */
} sr_svg_fan;

/* Bands 5-95% and 25-75% and the median of each series over the years first_year ... */
void sr_svg_fans(const sr_svg_chart *c, unsigned first_year, size_t n_years,
                 const sr_svg_fan *fans, size_t n_fans, const char *band_90,
                 const char *band_50, const char *median);

/* ---- bars ------------------------------------------------------------------------------ */

typedef struct {
    const char *label;
    const char *colour;
    const double *value;   /* [n categories], shown units */
} sr_svg_series;

/* Horizontal bars from 0, one group per category (top to bottom), one bar per series; each
 * bar labelled with its value (decimals). */
void sr_svg_bars(const sr_svg_chart *c, const char *const *categories, size_t n,
                 const sr_svg_series *series, size_t n_series, int decimals);

/* ---- lines ----------------------------------------------------------------------------- */

/* Series against x[n] (ascending), a logarithmic x axis when log_x; the points' x values
 * are the ticks, labelled x_text[i]. */
void sr_svg_lines(const sr_svg_chart *c, const double *x, const char *const *x_text,
                  size_t n, bool log_x, const sr_svg_series *series, size_t n_series);

/* ---- text ------------------------------------------------------------------------------ */

/* Writes s escaped for HTML and SVG (& < > " '), its control characters and the Unicode
 * characters that steer the direction of text as '?', newlines kept when keep_newlines. */
void sr_svg_escape(FILE *out, const char *s, bool keep_newlines);

#endif
