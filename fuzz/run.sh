#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and fuzzes each for SECONDS
# (default 60) from its seed corpus in fuzz/corpus/<target>/.
#
# usage: fuzz/run.sh [SECONDS] [TARGET...]     TARGET: scenario, resultset (default: both)
#
# For each target:
# 1. The seed pass: every committed seed runs once, with every check on (AddressSanitizer,
#    UndefinedBehaviorSanitizer, LeakSanitizer, the target's own contract checks). Any
#    report fails the target.
# 2. The mutation pass, for SECONDS: new inputs go to build-fuzz/corpus/<target>/ (kept
#    between runs, so a later run goes on from there; the committed seeds are only read).
#    A fault (crash, sanitizer report, leak, contract check, an input taking over 10 s for
#    scenario or 5 s for resultset, an allocation over 1 GB, 2 GB in use) writes its input
#    to build-fuzz/crashes/<target>/ with its report beside it (.log) and is judged:
#    - in sirisk: some stack of the report (the fault's, or where the memory was allocated,
#      freed or lives) first reaches code outside the sanitizers and the C library in
#      sim/, models/ or fuzz/ (or in GSL or libyaml). The target fails.
#    - in HDF5: every such stack first reaches libhdf5. A damaged file can crash, hang or
#      exhaust HDF5 1.10 itself before the reader sees any data; these are listed and
#      counted, and fail the target only with FUZZ_STRICT=1. Leaks of memory allocated
#      inside HDF5 are not reported during this pass (lsan-hdf5.supp says why).
#    Fuzzing resumes after a fault until the time is up; with FUZZ_STOP_AT_FIRST=1 it ends
#    at the first fault of sirisk.
# Exits 0 when no target failed, 1 otherwise, 64 on a usage error, 77 when clang or its
# libFuzzer is missing (nothing was run).
# Extra libFuzzer flags: FUZZ_FLAGS="-use_value_profile=1" fuzz/run.sh 3600
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-60}
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(scenario resultset)
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: fuzz/run.sh [SECONDS] [scenario|resultset]..." >&2
    exit 64
fi
for target in "${targets[@]}"; do
    case $target in
        scenario | resultset) ;;
        *) echo "fuzz/run.sh: no target '$target' (scenario, resultset)" >&2; exit 64 ;;
    esac
done

# libFuzzer is there when clang links a program with -fsanitize=fuzzer.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/probe.c"
if ! command -v clang >/dev/null ||
    ! clang -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>"$probe/err"; then
    echo "fuzz/run.sh: clang with libFuzzer is not available, nothing fuzzed" \
         "(Debian: apt-get install clang libclang-rt-14-dev libomp-14-dev)" >&2
    cat "$probe/err" >&2 2>/dev/null
    exit 77
fi

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSIRISK_FUZZ=ON >/dev/null || exit 1
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" \
    --target fuzz_scenario fuzz_resultset >/dev/null || exit 1

# UBSan reports stop the run (the library is also built with -fno-sanitize-recover);
# allocations are traced through HDF5, which is built without frame pointers.
# A smaller quarantine than ASan's 256 MB: HDF5 takes and frees about 1 MB per file.
asan_options=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30:quarantine_size_mb=64
ubsan_options=print_stacktrace=1:halt_on_error=1
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024)

# Who a fault report (a libFuzzer log) belongs to: sirisk, hdf5, or unknown (no stack
# reached code of either). Each stack of the report is owned by its first frame that is
# in the project's sources, in a library the project calls (HDF5, GSL, libyaml); frames
# of the sanitizers, of libFuzzer and of the C library are passed over.
owner_of() {
    awk -v src="$root" '
        /^ *#0 0x/ { stack++; decided = 0 }
        /^ *#[0-9]+ 0x/ && !decided {
            if (index($0, src "/sim/") || index($0, src "/models/") || index($0, src "/fuzz/") ||
                /libgsl|libyaml/) { sirisk = 1; decided = 1 }
            else if (/libhdf5/) { hdf5 = 1; decided = 1 }
        }
        /^SUMMARY: / { exit }
        END { print sirisk ? "sirisk" : hdf5 ? "hdf5" : "unknown" }
    ' "$1"
}

