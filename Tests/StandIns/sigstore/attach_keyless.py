#!/usr/bin/env python3
"""Writes a keyless cosign signature of DIGEST into a new OCI image layout, for
push_raw.py to push: in cosign's tag scheme (tag `sha256-<hex>.sig`), or with
`--format bundle` as `cosign sign --new-bundle-format` attaches it, an OCI 1.1
referrer holding a sigstore bundle (DSSE envelope of an in-toto statement whose
subject is DIGEST, Rekor dsse entry with SET and inclusion proof) behind the
referrers fallback tag `sha256-<hex>` (an index).

A fresh test sigstore (keyless_fixtures.Instance: Fulcio-like CA, CT log,
Rekor) issues a leaf for EMAIL with issuer ISSUER; the leaf signs cosign's
simple-signing payload for DIGEST; Rekor's SET over the hashedrekord entry
goes into the `dev.sigstore.cosign/bundle` annotation, the leaf and chain into
`dev.sigstore.cosign/certificate` and `/chain`, as `cosign sign` writes them
(cosign pkg/oci/static, pkg/cosign/bundle).

Usage: attach_keyless.py LAYOUT DIGEST REFERENCE --email EMAIL [--issuer ISSUER]
                         [--format tag|bundle --subject-size N --subject-media-type T]
                         [--payload-digest D]  (tag scheme: a payload naming D instead)
Prints {"tag": the layout tag to push, "trustedRoot": {...}}.
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
    p.add_argument("--payload-digest", help="the digest the payload names (default: DIGEST), for negative tests")
    p.add_argument("--format", choices=["tag", "bundle"], default="tag")
    p.add_argument("--subject-size", type=int, default=0)
    p.add_argument("--subject-media-type", default="application/vnd.oci.image.manifest.v1+json")
    a = p.parse_args()

    instance = kf.Instance()
    key, cert = kf.leaf(instance.intermediate, instance.ct_key, email=a.email, oidc_issuer=a.issuer)
    if a.format == "bundle":
        tag = bundle_referrer(a, instance, key, cert)
        print(json.dumps({"tag": tag, "trustedRoot": instance.trusted_root}))
        return
    payload = kf.simple_signing(a.payload_digest or a.digest, a.reference)
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
    write_index(a.layout, dict(write_blob(a.layout, manifest), mediaType=MANIFEST), tag)
    print(json.dumps({"tag": tag, "trustedRoot": instance.trusted_root}))


MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json"
PREDICATE = "https://sigstore.dev/cosign/sign/v1"


def write_index(layout, descriptor, tag):
    descriptor["annotations"] = dict(descriptor.get("annotations", {}), **{"org.opencontainers.image.ref.name": tag})
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": INDEX, "manifests": [descriptor]}, f)


def bundle_referrer(a, instance, key, cert):
    algorithm, hex_digest = a.digest.split(":", 1)
    statement = kf.canonical({"_type": "https://in-toto.io/Statement/v1",
                              "subject": [{"name": a.reference, "digest": {algorithm: hex_digest}}],
                              "predicateType": PREDICATE, "predicate": {}})
    payload_type = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(statement), statement)
    signature = key.sign(pae, ec.ECDSA(hashes.SHA256()))
    envelope = {"payload": kf.b64(statement), "payloadType": payload_type,
                "signatures": [{"sig": kf.b64(signature), "keyid": ""}]}
    body = kf.dsse_body(statement, kf.canonical(envelope), signature, cert)
    bundle = json.dumps({"mediaType": BUNDLE,
                         "verificationMaterial": {"certificate": {"rawBytes": kf.b64(kf.der(cert))},
                                                  "tlogEntries": [instance.rekor.entry(body, "dsse")]},
                         "dsseEnvelope": envelope}).encode()
    annotations = {"dev.sigstore.bundle.content": "dsse-envelope", "dev.sigstore.bundle.predicateType": PREDICATE}
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": MANIFEST, "artifactType": BUNDLE,
        "config": dict(write_blob(a.layout, b"{}"), mediaType="application/vnd.oci.empty.v1+json"),
        "layers": [dict(write_blob(a.layout, bundle), mediaType=BUNDLE)],
        "subject": {"mediaType": a.subject_media_type, "digest": a.digest, "size": a.subject_size},
        "annotations": annotations}).encode()
    referrer = dict(write_blob(a.layout, manifest), mediaType=MANIFEST, artifactType=BUNDLE, annotations=annotations)
    # The referrers fallback tag: an index of the digest's referrers.
    fallback = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": [referrer]}).encode()
    tag = a.digest.replace(":", "-")
    write_index(a.layout, dict(write_blob(a.layout, fallback), mediaType=INDEX), tag)
    return tag


if __name__ == "__main__":
    main()
