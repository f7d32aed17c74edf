/* A change of one contract term (terms.h). A scale multiplies each trial's own price, so
 * that a scale of s on prices drawn from distributions scales every draw; on fixed prices
 * it is the same as setting each price to s times its value. */
#include "terms.h"

void sr_term_apply(const sr_term *t, sr_contract_terms *terms, double *price)
{
    sr_measure_terms *m = &terms->measure;
    switch (t->kind) {
    case SR_TERM_PRICE:
    case SR_TERM_PRICE_SCALE:
        for (size_t o = 0; o < m->n_outcomes; o++)
            price[o] = t->kind == SR_TERM_PRICE_SCALE ? t->value * m->price[o]
                     : o == t->outcome               ? t->value
                                                     : m->price[o];
        m->price = price;
        return;
    case SR_TERM_SHARE:
        m->share = t->value;
        return;
    case SR_TERM_CAP_TOTAL:
        terms->settle.cap_total = t->value;
        return;
    case SR_TERM_ANNUAL_FRAME:
        terms->settle.annual_frame = t->value;
        return;
    case SR_TERM_FIRST_LOSS:
        terms->investor.has_guarantee = true;
        terms->investor.first_loss = t->value;
        return;
    case SR_TERM_CAP_IRR:
        terms->investor.has_surplus_cap = true;
        terms->investor.cap_irr = t->value;
        return;
    }
}
