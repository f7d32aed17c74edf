/* The words of the report and the export, English and Danish (words.h). Danish follows
 * the usage of Danish municipal business cases: "betaling for resultater", "egen
 * finansiering", "nutidsværdi", "fraktil". */
#include "sim/cli/words.h"

#include <string.h>

static const sr_words english = {
    .payer = {"the municipality", "the state", "the paying budget"},
    .payer_owner = {"the municipality's", "the state's", "the paying budget's"},

    .report = "Risk report",
    .trials_word = "trials",
    .subtitle = "Risk report \xc2\xb7 %1$s simulated trials \xc2\xb7 seed %2$s \xc2\xb7 "
                "sirisk %3$s \xc2\xb7 written %4$s",
    .intro = "This report shows what the programme may bring %1$s and its investors. Every "
             "figure comes from %2$s simulated futures (trials) of the same programme: the "
             "spread between them is the risk. Amounts are present values in millions of "
             "DKK (mDKK) unless a chart says otherwise; the deterministic value is what a "
             "spreadsheet business case, every number at its average, would give.",
    .key_sib = "Net result, paying by results",
    .key_selffund = "Net result, funding it itself",
    .key_q05 = "Worst 5% of trials, paying by results",
    .key_loss = "Investors lose money",
    .key_sib_note = "expected (mean over all trials)",
    .key_selffund_note = "expected (mean over all trials)",
    .key_q05_note = "the net result is below this in 1 trial of 20",
    .key_loss_note = "share of trials in which they get back less than they paid in",

    .h_net = "Net result for %1$s: fund it itself, or pay by results",
    .net_title = "Net result over the whole horizon, per trial",
    .net_x = "net result (mDKK, present value)",
    .share_y = "share of trials (%)",
    .pay_by_results = "Pay by results",
    .fund_itself = "Fund it itself",
    .mark_mean = "mean",
    .mark_q05 = "5% quantile",
    .mark_det = "deterministic",
    .mark_zero = "0",
    .loss_region = "loss",
    .read_net = "Funding the programme itself, %1$s net result averages %4$s and falls below "
                "%5$s in 5%% of trials; paying by results, it averages %2$s and falls below "
                "%3$s in 5%% of trials.",
    .read_net_selffund = "Funding the programme itself, %1$s net result averages %2$s and "
                         "falls below %3$s in 5%% of trials.",
    .hist_counts = "Trials per bar",
    .bin_from = "from (mDKK)",
    .bin_to = "to (mDKK)",
    .trials_in_bin = "trials",
    .h_transfer = "What paying by results costs and risks",
    .read_transfer = "Paying by results moves the risk to investors at a price of %2$s "
                     "(expected payments less expected programme cost; below zero when "
                     "investors are expected to lose); %1$s pays while its savings are zero "
                     "or less in %3$s of trials, and overpays %4$s on average.",

    .h_budget = "Budget years",
    .budget_note = "The file holds, for each calendar year, the spread of each flow over "
                   "trials, but not each trial's yearly flows, so the spread of the yearly "
                   "net result cannot be read from it. The charts show each flow's own "
                   "spread: the bands of different flows do not add up.",
    .budget_savings_title = "Yearly savings of %1$s (nominal)",
    .budget_total_title = "Yearly public savings (nominal)",
    .budget_flows_title = "Yearly programme cost and payments for results (nominal)",
    .year_x = "calendar year",
    .per_year_y = "mDKK per year (nominal)",
    .read_budget_savings = "Savings of %1$s peak in %2$s at a median of %3$s; in 5%% of "
                           "trials they are below %4$s that year.",
    .read_budget_flows = "The programme's cost is highest in %1$s (median %2$s), payments "
                         "for results in %3$s (median %4$s).",
    .read_budget_cost = "The programme's cost is highest in %1$s (median %2$s).",
    .band_90 = "5\xe2\x80\x93" "95% of trials",
    .band_50 = "25\xe2\x80\x93" "75%",
    .median = "median",

    .yearly_net_title = "Net result of %1$s per budget year (nominal)",
    .read_yearly_net = "Funding the programme itself, %1$s net result is lowest in %2$s (median "
                       "%3$s, below %4$s in 5%% of trials); paying by results, in %5$s (median "
                       "%6$s, below %7$s in 5%% of trials).",
    .read_yearly_net_selffund = "Funding the programme itself, %1$s net result is lowest in "
                                "%2$s (median %3$s, below %4$s in 5%% of trials).",
    .cumulative_title = "Cumulative net result of %1$s from the first budget year (nominal)",
    .cumulative_y = "mDKK, cumulative (nominal)",
    .read_cumulative = "By %1$s, the cumulative net result funding the programme itself has a "
                       "median of %2$s and is below %3$s in 5%% of trials; paying by results, a "
                       "median of %4$s, below %5$s in 5%% of trials.",
    .read_cumulative_selffund = "By %1$s, the cumulative net result funding the programme "
                                "itself has a median of %2$s and is below %3$s in 5%% of "
                                "trials.",
    .payback_title = "Payback year: from when the cumulative net result stays at or above 0",
    .payback_x = "share of trials (%)",
    .read_payback = "Funding the programme itself, %1$s of trials pay back within the horizon; "
                    "paying by results, %2$s.",
    .read_payback_selffund = "Funding the programme itself, %1$s of trials pay back within the "
                             "horizon.",
    .never = "never (within the horizon)",

    .h_investors = "Investors",
    .irr_title = "Investors' internal rate of return (IRR), per trial",
    .irr_x = "IRR (% per year)",
    .read_irr = "Investors lose money in %1$s of trials; the median IRR is %2$s a year, and "
                "in 5%% of the trials with an IRR it is below %3$s.",
    .irr_left_out = "%1$s of %2$s trials have no IRR (the investors' flows do not change "
                    "sign, or the rate lies outside \xe2\x88\x92" "99%% to 1,000%% a year) "
                    "and are not in the chart or its figures.",
    .moic_title = "Money back per krone invested, per trial",
    .moic_x = "multiple of what investors paid in (nominal)",
    .read_moic = "In the median trial investors get back %1$s what they paid in; in 5%% of "
                 "trials less than %2$s.",
    .break_even = "break-even",
    .read_guarantee = "The first-loss guarantee pays investors in %1$s of trials (%2$s on "
                      "average over all trials, nominal); the surplus cap passes returns "
                      "above its rate to reinvestment in %3$s of trials (%4$s on average).",

    .h_programmes = "Programmes",
    .programmes_title = "Expected net result per programme",
    .programmes_x = "mDKK, present value",
    .read_programmes = "Paying by results, %1$s has the highest expected net result (%2$s) "
                       "and %3$s the lowest (%4$s).",
    .read_programmes_selffund = "Funding them itself, %1$s has the highest expected net "
                                "result (%2$s) and %3$s the lowest (%4$s).",
    .read_diversification = "Pooling the %1$s programmes, the worst 5%% of trials average "
                            "%2$s paying by results, against %3$s if every programme's worst "
                            "trials came together.",
    .h_diversification = "Diversification",

    .h_stresses = "Stresses",
    .stress_intro = "Each stress changes the scenario (a recession, a weaker effect, \xe2\x80\xa6) and "
                    "runs on the same random numbers as the base, so each difference from "
                    "the base is the stress, not noise.",
    .stress_title = "%1$s under each stress: mean and 5%% quantile",
    .read_stress = "\xe2\x80\x9c%6$s\xe2\x80\x9d falls most under %1$s: its mean from %2$s "
                   "to %3$s and its 5%% quantile from %4$s to %5$s.",
    .read_stress_none = "No stress lowers the mean of \xe2\x80\x9c%1$s\xe2\x80\x9d.",
    .mean_word = "mean",
    .q05_word = "5% quantile",

    .h_sweep = "Sweep",
    .sweep_intro = "The scenario was run at %3$s values of %1$s (%2$s), all on the same "
                   "random numbers, so the differences between points are the swept value, "
                   "not noise.",
    .power_title = "Power of the evaluation",
    .power_y = "% of trials in which it finds the effect",
    .read_sweep_power = "The evaluation's power goes from %1$s at %2$s to %3$s at %4$s.",
    .cv_title = "Coefficient of variation of savings",
    .cv_y = "sd / mean",
    .read_sweep_cv = "The coefficient of variation of savings goes from %1$s at %2$s to "
                     "%3$s at %4$s.",
    .per_participant_title = "Savings and cost per participant",
    .per_participant_y = "DKK per participant (present value)",
    .read_sweep_money = "From %5$s to %6$s, savings per participant go from %1$s to %2$s and "
                        "cost per participant from %3$s to %4$s.",
    .savings_pp = "savings per participant",
    .cost_pp = "cost per participant",
    .sweep_point0 = "The root of the file holds point 0; every point's full result set is "
                    "under /sweep/points/<point>/.",
    .paired_with = "with",
    .savings_pp_title = "Savings per participant",
    .cost_pp_title = "Cost per participant",
    .read_sweep_savings = "Savings per participant go from %1$s at %2$s to %3$s at %4$s.",
    .read_sweep_cost = "Cost per participant goes from %1$s at %2$s to %3$s at %4$s.",

    .h_all = "All figures of the portfolio",
    .note_left_out = "%1$s: %2$s of %3$s trials have no value and are left out of its "
                     "figures.",
    .h_provenance = "Where these figures come from",
    .scenario_text = "The scenario as run (YAML)",
    .footer = "Written by sirisk %1$s from %2$s. Every figure on this page is read from that "
              "file.",
    .chart_data = "The numbers behind the chart",
};

