/* The report's and the export's building blocks: numbers as English and Danish write them,
 * exact numbers for CSV, the kinds that units choose, the sentences of both languages, CSV
 * quoting and the guard against formulas, escaping for HTML and SVG. The pages and files
 * themselves are checked against result files by tests/report_page.py and
 * tests/export_check.py. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/export.h"
#include "sim/cli/lang.h"
#include "sim/cli/report_svg.h"
#include "sim/cli/words.h"

static const char *shown(double v, sr_show kind, sr_lang lang)
{
    static char buf[128];
    return sr_format(buf, sizeof buf, v, kind, lang, false);
}

Test(report_numbers, english_groups_thousands_with_commas_danish_with_points)
{
    cr_assert_str_eq(shown(-5380123.0, SR_SHOW_MDKK, SR_LANG_EN), "-5.38");
    cr_assert_str_eq(shown(-5380123.0, SR_SHOW_MDKK, SR_LANG_DA), "-5,38");
    cr_assert_str_eq(shown(1234567890.0, SR_SHOW_MDKK, SR_LANG_EN), "1,234.57");
    cr_assert_str_eq(shown(1234567890.0, SR_SHOW_MDKK, SR_LANG_DA), "1.234,57");
    cr_assert_str_eq(shown(15140.4, SR_SHOW_DKK, SR_LANG_DA), "15.140");
    cr_assert_str_eq(shown(0.8134, SR_SHOW_PERCENT, SR_LANG_EN), "81.3");
    cr_assert_str_eq(shown(0.8134, SR_SHOW_PERCENT, SR_LANG_DA), "81,3");
    cr_assert_str_eq(shown(2000.0, SR_SHOW_COUNT, SR_LANG_EN), "2,000");
    cr_assert_str_eq(shown(2027.0, SR_SHOW_YEAR, SR_LANG_DA), "2027");
    cr_assert_str_eq(shown(0.03046, SR_SHOW_PLAIN, SR_LANG_DA), "0,03046");
    cr_assert_str_eq(shown(999.0, SR_SHOW_COUNT, SR_LANG_EN), "999");
    cr_assert_str_eq(shown(100000.0, SR_SHOW_COUNT, SR_LANG_EN), "100,000");
}

Test(report_numbers, a_value_that_rounds_to_zero_has_no_sign)
{
    cr_assert_str_eq(shown(-1234.0, SR_SHOW_MDKK, SR_LANG_EN), "0.00");
    cr_assert_str_eq(shown(-0.0001, SR_SHOW_PERCENT, SR_LANG_EN), "0.0");
    char buf[64];
    cr_assert_str_eq(sr_format(buf, sizeof buf, -2.5e6, SR_SHOW_MDKK, SR_LANG_EN, true),
                     "\xe2\x88\x92" "2.50");
}

Test(report_numbers, nan_and_infinities_are_words_not_digits)
{
    cr_assert_str_eq(shown(NAN, SR_SHOW_MDKK, SR_LANG_EN), "n/a");
    cr_assert_str_eq(shown(NAN, SR_SHOW_MDKK, SR_LANG_DA), "i.a.");
    cr_assert_str_eq(shown(-INFINITY, SR_SHOW_PLAIN, SR_LANG_EN), "-inf");
}

Test(report_numbers, exact_text_reads_back_as_the_same_double)
{
    const double values[] = {4063226.4470992214, -6146536.337120164, 0.1, 1.0 / 3.0, 1e-300,
                             -2.2250738585072014e-308, 123456789012345678.0, 0.0};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char buf[64];
        sr_format_exact(buf, sizeof buf, values[i], false);
        cr_assert_eq(strtod(buf, NULL), values[i], "%s", buf);
        sr_format_exact(buf, sizeof buf, values[i], true);
        cr_assert_null(strchr(buf, '.'), "a decimal comma: %s", buf);
    }
    char buf[64];
    cr_assert_str_eq(sr_format_exact(buf, sizeof buf, 0.1, false), "0.1");
    cr_assert_str_eq(sr_format_exact(buf, sizeof buf, -2.5, true), "-2,5");
}

Test(report_numbers, units_choose_how_a_figure_is_shown)
{
    cr_assert_eq(sr_show_of_units("DKK (present value at the public rate)"), SR_SHOW_MDKK);
    cr_assert_eq(sr_show_of_units("DKK (nominal)"), SR_SHOW_MDKK);
    cr_assert_eq(sr_show_of_units("DKK per participant (present value at the public rate)"),
                 SR_SHOW_DKK);
    cr_assert_eq(sr_show_of_units("persons"), SR_SHOW_PERSONS);
    cr_assert_eq(sr_show_of_units("1 (indicator)"), SR_SHOW_PERCENT);
    cr_assert_eq(sr_show_of_units("1 (share of trials)"), SR_SHOW_PERCENT);
    cr_assert_eq(sr_show_of_units("per year (annual effective rate)"), SR_SHOW_PERCENT);
    cr_assert_eq(sr_show_of_units("1 (multiple)"), SR_SHOW_MULTIPLE);
    cr_assert_eq(sr_show_of_units("1 (sd / mean)"), SR_SHOW_RATIO);
    cr_assert_eq(sr_show_of_units("something new"), SR_SHOW_PLAIN);
    cr_assert_eq(sr_show_of_units(NULL), SR_SHOW_PLAIN);
}

/* The argument numbers (%N$s) a sentence uses, as a bit set; -1 for a conversion that is
 * not %N$s (a sentence's arguments are strings, numbered). A word without "%1$s" is no
 * template (it may hold a per cent sign) and uses none. */
