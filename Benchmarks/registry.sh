# Sourced by the benchmark scripts and scripts/demo.sh, after they set ROOT.
# Installs nothing: GNU time and the registry come with `make deps`.

# python_path: PY, Debian's python3 (no version-manager shims) when there is one.
python_path() {
    PY=python3
    [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
    return 0
}

# bench_settings: the settings every benchmark shares — BIN (REGISTRY_IMAGE_BIN,
# default the release build), SIZE (BENCH_SIZE), RUNS, PY, TIME (GNU time, for
# peak RSS) — and the generated images in CACHE (BENCH_CACHE, default
# .build/bench/images-v2-SIZE; made when missing).
bench_settings() {
    BIN="${REGISTRY_IMAGE_BIN:-$ROOT/.build/release/registry-image}"
    SIZE="${BENCH_SIZE:-1}"
    RUNS="${RUNS:-3}"
    python_path
    TIME=/usr/bin/time
    [ -x "$BIN" ] || { echo "build first: swift build -c release ($BIN missing)" >&2; exit 1; }
    [ -x "$TIME" ] || { echo "GNU time missing ($TIME): run make deps" >&2; exit 1; }
    CACHE="${BENCH_CACHE:-$ROOT/.build/bench/images-v2-$SIZE}"
    if [ ! -f "$CACHE/info.json" ]; then
        echo "generating benchmark images (scale $SIZE) in $CACHE ..." >&2
        rm -rf "$CACHE"
        "$PY" "$ROOT/Benchmarks/make_big_image.py" "$CACHE" --scale "$SIZE" >/dev/null || exit 1
    fi
}

# bench_setup NAME: bench_settings, and a work directory WORK, on tmpfs when
# root (MOUNTED is then set). The caller's cleanup unmounts and removes WORK.
bench_setup() {
    bench_settings
    # Registry storage and outputs live on tmpfs so disk speed does not decide the result.
    WORK="$(mktemp -d "/tmp/ri-$1-bench.XXXXXX")"
    MOUNTED=""
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=12g tmpfs "$WORK" 2>/dev/null; then MOUNTED=1; fi
}

# start_registry [NAME]: starts a throwaway docker-registry (via the test
# suite's launcher) with storage under "$WORK/NAME" (default "registry") and
# sets LAUNCHER_PID and HOST (127.0.0.1:PORT); needs WORK and PY. The
# caller's cleanup kills it.
start_registry() {
    local name="${1:-registry}"
    "$PY" "$ROOT/Tests/StandIns/registry/launch_registry.py" --until-signal --workdir "$WORK/$name" \
        >"$WORK/$name.json" 2>"$WORK/$name.err" &
    LAUNCHER_PID=$!
    for _ in $(seq 1 300); do
        [ -s "$WORK/$name.json" ] && break
        kill -0 "$LAUNCHER_PID" 2>/dev/null || { cat "$WORK/$name.err" >&2; exit 1; }
        sleep 0.1
    done
    HOST="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["host"])' "$WORK/$name.json")"
}

# launch_registry NAME: start_registry NAME, its pid added to PIDS (see
# bench_cleanup_on_exit); sets LAST_PID and LAST_HOST.
launch_registry() {
    start_registry "$1"
    LAST_PID=$LAUNCHER_PID
    LAST_HOST=$HOST
    PIDS+=("$LAST_PID")
}

# stop_pid PID: stops one process started here (a per-run registry).
stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# seed_source_registry: a registry "source" holding the gzip benchmark image
# as bench/big:latest (pushed by skopeo, digests kept); sets SOURCE, DIGEST
# (its manifest digest) and SIZE_MB (its blobs).
seed_source_registry() {
    launch_registry source
    SOURCE="$LAST_HOST"
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$CACHE/gzip:big" "docker://$SOURCE/bench/big:latest" || exit 1
    DIGEST="$("$PY" -c "import json; print(json.load(open('$CACHE/info.json'))['gzip']['manifestDigest'])")"
    SIZE_MB=$(du -sm "$CACHE/gzip/blobs" | cut -f1)
}

# median VALUE...: the middle value (the lower one of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# clear_skopeo_cache: forget skopeo's blob-info cache, so it cannot mount or
# skip a blob because an earlier run copied it.
clear_skopeo_cache() {
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb "${HOME:-/root}/.local/share/containers/cache/blob-info-cache-v1.boltdb"
}

# bench_cleanup_on_exit: on exit, stops every process whose pid the caller
# adds to PIDS and removes the work tree (unmounting its tmpfs first).
bench_cleanup_on_exit() {
    PIDS=()
    trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    [ -n "$MOUNTED" ] && umount "$WORK"
    rm -rf "$WORK"
}
