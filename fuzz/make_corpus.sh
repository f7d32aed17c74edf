#!/usr/bin/env bash
# Makes the generated part of the fuzzers' seed corpora:
#   corpus/scenario/{default,national,scale}.yaml   copies of the shipped scenarios
#   corpus/resultset/*.h5                            small valid result sets
# The hand-written scenario seeds (the other files in corpus/scenario/) are kept as they are.
#
# The result sets are those of corpus/scenario/tiny.yaml (two programmes, a rate card,
# financing, a parameter, a macro regime, a stress) run, stressed and swept with 3 trials,
# then pruned by prune_resultset.py to a few metrics each: a full result set is hundreds of
# KB (an object header per metric and level), too large for a fuzzer to mutate well.
#
# usage: fuzz/make_corpus.sh [SIRISK_BINARY]   (default: build/sirisk, built if missing)
# Needs /usr/bin/python3 with h5py (Debian's python3-h5py).
set -euo pipefail
cd "$(dirname "$0")/.."

sirisk=${1:-build/sirisk}
if [[ ! -x $sirisk ]]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j2 --target sirisk >/dev/null
    sirisk=build/sirisk
fi
python=/usr/bin/python3
prune="$python fuzz/prune_resultset.py"

cp scenarios/default.yaml scenarios/national.yaml scenarios/scale.yaml fuzz/corpus/scenario/

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tiny=fuzz/corpus/scenario/tiny.yaml
run_opts=(--trials 3 --seed 7 --threads 1 --quiet)
"$sirisk" run "$tiny" -o "$work/run.h5" "${run_opts[@]}" >/dev/null
"$sirisk" stress "$tiny" -o "$work/stress.h5" "${run_opts[@]}" >/dev/null
"$sirisk" sweep "$tiny" --param 'programmes[0].cohort.size' --values 20,30 \
    -o "$work/sweep.h5" "${run_opts[@]}" >/dev/null
"$sirisk" sweep "$tiny" --param 'programmes[0].cohort.size' --values 20,30 \
    --param 'programmes[1].cohort.size' --values 5,10 -o "$work/sweep_grid.h5" "${run_opts[@]}" >/dev/null
"$sirisk" sweep "$tiny" --param 'programmes[0].cohort.size,programmes[1].cohort.size' \
    --values '[20,5],[30,10]' -o "$work/sweep_paired.h5" "${run_opts[@]}" >/dev/null

out=fuzz/corpus/resultset
rm -f "$out"/*.h5
# what each file keeps: the header needs only the root's attributes and /scenario; the
# tables need summary/ and deterministic/; the decision table needs trials/ of two metrics
# and the summaries of seven; the stress and sweep tables their own groups.
no_extras=annual,yearly,yearly_pv,budget,macro,parameters
$prune "$work/run.h5" "$out/run_header.h5" --metrics none \
    --drop "$no_extras,programmes,summary,deterministic,trials"
$prune "$work/run.h5" "$out/run_programmes.h5" --metrics savings_total,investor_npv \
    --drop "$no_extras,trials"
$prune "$work/run.h5" "$out/run_decision.h5" --drop "$no_extras,programmes,deterministic" \
    --metrics payer_net_sib,payer_net_selffund,payments,programme_cost,overpayment,investor_loss,investor_irr,investor_npv
$prune "$work/run.h5" "$out/run_all_groups.h5" --metrics payments,effect --drop b
# the budget-year table, and the yearly net results it is made from
$prune "$work/run.h5" "$out/run_budget.h5" --metrics payer_net_sib,payer_net_selffund \
    --drop "annual,yearly_pv,macro,parameters,programmes,deterministic,trials,summary"
$prune "$work/stress.h5" "$out/stress.h5" --metrics savings_total,investor_npv \
    --drop "$no_extras,programmes,deterministic,trials"
$prune "$work/sweep.h5" "$out/sweep.h5" --metrics savings_total \
    --drop "$no_extras,programmes,deterministic,trials"
for sweep in sweep_grid sweep_paired; do
    $prune "$work/$sweep.h5" "$out/$sweep.h5" --metrics savings_total \
        --drop "$no_extras,programmes,deterministic,trials,points"
done
for f in "$out"/*.h5; do
    "$sirisk" summary "$f" >/dev/null   # each is a result set sirisk reads
done
ls -l "$out"