static const sr_words danish = {
    .payer = {"kommunen", "staten", "den betalende kasse"},
    .payer_owner = {"kommunens", "statens", "den betalende kasses"},

    .report = "Risikorapport",
    .trials_word = "simuleringer",
    .subtitle = "Risikorapport \xc2\xb7 %1$s simuleringer \xc2\xb7 seed %2$s \xc2\xb7 "
                "sirisk %3$s \xc2\xb7 skrevet %4$s",
    .intro = "Rapporten viser, hvad indsatsen kan give %1$s og investorerne. Hvert tal "
             "bygger på %2$s simulerede forløb af den samme indsats; spredningen mellem dem "
             "er risikoen. Beløb er nutidsværdier i millioner kroner (mio. kr.), medmindre "
             "en figur siger andet; den deterministiske værdi er det, en "
             "regnearks-businesscase med alle tal sat til deres gennemsnit ville give.",
    .key_sib = "Nettoresultat ved betaling for resultater",
    .key_selffund = "Nettoresultat ved egen finansiering",
    .key_q05 = "De værste 5 % af simuleringerne ved betaling for resultater",
    .key_loss = "Investorerne taber penge",
    .key_sib_note = "forventet (gennemsnit over alle simuleringer)",
    .key_selffund_note = "forventet (gennemsnit over alle simuleringer)",
    .key_q05_note = "nettoresultatet er under dette i 1 af 20 simuleringer",
    .key_loss_note = "andel af simuleringerne, hvor de får mindre tilbage, end de skød ind",

    .h_net = "Nettoresultat for %1$s: egen finansiering eller betaling for resultater",
    .net_title = "Nettoresultat over hele perioden, pr. simulering",
    .net_x = "nettoresultat (mio. kr., nutidsværdi)",
    .share_y = "andel af simuleringer (%)",
    .pay_by_results = "Betaling for resultater",
    .fund_itself = "Egen finansiering",
    .mark_mean = "gennemsnit",
    .mark_q05 = "5 %-fraktil",
    .mark_det = "deterministisk",
    .mark_zero = "0",
    .loss_region = "tab",
    .read_net = "Ved egen finansiering er %1$s nettoresultat i gennemsnit %4$s og under %5$s "
                "i 5 %% af simuleringerne; ved betaling for resultater er det i gennemsnit %2$s "
                "og under %3$s i 5 %% af simuleringerne.",
    .read_net_selffund = "Ved egen finansiering er %1$s nettoresultat i gennemsnit %2$s og "
                         "under %3$s i 5 %% af simuleringerne.",
    .hist_counts = "Simuleringer pr. søjle",
    .bin_from = "fra (mio. kr.)",
    .bin_to = "til (mio. kr.)",
    .trials_in_bin = "simuleringer",
    .h_transfer = "Hvad betaling for resultater koster og risikerer",
    .read_transfer = "Betaling for resultater flytter risikoen til investorerne til en pris af "
                     "%2$s (forventede betalinger minus forventede omkostninger; under nul, "
                     "når investorerne forventes at tabe); %1$s betaler, selv om besparelsen "
                     "er nul eller mindre, i %3$s af simuleringerne og overbetaler i "
                     "gennemsnit %4$s.",

    .h_budget = "Budgetår",
    .budget_note = "Filen rummer for hvert kalenderår spredningen af hver strøm over "
                   "simuleringerne, men ikke hver simulerings årlige strømme, så spredningen "
                   "af det årlige nettoresultat kan ikke aflæses af den. Figurerne viser hver "
                   "strøms egen spredning: båndene for forskellige strømme kan ikke lægges "
                   "sammen.",
    .budget_savings_title = "Årlig besparelse for %1$s (nominelt)",
    .budget_total_title = "Årlig offentlig besparelse (nominelt)",
    .budget_flows_title = "Årlige omkostninger til indsatsen og resultatbetalinger "
                          "(nominelt)",
    .year_x = "kalenderår",
    .per_year_y = "mio. kr. pr. år (nominelt)",
    .read_budget_savings = "Besparelsen for %1$s topper i %2$s med en median på %3$s; i 5 %% "
                           "af simuleringerne er den under %4$s det år.",
    .read_budget_flows = "Indsatsens omkostninger er størst i %1$s (median %2$s), "
                         "resultatbetalingerne i %3$s (median %4$s).",
    .read_budget_cost = "Indsatsens omkostninger er størst i %1$s (median %2$s).",
    .band_90 = "5\xe2\x80\x93" "95 % af simuleringerne",
    .band_50 = "25\xe2\x80\x93" "75 %",
    .median = "median",

    .yearly_net_title = "Nettoresultat for %1$s pr. budgetår (nominelt)",
    .read_yearly_net = "Ved egen finansiering er %1$s nettoresultat lavest i %2$s (median %3$s, "
                       "under %4$s i 5 %% af simuleringerne); ved betaling for resultater i %5$s "
                       "(median %6$s, under %7$s i 5 %% af simuleringerne).",
    .read_yearly_net_selffund = "Ved egen finansiering er %1$s nettoresultat lavest i %2$s "
                                "(median %3$s, under %4$s i 5 %% af simuleringerne).",
    .cumulative_title = "Akkumuleret nettoresultat for %1$s fra første budgetår (nominelt)",
    .cumulative_y = "mio. kr., akkumuleret (nominelt)",
    .read_cumulative = "I %1$s har det akkumulerede nettoresultat ved egen finansiering en median "
                       "på %2$s og er under %3$s i 5 %% af simuleringerne; ved betaling for "
                       "resultater en median på %4$s, under %5$s i 5 %% af simuleringerne.",
    .read_cumulative_selffund = "I %1$s har det akkumulerede nettoresultat ved egen "
                                "finansiering en median på %2$s og er under %3$s i 5 %% af "
                                "simuleringerne.",
    .payback_title = "Tilbagebetalingsår: fra hvornår det akkumulerede nettoresultat holder sig "
                     "på eller over 0",
    .payback_x = "andel af simuleringer (%)",
    .read_payback = "Ved egen finansiering er indsatsen tilbagebetalt inden for perioden i %1$s "
                    "af simuleringerne; ved betaling for resultater i %2$s.",
    .read_payback_selffund = "Ved egen finansiering er indsatsen tilbagebetalt inden for "
                             "perioden i %1$s af simuleringerne.",
    .never = "aldrig (inden for perioden)",

    .h_investors = "Investorerne",
    .irr_title = "Investorernes interne rente (IRR), pr. simulering",
    .irr_x = "IRR (% pr. år)",
    .read_irr = "Investorerne taber penge i %1$s af simuleringerne; den mediane IRR er %2$s om "
                "året, og i 5 %% af simuleringerne med en IRR er den under %3$s.",
    .irr_left_out = "%1$s af %2$s simuleringer har ingen IRR (investorernes betalinger skifter "
                    "ikke fortegn, eller renten ligger uden for \xe2\x88\x92" "99 %% til "
                    "1.000 %% om året) og indgår ikke i figuren eller dens tal.",
    .moic_title = "Tilbagebetalt pr. investeret krone, pr. simulering",
    .moic_x = "multipel af investorernes indskud (nominelt)",
    .read_moic = "I den mediane simulering får investorerne %1$s deres indskud tilbage; i 5 %% "
                 "af simuleringerne under %2$s.",
    .break_even = "break-even",
    .read_guarantee = "Førstetabsgarantien betaler investorerne i %1$s af simuleringerne (i "
                      "gennemsnit %2$s over alle simuleringer, nominelt); afkastloftet sender "
                      "afkast over loftets rente til geninvestering i %3$s af simuleringerne "
                      "(i gennemsnit %4$s).",

    .h_programmes = "Indsatserne",
    .programmes_title = "Forventet nettoresultat pr. indsats",
    .programmes_x = "mio. kr., nutidsværdi",
    .read_programmes = "Ved betaling for resultater har %1$s det højeste forventede "
                       "nettoresultat (%2$s) og %3$s det laveste (%4$s).",
    .read_programmes_selffund = "Ved egen finansiering har %1$s det højeste forventede "
                                "nettoresultat (%2$s) og %3$s det laveste (%4$s).",
    .read_diversification = "Samlet i én portefølje giver de %1$s indsatser et gennemsnit på "
                            "%2$s i de værste 5 %% af simuleringerne ved betaling for "
                            "resultater, mod %3$s hvis alle indsatsers værste simuleringer "
                            "faldt sammen.",
    .h_diversification = "Risikospredning",

    .h_stresses = "Stresstest",
    .stress_intro = "Hver stresstest ændrer scenariet (en lavkonjunktur, en svagere effekt "
                    "\xe2\x80\xa6) og køres på de samme tilfældige tal som basis, så hver forskel fra "
                    "basis skyldes stresstesten og ikke tilfældigheder.",
    .stress_title = "%1$s under hver stresstest: gennemsnit og 5 %%-fraktil",
    .read_stress = "\xc2\xbb%6$s\xc2\xab falder mest under %1$s: gennemsnittet fra %2$s til "
                   "%3$s og 5 %%-fraktilen fra %4$s til %5$s.",
    .read_stress_none = "Ingen stresstest sænker gennemsnittet af \xc2\xbb%1$s\xc2\xab.",
    .mean_word = "gennemsnit",
    .q05_word = "5 %-fraktil",

    .h_sweep = "Variation",
    .sweep_intro = "Scenariet er kørt ved %3$s værdier af %1$s (%2$s), alle på de samme "
                   "tilfældige tal, så forskellene mellem punkterne skyldes den varierede "
                   "værdi og ikke tilfældigheder.",
    .power_title = "Evalueringens styrke",
    .power_y = "% af simuleringer, hvor den finder effekten",
    .read_sweep_power = "Evalueringens styrke går fra %1$s ved %2$s til %3$s ved %4$s.",
    .cv_title = "Besparelsens variationskoefficient",
    .cv_y = "spredning / gennemsnit",
    .read_sweep_cv = "Besparelsens variationskoefficient går fra %1$s ved %2$s til %3$s ved "
                     "%4$s.",
    .per_participant_title = "Besparelse og omkostning pr. deltager",
    .per_participant_y = "kr. pr. deltager (nutidsværdi)",
    .read_sweep_money = "Fra %5$s til %6$s går besparelsen pr. deltager fra %1$s til %2$s og "
                        "omkostningen pr. deltager fra %3$s til %4$s.",
    .savings_pp = "besparelse pr. deltager",
    .cost_pp = "omkostning pr. deltager",
    .sweep_point0 = "Filens rod rummer punkt 0; hvert punkts fulde resultater ligger under "
                    "/sweep/points/<punkt>/.",
    .paired_with = "sammen med",
    .savings_pp_title = "Besparelse pr. deltager",
    .cost_pp_title = "Omkostning pr. deltager",
    .read_sweep_savings = "Besparelsen pr. deltager går fra %1$s ved %2$s til %3$s ved %4$s.",
    .read_sweep_cost = "Omkostningen pr. deltager går fra %1$s ved %2$s til %3$s ved %4$s.",

    .h_all = "Alle tal for porteføljen",
    .note_left_out = "%1$s: %2$s af %3$s simuleringer har ingen værdi og indgår ikke i "
                     "tallene.",
    .h_provenance = "Hvor tallene kommer fra",
    .scenario_text = "Scenariet, som det blev kørt (YAML)",
    .footer = "Skrevet af sirisk %1$s ud fra %2$s. Alle tal på siden er læst fra den fil.",
    .chart_data = "Tallene bag figuren",
};