static long arguments(const char *fmt)
{
    long used = 0;
    if (strstr(fmt, "%1$s") == NULL)
        return 0;
    for (const char *p = strchr(fmt, '%'); p != NULL; p = strchr(p + 2, '%')) {
        if (p[1] == '%')
            continue;
        int n;
        char tail[3];
        if (sscanf(p + 1, "%d%2[$s]", &n, tail) != 2 || strcmp(tail, "$s") != 0)
            return -1;
        used |= 1L << n;
    }
    return used;
}

Test(report_words, both_languages_give_each_sentence_the_same_arguments_and_no_markup)
{
    const sr_words *en = sr_words_of(SR_LANG_EN), *da = sr_words_of(SR_LANG_DA);
    const size_t n = sizeof(sr_words) / sizeof(const char *);
    const char *const *e = (const char *const *)en, *const *d = (const char *const *)da;
    for (size_t i = 0; i < n; i++) {
        cr_assert_not_null(e[i], "English word %zu is missing", i);
        cr_assert_not_null(d[i], "Danish word %zu is missing", i);
        cr_assert_neq(arguments(e[i]), -1, "%s", e[i]);
        cr_assert_eq(arguments(e[i]), arguments(d[i]), "%s | %s", e[i], d[i]);
        /* text is escaped where it is written, except a sentence's template */
        if (arguments(e[i]) != 0) {
            cr_assert_null(strpbrk(e[i], "<>&"), "%s", e[i]);
            cr_assert_null(strpbrk(d[i], "<>&"), "%s", d[i]);
        }
    }
}

Test(report_words, every_metric_of_the_table_has_a_label_in_both_languages)
{
    for (int m = 0; m < SR_N_METRICS; m++) {
        const char *name = sr_metrics[m].name;
        cr_assert_str_neq(sr_words_metric(SR_LANG_EN, name), name, "%s", name);
        cr_assert_str_neq(sr_words_metric(SR_LANG_DA, name), name, "%s", name);
    }
    cr_assert_str_eq(sr_words_metric(SR_LANG_DA, "a_newer_metric"), "a_newer_metric");
}

/* A one-row table of text cells, written as CSV. */
static char *csv_of(const char *const *cells, size_t n, sr_csv_dialect dialect)
{
    sr_column columns[8] = {0};
    sr_cell row[8] = {0};
    for (size_t i = 0; i < n; i++) {
        columns[i] = (sr_column){.id = "c", .heading = (char *)"c"};
        row[i] = (sr_cell){.kind = SR_CELL_TEXT, .text = (char *)cells[i]};
    }
    sr_sheet t = {.name = "t", .n_columns = n, .n_rows = 1, .column = columns, .cell = row};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sr_error err = {0};
    cr_assert_eq(sr_export_csv(&t, dialect, out, &err), 0, "%s", err.msg);
    fclose(out);
    return text;
}

Test(report_csv, quotes_separators_quotes_and_line_breaks_as_rfc_4180_says)
{
    const char *cells[] = {"plain", "a,b", "say \"x\"", "two\nlines"};
    char *text = csv_of(cells, 4, SR_CSV_RFC4180);
    cr_assert_str_eq(text, "c,c,c,c\r\nplain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\"\r\n");
    free(text);
}

Test(report_csv, text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe)
{
    const char *cells[] = {"=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "a=b"};
    char *text = csv_of(cells, 6, SR_CSV_RFC4180);
    cr_assert_str_eq(text, "c,c,c,c,c,c\r\n\"'=1+2\",\"'+cmd\",\"'-2+3\",\"'@SUM(A1)\",\"'\tx\",a=b\r\n");
    free(text);
}

Test(report_csv, numbers_are_exact_and_never_guarded_and_the_danish_dialect_uses_commas)
{
    sr_column columns[3] = {{.id = "a", .heading = (char *)"a"},
                            {.id = "b", .heading = (char *)"b", .units = (char *)"DKK"},
                            {.id = "c", .heading = (char *)"c;d"}};
    sr_cell row[3] = {{.kind = SR_CELL_NUMBER, .value = -5380123.25},
                      {.kind = SR_CELL_NUMBER, .value = NAN},
                      {.kind = SR_CELL_TEXT, .text = (char *)"x;y"}};
    sr_sheet t = {.name = "t", .n_columns = 3, .n_rows = 1, .column = columns, .cell = row};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sr_error err = {0};
    cr_assert_eq(sr_export_csv(&t, SR_CSV_DANISH, out, &err), 0);
    fclose(out);
    cr_assert_str_eq(text, "\xef\xbb\xbf" "a;b [DKK];\"c;d\"\r\n-5380123,25;;\"x;y\"\r\n");
    free(text);
}

Test(report_svg, text_from_a_file_is_escaped_and_its_control_characters_shown_as_marks)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sr_svg_escape(out, "<b>&'\"\x1b[2J\xe2\x80\xaeok\n", false);
    sr_svg_escape(out, "a\nb", true);
    fclose(out);
    cr_assert_str_eq(text, "&lt;b&gt;&amp;&#39;&quot;?[2J?ok?a\nb");
    free(text);
}
