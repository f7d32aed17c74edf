/* `sirisk schema`: the scenario format reference, printed from the schema's tables as
 * Markdown. docs/scenario-format.md is this output, committed; a test holds the two equal,
 * so the reference says what the loader accepts and cannot drift from it.
 *
 * One section per table, in the order the top level's keys lead to them; a table shared
 * by several keys (flows, distributions) or documented under another path (a stratum's
 * cash flows, as the top level's) is printed once, where its own path is, and the keys
 * that use it link there. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"

static const char intro[] =
    "# Scenario format\n"
    "\n"
    "<!-- Printed by `sirisk schema` from the tables the loader reads scenarios with "
    "(sim/scenario/); a test holds this file equal to that output. -->\n"
    "\n"
    "A scenario is a YAML file: a mapping of the keys below. `sirisk validate SCENARIO` "
    "checks one and prints the model it resolves to, every number with its unit, and notes "
    "on keys it ignores; an error names the file, line, column and key path, as in "
    "`scenarios/x.yaml:14:7: programmes[0].cohort.size: must be a positive integer, got "
    "-5`. `scenarios/default.yaml` is a commented example, and [model.md](model.md) says what "
    "the keys mean in the simulation.\n"
    "\n"
    "## Rules for every key\n"
    "\n"
    "- Values are typed by the YAML 1.2 core schema, plain scalars only: a quoted value is "
    "always text. An integer key takes an integer as written (`1e3` and `12.0` are refused "
    "there); a number key takes an integer or a float. `.inf`, `.nan`, and NaN, Inf or "
    "Infinity in any case and sign are refused wherever a number is expected.\n"
    "- A null value (`key:` or `key: ~`) means \"not given\": an optional key takes its "
    "default, a required one is missing. So `--set 'programmes[0].contract.cap_total=~'` "
    "removes a cap.\n"
    "- An unknown key, a key given twice, anchors, aliases, tags and a second document are "
    "refused. A file holds at most %u bytes, %u values and %d levels of nesting.\n"
    "- Names (of states, strata, programmes, outcomes, parameters and stresses) are "
    "`[A-Za-z_][A-Za-z0-9_]*`, at most 64 characters, and unique in their list. The "
    "scenario's name and a stress's override paths are free text without control or format "
    "characters.\n"
    "- A *number or distribution* is a literal, `$name` of a parameter (plain or quoted), or "
    "a [distribution](#distributions) `{dist: ...}`, drawn once per trial. Whatever it can "
    "take must lie in the key's range: a hazard given as a normal distribution needs "
    "`min: 0`, a beta fits a probability in [0, 1). A *fixed number* is a literal or `$name` "
    "of a parameter that is a plain number.\n"
    "- Amounts, hazards and multipliers lie within %s in magnitude and annual rates within "
    "[%s, %s]: a fixed value, every draw and a distribution's mean. No sum of a run can then "
    "overflow. Ranges below show these limits.\n"
    "- Some keys also have a plausible range: a value (a distribution's mean) above it is "
    "probably a slip, such as a percentage written where a fraction belongs (a discount rate "
    "of 3.5 meant as 3.5%%, a hazard ratio of 35 meant as a 35%% rise). Far above, where no "
    "scenario means it, it is refused; a little above, `validate` and `run` note it, saying "
    "what was probably meant. Ranges below show both bounds.\n"
    "- A key of an option that is not selected (a macro key of another model, a contract key "
    "of another type, a baseline key of another method, financing without a contract, a "
    "frame overflow rule without a frame) is checked like the others, then ignored with a "
    "note from `validate`, and holds its default: switching an option with `--set` never "
    "uncovers a latent error.\n"
    "- Months are calendar months `YYYY-MM`; month indices count from `simulation.start`. "
    "Money is DKK: positive is public expenditure (benefits), negative public revenue "
    "(taxes).\n"
    "- Sizes are bounded so that memory is (strata x states, strata x transitions, "
    "programmes x strata x months, tenure steps over all copies, correlated parameters); a "
    "file past a bound is refused with the figure.\n"
    "- `--set PATH=VALUE` and a stress's entries address a key by its path "
    "(`programmes[0].cohort.size`, `parameters.effect.median`, `\"strata[0].multiply.a->b\"`) "
    "and may add one the schema allows; VALUE is read as one YAML flow node (`--set "
    "'macro.switch={to_recession: 0.02, to_normal: 0.1}'`). An override is checked like the "
    "file, and its errors begin with `--set PATH=VALUE:`.\n"
    "\n"
    "## Reading the tables\n"
    "\n"
    "Each section is one mapping. A path `a.b` is key `b` of mapping `a`; `a[]` is any item "
    "of list `a`, and `a[][0]` the first element of an item that is itself a list; "
    "`<state>` is a key you choose (here the name of a state). *Required for X* means "
    "required where X holds, and ignored with a note elsewhere; *only for X* means ignored "
    "with a note where X does not hold.\n";

/* ---- text of a row -------------------------------------------------------------------- */

