/* The languages of the report and the export: how a number is shown (English: 1,234.56;
 * Danish: 1.234,56) and the words around it (lang_words.c). A figure's units decide how it
 * is shown (millions of DKK, per cent, persons), one rule for every report. */
#ifndef SR_LANG_H
#define SR_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "models/metric.h"

typedef enum { SR_LANG_EN, SR_LANG_DA, SR_N_LANGS } sr_lang;

/* How a figure is shown. Values stay in the file's units (DKK, shares); the kind scales
 * them for the eye. */
typedef enum {
    SR_SHOW_MDKK,       /* DKK, in millions with 2 decimals */
    SR_SHOW_DKK,        /* DKK, whole */
    SR_SHOW_PERSONS,    /* persons or achievements, 1 decimal */
    SR_SHOW_COUNT,      /* a count, whole */
    SR_SHOW_PERCENT,    /* a share or an annual rate, in per cent with 1 decimal */
    SR_SHOW_MULTIPLE,   /* a multiple, 2 decimals */
    SR_SHOW_RATIO,      /* a ratio such as a coefficient of variation, 3 decimals */
    SR_SHOW_PLAIN,      /* anything else: 4 significant digits */
    SR_SHOW_YEAR,       /* a calendar year: whole, no thousands separator */
    SR_N_SHOWS
} sr_show;

/* What a kind does to a value: multiply by scale, then printf conversion 'f' or 'g' with
 * digits, grouping thousands or not. The report writes these beside every number it shows
 * so that a reader (or a test) can redo it. */
typedef struct {
    double scale;
    char conversion;
    int digits;
    bool group;
} sr_show_spec;

extern const sr_show_spec sr_show_specs[SR_N_SHOWS];

/* The kind that suits a units attribute (NULL: absent): "DKK per ..." whole DKK, other DKK
 * in millions, "persons" and "achievements" with a decimal, shares, indicators and annual
 * rates in per cent, "1 (multiple)" as a multiple, "1 (sd / mean)" as a ratio. */
sr_show sr_show_of_units(const char *units);

/* Writes v as kind shows it in lang's number format into buf: "-5.38" / "-5,38",
 * "12,345" / "12.345", with unicode_minus a minus sign (U+2212) instead of '-'. Never
 * "-0.00": a value that rounds to zero has no sign. NaN is "n/a" ("i.a." in Danish), an
 * infinity "inf" or "-inf". Returns buf. */
char *sr_format(char *buf, size_t size, double v, sr_show kind, sr_lang lang,
                bool unicode_minus);

/* Writes v with `decimals` decimals (fixed), thousands grouped or not, in lang's number
 * format, as sr_format does (no sign on a value that rounds to zero). */
char *sr_format_fixed(char *buf, size_t size, double v, int decimals, bool group, sr_lang lang,
                      bool unicode_minus);

/* The shortest decimal text that reads back as exactly v ("%.15g" to "%.17g"), with
 * decimal_comma a ',' for the '.'; NaN and infinities as "nan", "inf", "-inf". */
char *sr_format_exact(char *buf, size_t size, double v, bool decimal_comma);

/* The unit a kind's figures carry after the number, in lang ("mDKK" / "mio. kr.", "%"
 * / " %"); "" for none. The separator (a space or none) is part of it. */
const char *sr_show_unit(sr_show kind, sr_lang lang);

#endif
