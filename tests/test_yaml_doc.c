/* Messages about a scenario document (sim/yaml_doc.c): an error is one line, so a value
 * or key holding a line break, a tab or an escape character is shown quoted with escapes,
 * never raw (a raw line break splits the message; a raw escape reaches the terminal). */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/scenario/scenario.h"

/* Lines 1-5 of a valid scenario; a programme line completes it. */
#define HEAD                                                                                \
    "name: t\n"                                                                             \
    "simulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"                 \
    "discount: {public: 0.03, investor: 0.05}\n"                                            \
    "states: [{name: out}, {name: job}]\n"                                                  \
    "transitions: [{from: out, to: job, hazard: 0.1}]\n"
#define PROG "programmes: [{name: p, cohort: {size: 10, intake: {start: 2027-01, months: 2}, initial_state: out}}]\n"

/* Loads yaml, expects it refused with exit 65 and a message of one line, free of control
 * characters, that begins with `expected`. */
static void expect_message(const char *yaml, const char *expected)
{
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load_text("x.yaml", yaml, strlen(yaml), NULL, 0, &err);
    cr_assert_null(sc, "accepted, expected: %s", expected);
    cr_expect_eq(err.code, SR_EXIT_DATAERR, "exit code %d", err.code);
    for (const char *c = err.msg; *c != '\0'; c++)
        cr_expect((unsigned char)*c >= 0x20 && *c != 0x7F,
                  "control character 0x%02x at %zu in the message: %s", (unsigned char)*c,
                  (size_t)(c - err.msg), err.msg);
    cr_expect(strncmp(err.msg, expected, strlen(expected)) == 0,
              "message:\n  %s\nexpected it to begin:\n  %s", err.msg, expected);
}

/* A plain scalar folded over an empty line holds a line break ("a\nb"). */
Test(yaml_doc, plain_value_with_a_line_break_is_quoted)
{
    expect_message("a\n\nb\n",
                   "x.yaml:1:1: a scenario must be a mapping of keys to values, got \"a\\nb\"");
    expect_message(HEAD PROG "indexation: 1\n\n  2\n",
                   "x.yaml:7:13: indexation: must be a rate > -1, got \"1\\n2\"");
}

/* A tab inside a plain scalar is part of it. */
Test(yaml_doc, plain_value_with_a_tab_is_quoted)
{
    expect_message(HEAD PROG "indexation: 1\t2\n",
                   "x.yaml:7:13: indexation: must be a rate > -1, got \"1\\t2\"");
}

/* A quoted key may hold any character; the key path shows it quoted in brackets. */
Test(yaml_doc, key_with_control_characters_is_quoted_in_the_path)
{
    expect_message(HEAD PROG "\"a\\nb\": 1\n",
                   "x.yaml:7:1: [\"a\\nb\"]: unknown key (expected name, simulation, discount, "
                   "indexation, parameters, correlations, states, transitions, strata, "
                   "cashflows, macro, programmes, stresses), got \"a\\nb\"");
    expect_message(HEAD PROG "macro: {\"\\ex\": 1}\n",
                   "x.yaml:7:9: macro[\"\\x1bx\"]: unknown key");
}
