#!/usr/bin/env bash
# Push benchmark: `registry-image push` of the ~1 GiB OCI layout (8 gzip layers)
# against `skopeo copy oci:… docker://…` (its blob-info cache cleared before
# each run, so it cannot mount from an earlier run's repository), the runs of
# the compared commands alternating; then a re-push where every blob is
# already in the repository, and a push of a layout `pull`ed from the same
# registry (blobs mounted from the repository it came from). Prints a
# markdown table (median wall time of RUNS runs, peak RSS). Same knobs as
# run.sh: BENCH_SIZE, RUNS, REGISTRY_IMAGE_BIN.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/Benchmarks/registry.sh"
bench_setup push
bench_cleanup_on_exit

start_registry
PIDS+=("$LAUNCHER_PID")
LAYOUT="$CACHE/gzip"
SIZE_MB=$(du -sm "$LAYOUT" | cut -f1)

# Per row: the times of its runs and its peak RSS (KiB).
declare -A TIMES RSS FAILED
NAMES=()
# run_once NAME CMD: one timed run; REPO in CMD becomes a fresh repository.
run_once() {
    local name="$1" cmd="$2" repo="bench/r$RANDOM$RANDOM"
    [ -n "${FAILED[$name]:-}" ] && return
    clear_skopeo_cache
    if ! "$TIME" -f "%e %M" -o "$WORK/time.txt" bash -c "${cmd//REPO/$repo}" >"$WORK/cmd.log" 2>&1; then
        echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
        FAILED[$name]=1; return
    fi
    local secs kb
    read -r secs kb <"$WORK/time.txt"
    TIMES[$name]="${TIMES[$name]:-} $secs"
    [ "$kb" -gt "${RSS[$name]:-0}" ] && RSS[$name]="$kb"
}
# measure NAME CMD [NAME CMD …]: RUNS rounds, each running every command once, in turn.
measure() {
    local args=("$@") i
    for ((i = 0; i < ${#args[@]}; i += 2)); do NAMES+=("${args[i]}"); done
    for run in $(seq 1 "$RUNS"); do
        for ((i = 0; i < ${#args[@]}; i += 2)); do run_once "${args[i]}" "${args[i+1]}"; done
    done
    echo "done: ${args[0]} …" >&2
}

measure "registry-image push (OCI layout)" "'$BIN' push '$LAYOUT' $HOST/REPO:big" \
    "skopeo copy oci: → docker://" "skopeo copy --quiet --dest-tls-verify=false oci:$LAYOUT:big docker://$HOST/REPO:big" \
    "registry-image push, one blob at a time" "RI_PUSH_PARALLEL=1 '$BIN' push '$LAYOUT' $HOST/REPO:big"
"$BIN" push "$LAYOUT" "$HOST/bench/again:big" >/dev/null 2>&1
skopeo copy --quiet --dest-tls-verify=false "oci:$LAYOUT:big" "docker://$HOST/bench/again-sk:big" >/dev/null 2>&1
measure "registry-image re-push (all blobs present)" "'$BIN' push '$LAYOUT' $HOST/bench/again:big" \
    "skopeo re-push (all blobs present)" "skopeo copy --quiet --dest-tls-verify=false oci:$LAYOUT:big docker://$HOST/bench/again-sk:big"
# A layout pulled from the registry records where its blobs are: pushed to
# another repository of that registry, they are mounted, not sent.
"$BIN" pull "$HOST/bench/again:big" "$WORK/pulled" --format oci-layout >/dev/null 2>&1
measure "registry-image push of a pulled layout (mounts)" "'$BIN' push '$WORK/pulled/oci' $HOST/REPO:big"

echo "| push of ${SIZE_MB} MB layout | seconds (median) | MB/s | peak RSS MiB | runs |"
echo "|---|---|---|---|---|"
for name in "${NAMES[@]}"; do
    if [ -n "${FAILED[$name]:-}" ]; then echo "| $name | failed | – | – | |"; continue; fi
    median="$(printf '%s\n' ${TIMES[$name]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    echo "| $name | $median | $(awk -v s="$median" -v m="$SIZE_MB" 'BEGIN{printf "%.0f", m/s}') | $((RSS[$name] / 1024)) |${TIMES[$name]} |"
done