/* A number as the reference writes it: %g, the exponent without '+' and leading zeros. */
static void number_text(double x, char *buf, size_t n)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%g", x);
    char *e = strchr(raw, 'e');
    if (!e) {
        snprintf(buf, n, "%s", raw);
        return;
    }
    const char *digits = e + 1;
    bool negative = *digits == '-';
    if (*digits == '+' || *digits == '-')
        digits++;
    while (digits[0] == '0' && digits[1])
        digits++;
    *e = '\0';
    snprintf(buf, n, "%se%s%s", raw, negative ? "-" : "", digits);
}

/* The values a real key takes: its range within its limit. */
static void range_text(const sr_range *r, char *buf, size_t n)
{
    double lo = r->lo, hi = r->hi;
    bool lo_open = r->lo_open, hi_open = r->hi_open;
    if (r->limit_lo != r->limit_hi) {
        if (r->limit_lo > lo || (r->limit_lo == lo && !lo_open)) {
            lo = r->limit_lo;
            lo_open = false;
        }
        if (r->limit_hi < hi || (r->limit_hi == hi && !hi_open)) {
            hi = r->limit_hi;
            hi_open = false;
        }
    }
    char a[72], b[72], note[72] = "", error[72] = "";
    number_text(lo, a, sizeof a);
    number_text(hi, b, sizeof b);
    if (r->note_above > 0) {
        number_text(r->note_above, note, sizeof note);
        number_text(r->error_above, error, sizeof error);
    }
    snprintf(buf, n, "%c%s, %s%c%s%s%s%s%s", lo_open ? '(' : '[', a, b, hi_open ? ')' : ']',
             note[0] ? "; above " : "", error, note[0] ? " refused as a slip, above " : "",
             note, note[0] ? " noted" : "");
}

static void row_range(const sr_key *row, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (row->kind) {
    case SR_KIND_INTEGER:
        snprintf(buf, n, "[%lld, %lld]", row->lo, row->hi);
        return;
    case SR_KIND_SEED:
        snprintf(buf, n, "[0, 18446744073709551615]");
        return;
    case SR_KIND_CHOICE: {
        size_t used = 0, count = 0;
        while (row->choices[count])
            count++;
        for (size_t i = 0; i < count && used < n; i++)
            used += (size_t)snprintf(buf + used, n - used, "%s`%s`",
                                     i == 0 ? "" : i + 1 == count ? " or " : ", ",
                                     row->choices[i]);
        return;
    }
    case SR_KIND_FIXED:
    case SR_KIND_NUMBER:
        if (row->range)
            range_text(row->range, buf, n);
        return;
    default:
        return;
    }
}

