/* The schema's tables (sim/scenario/schema_walk.c, schema_print.c): unknown and missing keys,
 * null as "not given", keys that do not apply; the tables themselves; and the format
 * reference printed from them, which must equal docs/scenario-format.md and name every key
 * the loader accepts. */

#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/yaml_doc.h"

Test(scenario, rejects_unknown_key_with_line_and_path)
{
    expect_fail(BASE PROG "simulation2: 1\n",
                "x.yaml:7:1: simulation2: unknown key (expected name, simulation, discount,");
    expect_fail("name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2, trails: 3}\n",
                "x.yaml:2:69: simulation.trails: unknown key (expected trials, seed, start, "
                "horizon_years, horizon_months), got trails");
}

Test(scenario, rejects_missing_required_keys_at_their_mapping)
{
    expect_fail("name: t\nsimulation: {seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:13: simulation.trials: is required, got nothing");
    expect_fail("simulation: {trials: 1}\n", "x.yaml:1:1: name: is required, got nothing");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01}\n",
                "x.yaml:2:13: simulation.horizon_years: is required (or horizon_months), got nothing");
    expect_fail(BASE, "x.yaml:1:1: programmes: is required, got nothing");
}

Test(scenario, treats_null_as_not_given)
{
    sr_model *m = sr_test_model(BASE "indexation: ~\nparameters:\nstrata: null\n" PROG);
    cr_assert_eq(m->indexation, 0.0);
    cr_assert_eq(m->n_strata, 1);
    cr_assert_str_eq(m->strata[0].name, "all");
    cr_assert_float_eq(m->strata[0].share, 1.0, 0);
    sr_model_free(m);
    expect_fail("name: ~\n", "x.yaml:1:7: name: is required, got ~");
}

/* ---- keys that do not apply ------------------------------------------------------------ */

/* A key of an option not selected is checked, noted, and holds its default, not its value. */
Test(schema, a_key_that_does_not_apply_holds_its_default)
{
    sr_scenario *sc = sr_test_scenario(BASE
        "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05},\n"
        "        recession: {pro: 0.6, counter: 1.5}, rho: 0.2, persistence: 0.5}\n"
        "programmes:\n"
        "  - name: p\n"
        COHORT
        "    contract: {payer: state, type: savings_share, share: 0.5, term_years: 1,\n"
        "               frame_overflow: forfeited}\n"
        "  - name: q\n"
        COHORT
        "    financing: {surplus: {cap_irr: 0.06}}\n");
    sr_model *m = sc->model;
    cr_assert_str_eq(sc->notes, "macro.rho is ignored: macro.model is regime\n"
                               "macro.persistence is ignored: macro.model is regime\n"
                               "programmes[0].contract.frame_overflow is ignored: there is no "
                               "annual_frame\n"
                               "programmes[1].financing is ignored: the programme has no "
                               "contract");
    cr_assert_float_eq(num(m, m->macro.rho), 0, 0, "rho given 0.2, ignored: its default");
    cr_assert_float_eq(num(m, m->macro.persistence), 0, 0);
    cr_assert_eq(m->programmes[0].contract.frame_overflow, SR_OVERFLOW_DEFERRED);
    cr_assert(!m->programmes[1].financing.has_surplus_cap);
    cr_assert_float_eq(num(m, m->programmes[1].financing.cap_irr), 0, 0);
    sr_scenario_free(sc);
}

/* ---- the tables ------------------------------------------------------------------------ */

/* Calls visit on every table reachable from the top level (each once), the flows' and the
 * distributions' included. */
typedef struct {
    const sr_table *seen[256];
    size_t n;
} table_set;

static void reach(table_set *s, const sr_table *t)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->seen[i] == t)
            return;
    cr_assert_lt(s->n, sizeof s->seen / sizeof *s->seen);
    s->seen[s->n++] = t;
    for (size_t i = 0; i < t->n_keys; i++)
        if (t->keys[i].sub)
            reach(s, t->keys[i].sub);
}

