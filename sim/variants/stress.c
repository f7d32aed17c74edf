#include "sim/variants/stress.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "sim/variants/variant_file.h"

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

/* Every name in `only` names a stress of sc; fills err otherwise. */
static int check_only(const sr_scenario *sc, const char *only, sr_error *err)
{
    const char *item;
    size_t len;
    while (next_name(&only, &item, &len)) {
        bool found = false;
        for (size_t s = 0; s < sc->n_stresses && !found; s++)
            found = strlen(sc->stresses[s].name) == len &&
                    strncmp(sc->stresses[s].name, item, len) == 0;
        if (!found)
            return sr_error_set(err, SR_EXIT_USAGE, "--only: no stress named '%.*s' in the "
                                "scenario", (int)len, item);
    }
    return 0;
}

/* The scenario at path as stress st makes it on top of the command line's overrides (the
 * run of a stress is the scenario as stressed). NULL on error, which names the stress. */
static sr_scenario *load_stressed(const char *path, const sr_override *overrides,
                                  size_t n_overrides, const sr_stress *st, sr_error *err)
{
    size_t n_all;
    sr_override *all = sr_stress_overrides(overrides, n_overrides, st, &n_all, err);
    if (all == NULL)
        return NULL;
    sr_scenario *sc = sr_scenario_load(path, all, n_all, err);
    free(all);
    if (sc == NULL)
        sr_error_prefix(err, "stress %s", st->name);
    return sc;
}

/* A stress file's parent group: /stress. */
static hid_t open_stress_group(void *ctx, sr_h5_file *f, sr_error *err)
{
    (void)ctx;
    return sr_variant_file_stress_parent(f, err);
}

int sr_stress_run(const sr_variants_request *rq, const char *only, sr_h5_file **file,
                  sr_error *err)
{
    sr_variants v = {0};
    sr_scenario *base = sr_scenario_load(rq->scenario, rq->overrides, rq->n_overrides, err);
    if (base == NULL)
        return err->code;
    int rc = 0;
    if (base->n_stresses == 0) {
        rc = sr_error_set(err, SR_EXIT_DATAERR, "%s: stresses: the scenario defines none "
                          "(add a `stresses:` block)", rq->scenario);
        goto done;
    }
    if (only != NULL && (rc = check_only(base, only, err)) != 0)
        goto done;
    size_t n = 1;
    for (size_t s = 0; s < base->n_stresses; s++)
        n += only == NULL || listed(only, base->stresses[s].name);
    if ((rc = sr_variants_alloc(&v, n, err)) != 0)
        goto done;
    const sr_scenario *b = base;
    rc = sr_variants_set(&v, 0, base, "base", NULL, err);
    base = NULL;   /* v owns it, and frees it once it has run */
    if (rc != 0)
        goto done;
    /* Every stress is loaded before anything runs, so one that does not apply on top of
     * the command line's overrides fails at once. */
    size_t i = 1;
    for (size_t s = 0; s < b->n_stresses; s++) {
        const sr_stress *st = &b->stresses[s];
        if (only != NULL && !listed(only, st->name))
            continue;
        char label[sizeof "stress " + SR_ERROR_MSG_MAX];
        snprintf(label, sizeof label, "stress %s", st->name);
        sr_scenario *sc = load_stressed(rq->scenario, rq->overrides, rq->n_overrides, st, err);
        if (sc == NULL || sr_variants_set(&v, i++, sc, st->name, label, err) != 0) {
            rc = err->code;
            goto done;
        }
    }
    const sr_variant_hooks hooks = {.open_parent = open_stress_group};
    rc = sr_variants_run(&v, rq, &hooks, file, err);
done:
    sr_scenario_free(base);
    sr_variants_clear(&v);
    return rc;
}
