/* Hazards (docs/model.md): the monthly hazard of a transition for a stratum at a tenure,
 * the programme's hazard ratio in each effect phase, and the macro labour market's action
 * on a hazard. Hazards are per month; a hazard ratio multiplies a hazard.
 *
 * Effect phases: phase 0 is no effect (hazard ratio 1); phase 1 the full hazard ratio;
 * phase 2+k fade month k (docs/model.md). */
#ifndef SR_HAZARD_H
#define SR_HAZARD_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The macro labour market's action on hazards in one month (docs/model.md). */
typedef struct {
    double pro, counter;      /* hazard multipliers (regime model); 1 = no effect */
    bool factor;              /* gaussian factor: p' = Phi((Phi^-1(p) + s*shift) * inv_sd) */
    double shift;             /* sqrt(rho) * Z_t */
    double inv_sd;            /* 1 / sqrt(1 - rho) */
} sr_macro_cond;

extern const sr_macro_cond sr_macro_neutral;

/* Number of effect phases a programme needs: 1 without intervention, else 2 + fade. */
size_t sr_effect_phases(const sr_programme *p);

/* The hazard ratio of phase `phase` for stratum s (docs/model.md), with size scaling. */
double sr_phase_hazard_ratio(const sr_model *m, const sr_programme *p, const double *v,
                             size_t stratum, size_t phase);

/* The monthly hazard of transition j for stratum s at tenure `tenure`, hazard ratio hr
 * (applied only if the programme's effect covers j), before macro conditions. */
double sr_transition_hazard(const sr_model *m, const double *v, size_t j, size_t stratum,
                            unsigned tenure, double hr, const sr_programme *p);

/* The macro condition's action on one hazard h of a transition of the given sense
 * (docs/model.md); z = Phi^-1(1 - exp(-h)), the probit of its monthly probability (NaN
 * where that is 0), used by the factor model. */
double sr_macro_hazard(double h, double z, sr_macro_sense sense, const sr_macro_cond *c);

#endif
