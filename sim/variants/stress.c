#include "sim/variants/stress.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/variants/memory.h"
#include "sim/scenario/scenario.h"

/* The next name of a comma-separated list at *p: its start and length; advances *p.
 * Returns false at the end of the list. */
static bool next_name(const char **p, const char **name, size_t *len)
{
    if (**p == '\0')
        return false;
    *name = *p;
    *len = strcspn(*p, ",");
    *p += *len + ((*p)[*len] == ',');
    return true;
}

/* Whether `name` is one of the comma-separated names in list. */
static bool listed(const char *list, const char *name)
{
    const char *item;
    size_t len;
    while (next_name(&list, &item, &len))
        if (len == strlen(name) && strncmp(item, name, len) == 0)
            return true;
    return false;
}

/* Every name in `only` names a stress of m; fills err otherwise. */
static int check_only(const sr_model *m, const char *only, sr_error *err)
{
    const char *item;
    size_t len;
    while (next_name(&only, &item, &len)) {
        bool found = false;
        for (size_t s = 0; s < m->n_stresses && !found; s++)
            found = strlen(m->stresses[s].name) == len &&
                    strncmp(m->stresses[s].name, item, len) == 0;
        if (!found)
            return sr_error_set(err, SR_EXIT_USAGE, "--only: no stress named '%.*s' in the "
                                "scenario", (int)len, item);
    }
    return 0;
}

static int add_result(sr_stress_set *out, const char *name, sr_resultset *rs, sr_error *err)
{
    char *copy = malloc(strlen(name) + 1);
    if (copy == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    strcpy(copy, name);
    out->names[out->n] = copy;
    out->results[out->n] = rs;
    out->n++;
    return 0;
}

/* The scenario at path as stress st makes it on top of the command line's overrides (the
 * run of a stress is the scenario as stressed). NULL on error, which names the stress. */
static sr_model *load_stressed(const char *path, const sr_override *overrides,
                               size_t n_overrides, const sr_stress *st, sr_error *err)
{
    size_t n_all;
    sr_override *all = sr_stress_overrides(overrides, n_overrides, st, &n_all, err);
    if (all == NULL)
        return NULL;
    sr_model *m = sr_scenario_load(path, all, n_all, err);
    free(all);
    if (m == NULL)
        sr_error_prefix(err, "stress %s", st->name);
    return m;
}

int sr_stress_run(const char *path, const sr_override *overrides, size_t n_overrides,
                  const char *only, const sr_run_options *o, sr_stress_set *out,
                  sr_error *err)
{
    memset(out, 0, sizeof *out);
    sr_model **stressed = NULL, **runs = NULL;
    sr_model *base = sr_scenario_load(path, overrides, n_overrides, err);
    if (base == NULL)
        return err->code;
    int rc = 0;
    if (base->n_stresses == 0) {
        rc = sr_error_set(err, SR_EXIT_DATAERR, "%s: stresses: the scenario defines none "
                          "(add a `stresses:` block)", path);
        goto done;
    }
    if (only != NULL && (rc = check_only(base, only, err)) != 0)
        goto done;
    out->names = calloc(1 + base->n_stresses, sizeof *out->names);
    out->results = calloc(1 + base->n_stresses, sizeof *out->results);
    stressed = calloc(base->n_stresses, sizeof *stressed);
    runs = calloc(1 + base->n_stresses, sizeof *runs);
    if (out->names == NULL || out->results == NULL || stressed == NULL || runs == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    /* Every stress is loaded before anything runs, so one that does not apply on top of
     * the command line's overrides fails at once. */
    for (size_t s = 0; s < base->n_stresses; s++) {
        const sr_stress *st = &base->stresses[s];
        if (only != NULL && !listed(only, st->name))
            continue;
        if ((stressed[s] = load_stressed(path, overrides, n_overrides, st, err)) == NULL) {
            rc = err->code;
            goto done;
        }
    }
    /* Every run's result set is held until the file is written: all must fit at once,
     * which is checked before anything runs. */
    size_t n_runs = 0;
    runs[n_runs++] = base;
    for (size_t s = 0; s < base->n_stresses; s++)
        if (stressed[s] != NULL)
            runs[n_runs++] = stressed[s];
    if ((rc = sr_memory_check(path, runs, n_runs, SR_MEMORY_ALL, o, err)) != 0)
        goto done;
    sr_resultset *rs = sr_run(base, o, err);
    if (rs == NULL || (rc = add_result(out, "base", rs, err)) != 0) {
        rc = rs == NULL ? err->code : rc;
        sr_resultset_free(rs);
        goto done;
    }
    for (size_t s = 0; s < base->n_stresses; s++) {
        if (stressed[s] == NULL)
            continue;
        const sr_stress *st = &base->stresses[s];
        rs = sr_run(stressed[s], o, err);
        if (rs == NULL)
            sr_error_prefix(err, "stress %s", st->name);
        if (rs == NULL || (rc = add_result(out, st->name, rs, err)) != 0) {
            rc = rs == NULL ? err->code : rc;
            sr_resultset_free(rs);
            goto done;
        }
    }
done:
    if (stressed != NULL)
        for (size_t s = 0; s < base->n_stresses; s++)
            sr_model_free(stressed[s]);
    free(stressed);
    free(runs);
    sr_model_free(base);
    if (rc != 0)
        sr_stress_set_clear(out);
    return rc;
}

void sr_stress_set_clear(sr_stress_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->names[i]);
        sr_resultset_free(s->results[i]);
    }
    free(s->names);
    free(s->results);
    memset(s, 0, sizeof *s);
}
