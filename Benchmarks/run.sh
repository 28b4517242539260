#!/usr/bin/env bash
# Large-image fetch benchmark: this project's `in` / `extract` against peers and
# against the limits of each stage, on five images: the 8-layer image (gzip and
# its zstd twin), a 40-layer image, a Debian-sized single layer, an 8-layer
# image whose two biggest layers are large binaries (10-200 MB files) beside
# node_modules, assets and whiteouts, and a layer of FILES tiny files. Prints markdown tables (median wall time of RUNS runs, its
# user+sys CPU, peak RSS) and the ratios the targets are stated in.
#
#   BENCH_SIZE=1     image scale (1 = ~1 GiB, 8 layers, ~100k files; 0.05 = quick)
#   RUNS=3           runs per measurement
#   WARMUP=1         untimed warm-up runs before each measurement
#   FILES=N          files in the many-files layer (default 1000000 × BENCH_SIZE)
#   FILES_RUNS=1     runs for the many-files layer (no warm-up: it is long)
#   SKIP_PEERS=1     leave out skopeo+umoci (slow) while iterating
#   BENCH_FS=ext4    write the outputs to a journaled ext4 loop mount (its image
#                    on the tmpfs) instead of the tmpfs itself
#   BENCH_REPORT=F   where the tables are written (default .build/bench/last-run.md);
#                    the chart (Benchmarks/chart.py, matplotlib) goes beside it as .svg
#   BASELINE_BIN=B   also measure `in` and `extract` of another build B (e.g. an
#                    older commit's release binary), interleaved with this one's,
#                    for a before/after within one run; BASELINE_NAME labels it
#   BENCH_DIR=...    where the work tree goes (default: a tmpfs mounted under /tmp
#                    when root, because the root fs is unjournaled ext4 and file
#                    creation after big deletes is slow there)
# Rows whose tool is missing or fails are reported as such; the run goes on.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/Benchmarks/registry.sh"
# BIN, SIZE, RUNS, PY, TIME and the generated images in CACHE (cached on disk
# per scale); everything timed runs on tmpfs.
bench_settings
WARMUP="${WARMUP:-1}"
FILES="${FILES:-$(awk -v s="$SIZE" 'BEGIN { n = int(s * 1000000); print (n < 1000 ? 1000 : n) }')}"
EXTRA="$ROOT/.build/bench/extra-v2-$SIZE-$FILES"
if [ ! -f "$EXTRA/extra.json" ]; then
    echo "generating the 40-layer, Debian-sized, large-file and $FILES-file images in $EXTRA ..." >&2
    rm -rf "$EXTRA"
    (cd "$ROOT/Benchmarks" && "$PY" make_extra_images.py "$EXTRA" --scale "$SIZE" --files "$FILES" >/dev/null) || exit 1
fi

MOUNTED=""
if [ -n "${BENCH_DIR:-}" ]; then
    WORK="$BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d /tmp/ri-bench.XXXXXX)"
    # Room for: layouts (2 × compressed), registry storage, decompressed tars, one
    # extracted rootfs at a time, plus the peers' own copies; the many-files
    # layer costs ~1.5 KiB of tmpfs per file.
    TMPFS_MB=$(awk -v s="$SIZE" -v f="$FILES" 'BEGIN { m = int(s * 15000) + int(f * 3 / 1000) + 1024; print m }')
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=${TMPFS_MB}m" ri-bench "$WORK" 2>/dev/null; then
        MOUNTED="$WORK"
    else
        echo "note: no tmpfs (not root?); measuring on $(df --output=fstype "$WORK" | tail -1)" >&2
    fi
fi
mkdir -p "$WORK/out"
OUT_MOUNTED=""
if [ "${BENCH_FS:-tmpfs}" = ext4 ]; then
    truncate -s "$(awk -v s="$SIZE" -v f="$FILES" 'BEGIN { print int(s * 6000) + int(f * 6 / 1000) + 512 }')m" "$WORK/ext4.img"
    # Enough inodes for the many-files layer (the default ratio gives ~650k),
    # all initialised now: ext4lazyinit zeroing them in the background would
    # take I/O and CPU from whichever rows run first.
    mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -N "$(awk -v s="$SIZE" -v f="$FILES" 'BEGIN { print int(f * 1.2) + int(s * 400000) + 100000 }')" \
        "$WORK/ext4.img" && mount -o loop "$WORK/ext4.img" "$WORK/out" && OUT_MOUNTED=1 ||
        { echo "cannot mount a journaled ext4 loop device" >&2; exit 1; }
