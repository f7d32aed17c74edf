/* The dynamics' tables and the top level's setters of them (scenario_dynamics.c). */
#ifndef SR_SCENARIO_DYNAMICS_H
#define SR_SCENARIO_DYNAMICS_H

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/schema.h"

/* States (also the state lookup), transitions (expanded; the transition lookup), strata
 * (each stratum's node kept in stratum_nodes), cash flows (top level and per stratum). */
int sr_sl_states(sr_sload *L, const sr_key *row, int node, void *target);
int sr_sl_transitions(sr_sload *L, const sr_key *row, int node, void *target);
int sr_sl_strata(sr_sload *L, const sr_key *row, int node, void *target);
int sr_sl_cash(sr_sload *L, const sr_key *row, int node, void *target);
extern const sr_table sr_state_table, sr_transition_table, sr_stratum_table, sr_cashflows_table;
extern const sr_table sr_macro_table;

#endif
