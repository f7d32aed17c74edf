/* The YAML layer (sim/scenario/yaml_doc.c): hostile files stop at reading, scalars are
 * typed by the YAML 1.2 core schema, a key twice is refused at the second, and a document
 * is held to the limits its reader gives. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"
#include "sim/scenario/yaml_doc.h"

Test(scenario, types_scalars_by_the_yaml_1_2_core_schema)
{
    /* 0x10 = 16 trials, seed 0o17 = 15, 1e-2 and .5 are floats, a quoted number is a string. */
    sr_model *m = sr_test_model(
        "name: t\n"
        "simulation: {trials: 0x10, seed: 0o17, start: 2027-01, horizon_months: 12}\n"
        "discount: {public: .5, investor: 1e-2}\n"
        "states: [{name: out}, {name: job}]\n"
        "transitions: [{from: out, to: job, hazard: +1.5E-1}]\n" PROG);
    cr_assert_eq(m->trials, 16);
    cr_assert_eq(m->seed, 15);
    cr_assert_eq(m->n_months, 12);
    cr_assert_float_eq(m->discount_public, 0.5, 0);
    cr_assert_float_eq(m->discount_investor, 0.01, 0);
    cr_assert_float_eq(num(m, m->transitions[0].rate), 0.15, 1e-17);
    sr_model_free(m);
    expect_fail("name: t\nsimulation: {trials: \"10\", seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got \"10\"");
    /* A name that the core schema types as a number or a boolean is not a string. */
    expect_fail("name: 12\n", "x.yaml:1:7: name: must be a non-empty string, got 12");
    expect_fail(BASE "states2: 1\n", "x.yaml:6:1: states2: unknown key");
}

Test(scenario, rejects_duplicate_keys_at_the_second)
{
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, trials: 2}\n",
                "x.yaml:2:34: simulation.trials: duplicate key (first at line 2, column 14), got trials");
    expect_fail("name: t\nname: u\n", "x.yaml:2:1: name: duplicate key (first at line 1, column 1), got name");
}