const sr_words *sr_words_of(sr_lang lang)
{
    return lang == SR_LANG_DA ? &danish : &english;
}

/* A phrase in each language, by an identifier. */
typedef struct {
    const char *id, *text[SR_N_LANGS];
} phrase;

static const char *lookup(const phrase *list, size_t n, sr_lang lang, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return list[i].text[lang];
    return NULL;
}

#define LOOKUP(list, lang, id) lookup(list, sizeof list / sizeof *list, lang, id)

static const phrase metric_labels[] = {
    {"savings_municipality", {"Savings, municipality", "Besparelse, kommunen"}},
    {"savings_state", {"Savings, state", "Besparelse, staten"}},
    {"savings_total", {"Savings, public total", "Offentlig besparelse i alt"}},
    {"expenditure_treated_municipality",
     {"Municipal net expenditure, with the programme", "Kommunens nettoudgift med indsatsen"}},
    {"expenditure_counterfactual_municipality",
     {"Municipal net expenditure, without the programme",
      "Kommunens nettoudgift uden indsatsen"}},
    {"expenditure_treated_state",
     {"State net expenditure, with the programme", "Statens nettoudgift med indsatsen"}},
    {"expenditure_counterfactual_state",
     {"State net expenditure, without the programme", "Statens nettoudgift uden indsatsen"}},
    {"programme_cost", {"Programme cost", "Indsatsens omkostninger"}},
    {"employed_end_treated",
     {"Employed at the end, with the programme", "I beskæftigelse ved periodens slut, med "
                                                 "indsatsen"}},
    {"employed_end_counterfactual",
     {"Employed at the end, without the programme", "I beskæftigelse ved periodens slut, "
                                                    "uden indsatsen"}},
    {"payments", {"Payments for results", "Resultatbetalinger"}},
    {"municipality_net_sib",
     {"Net result, paying by results", "Nettoresultat ved betaling for resultater"}},
    {"municipality_net_selffund",
     {"Net result, funding it itself", "Nettoresultat ved egen finansiering"}},
    {"overpayment", {"Overpayment", "Overbetaling"}},
    {"investor_npv", {"Investors' net present value", "Investorernes nutidsværdi"}},
    {"investor_irr", {"Investors' internal rate of return", "Investorernes interne rente"}},
    {"investor_moic", {"Investors' multiple of money", "Investorernes pengemultipel"}},
    {"investor_loss", {"Investors lose money", "Investorerne taber penge"}},
    {"reinvested",
     {"Passed to reinvestment (surplus cap)", "Sendt til geninvestering (afkastloft)"}},
    {"guarantor_paid", {"Paid by the first-loss guarantor", "Betalt af førstetabsgaranten"}},
    {"outcomes_treated",
     {"Outcomes achieved, with the programme", "Opnåede resultater med indsatsen"}},
    {"outcomes_attributable",
     {"Outcomes due to the programme", "Resultater skabt af indsatsen"}},
    {"outcomes_paid", {"Outcomes paid for", "Betalte resultater"}},
    {"effect_true", {"True effect per person enrolled", "Sand effekt pr. indskrevet person"}},
    {"effect_measured",
     {"Measured effect per person enrolled", "Målt effekt pr. indskrevet person"}},
    {"evaluation_significant",
     {"Evaluation finds the effect (power)", "Evalueringen finder effekten (styrke)"}},
};

