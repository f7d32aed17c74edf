/* `sirisk validate`: the resolved model as a reader checks it, every number with its unit.
 * Uncertain numbers are shown as their distribution and mean; `$name` as the parameter.
 * Names are plain by construction (the loader refuses control characters in them); the
 * free text of a scenario (its name, a stress's overrides, the notes that quote keys and
 * values) is written through sr_text_write, escaped. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "sim/base/text.h"

/* A number-table entry as text: "0.01", "$effect", "lognormal(mu 0.3, sigma 0.2; mean 1.4)". */
static const char *num_text(const sr_model *m, sr_num n, char *buf, size_t len)
{
    const sr_numdef *d = &m->num[n];
    const double *p = d->p;
    if (d->parameter >= 0 && (size_t)d->parameter < m->n_parameters) {
        snprintf(buf, len, "$%s", m->parameters[d->parameter].name);
        return buf;
    }
    double mean = sr_numdef_mean(d);
    switch (d->kind) {
    case SR_DIST_FIXED:
        snprintf(buf, len, "%.10g", p[0]);
        break;
    case SR_DIST_BETA:
        snprintf(buf, len, "beta(mean %g, sd %g)", p[0], p[1]);
        break;
    case SR_DIST_GAMMA:
        snprintf(buf, len, "gamma(mean %g, sd %g)", p[0], p[1]);
        break;
    case SR_DIST_LOGNORMAL:
        snprintf(buf, len, "lognormal(mu %.6g, sigma %.6g; median %.6g, mean %.6g)", p[0], p[1],
                 exp(p[0]), mean);
        break;
    case SR_DIST_NORMAL:
        snprintf(buf, len, "normal(mean %g, sd %g, on [%g, %g]; mean %.6g)", p[0], p[1], p[2], p[3],
                 mean);
        break;
    case SR_DIST_UNIFORM:
        snprintf(buf, len, "uniform(%g, %g)", p[0], p[1]);
        break;
    case SR_DIST_PERT:
        snprintf(buf, len, "pert(%g, %g, %g; mean %.6g)", p[0], p[1], p[2], mean);
        break;
    case SR_DIST_TRIANGULAR:
        snprintf(buf, len, "triangular(%g, %g, %g; mean %.6g)", p[0], p[1], p[2], mean);
        break;
    }
    return buf;
}

/* NUM(n, k): number n as text in scratch buffer k (distinct k within one call). */
#define NUM(n, k) num_text(m, (n), nb[k], sizeof nb[0])

static void month_text(const sr_model *m, long t, char *buf, size_t n)
{
    long abs = (long)m->start_year * 12 + (m->start_month - 1) + t;
    long y = abs >= 0 ? abs / 12 : -((-abs + 11) / 12);
    snprintf(buf, n, "%04ld-%02ld", y, abs - y * 12 + 1);
}

static void print_flow(FILE *out, const sr_model *m, const sr_flow *f)
{
    char nb[8][160];
    fprintf(out, "municipality %s, state %s", NUM(f->amount[SR_MUNICIPALITY], 0),
            NUM(f->amount[SR_STATE], 1));
}

static void print_cashspec(FILE *out, const sr_model *m, const sr_cashspec *c)
{
    print_flow(out, m, &c->base);
    fputc('\n', out);
    for (size_t i = 0; i < c->n_by_tenure; i++) {
        fprintf(out, "        from tenure %u months: ", c->tenure_from[i]);
        print_flow(out, m, &c->by_tenure[i]);
        fputc('\n', out);
    }
    for (size_t i = 0; i < c->n_dated; i++) {
        char mt[40];
        month_text(m, c->dated_month[i], mt, sizeof mt);
        fprintf(out, "        from %s (every tenure): ", mt);
        print_flow(out, m, &c->dated[i]);
        fputc('\n', out);
    }
}

static bool cashspec_is_zero(const sr_model *m, const sr_cashspec *c)
{
    for (int p = 0; p < SR_PAYERS; p++) {
        const sr_numdef *d = &m->num[c->base.amount[p]];
        if (d->kind != SR_DIST_FIXED || d->p[0] != 0 || d->parameter >= 0)
            return false;
    }
    return c->n_by_tenure == 0 && c->n_dated == 0;
}

