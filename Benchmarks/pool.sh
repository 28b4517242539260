#!/usr/bin/env bash
# The writer pool (RI_WRITERS) on 1 and 2 CPUs: `extract` of the 8-layer image
# and of a layer of FILES tiny files, from OCI layouts on tmpfs into tmpfs,
# under `taskset -c 0` and `taskset -c 0,1`, with one writer (inline) and with
# the pool, the configurations alternating run by run (the machine is noisy).
# Prints, per case and configuration, the median of ROUNDS runs: wall time,
# user+sys CPU, peak RSS; and the pool/inline wall-time ratio. (On 1 or 2 CPUs
# the default is inline: "inline" is what runs without RI_WRITERS.)
#
#   BENCH_SIZE=0.25  scale of the 8-layer image (1 = ~1 GiB, ~100k files)
#   FILES=200000     files in the many-files layer (with directory entries)
#   ROUNDS=5         runs per configuration
#   BASELINE_BIN=... another build (e.g. before the pool) run as "base", inline
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${REGISTRY_IMAGE_BIN:-$ROOT/.build/release/registry-image}"
[ -x "$BIN" ] || { echo "build first: swift build -c release" >&2; exit 1; }
SIZE="${BENCH_SIZE:-0.25}"
FILES="${FILES:-200000}"
ROUNDS="${ROUNDS:-5}"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

CACHE="$ROOT/.build/bench/images-v2-$SIZE"
if [ ! -f "$CACHE/info.json" ]; then
    echo "generating benchmark images (scale $SIZE) in $CACHE ..." >&2
    rm -rf "$CACHE"
    "$PY" "$ROOT/Benchmarks/make_big_image.py" "$CACHE" --scale "$SIZE" >/dev/null || exit 1
fi
FILES_CACHE="$ROOT/.build/bench/files-dirs-$FILES"
if [ ! -f "$FILES_CACHE/index.json" ]; then
    echo "generating a layer of $FILES files in $FILES_CACHE ..." >&2
    rm -rf "$FILES_CACHE"
    "$PY" "$ROOT/Benchmarks/make_rss_images.py" "$FILES_CACHE" files-dirs "$FILES" >/dev/null || exit 1
fi

WORK="$(mktemp -d /dev/shm/ri-pool.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$CACHE/gzip" "$WORK/big"
cp -r "$FILES_CACHE" "$WORK/files"

# name CPUs writers binary
CONFIGS=("1cpu-inline 0 1 $BIN" "1cpu-pool 0 2 $BIN" "2cpu-inline 0,1 1 $BIN" "2cpu-pool 0,1 2 $BIN")
NAMES="1cpu-inline 1cpu-pool 2cpu-inline 2cpu-pool"
if [ -n "${BASELINE_BIN:-}" ]; then
    CONFIGS+=("1cpu-base 0 1 $BASELINE_BIN" "2cpu-base 0,1 1 $BASELINE_BIN")
    NAMES="1cpu-base $NAMES 2cpu-base"
fi
echo "load before: $(uptime | sed 's/.*load average/load average/'); binary $BIN; $ROUNDS rounds"
for image in big files; do
    for round in $(seq "$ROUNDS"); do
        for config in "${CONFIGS[@]}"; do
            set -- $config
            rm -rf "$WORK/out"
            RI_WRITERS=$3 /usr/bin/time -f '%e %U %S %M' -o "$WORK/t" taskset -c "$2" "$4" extract "$WORK/$image" "$WORK/out" \
                >/dev/null 2>"$WORK/err" || { echo "$image $1: extract failed: $(tail -1 "$WORK/err")"; exit 1; }
            echo "$image $1 $(tail -1 "$WORK/t")" >>"$WORK/results"
        done
    done
done
rm -rf "$WORK/out"
echo "load after: $(uptime | sed 's/.*load average/load average/')"
awk -v names="$NAMES" '
    { key = $1 " " $2; n[key]++; wall[key, n[key]] = $3; cpu[key, n[key]] = $4 + $5; rss[key, n[key]] = $6; keys[key] = 1 }
    function median(a, key, count,    i, j, t, v) {
        for (i = 1; i <= count; i++) v[i] = a[key, i]
        for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
    }
    END {
        printf "| image | configuration | wall (median) | wall (min) | user+sys | peak RSS |\n|---|---|---|---|---|---|\n"
        split("big files", images, " "); nconfigs = split(names, configs, " ")
        for (i = 1; i <= 2; i++) for (c = 1; c <= nconfigs; c++) {
            key = images[i] " " configs[c]
            if (!(key in keys)) continue
            m[key] = median(wall, key, n[key])
            low = wall[key, 1]; for (r = 2; r <= n[key]; r++) if (wall[key, r] < low) low = wall[key, r]
            printf "| %s | %s | %.2f s | %.2f s | %.2f s | %.1f MiB |\n", images[i], configs[c], m[key], low, median(cpu, key, n[key]), median(rss, key, n[key]) / 1024
        }
        for (i = 1; i <= 2; i++) for (cpus = 1; cpus <= 2; cpus++) {
            a = images[i] " " cpus "cpu-pool"; b = images[i] " " cpus "cpu-inline"
            if ((a in m) && (b in m)) printf "%s on %d CPU(s): pool/inline wall, median %.3f\n", images[i], cpus, m[a] / m[b]
            a = images[i] " " cpus "cpu-inline"; b = images[i] " " cpus "cpu-base"
            if ((a in m) && (b in m)) printf "%s on %d CPU(s): inline/base wall, median %.3f\n", images[i], cpus, m[a] / m[b]
        }
    }' "$WORK/results"