static void reach_all(table_set *s)
{
    s->n = 0;
    reach(s, &sr_schema_root);
    reach(s, &sr_flow_table);
    for (size_t i = 0; sr_schema_distributions[i]; i++)
        reach(s, sr_schema_distributions[i]);
}

/* Read by their parent's setter, never walked: tuples, a mapping of chosen names, and the
 * distributions (whose keys only are checked). */
static bool read_by_parent(const sr_table *t)
{
    return t->tuple || (t->n_keys == 1 && t->keys[0].key[0] == '<') || t->path[0] == '{';
}

/* The row's path as the reference prints it. */
static void row_path(const sr_table *t, const sr_key *row, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", t->path, t->path[0] && !t->tuple ? "." : "", row->key);
}

/* What holds of every table, so that the loader cannot drop a value silently, store one
 * in a place of another size, or name a table where no key leads to it. */
Test(tables, say_what_the_loader_needs_of_every_key)
{
    table_set s;
    reach_all(&s);
    cr_assert_gt(s.n, 40, "only %zu tables reached", s.n);
    for (size_t i = 0; i < s.n; i++) {
        const sr_table *t = s.seen[i];
        cr_expect(t->meaning && t->meaning[0], "table %s has no meaning", t->path);
        for (size_t k = 0; k < t->n_keys; k++) {
            const sr_key *row = &t->keys[k];
            char path[512];
            row_path(t, row, path, sizeof path);
            cr_expect(row->meaning && row->meaning[0] && row->example && row->example[0],
                      "%s: no meaning or example", path);
            for (size_t j = 0; j < k; j++)
                cr_expect(strcmp(t->keys[j].key, row->key) != 0, "%s: listed twice", path);
            bool container = row->kind == SR_KIND_MAPPING || row->kind == SR_KIND_LIST
                             || row->kind == SR_KIND_NAMED || row->kind == SR_KIND_FLOW;
            cr_expect(container == (row->sub != NULL), "%s: a sub-table iff it holds keys", path);
            if (!read_by_parent(t))
                cr_expect(row->read || row->stored || row->kind == SR_KIND_MAPPING,
                          "%s: read by the walk, but stored nowhere", path);
            if (!read_by_parent(t) && row->kind >= SR_KIND_STATES)
                cr_expect(row->read != NULL, "%s: its kind needs a setter", path);
            if (row->stored) {
                size_t want = row->kind == SR_KIND_NUMBER  ? sizeof(sr_num)
                            : row->kind == SR_KIND_FIXED   ? sizeof(double)
                            : row->kind == SR_KIND_BOOL    ? sizeof(bool)
                            : row->kind == SR_KIND_SEED    ? sizeof(uint64_t)
                            : row->kind == SR_KIND_FLOW    ? sizeof(sr_flow)
                            : row->kind == SR_KIND_STATE   ? sizeof(size_t)
                            : row->kind == SR_KIND_TEXT || row->kind == SR_KIND_NAME
                                ? sizeof(char *)
                                : row->width;
                cr_expect_eq(row->width, want, "%s: stored in %zu bytes, its kind takes %zu", path,
                             row->width, want);
                cr_expect(row->width == 1 || row->width == 2 || row->width == 4
                              || row->width == 8 || row->kind == SR_KIND_FLOW
                              || row->kind == SR_KIND_MAPPING,
                          "%s: width %zu", path, row->width);
            }
            if (row->kind == SR_KIND_NUMBER)
                cr_expect(row->def_value == 0 || row->def_value == 1,
                          "%s: an uncertain number's default is 0 or 1", path);
            if (row->kind == SR_KIND_CHOICE) {
                size_t n = 0;
                while (row->choices[n])
                    n++;
                cr_expect(row->def_value >= 0 && row->def_value < (double)n, "%s: default", path);
            }
            if (row->sets != SR_SEL_NONE && sr_selectors[row->sets].values)
                cr_expect(sr_selectors[row->sets].values == row->choices,
                          "%s: sets a selector whose values are not its choices", path);
            for (int c = 0; c < 2; c++) {
                sr_selector sel = row->when[c].sel;
                bool set_somewhere = sel == SR_SEL_NONE;
                for (size_t u = 0; u < s.n && !set_somewhere; u++)
                    for (size_t v = 0; v < s.seen[u]->n_keys; v++)
                        set_somewhere |= s.seen[u]->keys[v].sets == sel;
                cr_expect(set_somewhere, "%s: applies by a selector no key sets", path);
            }
        }
    }
}

