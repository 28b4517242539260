#!/usr/bin/env bash
# Peak RSS of `in` for the field cases of issue 11: 200 layers, and one
# 2 GiB layer (RSS_GIB to change the size). Images are made by
# make_rss_images.py, pushed with skopeo to a throwaway registry, fetched
# with `in` into tmpfs and measured with GNU time. Prints one line per case;
# exits non-zero when a case is at or over 64 MiB. RSS_CASES=many|huge picks one;
# RSS_CASES=files measures one layer of 100k, 500k and 1M tiny files without
# directory entries (parents made implicitly), and 1M with them (slow: minutes).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${REGISTRY_IMAGE_BIN:-$ROOT/.build/release/registry-image}"
[ -x "$BIN" ] || BIN="$ROOT/.build/debug/registry-image"
[ -x "$BIN" ] || { echo "build first: swift build -c release" >&2; exit 1; }
GIB="${RSS_GIB:-2}"
LIMIT_KB=$((64 * 1024))
. "$ROOT/Benchmarks/registry.sh"
python_path

WORK="$(mktemp -d /dev/shm/ri-field-rss.XXXXXX)"
MOUNTED=""
bench_cleanup_on_exit
start_registry
PIDS+=("$LAUNCHER_PID")

status=0
measure() {  # name kind count
    local name=$1 kind=$2 count=$3 layout="$WORK/$1-layout"
    "$PY" "$ROOT/Benchmarks/make_rss_images.py" "$layout" "$kind" "$count" >"$WORK/$name.json" || exit 1
    skopeo copy --quiet --dest-tls-verify=false "oci:$layout:$kind" "docker://$HOST/rss/$name:$kind" || exit 1
    rm -rf "$layout"
    local digest
    digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$HOST/rss/$name:$kind")
    local request="{\"source\":{\"repository\":\"$HOST/rss/$name\"},\"version\":{\"tag\":\"$kind\",\"digest\":\"$digest\"}}"
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$WORK/$name.rss" "$BIN" in "$WORK/$name-dest" <<<"$request" >/dev/null 2>"$WORK/$name.err" \
        || { echo "$name: in failed: $(tail -1 "$WORK/$name.err")"; status=1; return; }
    end=$(date +%s.%N)
    local kb
    kb=$(tail -1 "$WORK/$name.rss")
    awk -v n="$name" -v j="$(cat "$WORK/$name.json")" -v kb="$kb" -v s="$start" -v e="$end" -v b="$BIN" \
        'BEGIN { printf "%s: %s, peak RSS %d KiB (%.1f MiB), %.1f s, binary %s\n", n, j, kb, kb / 1024, e - s, b }'
    [ "$kb" -lt "$LIMIT_KB" ] || { echo "$name: peak RSS at or over 64 MiB"; status=1; }
    rm -rf "$WORK/$name-dest"
}
cases=",${RSS_CASES:-many,huge},"   # RSS_CASES=huge: only the 2 GiB layer
[[ $cases == *,many,* ]] && measure layers-200 many 200
[[ $cases == *,huge,* ]] && measure layer-2gib huge "$GIB"
if [[ $cases == *,files,* ]]; then
    for count in 100000 500000 1000000; do measure "files-$count" files "$count"; done
    measure files-dirs-1000000 files-dirs 1000000
fi
exit $status
