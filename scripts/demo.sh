#!/usr/bin/env bash
# Demo: a throwaway registry with a sample image made without this project's
# code (build_image.py + skopeo), then `registry-image check` and `in` on it.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The registry start the benchmarks use (start_registry), and PY.
source "$ROOT/Benchmarks/registry.sh"
BIN="${REGISTRY_IMAGE_BIN:-$ROOT/.build/release/registry-image}"
python_path
[ -x "$BIN" ] || { echo "demo: $BIN not built (run: swift build -c release)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/registry-image-demo.XXXXXX)"
LAUNCHER_PID=""
cleanup() {
    if [ -n "$LAUNCHER_PID" ]; then
        kill "$LAUNCHER_PID" 2>/dev/null || true
        wait "$LAUNCHER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "Starting a throwaway docker-registry on 127.0.0.1"
start_registry
echo "registry: http://$HOST"

section "Seeding demo/sample:latest (built with Python tarfile, pushed with skopeo)"
cat >"$WORK/spec.json" <<'SPEC'
{"tag": "latest",
 "config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "GREETING=hello"],
            "Cmd": ["/usr/local/bin/hello"], "User": "1000",
            "Labels": {"org.opencontainers.image.title": "registry-image demo"}},
 "layers": [
  {"compression": "gzip", "entries": [
    {"path": "etc", "type": "dir"},
    {"path": "etc/os-release", "content": "ID=demo\nNAME=\"Demo Linux\"\n"},
    {"path": "etc/motd", "content": "this file is removed by the next layer\n"},
    {"path": "usr", "type": "dir"}, {"path": "usr/local", "type": "dir"},
    {"path": "usr/local/bin", "type": "dir"},
    {"path": "usr/share", "type": "dir"}, {"path": "usr/share/demo", "type": "dir"},
    {"path": "usr/share/demo/data.bin", "size": 262144},
    {"path": "home", "type": "dir"}, {"path": "home/user", "type": "dir", "uid": 1000, "gid": 1000},
    {"path": "tmp", "type": "dir", "mode": 1023}]},
  {"compression": "gzip", "entries": [
    {"path": "etc/.wh.motd", "content": ""},
    {"path": "usr/local/bin/hello", "content": "#!/bin/sh\necho \"$GREETING from the demo image\"\n", "mode": 493},
    {"path": "usr/bin", "type": "dir"},
    {"path": "usr/bin/hi", "type": "symlink", "linkname": "../local/bin/hello"},
    {"path": "usr/share/demo/data-copy.bin", "type": "hardlink", "linkname": "usr/share/demo/data.bin"}]}
 ]}
SPEC
"$PY" "$ROOT/Tests/StandIns/fixtures/build_image.py" "$WORK/spec.json" "$WORK/layout" >"$WORK/built.json"
skopeo copy --quiet --preserve-digests --dest-tls-verify=false \
    "oci:$WORK/layout:latest" "docker://$HOST/demo/sample:latest"
echo "pushed manifest $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifestDigest"])' "$WORK/built.json")"

SOURCE="{\"repository\":\"$HOST/demo/sample\",\"tag\":\"latest\"}"

section "registry-image check"
echo "stdin: {\"source\":$SOURCE}"
echo "{\"source\":$SOURCE}" | "$BIN" check >"$WORK/versions.json"
"$PY" -m json.tool "$WORK/versions.json"
VERSION="$("$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[0]))' "$WORK/versions.json")"

section "registry-image in DEST"
DEST="$WORK/dest"
mkdir -p "$DEST"
echo "stdin: {\"source\":$SOURCE,\"version\":$VERSION}"
echo "{\"source\":$SOURCE,\"version\":$VERSION}" | "$BIN" in "$DEST" >"$WORK/in.json"
"$PY" -m json.tool "$WORK/in.json"

section "Files in DEST"
ls -la "$DEST"
for f in repository tag digest; do
    [ -f "$DEST/$f" ] && printf '%-10s %s\n' "$f:" "$(cat "$DEST/$f")"
done
if [ -f "$DEST/metadata.json" ]; then
    section "metadata.json"
    "$PY" -m json.tool "$DEST/metadata.json"
fi

section "rootfs summary"
ROOTFS="$DEST/rootfs"
if [ -d "$ROOTFS" ]; then
    echo "entries: $(find "$ROOTFS" -mindepth 1 | wc -l)  (files: $(find "$ROOTFS" -type f | wc -l))"
    echo "size:    $(du -sh "$ROOTFS" | cut -f1)"
    echo "top level:"
    ls -la "$ROOTFS" | tail -n +2
    echo "second level:"
    (cd "$ROOTFS" && find . -mindepth 1 -maxdepth 2 | sort | sed 's|^\./|  |')
    if [ -e "$ROOTFS/etc/motd" ]; then echo "UNEXPECTED: etc/motd should have been whited out"; else echo "etc/motd whited out: ok"; fi
else
    echo "no rootfs directory in $DEST"
    exit 1
fi