Test(scenario, rejects_duplicate_keys_in_a_large_mapping)
{
    /* A mapping of 5000 parameters, the last repeating the 2500th: found by sorting. */
    size_t n = 5000, cap = n * 32 + 1024, len = 0;
    char *y = malloc(cap);
    len += (size_t)snprintf(y + len, cap - len, BASE "parameters:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(y + len, cap - len, "  p%zu: 1\n", i == n - 1 ? (size_t)2500 : i);
    expect_fail(y, "x.yaml:5006:3: parameters.p2500: duplicate key (first at line 2507, column 3)");
    free(y);
}

Test(hostile, empty_file)
{
    expect_fail("", "x.yaml:1:1: the file is empty: no YAML document");
}

Test(hostile, whitespace_and_comments_only)
{
    expect_fail("# nothing\n   \n\n", "x.yaml:4:1: the file is empty: no YAML document");
}

Test(hostile, a_root_that_is_not_a_mapping)
{
    expect_fail("- a\n- b\n", "x.yaml:1:1: a scenario must be a mapping of keys to values, got [a, b]");
    expect_fail("just text\n", "x.yaml:1:1: a scenario must be a mapping of keys to values, got just text");
    expect_fail("---\n", "x.yaml:2:1: a scenario must be a mapping of keys to values, got null");
}

Test(hostile, invalid_utf8)
{
    expect_fail("name: t\nsimulation: \xc3\x28\n", "x.yaml:2:13: invalid UTF-8 (byte 0xc3)");
    /* An overlong encoding of '/' and a UTF-16 byte order mark. */
    expect_fail("name: \xc0\xaf\n", "x.yaml:1:7: invalid UTF-8 (byte 0xc0)");
    expect_fail("\xff\xfen\x00", "x.yaml:1:1: invalid UTF-8 (byte 0xff)");
    /* Columns count characters, not bytes. */
    expect_fail("name: \xc3\xa6\xc3\xb8\xc3\xa5 \xff\n", "x.yaml:1:11: invalid UTF-8 (byte 0xff)");
}

Test(hostile, nul_bytes)
{
    const char y[] = "name: t\nsim\0ulation: 1\n";
    expect_fail_len(y, sizeof y - 1, SR_EXIT_DATAERR,
                    "x.yaml:2:4: a NUL byte is not allowed (is this a binary file?)");
    /* A NUL written as an escape in a quoted string. */
    expect_fail("name: \"a\\0b\"\n", "x.yaml:1:7: name: a NUL character is not allowed in a value");
}

Test(hostile, binary_garbage)
{
    unsigned char y[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof y; i++) {
        x = x * 1103515245u + 12345u;
        y[i] = (unsigned char)(x >> 16);
    }
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("x.yaml", (const char *)y, sizeof y, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert(strncmp(err.msg, "x.yaml:1:", 9) == 0, "%s", err.msg);
}

Test(hostile, control_characters)
{
    expect_fail("name: a\x01z\n", "x.yaml:1:8: control character U+0001 is not allowed");
}

Test(hostile, flow_nesting_a_hundred_thousand_deep)
{
    /* libyaml's scanner is quadratic in flow depth; the pre-pass stops at level 65. */
    size_t n = 100000;
    char *y = malloc(n + 1);
    memset(y, '[', n);
    y[n] = '\0';
    expect_fail(y, "x.yaml:1:65: nesting deeper than 64 levels");
    free(y);
}

Test(hostile, block_nesting_past_the_limit)
{
    char y[16384];
    size_t len = 0;
    for (int i = 0; i < 70; i++)
        len += (size_t)snprintf(y + len, sizeof y - len, "%*sk%d:\n", i, "", i);
    expect_fail(y, "x.yaml:65:65: nesting deeper than 64 levels");
}

Test(hostile, anchors_and_aliases_even_a_billion_laughs)
{
    expect_fail("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n",
                "x.yaml:1:4: anchors (&a) are not supported");
    expect_fail("name: *x\n", "x.yaml:1:7: aliases (*x) are not supported");
}

Test(hostile, several_documents)
{
    expect_fail("name: a\n---\nname: b\n", "x.yaml:2:1: only one YAML document is allowed per file");
}

Test(hostile, tab_indentation)
{
    expect_fail("name: t\nsimulation:\n\ttrials: 1\n",
                "x.yaml:3:1: invalid YAML: found character that cannot start any token (while "
                "scanning for the next token); tabs are not allowed for indentation");
}

Test(hostile, syntax_errors_with_their_position)
{
    /* the problem is found on line 3; the mapping it is in began on line 2 */
    expect_fail("name: t\nsimulation: {trials: 1\n",
                "x.yaml:3:1: invalid YAML: did not find expected ',' or '}' (while parsing a "
                "flow mapping that starts at 2:13)");
    expect_fail("a: b\n  c: d\n", "x.yaml:2:4: invalid YAML: mapping values are not allowed in this context");
}

Test(hostile, tags_and_complex_keys)
{
    expect_fail("name: !!str t\n", "x.yaml:1:7: tags (tag:yaml.org,2002:str) are not supported");
    expect_fail("? [a, b]\n: 1\n", "x.yaml:1:3: a key must be a plain name, not a list or mapping, got [a, b]");
}

Test(hostile, more_values_than_the_limit)
{
    size_t n = SR_SCENARIO_MAX_NODES + 10, cap = 2 * n + 16, len = 0;
    char *y = malloc(cap);
    len += (size_t)snprintf(y, cap, "a: [1");
    for (size_t i = 1; i < n; i++) {
        y[len++] = ',';
        y[len++] = '1';
    }
    y[len++] = ']';
    y[len] = '\0';
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("x.yaml", y, len, NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert(strstr(err.msg, "more than 262144 values") != NULL, "%s", err.msg);
    free(y);
}

/* ---- limits ---------------------------------------------------------------------------- */

/* Reads text with limits; returns the message, or "" when it reads and indexes. */
static const char *read_with(const char *text, sr_ylimits limits, const char *set)
{
    static sr_error err;
    sr_ydoc d;
    sr_override ov = {(char *)"a.b", (char *)set};
    memset(&err, 0, sizeof err);
    if (sr_ydoc_read(&d, "x.yaml", text, strlen(text), limits, &err) == 0) {
        d.ov = &ov;
        d.n_ov = set ? 1 : 0;
        if ((!set || sr_ydoc_apply_override(&d, 0) == 0) && sr_ydoc_index(&d) == 0)
            err.msg[0] = '\0';
    }
    sr_ydoc_free(&d);
    return err.msg;
}

/* The YAML layer knows no scenario: the values and nesting a document may hold are its
 * reader's, and bind an override's value and path too. */
Test(yaml, holds_a_document_to_the_limits_it_is_given)
{
    sr_ylimits small = {5, 2}, roomy = {100, 64};
    /* the mapping, a, the list, 1, 2: five values; 3 is the sixth */
    cr_assert_str_eq(read_with("a: [1, 2, 3]\n", small, NULL),
                     "x.yaml:1:11: more than 5 values; the file is too large to be a scenario");
    cr_assert_str_eq(read_with("a: [1, 2, 3]\n", roomy, NULL), "");
    cr_assert_str_eq(read_with("a: [[1]]\n", small, NULL),
                     "x.yaml:1:5: nesting deeper than 2 levels");
    /* {b: {c: 1}} grafted under a is three levels below the root: four in all */
    sr_ylimits three = {100, 3};
    cr_assert_str_eq(read_with("a: {}\n", three, "{c: 1}"), "");
    cr_assert_str_eq(read_with("a: {}\n", three, "{c: {d: 1}}"),
                     "--set a.b={c: {d: 1}}: a.b.c: nesting deeper than 3 levels, got {d: 1}");
    sr_ypath_step *steps;
    size_t n;
    char why[128];
    cr_assert_eq(sr_ypath_parse("a.b.c", 3, &steps, &n, why, sizeof why), 0);
    sr_ypath_free(steps, n);
    cr_assert_eq(sr_ypath_parse("a.b.c", 2, &steps, &n, why, sizeof why), -1);
    cr_assert_str_eq(why, "deeper than 2 levels");
}
