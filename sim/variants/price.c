/* A price search from end to end (price.h): the scenario and the search's words checked,
 * every value the search may give a term checked as a scenario, the memory checked, one run
 * with its records kept, the search, and the result file. */
#include "sim/variants/price.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/size.h"
#include "sim/engine/records.h"
#include "sim/engine/resettle.h"
#include "sim/engine/run.h"
#include "sim/variants/memory.h"
#include "sim/variants/price_search.h"

/* The share of trials in which the paying budget may lose, by default. */
#define DEFAULT_MUNICIPALITY_RISK 0.1

/* The scenario of rq with the term t at value v: the command line's overrides, then the
 * term's --sets. NULL with err (SR_EXIT_DATAERR naming the --set when v is not a valid
 * value of the term). */
static sr_scenario *load_at(const sr_variants_request *rq, const sr_model *m,
                            const sr_price_term *t, double v, sr_error *err)
{
    size_t n_sets = 0;
    char **sets = sr_price_term_sets(t, m, v, &n_sets);
    sr_override *ov = calloc(rq->n_overrides + n_sets, sizeof *ov);
    sr_scenario *sc = NULL;
    size_t parsed = 0;
    if (sets == NULL || ov == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    if (rq->n_overrides > 0)
        memcpy(ov, rq->overrides, rq->n_overrides * sizeof *ov);
    for (; parsed < n_sets; parsed++)
        if (sr_override_parse(sets[parsed], &ov[rq->n_overrides + parsed], err) != 0)
            goto done;
    sc = sr_scenario_load(rq->scenario, ov, rq->n_overrides + n_sets, err);
done:
    for (size_t k = 0; k < parsed; k++)
        sr_override_clear(&ov[rq->n_overrides + k]);
    free(ov);
    sr_price_sets_free(sets, n_sets);
    return sc;
}

/* Whether the term t can take the value v: a valid scenario. */
static int check_value(const sr_variants_request *rq, const sr_model *m, const sr_price_term *t,
                       double v, sr_error *err)
{
    sr_scenario *sc = load_at(rq, m, t, v, err);
    if (sc == NULL)
        return err->code;
    sr_scenario_free(sc);
    return 0;
}

/* A default bracket: a share of 0 to 1 (of the measured savings, of paid-in for a
 * guarantee), a factor of 0 to 4 on the prices, an IRR cap of -0.5 to 1, and from 0 to
 * four times the scenario's value for a price, a cap or a frame. */
static int default_bracket(const sr_price_term *t, double b[2], sr_error *err)
{
    b[0] = 0.0;
    switch (t->term.kind) {
    case SR_TERM_SHARE:
    case SR_TERM_FIRST_LOSS:
        b[1] = 1.0;
        return 0;
    case SR_TERM_PRICE_SCALE:
        b[1] = 4.0;
        return 0;
    case SR_TERM_CAP_IRR:
        b[0] = -0.5;
        b[1] = 1.0;
        return 0;
    case SR_TERM_PRICE:
    case SR_TERM_CAP_TOTAL:
    case SR_TERM_ANNUAL_FRAME:
        b[1] = 4.0 * t->as_given;
        if (b[1] > 0.0)
            return 0;
        break;
    }
    return sr_error_set(err, SR_EXIT_USAGE, "--vary %s: the scenario gives it no positive "
                        "value to bracket from: give --bracket LO,HI", t->path);
}

static int prepare_solve(const sr_variants_request *rq, const sr_price_spec *spec,
                         const sr_model *m, sr_price_solution *sol, sr_error *err)
{
    int rc = sr_price_term_parse(spec->vary, m, &sol->term, err);
    if (rc == 0)
        rc = sr_price_target_parse(spec->target, m, &sol->target, err);
    if (rc != 0)
        return rc;
    sol->target_text = spec->target;
    if (spec->bracket != NULL)
        sscanf(spec->bracket, "%lf,%lf", &sol->bracket[0], &sol->bracket[1]);
    else if ((rc = default_bracket(&sol->term, sol->bracket, err)) != 0)
        return rc;
    for (size_t k = 0; k < 2 && rc == 0; k++)
        rc = check_value(rq, m, &sol->term, sol->bracket[k], err);
    return rc;
}

/* The values of --map PATH=V1,V2,..., into map's term k. */
static int prepare_map_term(const sr_variants_request *rq, const char *text, const sr_model *m,
                            sr_price_map *map, size_t k, sr_error *err)
{
    const size_t len = strcspn(text, "=");
    char *path = map->paths[k] = malloc(len + 1);
    if (path == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    memcpy(path, text, len);
    path[len] = '\0';
    int rc = sr_price_term_parse(path, m, &map->terms[k], err);
    if (rc != 0)
        return rc;
    for (size_t j = 0; j < k; j++)
        if (map->terms[j].term.kind == map->terms[k].term.kind &&
            map->terms[j].term.programme == map->terms[k].term.programme &&
            map->terms[j].term.outcome == map->terms[k].term.outcome)
            return sr_error_set(err, SR_EXIT_USAGE, "--map: %s is mapped twice", path);
    map->values[k] = malloc(SR_PRICE_MAX_VALUES * sizeof(double));
    if (map->values[k] == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    size_t n = 0;
    sr_price_numbers(text + len + 1, map->values[k], SR_PRICE_MAX_VALUES, &n);
    map->n_values[k] = n;
    for (size_t j = 0; j < n && rc == 0; j++)
        rc = check_value(rq, m, &map->terms[k], map->values[k][j], err);
    return rc;
}

static int prepare_map(const sr_variants_request *rq, const sr_price_spec *spec,
                       const sr_model *m, sr_price_map *map, sr_error *err)
{
    map->n_terms = spec->n_maps;
    map->investor_irr = spec->investor_irr != NULL ? strtod(spec->investor_irr, NULL)
                                                   : m->discount_investor;
    map->municipality_risk = spec->municipality_risk != NULL
                                 ? strtod(spec->municipality_risk, NULL)
                                 : DEFAULT_MUNICIPALITY_RISK;
    for (size_t k = 0; k < spec->n_maps; k++) {
        int rc = prepare_map_term(rq, spec->map[k], m, map, k, err);
        if (rc != 0)
            return rc;
    }
    map->n_points = map->n_values[0] * (map->n_terms > 1 ? map->n_values[1] : 1);
    map->point = malloc(map->n_points * map->n_terms * sizeof *map->point);
    if (map->point == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    for (size_t i = 0; i < map->n_points; i++) {
        const size_t inner = map->n_terms > 1 ? map->n_values[1] : 1;
        map->point[i * map->n_terms] = map->values[0][i / inner];
        if (map->n_terms > 1)
            map->point[i * map->n_terms + 1] = map->values[1][i % inner];
    }
    return 0;
}

/* The bytes a search holds beside the run: its workspaces and columns of the trials. */
static double search_bytes(const sr_model *m, int threads, bool is_map)
{
    const size_t columns = is_map ? 7 : 2;   /* map: five figures; both: a column, scratch */
    return sr_resettle_bytes(m, threads) +
           (double)columns * sr_array_bytes(m->trials, sizeof(double));
}

/* Replaces rs's scenario text with that of the scenario at the solved term, and keeps the
 * --sets that make it. */
static int take_solution_text(const sr_variants_request *rq, const sr_model *m,
                              sr_price_solution *sol, sr_resultset *rs, sr_error *err)
{
    sr_scenario *sc = load_at(rq, m, &sol->term, sol->value, err);
    if (sc == NULL)
        return err->code;
    free(rs->scenario_text);
    rs->scenario_text = sc->text;
    sc->text = NULL;
    sr_scenario_free(sc);
    sol->sets = sr_price_term_sets(&sol->term, m, sol->value, &sol->n_sets);
    return sol->sets == NULL ? sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory") : 0;
}

/* The result file: the root layout of rs, then /price. */
static int write_file(const sr_variants_request *rq, const sr_resultset *rs,
                      const sr_price_result *r, sr_h5_file **file, sr_error *err)
{
    sr_h5_file *f = sr_h5_file_create(rq->output, err);
    if (f == NULL)
        return err->code;
    if (sr_h5_write_layout(sr_h5_file_root(f), rs, err) != 0 || sr_price_write(f, r, err) != 0) {
        sr_error_prefix(err, "%s", rq->output);
        sr_h5_file_abort(f);
        return err->code;
    }
    *file = f;
    return 0;
}

int sr_price_run(const sr_variants_request *rq, const sr_price_spec *spec,
                 sr_price_result *out, sr_h5_file **file, sr_error *err)
{
    memset(out, 0, sizeof *out);
    if (file != NULL)
        *file = NULL;
    int rc = sr_price_spec_check(spec, err);
    if (rc != 0)
        return rc;
    sr_scenario *sc = sr_scenario_load(rq->scenario, rq->overrides, rq->n_overrides, err);
    if (sc == NULL)
        return err->code;
    const sr_model *m = sc->model;
    out->is_map = spec->n_maps > 0;
    out->n_trials = m->trials;
    rc = out->is_map ? prepare_map(rq, spec, m, &out->map, err)
                     : prepare_solve(rq, spec, m, &out->solve, err);
    sr_run_options ro = rq->run != NULL ? *rq->run : (sr_run_options){0};
    ro.keep_records = true;
    const int threads = sr_run_threads(m, &ro);
    if (rc == 0)
        rc = sr_memory_check_extra(rq->scenario, sc, &ro,
                                   search_bytes(m, threads, out->is_map), err);
    sr_resultset *rs = NULL;
    if (rc == 0 && (rs = sr_run(m, sc->text, &ro, err)) == NULL)
        rc = err->code;
    sr_price_search s = {
        .n_trials = m->trials,
        .interrupted = ro.interrupted,
        .progress = ro.progress,
    };
    if (rc == 0) {
        s.resettle = sr_resettle_alloc(m, rs, threads);
        s.column = malloc(m->trials * sizeof *s.column);
        s.scratch = malloc(m->trials * sizeof *s.scratch);
        if (s.resettle == NULL || s.column == NULL || s.scratch == NULL)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the search");
    }
    if (rc == 0)
        rc = out->is_map ? sr_price_map_run(&s, &out->map, err)
                         : sr_price_solve(&s, &out->solve, rs, err);
    if (s.progress && s.settled > 0)
        fputc('\n', stderr);   /* after the count of candidates */
    sr_resettle_free(s.resettle);
    free(s.column);
    free(s.scratch);
    if (rs != NULL) {   /* the records are not written, and no longer needed */
        sr_records_free(rs->records);
        rs->records = NULL;
    }
    if (rc == 0 && !out->is_map)
        rc = take_solution_text(rq, m, &out->solve, rs, err);
    if (rc == 0 && rq->output != NULL)
        rc = write_file(rq, rs, out, file, err);
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    return rc;
}

void sr_price_result_clear(sr_price_result *r)
{
    sr_price_solution *s = &r->solve;
    free(s->batch_values);
    free(s->batch_statistics);
    free(s->candidates);
    sr_price_sets_free(s->sets, s->n_sets);
    sr_price_map *m = &r->map;
    for (size_t k = 0; k < SR_PRICE_MAX_MAPS; k++) {
        free(m->values[k]);
        free(m->paths[k]);
    }
    free(m->point);
    for (size_t k = 0; k < SR_MAP_COLUMNS; k++)
        free(m->column[k]);
    memset(r, 0, sizeof *r);
}