const char *sr_words_metric(sr_lang lang, const char *metric)
{
    const char *label = LOOKUP(metric_labels, lang, metric);
    return label != NULL ? label : metric;
}

static const phrase headings[] = {
    {"level", {"programme", "indsats"}},
    {"metric", {"metric (name in the file)", "metrik (navn i filen)"}},
    {"label", {"figure", "nøgletal"}},
    {"figure", {"figure", "nøgletal"}},
    {"units", {"units", "enhed"}},
    {"value", {"value", "værdi"}},
    {"mean", {"mean", "gennemsnit"}},
    {"sd", {"standard deviation", "spredning"}},
    {"mcse", {"Monte Carlo error of the mean", "Monte Carlo-fejl på gennemsnittet"}},
    {"min", {"minimum", "minimum"}},
    {"max", {"maximum", "maksimum"}},
    {"q01", {"1% quantile", "1 %-fraktil"}},
    {"q05", {"5% quantile", "5 %-fraktil"}},
    {"q10", {"10% quantile", "10 %-fraktil"}},
    {"q25", {"25% quantile", "25 %-fraktil"}},
    {"q50", {"median", "median"}},
    {"q75", {"75% quantile", "75 %-fraktil"}},
    {"q90", {"90% quantile", "90 %-fraktil"}},
    {"q95", {"95% quantile", "95 %-fraktil"}},
    {"q99", {"99% quantile", "99 %-fraktil"}},
    {"es95", {"mean of the worst 5%", "gennemsnit af de værste 5 %"}},
    {"es99", {"mean of the worst 1%", "gennemsnit af de værste 1 %"}},
    {"es95_upper", {"mean of the top 5%", "gennemsnit af de øverste 5 %"}},
    {"es99_upper", {"mean of the top 1%", "gennemsnit af de øverste 1 %"}},
    {"p_negative", {"share of trials below 0", "andel simuleringer under 0"}},
    {"n_nan", {"trials without a value", "simuleringer uden værdi"}},
    {"n_infinite", {"trials with an infinite value", "simuleringer med uendelig værdi"}},
    {"deterministic", {"deterministic (spreadsheet)", "deterministisk (regneark)"}},
    {"year", {"year", "år"}},
    {"quantile", {"quantile", "fraktil"}},
    {"stress", {"stress", "stresstest"}},
    {"mean_change", {"change in the mean", "ændring i gennemsnittet"}},
    {"q05_change", {"change in the 5% quantile", "ændring i 5 %-fraktilen"}},
    {"portfolio_es95",
     {"portfolio: mean of the worst 5%", "porteføljen: gennemsnit af de værste 5 %"}},
    {"sum_es95",
     {"sum of the programmes' means of the worst 5%",
      "sum af indsatsernes gennemsnit af de værste 5 %"}},
    {"difference", {"difference", "forskel"}},
    {"point", {"point", "punkt"}},
    {"value_text", {"value as applied", "værdi som anvendt"}},
    {"value_text_2", {"value as applied", "værdi som anvendt"}},
    {"swept", {"swept value", "varieret værdi"}},
    {"swept_2", {"swept value", "varieret værdi"}},
    {"persons", {"participants", "deltagere"}},
    {"savings_per_participant_mean",
     {"savings per participant, mean", "besparelse pr. deltager, gennemsnit"}},
    {"savings_per_participant_sd",
     {"savings per participant, standard deviation", "besparelse pr. deltager, spredning"}},
    {"savings_per_participant_mcse",
     {"savings per participant, Monte Carlo error", "besparelse pr. deltager, Monte "
                                                    "Carlo-fejl"}},
    {"savings_cv",
     {"coefficient of variation of savings", "besparelsens variationskoefficient"}},
    {"cost_per_participant", {"cost per participant", "omkostning pr. deltager"}},
    {"power", {"power of the evaluation", "evalueringens styrke"}},
    {"power_mcse", {"power, Monte Carlo error", "styrke, Monte Carlo-fejl"}},
    {"p_investor_loss",
     {"investors' probability of loss", "investorernes sandsynlighed for tab"}},
    {"investor_irr_q50", {"investors' IRR, median", "investorernes IRR, median"}},
    {"investor_irr_q05", {"investors' IRR, 5% quantile", "investorernes IRR, 5 %-fraktil"}},
    {"municipality_net_sib_mean",
     {"net result paying by results, mean",
      "nettoresultat ved betaling for resultater, gennemsnit"}},
    {"savings_mean", {"savings, mean", "besparelse, gennemsnit"}},
    {"cost_mean", {"programme cost, mean", "omkostninger, gennemsnit"}},
    {"payments_mean", {"payments, mean", "betalinger, gennemsnit"}},
    {"sib_mean",
     {"net result paying by results, mean",
      "nettoresultat ved betaling for resultater, gennemsnit"}},
    {"sib_q05",
     {"net result paying by results, 5% quantile",
      "nettoresultat ved betaling for resultater, 5 %-fraktil"}},
    {"selffund_mean",
     {"net result funding it itself, mean", "nettoresultat ved egen finansiering, "
                                            "gennemsnit"}},
    {"p_loss", {"investors' probability of loss", "investorernes sandsynlighed for tab"}},
    {"field", {"field", "felt"}},
    {"period", {"budget year", "budgetår"}},
    {"payback_share_selffund",
     {"pays back in the year, funding it itself", "tilbagebetalt i året, egen finansiering"}},
    {"payback_share_sib",
     {"pays back in the year, paying by results", "tilbagebetalt i året, betaling for "
                                                  "resultater"}},
};

