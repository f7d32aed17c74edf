/* The programmes' tables and the top level's setter of them (scenario_programme.c). */
#ifndef SR_SCENARIO_PROGRAMME_H
#define SR_SCENARIO_PROGRAMME_H

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/schema.h"

/* Fills m->programmes from the `programmes` list. */
int sr_sl_programmes(sr_sload *L, const sr_key *row, int node, void *target);
extern const sr_table sr_programme_table;

#endif