/* ---- the reference --------------------------------------------------------------------- */

static char *committed_reference(void)
{
    return sr_test_read_file(SIRISK_SOURCE_DIR "/docs/scenario-format.md");
}

/* Fails at the first line where a and b differ. */
static void expect_same_text(const char *a, const char *b, const char *what)
{
    size_t line = 1, i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        line += a[i] == '\n';
    if (a[i] == b[i])
        return;
    const char *la = a + i, *lb = b + i;
    while (la > a && la[-1] != '\n')
        la--;
    while (lb > b && lb[-1] != '\n')
        lb--;
    cr_assert_fail("%s: line %zu differs:\n  %.*s\n  %.*s\n(write the file again: `./build/sirisk "
                   "schema > docs/scenario-format.md`)", what, line, (int)strcspn(la, "\n"), la,
                   (int)strcspn(lb, "\n"), lb);
}

/* The committed reference is what the binary prints, byte for byte: edit the tables, then
 * write the file again. */
Test(reference, is_what_sirisk_schema_prints)
{
    char *ref = committed_reference(), *out = NULL, *err = NULL;
    int rc = sr_test_run(SIRISK_BINARY " schema", &out, &err);
    cr_assert_eq(rc, 0, "sirisk schema: exit %d: %s", rc, err);
    cr_assert_str_empty(err);
    expect_same_text(out, ref, "sirisk schema against docs/scenario-format.md");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(sr_schema_print(f), 0);
    fclose(f);
    cr_assert_eq(len, strlen(ref));
    expect_same_text(buf, ref, "sr_schema_print against docs/scenario-format.md");
    free(buf);
    free(out);
    free(err);
    free(ref);
}

Test(reference, the_command_takes_no_arguments_and_says_when_it_cannot_write)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(sr_test_run(SIRISK_BINARY " schema extra", &out, &err), 64);
    cr_assert_not_null(strstr(err, "sirisk: schema: unexpected argument 'extra'\nusage:"), "%s",
                       err);
    cr_assert_str_empty(out);
    free(out);
    free(err);
    cr_assert_eq(sr_test_run(SIRISK_BINARY " schema >/dev/full", &out, &err), 74);
    cr_assert_str_eq(err, "sirisk: cannot write the reference: No space left on device\n");
    free(out);
    free(err);
}

/* Whether the reference has a row for path. */
static bool has_row(const char *ref, const char *path)
{
    char row[600];
    snprintf(row, sizeof row, "\n| `%s` |", path);
    return strstr(ref, row) != NULL;
}

/* Every key of every table the loader reads has its row in the reference. */
Test(reference, names_every_key_of_every_table)
{
    char *ref = committed_reference();
    table_set s;
    reach_all(&s);
    size_t rows = 0;
    for (size_t i = 0; i < s.n; i++)
        for (size_t k = 0; k < s.seen[i]->n_keys; k++, rows++) {
            char path[512];
            row_path(s.seen[i], &s.seen[i]->keys[k], path, sizeof path);
            cr_expect(has_row(ref, path), "no row for %s", path);
        }
    cr_assert_gt(rows, 120, "only %zu keys", rows);
    free(ref);
}

/* ---- every key path a shipped scenario uses -------------------------------------------- */

static void check_mapping(const sr_ydoc *d, int node, const sr_table *t, const char *ref,
                          size_t *count);