const char *sr_words_heading(sr_lang lang, const char *id)
{
    const char *h = LOOKUP(headings, lang, id);
    return h != NULL ? h : id;
}

static const phrase table_titles[] = {
    {"summary", {"Portfolio: every figure", "Porteføljen: alle tal"}},
    {"decision",
     {"Net result of the paying budget", "Den betalende kasses nettoresultat"}},
    {"risk_transfer",
     {"What paying by results costs and risks", "Hvad betaling for resultater koster og "
                                                "risikerer"}},
    {"investors", {"Investors", "Investorerne"}},
    {"budget_years",
     {"Budget years: quantiles of each yearly flow", "Budgetår: fraktiler af hver årlig "
                                                     "strøm"}},
    {"programmes", {"Programmes: every figure", "Indsatserne: alle tal"}},
    {"diversification", {"Diversification", "Risikospredning"}},
    {"stresses", {"Stresses against the base", "Stresstest mod basis"}},
    {"sweep", {"Sweep", "Variation"}},
    {"provenance", {"Provenance", "Oprindelse"}},
    {"budget", {"The paying budget year by year", "Den betalende kasse år for år"}},
    {"programme_overview", {"Programmes side by side", "Indsatserne side om side"}},
    {"annual", {"Quantiles per year", "Fraktiler pr. år"}},
};