static const char *kind_text(sr_kind kind)
{
    switch (kind) {
    case SR_KIND_INTEGER:
    case SR_KIND_SEED:
        return "integer";
    case SR_KIND_BOOL:
        return "true or false";
    case SR_KIND_TEXT:
        return "text";
    case SR_KIND_NAME:
        return "name";
    case SR_KIND_MONTH:
        return "month YYYY-MM";
    case SR_KIND_CHOICE:
        return "choice";
    case SR_KIND_FIXED:
        return "fixed number";
    case SR_KIND_NUMBER:
        return "number or [distribution](#distributions)";
    case SR_KIND_FLOW:
        return "[flow](#flows)";
    case SR_KIND_STATE:
        return "state";
    case SR_KIND_MAPPING:
    case SR_KIND_NAMED:
        return "mapping";
    case SR_KIND_STATES:
        return "list of states";
    case SR_KIND_TRANSITION:
        return "transition from->to";
    case SR_KIND_PARAMETER:
        return "parameter";
    case SR_KIND_LIST:
        return "list";
    case SR_KIND_VALUE:
        return "any value";
    }
    return "";
}

/* A heading's anchor as Markdown renderers make it: lower case, spaces to '-', only
 * letters, digits, '-' and '_' kept. */
static void anchor_text(const char *heading, char *buf, size_t n)
{
    size_t j = 0;
    for (const char *c = heading; *c && j + 1 < n; c++) {
        if (*c == ' ')
            buf[j++] = '-';
        else if (isalnum((unsigned char)*c) || *c == '-' || *c == '_')
            buf[j++] = (char)tolower((unsigned char)*c);
    }
    buf[j] = '\0';
}

/* Whether t is shared by keys of several paths (a flow, a distribution): printed apart. */
static bool shared(const sr_table *t)
{
    return t->path[0] == '<' || t->path[0] == '{';
}

static void join_path(const char *prefix, const char *key, bool tuple, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", prefix, prefix[0] && !tuple ? "." : "", key);
}

/* The path where row's sub-table belongs when row documents it. */
static void sub_path(const char *row_path, const sr_key *row, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", row_path, row->kind == SR_KIND_LIST ? "[]" : "");
}

static void row_type(const sr_key *row, const char *row_path, char *buf, size_t n)
{
    const char *kind = row->type ? row->type : kind_text(row->kind);
    char here[600];
    if (!row->sub || row->kind == SR_KIND_FLOW) {
        snprintf(buf, n, "%s", kind);
        return;
    }
    sub_path(row_path, row, here, sizeof here);
    if (shared(row->sub) || strcmp(here, row->sub->path) == 0) {
        snprintf(buf, n, "%s", kind);
        return;
    }
    char heading[512], anchor[512];
    snprintf(heading, sizeof heading, "`%s`", row->sub->path);
    anchor_text(heading, anchor, sizeof anchor);
    snprintf(buf, n, "%s, as [`%s`](#%s)", kind, row->sub->path, anchor);
}

static const char *const *choice_side(const sr_choice *c, const char *key, bool *first)
{
    for (size_t i = 0; c && c->a[i]; i++)
        if (strcmp(c->a[i], key) == 0) {
            *first = true;
            return c->b;
        }
    for (size_t i = 0; c && c->b[i]; i++)
        if (strcmp(c->b[i], key) == 0) {
            *first = false;
            return c->a;
        }
    return NULL;
}

static void join_keys(const char *const *keys, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; keys[i] && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s`%s`", i ? " and " : "", keys[i]);
}

/* When row is needed, and what it holds when it is not given. */
static void row_default(const sr_table *t, const sr_key *row, char *buf, size_t n)
{
    bool first;
    const char *const *other = choice_side(t->choice, row->key, &first);
    char keys[256], when[256];
    if (other) {
        join_keys(other, keys, sizeof keys);
        snprintf(buf, n, first ? "required without %s" : "instead of %s", keys);
        return;
    }
    sr_schema_when_text(row, when, sizeof when);
    const char *shown = row->def                          ? row->def
                        : row->kind == SR_KIND_CHOICE ? row->choices[(int)row->def_value]
                                                      : "none";
    if (row->key[0] == '<') {
        buf[0] = '\0'; /* a key the file chooses: as many as it names */
        return;
    }
    if (row->required && when[0])
        snprintf(buf, n, "required for %s", when);
    else if (row->required)
        snprintf(buf, n, "required");
    else if (when[0])
        snprintf(buf, n, "%s; only for %s", shown, when);
    else
        snprintf(buf, n, "%s", shown);
}

