#!/usr/bin/env python3
"""Starting corpora for the fuzz targets, made with Python's tarfile/json
(independent of the code under test) and the suite's hostile-layer maker.

usage: make_seeds.py OUTDIR SCRATCH
  writes OUTDIR/<target>/<name> for every target; SCRATCH is the layer
  target's scratch directory (its outside/ is what hostile seeds aim at).
"""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

OUT, SCRATCH = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE = os.path.join(HERE, "..", "..", "Tests", "StandIns", "hostile", "make_hostile.py")


def put(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(members, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 1700000000
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


# Layers: the hostile corpus (aimed at SCRATCH/outside) and a few plain ones.
blobs = os.path.join(OUT, ".hostile")
listing = json.loads(subprocess.run(
    [sys.executable, HOSTILE, "corpus", blobs, os.path.join(SCRATCH, "outside")],
    check=True, capture_output=True).stdout)
for blob in listing:
    with open(blob["file"], "rb") as f:
        put("layer", blob["name"], f.read())
listing = json.loads(subprocess.run(
    [sys.executable, HOSTILE, "random", blobs, os.path.join(SCRATCH, "outside"), "7", "24"],
    check=True, capture_output=True).stdout)
for blob in listing:
    with open(blob["file"], "rb") as f:
        put("layer", "random-" + blob["name"], f.read())
layer = tar_bytes([("etc/hostname", b"fuzz\n"), ("usr/bin/tool", b"\x7fELF")])
put("layer", "plain.tar", layer)
put("layer", "plain.tar.gz", gzip.compress(layer, mtime=0))

# Documents: manifest, index, config (OCI and Docker media types).
config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05.123456789Z",
                     "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "User": "1000:1000",
                                "Labels": {"a": "b"}},
                     "rootfs": {"type": "layers", "diff_ids": [sha(layer)]},
                     "history": [{"created": "2024-01-02T03:04:05Z", "created_by": "x"}]}).encode()
gzlayer = gzip.compress(layer, mtime=0)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": sha(config), "size": len(config)},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                   "digest": sha(gzlayer), "size": len(gzlayer)}],
                       "annotations": {"org.opencontainers.image.ref.name": "v1"}}).encode()
index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                   "digest": sha(manifest), "size": len(manifest),
                                   "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}]}).encode()
docker = json.dumps({"schemaVersion": 2,
                     "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                     "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                                "digest": sha(config), "size": len(config)},
                     "layers": []}).encode()
for name, data in (("manifest.json", manifest), ("index.json", index), ("docker.json", docker),
                   ("schema1.json", b'{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}')):
    put("manifest", name, data)
put("config", "config.json", config)
put("config", "minimal.json", b'{"architecture":"arm","os":"linux","variant":"v7"}')

# Concourse requests.
for name, doc in (
        ("check.json", {"source": {"repository": "127.0.0.1:5000/a/b", "tag": 1, "insecure": True}}),
        ("check-semver.json", {"source": {"repository": "x", "semver_constraint": ">= 1.2, < 2",
                                          "pre_releases": True, "variant": "alpine"},
                               "version": {"digest": "sha256:" + "a" * 64}}),
        ("in.json", {"source": {"repository": "x", "registry_mirror": {"host": "m"},
                                "platform": {"os": "linux", "architecture": "arm64"}},
                     "version": {"tag": "1", "digest": "sha256:" + "b" * 64},
                     "params": {"format": "oci-layout", "skip_download": False}}),
        ("out.json", {"source": {"repository": "x", "username": "u", "password": "p"},
                      "params": {"image": "img/*.tar", "version": "1.2.3", "bump_aliases": True,
                                 "additional_tags": "tags"}})):
    put("request", name, json.dumps(doc))
put("request", "escapes.json", '{"source":{"repository":"\\u00e9\\ud83d\\ude00","tag":"a\\nb"},"x":[1e400,-0,{}]}')

# References, digests, platforms.
for i, text in enumerate(("alpine", "docker.io/library/alpine:3.19", "localhost:5000/a/b-c__d.e:v1",
                          "[::1]:5000/x@sha256:" + "c" * 64, "registry.example.com/a:b@sha256:" + "d" * 64,
                          "linux/arm64/v8", "sha256:" + "e" * 64)):
    put("reference", "ref-%d" % i, text)

# Constraints, then versions.
for i, text in enumerate((">= 1.2.3, < 2.0.0 || ~3.1\n1.2.3\n2.0.0-rc.1\n3.1.9",
                          "^1.x\n1.0.0\nv1.9.9+meta\n1.10",
                          "1.2 - 1.4.5\n1.3.0-alpha.1\n1.4.5",
                          "!= 4.0.0-beta.2, > 3\n4.0.0-beta.10\n4.0.0-beta.2\n4.0.0")):
    put("semver", "constraint-%d" % i, text)

# Archives: a docker-archive (`docker save` layout) and an OCI archive.
docker_archive = tar_bytes([
    ("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["x:1"],
                                   "Layers": ["layer.tar"]}]).encode()),
    ("config.json", config), ("layer.tar", layer)], fmt=tarfile.USTAR_FORMAT)
put("archive", "docker-archive.tar", docker_archive)
oci_index = json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(manifest),
     "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}).encode()
put("archive", "oci-archive.tar", tar_bytes([
    ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", oci_index),
    ("blobs/sha256/" + sha(manifest)[7:], manifest), ("blobs/sha256/" + sha(config)[7:], config),
    ("blobs/sha256/" + sha(gzlayer)[7:], gzlayer)]))