const char *sr_words_table(sr_lang lang, const char *name)
{
    const char *t = LOOKUP(table_titles, lang, name);
    return t != NULL ? t : name;
}

static const phrase figures[] = {
    {"municipality_net_sib",
     {"Pay by results: savings \xe2\x88\x92 payments",
      "Betaling for resultater: besparelse \xe2\x88\x92 betalinger"}},
    {"municipality_net_selffund",
     {"Fund it itself: savings \xe2\x88\x92 programme cost",
      "Egen finansiering: besparelse \xe2\x88\x92 omkostninger"}},
    {"price",
     {"Price of transferring the risk: expected payments \xe2\x88\x92 expected programme cost",
      "Pris for at flytte risikoen: forventede betalinger \xe2\x88\x92 forventede "
      "omkostninger"}},
    {"overpayment",
     {"Expected overpayment (deadweight, measurement noise)",
      "Forventet overbetaling (dødvægt, målestøj)"}},
    {"unfounded",
     {"Share of trials that pay while the payer's savings are 0 or less",
      "Andel simuleringer med betaling, selv om besparelsen er 0 eller mindre"}},
    {"p_loss",
     {"Probability that investors lose money", "Sandsynlighed for at investorerne taber "
                                               "penge"}},
    {"irr_q50", {"IRR, median", "IRR, median"}},
    {"irr_q05", {"IRR, 5% quantile", "IRR, 5 %-fraktil"}},
    {"irr_mean", {"IRR, mean of the trials with an IRR", "IRR, gennemsnit af simuleringer "
                                                         "med en IRR"}},
    {"irr_none", {"Trials without an IRR", "Simuleringer uden IRR"}},
    {"moic_q50", {"Multiple of money, median", "Pengemultipel, median"}},
    {"moic_q05", {"Multiple of money, 5% quantile", "Pengemultipel, 5 %-fraktil"}},
    {"npv_mean",
     {"NPV at the investors' rate, mean", "Nutidsværdi ved investorernes rente, "
                                          "gennemsnit"}},
    {"npv_es95",
     {"NPV at the investors' rate, mean of the worst 5%",
      "Nutidsværdi ved investorernes rente, gennemsnit af de værste 5 %"}},
    {"guarantee_mean",
     {"Paid by the first-loss guarantor, mean", "Betalt af førstetabsgaranten, gennemsnit"}},
    {"guarantee_share",
     {"Share of trials in which the guarantor pays", "Andel simuleringer, hvor garanten "
                                                     "betaler"}},
    {"cap_mean",
     {"Passed to reinvestment by the surplus cap, mean",
      "Sendt til geninvestering af afkastloftet, gennemsnit"}},
    {"cap_share",
     {"Share of trials in which the surplus cap binds", "Andel simuleringer, hvor "
                                                        "afkastloftet binder"}},
    {"file", {"file", "fil"}},
    {"scenario", {"scenario", "scenarie"}},
    {"trials", {"trials", "simuleringer"}},
    {"seed", {"seed of the random numbers", "seed for de tilfældige tal"}},
    {"sirisk", {"sirisk version", "sirisk-version"}},
    {"format", {"result-set format", "filformat"}},
    {"written", {"written (UTC)", "skrevet (UTC)"}},
    {"rng", {"random numbers", "tilfældige tal"}},
    {"sha256", {"SHA-256 of the scenario text", "SHA-256 af scenariets tekst"}},
    {"libraries", {"libraries", "biblioteker"}},
    {"payer", {"paying budget", "betalende kasse"}},
    {"portfolio", {"portfolio", "porteføljen"}},
    {"after_horizon",
     {"after the horizon (payback: never)", "efter perioden (tilbagebetaling: aldrig)"}},
};

