/* Numbers as each language writes them (lang.h). */
#include "sim/cli/lang.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sr_show_spec sr_show_specs[SR_N_SHOWS] = {
    [SR_SHOW_MDKK] = {1e-6, 'f', 2, true},
    [SR_SHOW_DKK] = {1.0, 'f', 0, true},
    [SR_SHOW_PERSONS] = {1.0, 'f', 1, true},
    [SR_SHOW_COUNT] = {1.0, 'f', 0, true},
    [SR_SHOW_PERCENT] = {100.0, 'f', 1, true},
    [SR_SHOW_MULTIPLE] = {1.0, 'f', 2, true},
    [SR_SHOW_RATIO] = {1.0, 'f', 3, true},
    [SR_SHOW_PLAIN] = {1.0, 'g', 4, false},
    [SR_SHOW_YEAR] = {1.0, 'f', 0, false},
};

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

sr_show sr_show_of_units(const char *units)
{
    if (units == NULL)
        return SR_SHOW_PLAIN;
    if (starts(units, "DKK per"))
        return SR_SHOW_DKK;
    if (starts(units, "DKK"))
        return SR_SHOW_MDKK;
    if (strcmp(units, "persons") == 0 || strcmp(units, "achievements") == 0)
        return SR_SHOW_PERSONS;
    if (starts(units, "1 (indicator)") || starts(units, "1 (share") || starts(units, "per year"))
        return SR_SHOW_PERCENT;
    if (starts(units, "1 (multiple)"))
        return SR_SHOW_MULTIPLE;
    if (starts(units, "1 (sd / mean)"))
        return SR_SHOW_RATIO;
    return SR_SHOW_PLAIN;
}

/* The digits of a printf'd number (no sign) with its decimal point and thousands grouped
 * as lang writes them. */
static void localise(const char *digits, bool group, sr_lang lang, char *out, size_t size)
{
    const char point = lang == SR_LANG_DA ? ',' : '.', thousands = lang == SR_LANG_DA ? '.' : ',';
    size_t whole = strcspn(digits, ".eE"), k = 0;
    for (size_t i = 0; digits[i] != '\0' && k + 2 < size; i++) {
        if (group && i > 0 && i < whole && (whole - i) % 3 == 0)
            out[k++] = thousands;
        out[k++] = digits[i] == '.' ? point : digits[i];
    }
    out[k] = '\0';
}

/* v printed by conversion ('f' or 'g') with digits, then localised. */
static char *format_as(char *buf, size_t size, double v, char conversion, int digits,
                       bool group, sr_lang lang, bool unicode_minus)
{
    const char *minus = unicode_minus ? "\xe2\x88\x92" : "-";
    if (isnan(v)) {
        snprintf(buf, size, "%s", lang == SR_LANG_DA ? "i.a." : "n/a");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%sinf", v < 0 ? minus : "");
        return buf;
    }
    char digits_text[512], local[700];
    snprintf(digits_text, sizeof digits_text, conversion == 'f' ? "%.*f" : "%.*g", digits,
             fabs(v));
    /* a value that rounds to zero shows no sign */
    bool negative = v < 0 && strspn(digits_text, "0.") != strlen(digits_text);
    localise(digits_text, group, lang, local, sizeof local);
    snprintf(buf, size, "%s%s", negative ? minus : "", local);
    return buf;
}

char *sr_format(char *buf, size_t size, double v, sr_show kind, sr_lang lang,
                bool unicode_minus)
{
    const sr_show_spec *s = &sr_show_specs[kind];
    return format_as(buf, size, v * s->scale, s->conversion, s->digits, s->group, lang,
                     unicode_minus);
}

char *sr_format_fixed(char *buf, size_t size, double v, int decimals, bool group, sr_lang lang,
                      bool unicode_minus)
{
    return format_as(buf, size, v, 'f', decimals, group, lang, unicode_minus);
}

char *sr_format_exact(char *buf, size_t size, double v, bool decimal_comma)
{
    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v < 0 ? "-inf" : "inf");
        return buf;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    char *point = strchr(buf, '.');
    if (decimal_comma && point != NULL)
        *point = ',';
    return buf;
}

const char *sr_show_unit(sr_show kind, sr_lang lang)
{
    const bool da = lang == SR_LANG_DA;
    switch (kind) {
    case SR_SHOW_MDKK:
        return da ? " mio. kr." : " mDKK";
    case SR_SHOW_DKK:
        return da ? " kr." : " DKK";
    case SR_SHOW_PERCENT:
        return da ? " %" : "%";
    case SR_SHOW_MULTIPLE:
        return "\xc3\x97";   /* × */
    default:
        return "";
    }
}
