#!/usr/bin/env bash
# Large-image fetch benchmark: this project's `in` / `extract` against peers and
# against the limits of each stage. Prints a markdown table (median wall time of
# RUNS runs, peak RSS).
#
#   BENCH_SIZE=1     image scale (1 = ~1 GiB, 8 layers, ~100k files; 0.05 = quick)
#   RUNS=3           runs per measurement
#   WARMUP=1         untimed warm-up runs before each measurement
#   BENCH_DIR=...    where the work tree goes (default: a tmpfs mounted under /tmp
#                    when root, because the root fs is unjournaled ext4 and file
#                    creation after big deletes is slow there)
# Rows whose tool is missing or fails are reported as such; the run goes on.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${REGISTRY_IMAGE_BIN:-$ROOT/.build/release/registry-image}"
SIZE="${BENCH_SIZE:-1}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
    echo "installing GNU time for peak RSS" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; } >/dev/null 2>&1 || true
fi

# Generated images are cached on disk per scale; everything timed runs on tmpfs.
CACHE="$ROOT/.build/bench/images-v2-$SIZE"
if [ ! -f "$CACHE/info.json" ]; then
    echo "generating benchmark images (scale $SIZE) in $CACHE ..." >&2
    rm -rf "$CACHE"
    "$PY" "$ROOT/Benchmarks/make_big_image.py" "$CACHE" --scale "$SIZE" >/dev/null || exit 1
fi

MOUNTED=""
if [ -n "${BENCH_DIR:-}" ]; then
    WORK="$BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d /tmp/ri-bench.XXXXXX)"
    # Room for: layouts (2 × compressed), registry storage, decompressed tars, one
    # extracted rootfs at a time, plus the peers' own copies.
    TMPFS_MB=$(awk -v s="$SIZE" 'BEGIN { m = int(s * 9000) + 512; print (m < 1024 ? 1024 : m) }')
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=${TMPFS_MB}m" ri-bench "$WORK" 2>/dev/null; then
        MOUNTED="$WORK"
    else
        echo "note: no tmpfs (not root?); measuring on $(df --output=fstype "$WORK" | tail -1)" >&2
    fi
