#!/usr/bin/env python3
"""Writes a keyless cosign signature of DIGEST, in cosign's tag scheme, into a
new OCI image layout, for push_raw.py to push as tag `sha256-<hex>.sig`.

A fresh test sigstore (keyless_fixtures.Instance: Fulcio-like CA, CT log,
Rekor) issues a leaf for EMAIL with issuer ISSUER; the leaf signs cosign's
simple-signing payload for DIGEST; Rekor's SET over the hashedrekord entry
goes into the `dev.sigstore.cosign/bundle` annotation, the leaf and chain into
`dev.sigstore.cosign/certificate` and `/chain`, as `cosign sign` writes them
(cosign pkg/oci/static, pkg/cosign/bundle).

Usage: attach_keyless.py LAYOUT DIGEST REFERENCE --email EMAIL [--issuer ISSUER]
Prints {"tag": "sha256-<hex>.sig", "trustedRoot": {...}}.
"""
import argparse
import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

import keyless_fixtures as kf


def write_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(layout, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("layout")
    p.add_argument("digest")
    p.add_argument("reference")
    p.add_argument("--email", required=True)
    p.add_argument("--issuer", default=kf.OIDC_ISSUER)
    a = p.parse_args()

    instance = kf.Instance()
    key, cert = kf.leaf(instance.intermediate, instance.ct_key, email=a.email, oidc_issuer=a.issuer)
    payload = kf.simple_signing(a.digest, a.reference)
    signature = key.sign(payload, ec.ECDSA(hashes.SHA256()))
    body = kf.hashedrekord(payload, signature, cert)

    layer = dict(write_blob(a.layout, payload), mediaType="application/vnd.dev.cosign.simplesigning.v1+json")
    layer["annotations"] = {
        "dev.cosignproject.cosign/signature": kf.b64(signature),
        "dev.sigstore.cosign/certificate": kf.pem(cert).decode(),
        "dev.sigstore.cosign/chain": (kf.pem(instance.intermediate.cert) + kf.pem(instance.root.cert)).decode(),
        "dev.sigstore.cosign/bundle": instance.rekor.annotation(body),
    }
    config = json.dumps({"architecture": "", "config": {}, "created": "0001-01-01T00:00:00Z", "history": [{"created": "0001-01-01T00:00:00Z"}],
                         "os": "", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(payload).hexdigest()]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": dict(write_blob(a.layout, config), mediaType="application/vnd.oci.image.config.v1+json"),
                           "layers": [layer]}).encode()
    tag = a.digest.replace(":", "-") + ".sig"
    descriptor = dict(write_blob(a.layout, manifest), mediaType="application/vnd.oci.image.manifest.v1+json",
                      annotations={"org.opencontainers.image.ref.name": tag})
    with open(os.path.join(a.layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(a.layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [descriptor]}, f)
    print(json.dumps({"tag": tag, "trustedRoot": instance.trusted_root}))


if __name__ == "__main__":
    main()
