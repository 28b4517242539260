#!/usr/bin/env bash
# Packs a runtime tree (scripts/image-rootfs.sh) into the resource image, with
# tools other than this project's own image writer:
#
#   OUT/oci/                 an OCI image layout, tag TAG (one gzip layer)
#   OUT/registry-image.tar   the same image as a docker-archive (`docker load`),
#                            converted by skopeo
#   OUT/layer.tar.gz         the layer blob (also the worker bundle's rootfs.tgz)
#   OUT/digest               the manifest digest
#
# Reproducible: the layer is GNU tar with entries sorted by name, every mtime set
# to SOURCE_DATE_EPOCH, owner 0:0 by number, no atime/ctime, then `gzip -n`; the
# config's `created` is SOURCE_DATE_EPOCH; JSON is written with sorted keys. The
# same tree and the same inputs give the same digest. umoci then reads the layout
# back (`umoci stat`) as an independent check that it is valid.
#
# Usage: image-oci.sh --rootfs TREE --out OUT [--tag TAG] [--version V]
#                     [--revision R] [--source URL] [--created EPOCH]
#   --created defaults to $SOURCE_DATE_EPOCH, then to the HEAD commit's time.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TREE="" OUT="" TAG="latest" VERSION="" REVISION="" SOURCE="" CREATED="${SOURCE_DATE_EPOCH:-}"
while [ $# -gt 0 ]; do
    case "$1" in
        --rootfs) TREE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --tag) TAG="$2"; shift 2 ;;
        --version) VERSION="$2"; shift 2 ;;
        --revision) REVISION="$2"; shift 2 ;;
        --source) SOURCE="$2"; shift 2 ;;
        --created) CREATED="$2"; shift 2 ;;
        *) echo "image-oci: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$TREE" ] && [ -n "$OUT" ] || { echo "usage: $0 --rootfs TREE --out OUT [--tag TAG] …" >&2; exit 2; }
[ -x "$TREE/opt/resource/registry-image" ] || { echo "image-oci: $TREE is not a runtime tree" >&2; exit 1; }
git_or() { git -C "$ROOT" "$@" 2>/dev/null || true; }
[ -n "$CREATED" ] || CREATED="$(git_or log -1 --format=%ct)"
[ -n "$REVISION" ] || REVISION="$(git_or rev-parse HEAD)"
[ -n "$VERSION" ] || VERSION="$(git_or describe --tags --always)"
[[ "$CREATED" =~ ^[0-9]+$ ]] || { echo "image-oci: no SOURCE_DATE_EPOCH (not a git checkout? pass --created)" >&2; exit 1; }
for tool in tar gzip sha256sum python3 skopeo umoci; do
    command -v "$tool" >/dev/null || { echo "image-oci: $tool is not installed (make deps)" >&2; exit 1; }
done

export LC_ALL=C TZ=UTC
work="$(mktemp -d "${TMPDIR:-/tmp}/image-oci.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The layer: every entry of the tree (no "./" root entry), sorted bytewise.
(cd "$TREE" && find . -mindepth 1 | sed 's|^\./||' | sort) >"$work/entries"
tar -C "$TREE" --create --file="$work/layer.tar" --no-recursion --verbatim-files-from --files-from="$work/entries" \
    --format=posix --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
    --mtime="@$CREATED" --owner=0 --group=0 --numeric-owner --no-acls --no-xattrs --no-selinux
# gzip -6 (the default level): -9 takes four times as long for 0.5% less.
gzip -n -6 -c "$work/layer.tar" >"$work/layer.tar.gz"

rm -rf "$OUT/oci"
mkdir -p "$OUT/oci/blobs/sha256"
blob() { # FILE -> prints sha256:HEX, stores the file as a blob
    local hex
    hex="$(sha256sum "$1" | cut -c1-64)"
    cp "$1" "$OUT/oci/blobs/sha256/$hex"
    echo "sha256:$hex"
}
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -c1-64)"
layer_digest="$(blob "$work/layer.tar.gz")"
layer_size="$(stat -c %s "$work/layer.tar.gz")"

arch="$(dpkg --print-architecture 2>/dev/null || uname -m)"
case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
created_rfc3339="$(date -u -d "@$CREATED" +%Y-%m-%dT%H:%M:%SZ)"

python3 - "$work" "$arch" "$created_rfc3339" "$diff_id" "$VERSION" "$REVISION" "$SOURCE" <<'PY'
import json, sys
work, arch, created, diff_id, version, revision, source = sys.argv[1:8]
labels = {
    "org.opencontainers.image.title": "registry-image",
    "org.opencontainers.image.description": "Concourse resource type for OCI and Docker registries",
    "org.opencontainers.image.version": version,
    "org.opencontainers.image.revision": revision,
    "org.opencontainers.image.source": source,
    "org.opencontainers.image.created": created,
}
config = {
    "architecture": arch,
    "os": "linux",
    "created": created,
    "config": {
        "Env": ["PATH=/opt/resource:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "WorkingDir": "/",
        "Labels": labels,
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": created, "created_by": "scripts/image-rootfs.sh + scripts/image-oci.sh"}],
}
with open(f"{work}/config.json", "w") as f:
    json.dump(config, f, sort_keys=True, separators=(",", ":"))
PY
config_digest="$(blob "$work/config.json")"
config_size="$(stat -c %s "$work/config.json")"

python3 - "$work" "$config_digest" "$config_size" "$layer_digest" "$layer_size" "$created_rfc3339" "$VERSION" "$REVISION" "$SOURCE" <<'PY'
import json, sys
work, config_digest, config_size, layer_digest, layer_size, created, version, revision, source = sys.argv[1:10]
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": config_digest, "size": int(config_size)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": layer_digest, "size": int(layer_size)}],
    "annotations": {
        "org.opencontainers.image.created": created,
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.revision": revision,
        "org.opencontainers.image.source": source,
    },
}
with open(f"{work}/manifest.json", "w") as f:
    json.dump(manifest, f, sort_keys=True, separators=(",", ":"))
PY
manifest_digest="$(blob "$work/manifest.json")"
manifest_size="$(stat -c %s "$work/manifest.json")"
python3 - "$OUT/oci" "$manifest_digest" "$manifest_size" "$TAG" <<'PY'
import json, sys
layout, digest, size, tag = sys.argv[1:5]
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
         "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest,
                        "size": int(size), "annotations": {"org.opencontainers.image.ref.name": tag}}]}
with open(f"{layout}/index.json", "w") as f:
    json.dump(index, f, sort_keys=True, separators=(",", ":"))
with open(f"{layout}/oci-layout", "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
PY

# An independent reader must accept the layout and see our layer.
umoci stat --image "$OUT/oci:$TAG" --json >"$work/stat.json"
grep -q 'image-oci.sh' "$work/stat.json" || { echo "image-oci: umoci does not see the image's history" >&2; exit 1; }

rm -f "$OUT/registry-image.tar"
skopeo --insecure-policy copy --quiet "oci:$OUT/oci:$TAG" "docker-archive:$OUT/registry-image.tar:registry-image:$TAG"
cp "$work/layer.tar.gz" "$OUT/layer.tar.gz"
printf '%s\n' "$manifest_digest" >"$OUT/digest"

uncompressed="$(stat -c %s "$work/layer.tar")"
echo "image-oci: $OUT/oci:$TAG $manifest_digest"
echo "image-oci: layer $layer_size bytes gzip ($(numfmt --to=iec-i --suffix=B "$layer_size")), $uncompressed bytes uncompressed ($(numfmt --to=iec-i --suffix=B "$uncompressed")); created $created_rfc3339; version $VERSION; revision $REVISION"
