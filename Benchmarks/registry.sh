# Sourced by the benchmark scripts: starts a throwaway docker-registry under
# "$WORK/registry" (via the test suite's launcher) and sets LAUNCHER_PID and
# HOST (127.0.0.1:PORT). The caller's cleanup kills LAUNCHER_PID.
start_registry() {
    "$PY" "$ROOT/Tests/Support/registry/launch_registry.py" --until-signal --workdir "$WORK/registry" \
        >"$WORK/registry.json" 2>"$WORK/registry.err" &
    LAUNCHER_PID=$!
    for _ in $(seq 1 300); do
        [ -s "$WORK/registry.json" ] && break
        kill -0 "$LAUNCHER_PID" 2>/dev/null || { cat "$WORK/registry.err" >&2; exit 1; }
        sleep 0.1
    done
    HOST="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["host"])' "$WORK/registry.json")"
}
