#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the parsers and
# the layer applier; the targets live in Fuzz/ (a package of its own).
#
# usage: scripts/fuzz.sh [--seconds N] [--targets a,b,...] [--smoke]
#   --seconds N   run each target N seconds (default 60; FUZZ_SECONDS)
#   --smoke       replay Fuzz/Regressions and the seeds, then 3 s per target
# Writes .build/fuzz/report.txt (runs, coverage, findings per target) and
# exits non-zero when any target crashed, hung or broke an invariant; the
# input is kept under .build/fuzz/artifacts/. A fixed finding's input goes in
# Fuzz/Regressions/<target>/, which every run (and `make test`) replays first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

seconds=${FUZZ_SECONDS:-60}
targets=layer,manifest,config,request,reference,semver,archive
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --targets) targets=$2; shift 2 ;;
        --smoke) seconds=3; shift ;;
        *) echo "error: unknown argument $1" >&2; exit 2 ;;
    esac
done

work=.build/fuzz
mkdir -p "$work/artifacts"
echo "fuzz: building Fuzz/ with -sanitize=fuzzer,address" >&2
# The flags go to every module, the main package's included (SwiftPM's own
# --sanitize instruments only the root package's targets, which would leave
# the code under test without coverage). -enable-testing: the targets reach
# internal parsers with @testable import.
flags=(--sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xcc -fsanitize=fuzzer-no-link,address)
# SwiftPM keeps its plan for the path dependency and misses files added to the
# main package ("cannot find type"); without debug.yaml it plans again from the
# sources (the build stays incremental).
rm -f Fuzz/.build/debug.yaml
# Tried twice: after a file of the main package was removed, SwiftPM's plan
# for the path dependency names it once more ("missing inputs"), then heals.
swift build --package-path Fuzz "${flags[@]}" >"$work/build.log" 2>&1 \
    || swift build --package-path Fuzz "${flags[@]}" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
binary="$(swift build --package-path Fuzz "${flags[@]}" --show-bin-path)/registry-image-fuzz"

shm=/dev/shm; [ -d "$shm" ] || shm=${TMPDIR:-/tmp}
scratch=${RI_FUZZ_SCRATCH:-$shm/ri-fuzz-layer-$$}
export RI_FUZZ_SCRATCH=$scratch
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch" "$work/seeds/.hostile"' EXIT
rm -rf "$work/seeds"
python3 Fuzz/Seeds/make_seeds.py "$work/seeds" "$scratch"

# ASan: leaks are not findings here (the process runs for minutes, Foundation
# caches), and a report must end the run with an artifact.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1
report="$work/report.txt"
: >"$report"
status=0
total=0
for target in ${targets//,/ }; do
    export RI_FUZZ_TARGET=$target
    log="$work/$target.log"
    regressions=(Fuzz/Regressions/$target/*)
    if [ -e "${regressions[0]}" ]; then
        if ! "$binary" "${regressions[@]}" >"$log.replay" 2>&1; then
            echo "$target: a kept regression input fails again (see $log.replay)" | tee -a "$report" >&2
            status=1
            continue
        fi
    fi
    corpus="$work/corpus/$target"
    mkdir -p "$corpus"
    max_len=65536
    [ "$target" = layer ] || [ "$target" = archive ] && max_len=1048576
    set +e
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" \
        "$corpus" "$work/seeds/$target" >"$log" 2>&1
    code=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
    pcs=$(grep -Eo 'Loaded 1 PC tables \([0-9]+ PCs' "$log" | grep -Eo '[0-9]+ PCs' || true)
    cov="${cov:-cov: 0} of ${pcs:-? PCs}"
    total=$((total + ${runs:-0}))
    if [ $code -ne 0 ]; then
        finding=$(grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer)|Fatal error|invariant broken|SUMMARY' "$log" || echo "exit $code")
        echo "$target: runs=$runs $cov FINDING: $finding (inputs: $work/artifacts/$target-*)" | tee -a "$report" >&2
        status=1
    else
        echo "$target: runs=$runs $cov seconds=$seconds findings=0" | tee -a "$report" >&2
    fi
done
echo "total runs: $total" | tee -a "$report" >&2
exit $status