static void print_transitions(FILE *out, const sr_model *m)
{
    static const char *const senses[] = {"none", "pro", "counter"};
    char nb[8][160];
    fprintf(out, "\nTransitions (%zu; hazards per month, probability form per month as given):\n",
            m->n_transitions);
    for (size_t j = 0; j < m->n_transitions; j++) {
        const sr_transition *t = &m->transitions[j];
        fprintf(out, "  [%zu] %s -> %s: %s %s, macro %s (transitions[%zu])\n", j,
                m->states[t->from].name, m->states[t->to].name,
                t->is_probability ? "probability" : "hazard", NUM(t->rate, 2), senses[t->macro],
                t->source_index);
        for (size_t k = 0; k < t->n_by_tenure; k++)
            fprintf(out, "        from tenure %u months: x %s\n", t->tenure_from[k],
                    NUM(t->tenure_mult[k], 3));
        if (t->has_cash) {
            fprintf(out, "        one-off cash flow per person (DKK): ");
            print_flow(out, m, &t->cash);
            fputc('\n', out);
        }
    }
}

static void print_strata(FILE *out, const sr_model *m)
{
    char nb[8][160];
    fprintf(out, "\nStrata (%zu):\n", m->n_strata);
    for (size_t s = 0; s < m->n_strata; s++) {
        const sr_stratum *st = &m->strata[s];
        fprintf(out, "  %s: share %.10g, effect multiplier %s\n", st->name, st->share,
                NUM(st->effect_multiplier, 4));
        for (size_t j = 0; j < m->n_transitions; j++) {
            const sr_numdef *d = &m->num[st->multiply[j]];
            if (d->kind == SR_DIST_FIXED && d->parameter < 0 && d->p[0] == 1)
                continue;
            fprintf(out, "      hazard %s -> %s x %s\n", m->states[m->transitions[j].from].name,
                    m->states[m->transitions[j].to].name, NUM(st->multiply[j], 5));
        }
        for (size_t p = 0; p < m->n_programmes; p++) {
            const sr_programme *pr = &m->programmes[p];
            unsigned long long n = 0, c = 0;
            for (size_t t = 0; t < m->n_months; t++) {
                n += pr->intake[s * m->n_months + t];
                if (pr->control_intake)
                    c += pr->control_intake[s * m->n_months + t];
            }
            fprintf(out, "      programme %s: %llu persons", pr->name, n);
            if (pr->control_intake)
                fprintf(out, " (control group %llu)", c);
            fputc('\n', out);
        }
    }
    fprintf(out, "\nCash flows (DKK per person-month; + public expenditure, - revenue):\n");
    for (size_t s = 0; s < m->n_strata; s++) {
        fprintf(out, "  stratum %s:\n", m->strata[s].name);
        for (size_t i = 0; i < m->n_states; i++) {
            const sr_cashspec *c = &m->cash[s * m->n_states + i];
            fprintf(out, "    %s: ", m->states[i].name);
            if (cashspec_is_zero(m, c))
                fprintf(out, "0\n");
            else
                print_cashspec(out, m, c);
        }
    }
}

static void print_intake(FILE *out, const sr_model *m, const unsigned *intake, const char *what)
{
    fprintf(out, "    %s per calendar year:", what);
    int first = -1;
    unsigned long long year_total = 0;
    for (size_t t = 0; t <= m->n_months; t++) {
        int year = (int)(((long)m->start_year * 12 + m->start_month - 1 + (long)t) / 12);
        if (t == m->n_months || (first >= 0 && year != first)) {
            if (year_total)
                fprintf(out, " %d: %llu", first, year_total);
            year_total = 0;
        }
        if (t == m->n_months)
            break;
        first = year;
        for (size_t s = 0; s < m->n_strata; s++)
            year_total += intake[s * m->n_months + t];
    }
    fputc('\n', out);
}