const char *sr_words_figure(sr_lang lang, const char *id)
{
    const char *f = LOOKUP(figures, lang, id);
    return f != NULL ? f : id;
}

static const phrase units[] = {
    {"DKK (present value at the public rate)", {"mDKK, present value", "mio. kr., "
                                                                       "nutidsværdi"}},
    {"DKK (present value at the investor rate)",
     {"mDKK, present value at the investors' rate", "mio. kr., nutidsværdi ved "
                                                    "investorernes rente"}},
    {"DKK (nominal)", {"mDKK, nominal", "mio. kr., nominelt"}},
    {"DKK (nominal, per calendar year)",
     {"mDKK per year, nominal", "mio. kr. pr. år, nominelt"}},
    {"DKK per participant (present value at the public rate)",
     {"DKK per participant, present value", "kr. pr. deltager, nutidsværdi"}},
    {"persons", {"persons", "personer"}},
    {"achievements", {"achievements", "resultater"}},
    {"per year (annual effective rate)", {"% per year", "% pr. år"}},
    {"per year", {"% per year", "% pr. år"}},
    {"1 (multiple)", {"multiple", "multipel"}},
    {"1 (indicator)", {"% of trials", "% af simuleringer"}},
    {"1 (share of trials)", {"% of trials", "% af simuleringer"}},
    {"1 (sd / mean)", {"sd / mean", "spredning / gennemsnit"}},
    {"per person (enrolled; achievements, or DKK for a savings share)",
     {"per person enrolled", "pr. indskrevet person"}},
};

const char *sr_words_units(sr_lang lang, const char *u)
{
    if (u == NULL)
        return "";
    const char *shown = LOOKUP(units, lang, u);
    return shown != NULL ? shown : u;
}