/* The value at node of row (in table t): the tables it leads to. */
static void check_value(const sr_ydoc *d, int node, const sr_key *row, const char *ref,
                        size_t *count)
{
    if (row->kind == SR_KIND_NUMBER && sr_ydoc_is_map(d, node)) {
        char path[64];
        int kind = sr_ydoc_get(d, node, "dist");
        cr_assert(kind, "a distribution without dist");
        snprintf(path, sizeof path, "{dist: %s}", sr_ydoc_text(d, kind));
        for (size_t i = 0; sr_schema_distributions[i]; i++)
            if (strcmp(sr_schema_distributions[i]->path, path) == 0)
                check_mapping(d, node, sr_schema_distributions[i], ref, count);
        return;
    }
    if (!row->sub)
        return;
    if (row->kind == SR_KIND_LIST && row->sub->tuple) {
        for (size_t i = 0; i < sr_ydoc_len(d, node); i++) {
            int item = sr_ydoc_item(d, node, i);
            for (size_t j = 0; j < sr_ydoc_len(d, item) && j < row->sub->n_keys; j++) {
                const sr_key *element = &row->sub->keys[j];
                char path[512];
                row_path(row->sub, element, path, sizeof path);
                cr_expect(has_row(ref, path), "no row for %s", path);
                (*count)++;
                check_value(d, sr_ydoc_item(d, item, j), element, ref, count);
            }
        }
    } else if (row->kind == SR_KIND_LIST) {
        for (size_t i = 0; i < sr_ydoc_len(d, node); i++)
            check_mapping(d, sr_ydoc_item(d, node, i), row->sub, ref, count);
    } else {
        check_mapping(d, node, row->sub, ref, count);
    }
}

static void check_mapping(const sr_ydoc *d, int node, const sr_table *t, const char *ref,
                          size_t *count)
{
    cr_assert(sr_ydoc_is_map(d, node), "%s is not a mapping", t->path);
    for (size_t i = 0; i < sr_ydoc_len(d, node); i++) {
        int k, v;
        sr_ydoc_pair(d, node, i, &k, &v);
        bool chosen = t->n_keys == 1 && t->keys[0].key[0] == '<';
        const sr_key *row = chosen ? &t->keys[0] : sr_schema_key(t, sr_ydoc_text(d, k));
        cr_assert_not_null(row, "%s.%s: not in the schema", t->path, sr_ydoc_text(d, k));
        char path[512];
        row_path(t, row, path, sizeof path);
        cr_expect(has_row(ref, path), "no row for %s (key %s)", path, sr_ydoc_text(d, k));
        (*count)++;
        if (row->kind != SR_KIND_VALUE)
            check_value(d, v, row, ref, count);
    }
}

/* Every key path of the shipped scenarios and the benchmark's (as the reference writes it:
 * `programmes[0].cohort.size` is `programmes[].cohort.size`) has its row. */
Test(reference, names_every_key_path_the_shipped_scenarios_use)
{
    static const char *const files[] = {"scenarios/default.yaml", "scenarios/national.yaml",
                                        "scenarios/scale.yaml", "bench/cohort.yaml"};
    char *ref = committed_reference();
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", SIRISK_SOURCE_DIR, files[i]);
        char *text = sr_test_read_file(path);
        sr_ydoc d;
        sr_error err = {0};
        sr_ylimits limits = {SR_SCENARIO_MAX_NODES, SR_SCENARIO_MAX_DEPTH};
        cr_assert_eq(sr_ydoc_read(&d, files[i], text, strlen(text), limits, &err), 0, "%s",
                     err.msg);
        cr_assert_eq(sr_ydoc_index(&d), 0, "%s", err.msg);
        size_t count = 0;
        check_mapping(&d, sr_ydoc_root(&d), &sr_schema_root, ref, &count);
        cr_expect_gt(count, 60, "%s: only %zu key paths", files[i], count);
        sr_ydoc_free(&d);
        free(text);
    }
    free(ref);
}