static void print_programme(FILE *out, const sr_model *m, const sr_programme *p)
{
    static const char *const baselines[] = {"none", "historical", "control group"};
    char nb[8][160], a[40], b[40];
    fprintf(out, "  %s: %u persons enrolled in %s (tenure %u months)\n", p->name, p->size,
            m->states[p->initial_state].name, p->initial_tenure);
    print_intake(out, m, p->intake, "intake");
    if (p->has_intervention) {
        fprintf(out, "    intervention: hazard ratio %s on", NUM(p->hazard_ratio, 6));
        for (size_t j = 0; j < m->n_transitions; j++)
            if (p->effect_on[j])
                fprintf(out, " %s->%s", m->states[m->transitions[j].from].name,
                        m->states[m->transitions[j].to].name);
        fprintf(out, " for %u months after enrolment, fading over %u months\n", p->effect_months,
                p->fade_months);
        if (p->has_scale)
            fprintf(out, "      scaled by cohort size: reference %s persons, elasticity %s\n",
                    NUM(p->scale_reference_size, 7), NUM(p->scale_elasticity, 0));
        fprintf(out, "      costs: fixed %s DKK per year, %s DKK per participant, %s DKK per "
                "participant-month; active while in",
                NUM(p->cost_fixed_per_year, 1), NUM(p->cost_per_participant, 2),
                NUM(p->cost_per_participant_month, 3));
        for (size_t s = 0; s < m->n_states; s++)
            if (p->while_in[s])
                fprintf(out, " %s", m->states[s].name);
        fputc('\n', out);
    } else {
        fprintf(out, "    no intervention (both arms identical)\n");
    }
    if (!p->has_contract) {
        fprintf(out, "    no contract (self-funded)\n");
        return;
    }
    const sr_contract *c = &p->contract;
    const char *payer = c->payer == SR_MUNICIPALITY ? "municipality" : "state";
    if (c->type == SR_CONTRACT_SAVINGS_SHARE) {
        fprintf(out, "    contract: the %s pays a share %s of its measured savings\n", payer,
                NUM(c->share, 4));
    } else {
        fprintf(out, "    contract: the %s pays a rate card:\n", payer);
        for (size_t o = 0; o < c->n_outcomes; o++)
            fprintf(out, "      %s: %u months in %s, %s DKK per achievement%s%s\n",
                    c->outcomes[o].name, c->outcomes[o].tenure, m->states[c->outcomes[o].state].name,
                    NUM(c->outcomes[o].price, 5),
                    c->baseline == SR_BASELINE_HISTORICAL ? ", historical rate " : "",
                    c->baseline == SR_BASELINE_HISTORICAL ? NUM(c->outcomes[o].historical_rate, 6) : "");
    }
    fprintf(out, "      baseline: %s", baselines[c->baseline]);
    if (c->baseline == SR_BASELINE_CONTROL)
        fprintf(out, " of %u persons", c->control_size);
    if (c->baseline == SR_BASELINE_HISTORICAL && c->type == SR_CONTRACT_SAVINGS_SHARE) {
        fprintf(out, ", expenditure per person-month (DKK) ");
        print_flow(out, m, &c->historical_expenditure);
    }
    fputc('\n', out);
    long first = -1;
    for (size_t s = 0; s < m->n_strata && first < 0; s++)
        for (size_t t = 0; t < m->n_months; t++)
            if (p->intake[s * m->n_months + t] && (first < 0 || (long)t < first))
                first = (long)t;
    month_text(m, first, a, sizeof a);
    month_text(m, first + (long)c->term_months - 1, b, sizeof b);
    fprintf(out, "      term %u months (%s .. %s), settled %u months after each budget year\n",
            c->term_months, a, b, c->lag_months);
    if (c->has_cap_total)
        fprintf(out, "      cap %s DKK in total\n", NUM(c->cap_total, 7));
    if (c->has_annual_frame)
        fprintf(out, "      annual frame %s DKK, overflow %s\n", NUM(c->annual_frame, 0),
                c->frame_overflow == SR_OVERFLOW_DEFERRED ? "deferred" : "forfeited");
    if (c->has_termination)
        fprintf(out, "      termination hazard %s per year%s\n", NUM(c->termination_hazard_per_year, 1),
                c->termination_shared ? ", shared with other programmes" : "");
    if (p->control_intake)
        print_intake(out, m, p->control_intake, "control group");
    if (p->financing.has_guarantee)
        fprintf(out, "    financing: first-loss guarantee %s of paid-in\n", NUM(p->financing.first_loss, 2));
    if (p->financing.has_surplus_cap)
        fprintf(out, "    financing: investor IRR capped at %s per year, surplus reinvested\n",
                NUM(p->financing.cap_irr, 3));
}

