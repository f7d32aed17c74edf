#!/usr/bin/env bash
# Compares the result sets two builds of sirisk write for the shipped scenarios and the
# benchmark cohort (run, stress, sweep, grid sweep): every dataset with h5diff, every
# attribute with h5py, created_utc aside. For refactors that must change no result.
#
#   tests/compare_builds.sh OLD_SIRISK NEW_SIRISK [TRIALS]
#
# Exit 0 when every file is identical, 1 otherwise (the differences are printed).
set -euo pipefail
old=$1 new=$2 trials=${3:-300}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cases=(
  "run-default|run scenarios/default.yaml --trials $trials"
  "run-national|run scenarios/national.yaml --trials $((trials / 3 + 1))"
  "run-scale|run scenarios/scale.yaml --trials $trials"
  "run-cohort|run bench/cohort.yaml --trials $trials"
  "run-factor|run scenarios/default.yaml --trials $trials --set macro.model=gaussian_factor --set macro.rho=0.05 --set macro.persistence=0.9"
  "stress-default|stress scenarios/default.yaml --trials $((trials / 2 + 1))"
  "sweep-scale|sweep scenarios/scale.yaml --trials $((trials / 3 + 1)) --param programmes[0].cohort.size --values 250,1000,4000"
  "grid-scale|sweep scenarios/scale.yaml --trials $((trials / 3 + 1)) --param programmes[0].cohort.size --values 250,1000 --param parameters.effect --values 1.2,1.4"
)

status=0
for c in "${cases[@]}"; do
  name=${c%%|*} args=${c#*|}
  for side in old new; do
    bin=$old; [ "$side" = new ] && bin=$new
    # shellcheck disable=SC2086
    "$bin" $args --threads 2 --quiet -o "$work/$name-$side.h5"
  done
  # Datasets by h5diff; the attributes of the groups that carry created_utc (each layout's
  # root) are left to the comparison of every attribute by h5py below.
  excl=()
  while read -r g; do excl+=(--exclude-attribute "$g"); done < <(/usr/bin/python3 -c '
import sys, h5py
f = h5py.File(sys.argv[1], "r")
if "created_utc" in f.attrs: print("/")
f.visititems(lambda n, o: print("/" + n) if "created_utc" in o.attrs else None)' "$work/$name-old.h5")
  if ! h5diff -q "${excl[@]}" "$work/$name-old.h5" "$work/$name-new.h5" >/dev/null 2>&1; then
    echo "$name: datasets differ:"
    h5diff -r "${excl[@]}" "$work/$name-old.h5" "$work/$name-new.h5" | grep -v "^0 differences" | head -20
    status=1
  fi
  if ! /usr/bin/python3 - "$work/$name-old.h5" "$work/$name-new.h5" <<'EOF'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
bad = []
def attrs(f):
    out = {}
    def visit(name, obj):
        for k, v in obj.attrs.items():
            out[(name, k)] = v
    visit("/", f)
    f.visititems(visit)
    return out
x, y = attrs(a), attrs(b)
for key in sorted(set(x) | set(y)):
    if key[1] == "created_utc":
        continue
    if key not in x or key not in y:
        bad.append("%s attribute %s only in one file" % key)
    elif not np.array_equal(np.asarray(x[key]), np.asarray(y[key]), equal_nan=np.asarray(x[key]).dtype.kind == "f"):
        bad.append("%s attribute %s: %r != %r" % (key[0], key[1], x[key], y[key]))
for line in bad[:20]:
    print(line)
sys.exit(1 if bad else 0)
EOF
  then
    echo "$name: attributes differ"; status=1
  elif [ $status -eq 0 ]; then
    echo "$name: identical"
  fi
done
exit $status