fi
LAUNCHER_PID=""
cleanup() {
    [ -n "$LAUNCHER_PID" ] && { kill "$LAUNCHER_PID" 2>/dev/null; wait "$LAUNCHER_PID" 2>/dev/null; }
    if [ -n "$MOUNTED" ]; then umount "$MOUNTED" 2>/dev/null; rmdir "$MOUNTED" 2>/dev/null; fi
    [ -z "${BENCH_DIR:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cp -r "$CACHE/gzip" "$CACHE/zstd" "$CACHE/single" "$CACHE/info.json" "$WORK/"

source "$ROOT/Benchmarks/registry.sh"
start_registry

info() { "$PY" -c "import json,sys; d=json.load(open('$WORK/info.json')); print($1)"; }
for kind in gzip zstd; do
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false \
        "oci:$WORK/$kind:big" "docker://$HOST/bench/big-$kind:latest" || exit 1
done
rm -rf "$WORK/zstd"   # the layout is no longer needed; keep tmpfs small
GZ_DIGEST="$(info 'd["gzip"]["manifestDigest"]')"
ZS_DIGEST="$(info 'd["zstd"]["manifestDigest"]')"
GZ_LAYERS="$(info '" ".join(l["digest"] for l in d["gzip"]["layers"])')"
ZS_LAYERS="$(info '" ".join(l["digest"] for l in d["zstd"]["layers"])')"
TOTAL_GZ="$(info 'sum(l["size"] for l in d["gzip"]["layers"])')"
TOTAL_ZS="$(info 'sum(l["size"] for l in d["zstd"]["layers"])')"

# Pre-decompressed tars for the tar-only stage limit (not timed).
mkdir -p "$WORK/tars"
i=0
for d in $GZ_LAYERS; do
    igzip -dc "$WORK/gzip/blobs/sha256/${d#sha256:}" >"$WORK/tars/$i.tar"
    i=$((i + 1))
done
SINGLE_BLOB="$WORK/single/blobs/sha256/$(info 'd["single"]["layers"][0]["digest"][7:]')"

ROWS=()
# measure NAME SETUP_CMD CMD: run CMD RUNS times (SETUP before each, untimed).
measure() {
    local name="$1" setup="$2" cmd="$3" times=() rss=0 ok=1
    # One untimed warm-up run for every row alike: on these VMs the first
    # writes into fresh guest memory cost far more system time than later
    # ones, which would otherwise penalise whichever row runs first.
    for _ in $(seq 1 "$WARMUP"); do
        rm -rf "$WORK/out" && mkdir -p "$WORK/out"
        eval "$setup" >/dev/null 2>&1
        bash -c "$cmd" >/dev/null 2>&1
    done
    for run in $(seq 1 "$RUNS"); do
        rm -rf "$WORK/out" && mkdir -p "$WORK/out"
        eval "$setup" >/dev/null 2>&1
        sync
        if ! "$TIME" -f "%e %M" -o "$WORK/time.txt" bash -c "$cmd" >"$WORK/cmd.log" 2>&1; then
            ok=0
            echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
            break
        fi
        read -r secs kb <"$WORK/time.txt"
        times+=("$secs")
        [ "$kb" -gt "$rss" ] && rss="$kb"
    done
    rm -rf "$WORK/out"
    if [ "$ok" = 1 ]; then
        local median
        median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
        ROWS+=("| $name | $median | $((rss / 1024)) | ${times[*]} |")
    else
        ROWS+=("| $name | failed | – | |")
    fi
    echo "done: $name" >&2
}
have() { command -v "$1" >/dev/null 2>&1; }

IN_GZ="{\"source\":{\"repository\":\"$HOST/bench/big-gzip\",\"tag\":\"latest\"},\"version\":{\"digest\":\"$GZ_DIGEST\"}}"
IN_ZS="{\"source\":{\"repository\":\"$HOST/bench/big-zstd\",\"tag\":\"latest\"},\"version\":{\"digest\":\"$ZS_DIGEST\"}}"

if [ -x "$BIN" ]; then
    measure "registry-image in (gzip)" "" "echo '$IN_GZ' | '$BIN' in '$WORK/out/dest' >/dev/null"
    measure "registry-image in (zstd)" "" "echo '$IN_ZS' | '$BIN' in '$WORK/out/dest' >/dev/null"
    measure "registry-image extract (single gzip layer)" "" "'$BIN' extract '$WORK/single' '$WORK/out/rootfs'"
else
    ROWS+=("| registry-image (not built: $BIN) | – | – | |")
fi

if have skopeo && have umoci; then
    measure "skopeo copy + umoci unpack --rootless (gzip)" "" \
        "skopeo copy --quiet --src-tls-verify=false docker://$HOST/bench/big-gzip:latest oci:$WORK/out/layout:big && umoci unpack --rootless --image $WORK/out/layout:big $WORK/out/bundle"
fi
if have skopeo; then
    measure "skopeo copy + tar --zstd -x (zstd)" "" \
        "skopeo copy --quiet --src-tls-verify=false docker://$HOST/bench/big-zstd:latest oci:$WORK/out/layout:big && mkdir -p $WORK/out/rootfs && for d in $ZS_LAYERS; do tar --zstd -xf $WORK/out/layout/blobs/sha256/\${d#sha256:} -C $WORK/out/rootfs || exit 1; done"
fi

# Stage limits: each stage alone, over all 8 layers.
measure "limit: curl download of all gzip layer blobs" "" \
    "for d in $GZ_LAYERS; do curl -sS --fail -o /dev/null http://$HOST/v2/bench/big-gzip/blobs/\$d || exit 1; done"
measure "limit: openssl dgst -sha256 of all gzip blobs" "" \
    "for d in $GZ_LAYERS; do openssl dgst -sha256 $WORK/gzip/blobs/sha256/\${d#sha256:} >/dev/null || exit 1; done"
if have igzip; then
    measure "limit: igzip -dc of all gzip blobs" "" \
        "for d in $GZ_LAYERS; do igzip -dc $WORK/gzip/blobs/sha256/\${d#sha256:} >/dev/null || exit 1; done"
fi
ZS_BLOBS="$WORK/registry/storage/docker/registry/v2/blobs/sha256"
measure "limit: zstd -dc of all zstd blobs" "" \
    "for d in $ZS_LAYERS; do h=\${d#sha256:}; zstd -q -dc $ZS_BLOBS/\${h:0:2}/\$h/data >/dev/null || exit 1; done"
measure "limit: tar -xf of the decompressed tars" "" \
    "mkdir -p $WORK/out/rootfs && for t in \$(ls $WORK/tars | sort -n); do tar -xf $WORK/tars/\$t -C $WORK/out/rootfs || exit 1; done"
measure "GNU tar -xzf (single gzip layer)" "" \
    "mkdir -p $WORK/out/rootfs && tar -xzf $SINGLE_BLOB -C $WORK/out/rootfs"

FILES_SINGLE="$(tar -tzf "$SINGLE_BLOB" | wc -l)"
echo
echo "### registry-image benchmark (BENCH_SIZE=$SIZE, $RUNS runs, $(nproc) cores, work dir on $(df --output=fstype "$WORK" | tail -1))"
echo
echo "8-layer image: $(du -sh "$WORK/tars" | cut -f1) uncompressed, $(for t in "$WORK"/tars/*.tar; do tar -tf "$t"; done | wc -l) tar entries;" \
     "gzip $((TOTAL_GZ / 1048576)) MiB, zstd $((TOTAL_ZS / 1048576)) MiB. Single layer: $((($(stat -c %s "$SINGLE_BLOB")) / 1048576)) MiB gzip, $FILES_SINGLE entries."
echo
echo "| what | median wall s | peak RSS MiB | runs (s) |"
echo "| --- | ---: | ---: | --- |"
printf '%s\n' "${ROWS[@]}"