static void print_macro(FILE *out, const sr_model *m)
{
    char nb[8][160];
    const sr_macro *x = &m->macro;
    switch (x->model) {
    case SR_MACRO_MODEL_NONE:
        fprintf(out, "\nMacro: none\n");
        break;
    case SR_MACRO_MODEL_REGIME:
        fprintf(out, "\nMacro: regime switching; per month to recession %s, to normal %s; in "
                "recession pro hazards x %s, counter hazards x %s; %s\n",
                NUM(x->to_recession, 4), NUM(x->to_normal, 5), NUM(x->recession_pro, 6),
                NUM(x->recession_counter, 7),
                x->start_in_recession ? "starts in recession" : "starts from the stationary distribution");
        break;
    case SR_MACRO_MODEL_GAUSSIAN:
        fprintf(out, "\nMacro: gaussian factor; rho %s, persistence %s per month\n", NUM(x->rho, 0),
                NUM(x->persistence, 1));
        break;
    }
}

/* The model: its simulation, states, transitions, strata, programmes, macro model,
 * parameters and correlations. */
static void print_model(FILE *out, const sr_model *m)
{
    char a[40], b[40];
    month_text(m, 0, a, sizeof a);
    month_text(m, (long)m->n_months - 1, b, sizeof b);
    fputs("Scenario: ", out);
    sr_text_write(out, m->name, NULL);
    fputc('\n', out);
    fprintf(out, "Simulation: %u trials, seed %llu, %s .. %s (%u months)\n", m->trials,
            (unsigned long long)m->seed, a, b, m->n_months);
    fprintf(out, "Discount: public %g per year, investor %g per year; indexation %g per year\n",
            m->discount_public, m->discount_investor, m->indexation);

    fprintf(out, "\nStates (%zu):\n", m->n_states);
    for (size_t i = 0; i < m->n_states; i++) {
        const sr_state *s = &m->states[i];
        fprintf(out, "  %s", s->name);
        if (s->tenure_max)
            fprintf(out, ": tenure tracked to %u months", s->tenure_max);
        if (s->absorbing)
            fprintf(out, "%s absorbing", s->tenure_max ? "," : ":");
        fputc('\n', out);
    }
    print_transitions(out, m);
    print_strata(out, m);
    print_macro(out, m);
    fprintf(out, "\nProgrammes (%zu):\n", m->n_programmes);
    for (size_t p = 0; p < m->n_programmes; p++)
        print_programme(out, m, &m->programmes[p]);
    if (m->n_parameters) {
        fprintf(out, "\nParameters (%zu; one draw per trial, shared by every use):\n",
                m->n_parameters);
        for (size_t i = 0; i < m->n_parameters; i++) {
            sr_numdef d = m->num[m->parameters[i].num];
            d.parameter = -1;
            char buf[160];
            sr_model view = *m;
            view.num = &d;
            fprintf(out, "  %s: %s\n", m->parameters[i].name, num_text(&view, 0, buf, sizeof buf));
        }
    }
    if (m->n_correlations) {
        fprintf(out, "\nCorrelations (Gaussian copula, of the latent normals):\n");
        for (size_t i = 0; i < m->n_correlations; i++)
            fprintf(out, "  %s ~ %s: %g\n", m->parameters[m->correlations[i].a].name,
                    m->parameters[m->correlations[i].b].name, m->correlations[i].rho);
    }
}

void sr_scenario_print(FILE *out, const sr_scenario *sc)
{
    print_model(out, sc->model);
    if (sc->n_stresses) {
        fprintf(out, "\nStresses (%zu):\n", sc->n_stresses);
        for (size_t i = 0; i < sc->n_stresses; i++) {
            fprintf(out, "  %s:", sc->stresses[i].name);
            for (size_t j = 0; j < sc->stresses[i].n_overrides; j++) {
                fputc(' ', out);
                sr_text_write(out, sc->stresses[i].overrides[j].path, NULL);
                fputc('=', out);
                sr_text_write(out, sc->stresses[i].overrides[j].value, NULL);
            }
            fputc('\n', out);
        }
    }
    if (sc->notes && sc->notes[0]) {
        fprintf(out, "\nNotes:\n  ");
        sr_text_write(out, sc->notes, "\n  ");   /* one note a line, each indented */
        fputc('\n', out);
    }
}