fi
LAUNCHER_PID=""
cleanup() {
    [ -n "$LAUNCHER_PID" ] && { kill "$LAUNCHER_PID" 2>/dev/null; wait "$LAUNCHER_PID" 2>/dev/null; }
    [ -n "$OUT_MOUNTED" ] && umount "$WORK/out" 2>/dev/null
    if [ -n "$MOUNTED" ]; then umount "$MOUNTED" 2>/dev/null; rmdir "$MOUNTED" 2>/dev/null; fi
    [ -z "${BENCH_DIR:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

start_registry
# The registry shares the two cores with `in` and `curl`: its CPU per run is
# reported beside theirs (utime + stime of the whole process, in ticks).
REG_PID="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$WORK/registry.json")"
TICKS="$(getconf CLK_TCK)"
registry_ticks() { awk '{ print $14 + $15 }' "/proc/$REG_PID/stat" 2>/dev/null || echo 0; }
have() { command -v "$1" >/dev/null 2>&1; }

declare -A WALL CPU REG   # row key -> median wall s, its user+sys s, the registry's CPU s in that run
ROWS=()
# Empties $WORK/out (which may be a mount point).
clear_out() { find "$WORK/out" -mindepth 1 -maxdepth 1 -exec rm -rf {} +; }
# measure KEY NAME CMD: runs CMD WARMUP untimed + RUNS timed times in a fresh $WORK/out.
measure() {
    local key="$1" name="$2" cmd="$3" walls=() cpus=() regs=() rss=0 before ok=1 RUNS="${MEASURE_RUNS:-$RUNS}" WARMUP="${MEASURE_WARMUP:-$WARMUP}"
    # One untimed warm-up run for every row alike: on these VMs the first
    # writes into fresh guest memory cost far more system time than later
    # ones, which would otherwise penalise whichever row runs first.
    for _ in $(seq 1 "$WARMUP"); do
        clear_out
        bash -c "$cmd" >/dev/null 2>&1
    done
    for _ in $(seq 1 "$RUNS"); do
        clear_out
        sync
        before="$(registry_ticks)"
        if ! "$TIME" -f "%e %M %U %S" -o "$WORK/time.txt" bash -c "$cmd" >"$WORK/cmd.log" 2>&1; then
            ok=0
            echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
            break
        fi
        read -r secs kb user sys <"$WORK/time.txt"
        walls+=("$secs")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
        regs+=("$(awk -v a="$before" -v b="$(registry_ticks)" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')")
        [ "$kb" -gt "$rss" ] && rss="$kb"
    done
    clear_out
    if [ "$ok" = 1 ]; then
        # The median run by wall time, and that run's CPU and the registry's.
        local pick
        pick="$(for i in "${!walls[@]}"; do echo "${walls[$i]} ${cpus[$i]} ${regs[$i]}"; done | sort -n |
                awk '{w[NR]=$1; c[NR]=$2; r[NR]=$3} END {m=int((NR+1)/2); print w[m], c[m], r[m]}')"
        read -r "WALL[$key]" "CPU[$key]" "REG[$key]" <<<"$pick"
        local reg="${REG[$key]}"
        [ "$reg" = 0.00 ] && reg=""
        ROWS+=("| $name | ${WALL[$key]} | ${CPU[$key]} | $reg | $((rss / 1024)) | ${walls[*]} |")
    else
        ROWS+=("| $name | failed | – | – | – | |")
    fi
    echo "done: $name" >&2
}
ratio() { # ratio A B: WALL[A] / WALL[B], or "–"
    if [ -n "${WALL[$1]:-}" ] && [ -n "${WALL[$2]:-}" ]; then
        awk -v a="${WALL[$1]}" -v b="${WALL[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "–" }'
    else echo "–"; fi
}
RATIOS=()
BASELINE=()
BASELINE_NAME="${BASELINE_NAME:-baseline}"

