/* A contract's terms resolved for one trial, and a change of one term: what a price
 * search varies (README `sirisk price`). Contract terms never change the arms' paths, so a
 * trial can be settled under changed terms from its measured points alone
 * (models/measure.h); the terms below are all such a settlement reads. Pure: plain numbers
 * in, numbers out. */
#ifndef SR_TERMS_H
#define SR_TERMS_H

#include <stddef.h>

#include "finance.h"
#include "measure.h"
#include "settlement.h"

/* One programme's contract terms in one trial: its measurement (prices, share, historical
 * baseline), its settlement clauses (frame, cap, cancellation) and its financing clauses
 * (guarantee, surplus cap). */
typedef struct {
    sr_measure_terms measure;
    sr_settle_terms settle;
    sr_investor_terms investor;
} sr_contract_terms;

/* The terms a price search can vary. */
typedef enum {
    SR_TERM_PRICE,            /* one rate-card outcome's price, DKK per achievement */
    SR_TERM_PRICE_SCALE,      /* a factor on every rate-card outcome's price (1: as drawn) */
    SR_TERM_SHARE,            /* a savings share's share of the measured savings */
    SR_TERM_CAP_TOTAL,        /* the most paid over the contract, DKK nominal */
    SR_TERM_ANNUAL_FRAME,     /* the most paid at one settlement, DKK nominal */
    SR_TERM_FIRST_LOSS,       /* the guarantee's share of paid-in (a guarantee from now on) */
    SR_TERM_CAP_IRR,          /* the surplus cap's annual IRR (a surplus cap from now on) */
} sr_term_kind;

/* A term set to a value, in every trial, for one programme. */
typedef struct {
    sr_term_kind kind;
    size_t programme;         /* index into the model's programmes */
    size_t outcome;           /* SR_TERM_PRICE: which outcome */
    double value;
} sr_term;

/* Sets t's term in terms (the terms of t's programme). A price or a scale writes the new
 * prices into price[terms->measure.n_outcomes] (the caller's scratch) and points
 * terms->measure.price at it; the other terms are set in place. */
void sr_term_apply(const sr_term *t, sr_contract_terms *terms, double *price);

#endif