failed=0
for target in "${targets[@]}"; do
    binary=$build/fuzz_$target
    seeds=fuzz/corpus/$target
    corpus=$build/corpus/$target
    crashes=$build/crashes/$target
    mkdir -p "$corpus" "$crashes"
    case $target in
        # the largest seed is 13 KB; a valid input takes under 0.5 s
        scenario) flags=(-max_len=20000 -dict=fuzz/scenario.dict -timeout=10); supp= ;;
        # the largest seed is 32 KB; a valid input takes 15 ms
        resultset) flags=(-max_len=65536 -timeout=5); supp=suppressions=$root/fuzz/lsan-hdf5.supp ;;
    esac

    echo "== fuzz_$target: the seed pass ($(find "$seeds" -type f | wc -l) seeds)"
    log=$build/fuzz-$target-seeds.log
    if ! ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options \
        "$binary" "${limits[@]}" -timeout=20 "$seeds"/* >"$log" 2>&1; then
        failed=1
        echo "fuzz_$target FAILED on a committed seed; the report ($log):" >&2
        grep -E -B2 -A30 'ERROR|runtime error|^fuzz_[a-z]+: ' "$log" | head -60 >&2
        continue
    fi

    echo "== fuzz_$target: the mutation pass, ${seconds}s (new inputs in $corpus)"
    end=$((SECONDS + seconds))
    run=0 ours=0 theirs=0 previous=
    while ((SECONDS < end)); do
        run=$((run + 1))
        log=$build/fuzz-$target-$run.log
        # the first directory receives new inputs; the committed seeds come second, read only
        # shellcheck disable=SC2086
        ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options LSAN_OPTIONS=$supp \
            "$binary" "$corpus" "$seeds" "${flags[@]}" "${limits[@]}" \
            -max_total_time=$((end - SECONDS > 0 ? end - SECONDS : 1)) \
            -artifact_prefix="$crashes/" -print_final_stats=1 ${FUZZ_FLAGS:-} >"$log" 2>&1
        rc=$?
        if ((rc == 0)); then
            grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
            rm -f "$log"
            continue
        fi
        input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        if [[ -z $input ]]; then
            failed=1 ours=$((ours + 1))
            echo "fuzz_$target FAILED (exit $rc) without saving an input; see $log" >&2
            break
        fi
        if [[ $input == "${previous:-}" ]]; then
            echo "   $input stopped two runs in a row; fuzz_$target ends here"
            break
        fi
        previous=$input
        cp "$log" "$input.log"
        # an input kept in the working corpus (found in an earlier run, before a limit was
        # lowered) would stop every restart: it stays in crashes/ only
        for kept in "$corpus"/*; do
            cmp -s "$kept" "$input" && rm -f "$kept"
        done
        owner=$(owner_of "$log")
        kind=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [A-Za-z-]+( [a-z-]+)?|runtime error: .{0,60}|^fuzz_[a-z]+: .{0,80}' "$log")
        if [[ $owner == hdf5 && ${FUZZ_STRICT:-0} != 1 ]]; then
            theirs=$((theirs + 1))
            echo "   inside HDF5 (not counted): $kind: $input"
            continue
        fi
        ours=$((ours + 1))
        failed=1
        echo "fuzz_$target FAILED ($owner): $kind" >&2
        echo "  crashing input: $input (report: $input.log)" >&2
        echo "  reproduce: $binary $input" >&2
        grep -E -A30 '^==[0-9]+== ?ERROR|runtime error|^fuzz_[a-z]+: ' "$log" | head -40 >&2
        [[ ${FUZZ_STOP_AT_FIRST:-0} == 1 ]] && break
    done
    echo "   fuzz_$target: $ours fault(s) in sirisk, $theirs inside HDF5, $run run(s)"
done
exit $failed