# bench_image ID LAYOUT TAG KIND: pushes the layout, decompresses its layers (untimed),
# and measures `in`, `extract` and each stage alone on it.
bench_image() {
    local id="$1" layout="$2" tag="$3" kind="$4"
    cp -r "$layout" "$WORK/$id"
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false \
        "oci:$WORK/$id:$tag" "docker://$HOST/bench/$id:latest" || exit 1
    local manifest blobs
    manifest="$("$PY" -c "import json; print(json.load(open('$WORK/$id/index.json'))['manifests'][0]['digest'][7:])")"
    blobs="$("$PY" -c "import json; print(' '.join(l['digest'][7:] for l in json.load(open('$WORK/$id/blobs/sha256/$manifest'))['layers']))")"
    mkdir -p "$WORK/tars-$id"
    local i=0 inflate=igzip
    [ "$kind" = zstd ] && inflate="zstd -q"
    have igzip || [ "$kind" = zstd ] || inflate=gzip
    for b in $blobs; do
        $inflate -dc "$WORK/$id/blobs/sha256/$b" >"$WORK/tars-$id/$i.tar"
        i=$((i + 1))
    done
    local digest="sha256:$manifest" paths="" b
    for b in $blobs; do paths="$paths $WORK/$id/blobs/sha256/$b"; done
    local request="{\"source\":{\"repository\":\"$HOST/bench/$id\",\"tag\":\"latest\"},\"version\":{\"digest\":\"$digest\"}}"
    if [ -x "$BIN" ]; then
        measure "$id:in" "$id: registry-image in" "echo '$request' | '$BIN' in '$WORK/out/dest' >/dev/null"
        [ -n "${BASELINE_BIN:-}" ] && measure "$id:in-base" "$id: baseline ($BASELINE_NAME) in" \
            "echo '$request' | '$BASELINE_BIN' in '$WORK/out/dest' >/dev/null"
        measure "$id:extract" "$id: registry-image extract (OCI layout on tmpfs)" "'$BIN' extract '$WORK/$id' '$WORK/out/rootfs'"
        [ -n "${BASELINE_BIN:-}" ] && measure "$id:extract-base" "$id: baseline ($BASELINE_NAME) extract" \
            "'$BASELINE_BIN' extract '$WORK/$id' '$WORK/out/rootfs'"
    fi
    measure "$id:tar" "$id: limit: tar -xf of the decompressed layers" \
        "mkdir -p $WORK/out/rootfs && for t in \$(ls $WORK/tars-$id | sort -n); do tar -xf $WORK/tars-$id/\$t -C $WORK/out/rootfs || exit 1; done"
    measure "$id:inflate" "$id: limit: ${inflate%% *} -dc of the blobs" "for p in $paths; do $inflate -dc \$p >/dev/null || exit 1; done"
    measure "$id:sha" "$id: limit: openssl dgst -sha256 of the blobs" "for p in $paths; do openssl dgst -sha256 \$p >/dev/null || exit 1; done"
    measure "$id:curl" "$id: limit: curl download of the blobs" \
        "for b in $blobs; do curl -sS --fail -o /dev/null http://$HOST/v2/bench/$id/blobs/sha256:\$b || exit 1; done"
    # What two cores could do at best if every stage overlapped perfectly.
    if [ -n "${CPU[$id:tar]:-}" ] && [ -n "${CPU[$id:inflate]:-}" ] && [ -n "${CPU[$id:sha]:-}" ]; then
        WALL[$id:stages]="$(awk -v t="${CPU[$id:tar]}" -v i="${CPU[$id:inflate]}" -v h="${CPU[$id:sha]}" -v c="${CPU[$id:curl]:-0}" \
            'BEGIN { printf "%.2f", (t + i + h + c) / 2 }')"
        ROWS+=("| $id: estimate: Σ-stages/2 (CPU of tar -x + inflate + sha256 + curl, over 2 cores) | ${WALL[$id:stages]} | | | | |")
        # `in` also shares the cores with the registry serving it.
        WALL[$id:stages+reg]="$(awk -v e="${WALL[$id:stages]}" -v r="${REG[$id:in]:-0}" 'BEGIN { printf "%.2f", e + r / 2 }')"
        ROWS+=("| $id: estimate: the same plus the registry's CPU during \`in\`, over 2 cores | ${WALL[$id:stages+reg]} | | | | |")
    fi
    # The target: `in` against the larger of the two limits.
    if [ -n "${WALL[$id:tar]:-}" ] && [ -n "${WALL[$id:stages]:-}" ]; then
        WALL[$id:bound]="$(awk -v t="${WALL[$id:tar]}" -v e="${WALL[$id:stages]}" 'BEGIN { print (t > e ? t : e) }')"
    fi
    RATIOS+=("| $id | $(ratio "$id:in" "$id:bound") | $(ratio "$id:extract" "$id:bound") | $(ratio "$id:in" "$id:tar") | $(ratio "$id:in" "$id:stages") | $(ratio "$id:in" "$id:stages+reg") | $(ratio "$id:in" "$id:inflate") |")
    [ -n "${BASELINE_BIN:-}" ] && BASELINE+=("| $id | $(ratio "$id:in" "$id:in-base") | $(ratio "$id:extract" "$id:extract-base") |")
    rm -rf "$WORK/tars-$id"
}

