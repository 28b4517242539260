#!/usr/bin/env python3
"""Builds an OCI image layout from plain layer tarballs (gzip-compressing each)
for cross-checks with umoci.  usage: make_oci_layout.py LAYOUT TAG LAYER.tar..."""
import gzip
import hashlib
import json
import os
import sys


def put_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    with open(path, "wb") as out:
        out.write(data)
    return "sha256:" + digest, len(data)


def main():
    layout, tag, layers = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(layout, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(layout, "oci-layout"), "w") as out:
        json.dump({"imageLayoutVersion": "1.0.0"}, out)
    descriptors, diff_ids = [], []
    for layer in layers:
        raw = open(layer, "rb").read()
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        digest, size = put_blob(layout, gzip.compress(raw, mtime=0))
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": digest, "size": size})
    config = {"architecture": "amd64", "os": "linux", "config": {},
              "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": []}
    config_digest, config_size = put_blob(layout, json.dumps(config).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": config_digest, "size": config_size},
                "layers": descriptors}
    manifest_digest, manifest_size = put_blob(layout, json.dumps(manifest).encode())
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
        "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(layout, "index.json"), "w") as out:
        json.dump(index, out)


if __name__ == "__main__":
    main()
