/* The runner of variants: check, run, write, free, one variant at a time. What a variant
 * is and how the file holds them is in variants.h. */
#include "sim/variants/variants.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5util.h"
#include "sim/resultset/h5write.h"
#include "sim/variants/memory.h"

int sr_variants_alloc(sr_variants *v, size_t n, sr_error *err)
{
    memset(v, 0, sizeof *v);
    v->scenario = calloc(n > 0 ? n : 1, sizeof *v->scenario);
    v->name = calloc(n > 0 ? n : 1, sizeof *v->name);
    v->label = calloc(n > 0 ? n : 1, sizeof *v->label);
    if (v->scenario == NULL || v->name == NULL || v->label == NULL) {
        sr_variants_clear(v);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for %zu variants", n);
    }
    v->n = n;
    return 0;
}

static char *copy_text(const char *s)
{
    char *c = malloc(strlen(s) + 1);
    if (c != NULL)
        strcpy(c, s);
    return c;
}

int sr_variants_set(sr_variants *v, size_t i, sr_scenario *sc, const char *name,
                    const char *label, sr_error *err)
{
    v->scenario[i] = sc;
    if ((v->name[i] = copy_text(name)) == NULL ||
        (label != NULL && (v->label[i] = copy_text(label)) == NULL))
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    return 0;
}

void sr_variants_clear(sr_variants *v)
{
    for (size_t i = 0; i < v->n; i++) {
        sr_scenario_free(v->scenario[i]);
        free(v->name[i]);
        free(v->label[i]);
    }
    free(v->scenario);
    free(v->name);
    free(v->label);
    memset(v, 0, sizeof *v);
}

/* The file being written and its parent group; both are set once variant 0 is in. */
typedef struct {
    sr_h5_file *file;
    hid_t parent;
} writing;

/* Writes variant i's result set rs into the file of rq->output, creating it at variant 0:
 * variant 0's root layout, what the hooks put before the parent group, the parent, and
 * variant 0's group linking to the root; variant i > 0's group with its whole layout. */
static int write_variant(const sr_variants *v, size_t i, const sr_resultset *rs,
                         const sr_variants_request *rq, const sr_variant_hooks *h,
                         writing *w, sr_error *err)
{
    if (i == 0) {
        if ((w->file = sr_h5_file_create(rq->output, err)) == NULL)
            return err->code;   /* the message names the file */
        hid_t root = sr_h5_file_root(w->file);
        if (sr_h5_write_layout(root, rs, err) != 0 ||
            (w->parent = h->open_parent(h->ctx, w->file, err)) < 0 ||
            sr_h5_write_layout_group(w->parent, v->name[0], root, rs, err) != 0)
            goto fail;
    } else if (sr_h5_write_layout_group(w->parent, v->name[i], H5I_INVALID_HID, rs,
                                        err) != 0) {
        goto fail;
    }
    return 0;
fail:
    sr_error_prefix(err, "%s", rq->output);
    return err->code;
}

int sr_variants_run(sr_variants *v, const sr_variants_request *rq, const sr_variant_hooks *h,
                    sr_h5_file **file, sr_error *err)
{
    if (file != NULL)
        *file = NULL;
    writing w = {NULL, H5I_INVALID_HID};
    int rc = sr_memory_check(rq->scenario, v->scenario, (const char *const *)v->label, v->n,
                             rq->run, err);
    const bool progress = rq->run != NULL && rq->run->progress;
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        if (progress && h->show_progress != NULL)
            h->show_progress(h->ctx, i);
        const sr_scenario *sc = v->scenario[i];
        sr_resultset *rs = sr_run(sc->model, sc->text, rq->run, err);
        if (rs == NULL) {
            if (v->label[i] != NULL)
                sr_error_prefix(err, "%s", v->label[i]);
            rc = err->code;
            break;
        }
        if (h->after_run != NULL)
            rc = h->after_run(h->ctx, i, sc->model, rs, err);
        if (rc == 0 && rq->output != NULL)
            rc = write_variant(v, i, rs, rq, h, &w, err);
        sr_resultset_free(rs);
        sr_scenario_free(v->scenario[i]);
        v->scenario[i] = NULL;
    }
    if (w.parent >= 0 && H5Gclose(w.parent) < 0 && rc == 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot close the group of "
                        "the variants");
        sr_error_prefix(err, "%s", rq->output);
    }
    if (rc != 0) {
        sr_h5_file_abort(w.file);
        return rc;
    }
    if (file != NULL)
        *file = w.file;
    else
        sr_h5_file_abort(w.file);   /* nobody to publish it */
    return 0;
}
