#!/usr/bin/env bash
# Push benchmark: `registry-image push` of the ~1 GiB OCI layout (8 gzip layers)
# against `skopeo copy oci:… docker://…`, and a re-push where every blob is
# already in the repository. Prints a markdown table (median wall time of RUNS
# runs, peak RSS). Same knobs as run.sh: BENCH_SIZE, RUNS, REGISTRY_IMAGE_BIN.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/Benchmarks/registry.sh"
bench_setup push
cleanup() {
    [ -n "${LAUNCHER_PID:-}" ] && kill "$LAUNCHER_PID" 2>/dev/null && wait "$LAUNCHER_PID" 2>/dev/null
    [ -n "$MOUNTED" ] && umount "$WORK"
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

start_registry
LAYOUT="$CACHE/gzip"
SIZE_MB=$(du -sm "$LAYOUT" | cut -f1)

ROWS=()
measure() {
    local name="$1" cmd="$2" times=() rss=0
    for run in $(seq 1 "$RUNS"); do
        # A fresh repository per run: its blobs are not there yet (except for re-push rows).
        local repo="bench/r$RANDOM$run"
        if ! "$TIME" -f "%e %M" -o "$WORK/time.txt" bash -c "${cmd//REPO/$repo}" >"$WORK/cmd.log" 2>&1; then
            echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
            ROWS+=("| $name | failed | – | |"); return
        fi
        read -r secs kb <"$WORK/time.txt"
        times+=("$secs"); [ "$kb" -gt "$rss" ] && rss="$kb"
    done
    local median
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    ROWS+=("| $name | $median | $(awk -v s="$median" -v m="$SIZE_MB" 'BEGIN{printf "%.0f", m/s}') | $((rss / 1024)) | ${times[*]} |")
    echo "done: $name" >&2
}

measure "registry-image push (OCI layout)" "'$BIN' push '$LAYOUT' $HOST/REPO:big"
measure "skopeo copy oci: → docker://" \
    "skopeo copy --quiet --dest-tls-verify=false oci:$LAYOUT:big docker://$HOST/REPO:big"
"$BIN" push "$LAYOUT" "$HOST/bench/again:big" >/dev/null 2>&1
measure "registry-image re-push (all blobs present)" "'$BIN' push '$LAYOUT' $HOST/bench/again:big"
skopeo copy --quiet --dest-tls-verify=false "oci:$LAYOUT:big" "docker://$HOST/bench/again-sk:big" >/dev/null 2>&1
measure "skopeo re-push (all blobs present)" \
    "skopeo copy --quiet --dest-tls-verify=false oci:$LAYOUT:big docker://$HOST/bench/again-sk:big"

echo "| push of ${SIZE_MB} MB layout | seconds (median) | MB/s | peak RSS MiB | runs |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