/* A cell's text: '|' escaped, and a first letter made upper case when asked. */
static void put_cell(FILE *out, const char *s, bool sentence)
{
    fputs(" ", out);
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (c == '|')
            fputc('\\', out);
        fputc(i == 0 && sentence ? toupper((unsigned char)c) : c, out);
    }
    if (sentence && s[0] && s[strlen(s) - 1] != '.')
        fputc('.', out);
    fputs(" |", out);
}

/* ---- sections ------------------------------------------------------------------------- */

static void print_section(FILE *out, const sr_table *t, const char *level)
{
    if (t == &sr_schema_root)
        fprintf(out, "\n%s The top level\n\n", level);
    else
        fprintf(out, "\n%s `%s`\n\n", level, t->path);
    fprintf(out, "%s\n\n", t->meaning);
    fputs("| path | type | range | default | units | meaning | example |\n", out);
    fputs("|---|---|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < t->n_keys; i++) {
        const sr_key *row = &t->keys[i];
        char path[512], cell[1024];
        join_path(t->path, row->key, t->tuple, path, sizeof path);
        fputs("|", out);
        snprintf(cell, sizeof cell, "`%s`", path);
        put_cell(out, cell, false);
        row_type(row, path, cell, sizeof cell);
        put_cell(out, cell, false);
        row_range(row, cell, sizeof cell);
        put_cell(out, cell, false);
        row_default(t, row, cell, sizeof cell);
        put_cell(out, cell, false);
        put_cell(out, row->units ? row->units : "", false);
        put_cell(out, row->meaning, true);
        bool bare = t->tuple || row->key[0] == '<';
        snprintf(cell, sizeof cell, "`%s%s%s`", bare ? "" : row->key, bare ? "" : ": ",
                 row->example);
        put_cell(out, cell, false);
        fputc('\n', out);
    }
    if (t->choice) {
        char both[256];
        snprintf(both, sizeof both, "%s", t->choice->both);
        both[0] = (char)toupper((unsigned char)both[0]);
        fprintf(out, "\n%s.\n", both);
    }
}

/* Prints t and, depth first, the tables its rows document; seen[] holds those printed. */
static void print_tree(FILE *out, const sr_table *t, const sr_table **seen, size_t *n_seen,
                       size_t cap)
{
    for (size_t i = 0; i < *n_seen; i++)
        if (seen[i] == t)
            return;
    if (*n_seen < cap)
        seen[(*n_seen)++] = t;
    print_section(out, t, "##");
    for (size_t i = 0; i < t->n_keys; i++) {
        const sr_key *row = &t->keys[i];
        char path[512], here[600];
        if (!row->sub || shared(row->sub))
            continue;
        join_path(t->path, row->key, t->tuple, path, sizeof path);
        sub_path(path, row, here, sizeof here);
        if (strcmp(here, row->sub->path) == 0)
            print_tree(out, row->sub, seen, n_seen, cap);
    }
}

int sr_schema_print(FILE *out)
{
    const sr_table *seen[128];
    size_t n_seen = 0;
    char amount[72], rate_lo[72], rate_hi[72];
    number_text(SR_SCENARIO_MAX_AMOUNT, amount, sizeof amount);
    number_text(SR_SCENARIO_MIN_RATE, rate_lo, sizeof rate_lo);
    number_text(SR_SCENARIO_MAX_RATE, rate_hi, sizeof rate_hi);
    fprintf(out, intro, SR_SCENARIO_MAX_BYTES, SR_SCENARIO_MAX_NODES, SR_SCENARIO_MAX_DEPTH,
            amount, rate_lo, rate_hi);
    print_tree(out, &sr_schema_root, seen, &n_seen, sizeof seen / sizeof *seen);
    fputs("\n## Flows\n\nWhere a key's type is *flow*:\n", out);
    print_section(out, &sr_flow_table, "###");
    fputs("\n## Distributions\n\nWhere a key's type is *number or distribution*, a mapping "
          "with `dist` gives a distribution, one of these:\n", out);
    for (size_t i = 0; sr_schema_distributions[i]; i++)
        print_section(out, sr_schema_distributions[i], "###");
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