bench_image big-gzip "$CACHE/gzip" big gzip
bench_image big-zstd "$CACHE/zstd" big zstd
bench_image many "$EXTRA/many" many gzip
bench_image debian "$EXTRA/debian" debian gzip
bench_image large "$EXTRA/large" large gzip
MEASURE_RUNS="${FILES_RUNS:-1}" MEASURE_WARMUP=0 bench_image "files-$FILES" "$EXTRA/files-$FILES" files gzip

PEERS=()
if [ -z "${SKIP_PEERS:-}" ] && have skopeo && have umoci; then
    measure "peer:umoci" "big-gzip: skopeo copy + umoci unpack --rootless" \
        "skopeo copy --quiet --src-tls-verify=false docker://$HOST/bench/big-gzip:latest oci:$WORK/out/layout:big && umoci unpack --rootless --image $WORK/out/layout:big $WORK/out/bundle"
    PEERS+=("| big-gzip: skopeo+umoci ÷ in | $(ratio peer:umoci big-gzip:in) |")
fi
if [ -z "${SKIP_PEERS:-}" ] && have skopeo; then
    ZS_BLOBS="$("$PY" -c "import json; m=json.load(open('$WORK/big-zstd/index.json'))['manifests'][0]['digest'][7:]; print(' '.join(l['digest'][7:] for l in json.load(open('$WORK/big-zstd/blobs/sha256/'+m))['layers']))")"
    measure "peer:tarzstd" "big-zstd: skopeo copy + tar --zstd -x" \
        "skopeo copy --quiet --src-tls-verify=false docker://$HOST/bench/big-zstd:latest oci:$WORK/out/layout:big && mkdir -p $WORK/out/rootfs && for b in $ZS_BLOBS; do tar --zstd -xf $WORK/out/layout/blobs/sha256/\$b -C $WORK/out/rootfs || exit 1; done"
    PEERS+=("| big-zstd: skopeo+tar ÷ in | $(ratio peer:tarzstd big-zstd:in) |")
fi

REPORT="${BENCH_REPORT:-$ROOT/.build/bench/last-run.md}"
mkdir -p "$(dirname "$REPORT")"
{
    echo
    echo "### registry-image benchmark (BENCH_SIZE=$SIZE, FILES=$FILES, $RUNS runs, $(nproc) cores, outputs on $(df --output=fstype "$WORK/out" | tail -1), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| what | median wall s | its user+sys s | registry's CPU s | peak RSS MiB | runs (s) |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Ratios of median wall times, measured in this run (target: in ÷ max(tar -xf, Σ-stages/2) ≤ 1.1):"
    echo
    echo "| image | in ÷ max(tar, Σ/2) | extract ÷ max(tar, Σ/2) | in ÷ tar -xf | in ÷ Σ-stages/2 | in ÷ (Σ-stages + registry)/2 | in ÷ inflate alone |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${RATIOS[@]}"
    [ "${#BASELINE[@]}" -gt 0 ] && { echo; echo "This build against $BASELINE_NAME, side by side:"; echo
        echo "| image | in ÷ baseline in | extract ÷ baseline extract |"; echo "| --- | ---: | ---: |"; printf '%s\n' "${BASELINE[@]}"; }
    [ "${#PEERS[@]}" -gt 0 ] && { echo; echo "| peer | ratio |"; echo "| --- | ---: |"; printf '%s\n' "${PEERS[@]}"; }
} | tee "$REPORT"
# The same table as a chart (Debian's python3-matplotlib), beside the table.
if "$PY" -c 'import matplotlib' 2>/dev/null; then
    "$PY" "$ROOT/Benchmarks/chart.py" "$REPORT" "${REPORT%.md}.svg" >&2
else
    echo "no chart: python3-matplotlib is not installed (make deps)" >&2
fi
