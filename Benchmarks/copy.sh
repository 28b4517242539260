#!/usr/bin/env bash
# Copy benchmark: `registry-image copy docker://A/… docker://B/…` of the ~1 GiB
# image (8 gzip layers) between two registries — every blob streams through
# the tool, none touches disk — against `skopeo copy` of the same; then the
# same-registry copy to a new repository, where both may mount blobs instead.
# Prints a markdown table (median wall time of RUNS runs, peak RSS) and the
# ratio skopeo / registry-image.
#
# Each timed run gets a fresh destination registry and skopeo's blob-info
# cache is cleared before it, so neither tool can skip or mount a blob it
# copied in an earlier run. Registry storage lives on tmpfs (when root).
# Knobs as run.sh: BENCH_SIZE, RUNS, REGISTRY_IMAGE_BIN, BENCH_CACHE (a
# directory of images made by make_big_image.py, default .build/bench/…).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/Benchmarks/registry.sh"
bench_setup copy
bench_cleanup_on_exit

seed_source_registry

ROWS=()
MEDIANS=()
# measure NAME CMD [same]: CMD runs with DEST set; "same" copies within the source registry.
measure() {
    local name="$1" cmd="$2" same="${3:-}" times=() rss=0
    for run in $(seq 1 "$RUNS"); do
        local dest_pid=""
        if [ -n "$same" ]; then
            DEST="$SOURCE/bench/copy$RANDOM$run"
        else
            launch_registry "dest$RANDOM$run"; dest_pid="$LAST_PID"; DEST="$LAST_HOST/bench/big"
        fi
        clear_skopeo_cache
        sync
        if ! "$TIME" -f "%e %M" -o "$WORK/time.txt" bash -c "${cmd//DEST/$DEST}" >"$WORK/cmd.log" 2>&1; then
            echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
            ROWS+=("| $name | failed | – | – | |"); MEDIANS+=("0"); [ -n "$dest_pid" ] && stop_pid "$dest_pid"; return
        fi
        # The copy must be the same image, digest for digest.
        got="$(skopeo inspect --raw --tls-verify=false "docker://$DEST:latest" | sha256sum | cut -d' ' -f1)"
        [ "sha256:$got" = "$DIGEST" ] || { echo "[$name] digest changed: sha256:$got != $DIGEST" >&2; ROWS+=("| $name | wrong digest | – | – | |"); MEDIANS+=("0"); return; }
        read -r secs kb <"$WORK/time.txt"
        times+=("$secs"); [ "$kb" -gt "$rss" ] && rss="$kb"
        [ -n "$dest_pid" ] && stop_pid "$dest_pid"
    done
    local median
    median="$(median "${times[@]}")"
    MEDIANS+=("$median")
    ROWS+=("| $name | $median | $(awk -v s="$median" -v m="$SIZE_MB" 'BEGIN{printf "%.0f", m/s}') | $((rss / 1024)) | ${times[*]} |")
    echo "done: $name" >&2
}

measure "registry-image copy, registry → other registry" \
    "'$BIN' copy docker://$SOURCE/bench/big:latest docker://DEST:latest"
measure "skopeo copy, registry → other registry" \
    "skopeo copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://$SOURCE/bench/big:latest docker://DEST:latest"
measure "registry-image copy, same registry (mount)" \
    "'$BIN' copy docker://$SOURCE/bench/big:latest docker://DEST:latest" same
measure "skopeo copy, same registry" \
    "skopeo copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://$SOURCE/bench/big:latest docker://DEST:latest" same

echo "| copy of ${SIZE_MB} MB image | seconds (median) | MB/s | peak RSS MiB | runs |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
awk -v a="${MEDIANS[0]}" -v b="${MEDIANS[1]}" -v c="${MEDIANS[2]}" -v d="${MEDIANS[3]}" 'BEGIN {
    if (a > 0 && b > 0) printf "\nregistry → registry: skopeo / registry-image = %.2f\n", b / a
    if (c > 0 && d > 0) printf "same registry: skopeo / registry-image = %.2f\n", d / c
}'
