#!/usr/bin/env bash
# Promotion benchmark: `out` with params.image naming a get directory (only
# `repository` and `digest`) promotes the benchmark image (~1 GiB, 8 gzip
# layers at BENCH_SIZE=1) registry to registry, against `skopeo copy --all
# --preserve-digests` of the same digest: within one registry (to a new
# repository: mounts) and across two (a fresh target registry each run).
# The machine may be loaded, so CPU time (user + system) is reported beside
# wall time. Bytes moved are counted in one extra run of each through
# fault_proxy.py (blob bytes served by GETs + blob bytes received by uploads).
# Knobs as run.sh: BENCH_SIZE, RUNS, REGISTRY_IMAGE_BIN, BENCH_CACHE.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/Benchmarks/registry.sh"
bench_setup promote
bench_cleanup_on_exit

# proxy UPSTREAM_HOST: a counting fault_proxy in front of it; sets PROXY_HOST.
proxy() {
    local out="$WORK/proxy$RANDOM.json"
    "$PY" "$ROOT/Tests/StandIns/registry/fault_proxy.py" --upstream "http://$1" --until-signal >"$out" &
    PIDS+=("$!")
    for _ in $(seq 1 100); do [ -s "$out" ] && break; sleep 0.1; done
    PROXY_HOST="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$out")"
}
stat_of() { curl -s "http://$1/__stats" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }

seed_source_registry

# promote_cmd SRC_HOST DEST_REPO: the `out` of a get directory, as a shell command.
promote_cmd() {
    local dir="$WORK/put$RANDOM"
    mkdir -p "$dir/get"
    printf '%s' "$1/bench/big" >"$dir/get/repository"
    printf '%s' "$DIGEST" >"$dir/get/digest"
    printf '{"source":{"repository":"%s","tag":"latest"},"params":{"image":"get"}}' "$2" >"$dir/request.json"
    echo "'$BIN' out '$dir' <'$dir/request.json' >/dev/null"
}
skopeo_cmd() {
    echo "skopeo copy --quiet --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://$1/bench/big@$DIGEST docker://$2:latest"
}

ROWS=()
# measure NAME TOOL same|cross
measure() {
    local name="$1" tool="$2" where="$3" walls=() cpus=() rss=0
    for run in $(seq 1 "$RUNS"); do
        local dest_pid="" dest
        if [ "$where" = same ]; then
            dest="$SOURCE/bench/promoted$RANDOM$run"
        else
            launch_registry "dest$RANDOM$run"; dest_pid="$LAST_PID"; dest="$LAST_HOST/bench/big"
        fi
        clear_skopeo_cache
        sync
        local cmd; cmd="$("${tool}_cmd" "$SOURCE" "$dest")"
        if ! "$TIME" -f "%e %U %S %M" -o "$WORK/time.txt" bash -c "$cmd" >"$WORK/cmd.log" 2>&1; then
            echo "[$name] failed: $(tail -c 400 "$WORK/cmd.log")" >&2
            ROWS+=("| $name | failed | | | | |"); [ -n "$dest_pid" ] && stop_pid "$dest_pid"; return
        fi
        got="$(skopeo inspect --raw --tls-verify=false "docker://$dest:latest" | sha256sum | cut -d' ' -f1)"
        [ "sha256:$got" = "$DIGEST" ] || { echo "[$name] digest changed: sha256:$got" >&2; ROWS+=("| $name | wrong digest | | | | |"); return; }
        read -r wall user sys kb <"$WORK/time.txt"
        walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')")
        [ "$kb" -gt "$rss" ] && rss="$kb"
        [ -n "$dest_pid" ] && stop_pid "$dest_pid"
    done
    # One more run through counting proxies: the blob bytes each side saw.
    local dest_pid="" src_proxy dest_proxy dest
    proxy "$SOURCE"; src_proxy="$PROXY_HOST"
    if [ "$where" = same ]; then
        dest_proxy="$src_proxy"; dest="$src_proxy/bench/counted$RANDOM"
    else
        launch_registry "counted$RANDOM"; dest_pid="$LAST_PID"; proxy "$LAST_HOST"; dest_proxy="$PROXY_HOST"; dest="$dest_proxy/bench/big"
    fi
    clear_skopeo_cache
    bash -c "$("${tool}_cmd" "$src_proxy" "$dest")" >"$WORK/cmd.log" 2>&1 || echo "[$name] counted run failed: $(tail -c 300 "$WORK/cmd.log")" >&2
    local down up mounts
    down=$(stat_of "$src_proxy" blobBodyBytes); up=$(stat_of "$dest_proxy" uploadBodyBytes); mounts=$(stat_of "$dest_proxy" mountRequests)
    [ -n "$dest_pid" ] && stop_pid "$dest_pid"
    ROWS+=("| $name | $(median "${walls[@]}") | $(median "${cpus[@]}") | $((rss / 1024)) | $((down / 1048576)) MiB down, $((up / 1048576)) MiB up, $mounts mounts | ${cpus[*]} |")
    echo "done: $name" >&2
}

measure "registry-image put (promotion), same registry" promote same
measure "skopeo copy --all, same registry" skopeo same
measure "registry-image put (promotion), across registries" promote cross
measure "skopeo copy --all, across registries" skopeo cross

echo "| promotion of the ${SIZE_MB} MB benchmark image | wall s (median) | CPU s user+sys (median) | peak RSS MiB | blob bytes moved | CPU s per run |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
