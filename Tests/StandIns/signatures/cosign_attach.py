#!/usr/bin/env python3
"""Attach and read cosign signatures in a plain-HTTP registry (stdlib +
`cryptography`), following cosign's formats, independently of the code under test.

    cosign_attach.py tag BASE REPO DIGEST KEY_PEM [--hash sha384] [--names DIGEST]
                     [--type TYPE] [--corrupt] [--oversize]
        Signs a simple-signing payload naming DIGEST (or --names) with KEY_PEM
        (unencrypted PKCS#8) and adds it as a layer of the manifest tagged
        sha256-<hex>.sig (cosign's tag scheme; layers already there are kept).
        --oversize: the layer's descriptor claims 5 MiB (a hostile signature).
    cosign_attach.py bundle BASE REPO DIGEST KEY_PEM [--names DIGEST] [--oversize] [--message]
        Attaches a sigstore bundle (v0.3, DSSE over an in-toto statement whose
        subject is DIGEST, or --names) as an OCI 1.1 referrer, recorded in the
        fallback tag sha256-<hex> (docker-registry 2.8 has no referrers API).
        --oversize: the bundle layer's descriptor claims 5 MiB.
        --message: a messageSignature over a simple-signing payload carried as a
        second layer of the referrer manifest, instead of a DSSE envelope.
    cosign_attach.py check-tag BASE REPO DIGEST PUB_PEM
    cosign_attach.py check-bundle BASE REPO DIGEST PUB_PEM
        Reads what was attached to DIGEST and verifies every signature with
        `cryptography`; prints {"verified": N, "refs": [...]} and exits 0 only
        when N > 0 and every signature names DIGEST and verifies.
BASE is http://127.0.0.1:PORT.
"""
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.request

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import keys  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
ACCEPT = ",".join([OCI_MANIFEST, OCI_INDEX, "application/vnd.docker.distribution.manifest.v2+json",
                   "application/vnd.docker.distribution.manifest.list.v2+json"])


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    return urllib.request.urlopen(req)


def get_manifest(base, repo, ref):
    try:
        with request("GET", f"{base}/v2/{repo}/manifests/{ref}", headers={"Accept": ACCEPT}) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def get_blob(base, repo, digest):
    with request("GET", f"{base}/v2/{repo}/blobs/{digest}") as r:
        data = r.read()
    assert "sha256:" + hashlib.sha256(data).hexdigest() == digest, "blob digest mismatch"
    return data


def put_blob(base, repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with request("POST", f"{base}/v2/{repo}/blobs/uploads/") as r:
        location = r.headers["Location"]
    if location.startswith("/"):
        location = base + location
    sep = "&" if "?" in location else "?"
    request("PUT", f"{location}{sep}digest={digest}", data=data,
            headers={"Content-Type": "application/octet-stream"}).close()
    return {"digest": digest, "size": len(data)}


def put_manifest(base, repo, ref, data, media_type):
    request("PUT", f"{base}/v2/{repo}/manifests/{ref}", data=data, headers={"Content-Type": media_type}).close()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def payload_for(digest, kind):
    return json.dumps({"critical": {"identity": {"docker-reference": "test/image"},
                                    "image": {"docker-manifest-digest": digest}, "type": kind},
                       "optional": None}, separators=(",", ":")).encode()


def pae(payload_type, body):
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(body), body)


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def attach_tag(base, repo, digest, key_pem, args):
    key = serialization.load_pem_private_key(open(key_pem, "rb").read(), password=None)
    payload = payload_for(option(args, "--names", digest), option(args, "--type", "cosign container image signature"))
    signature = keys.sign(key, payload, option(args, "--hash"))
    if "--corrupt" in args:
        signature = signature[:-1] + bytes([signature[-1] ^ 1])
    layer = put_blob(base, repo, payload)
    if "--oversize" in args:
        layer["size"] = 5 << 20
    layer.update({"mediaType": SIMPLE_SIGNING,
                  "annotations": {"dev.cosignproject.cosign/signature": base64.b64encode(signature).decode()}})
    tag = digest.replace(":", "-") + ".sig"
    existing = get_manifest(base, repo, tag)
    layers = json.loads(existing)["layers"] if existing else []
    layers.append(layer)
    config = json.dumps({"architecture": "", "created": "0001-01-01T00:00:00Z", "os": "",
                         "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}, "config": {}}).encode()
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": dict(put_blob(base, repo, config), mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": layers}
    put_manifest(base, repo, tag, json.dumps(manifest).encode(), OCI_MANIFEST)
    print(json.dumps({"tag": tag}))


def attach_bundle(base, repo, digest, key_pem, args):
    key = serialization.load_pem_private_key(open(key_pem, "rb").read(), password=None)
    subject = option(args, "--names", digest)
    layers = []
    if "--message" in args:
        payload = payload_for(subject, "cosign container image signature")
        signature = keys.sign(key, payload)
        bundle = {"mediaType": BUNDLE,
                  "verificationMaterial": {"publicKey": {"hint": "test"}},
                  "messageSignature": {"messageDigest": {"algorithm": "SHA2_256",
                                                         "digest": base64.b64encode(hashlib.sha256(payload).digest()).decode()},
                                       "signature": base64.b64encode(signature).decode()}}
        layers.append(dict(put_blob(base, repo, payload), mediaType=SIMPLE_SIGNING))
    else:
        algorithm, hexdigest = subject.split(":")
        statement = json.dumps({"_type": "https://in-toto.io/Statement/v1",
                                "subject": [{"name": "test/image", "digest": {algorithm: hexdigest}}],
                                "predicateType": "https://sigstore.dev/cosign/sign/v1", "predicate": {}}).encode()
        payload_type = "application/vnd.in-toto+json"
        signature = keys.sign(key, pae(payload_type, statement))
        bundle = {"mediaType": BUNDLE,
                  "verificationMaterial": {"publicKey": {"hint": "test"}},
                  "dsseEnvelope": {"payload": base64.b64encode(statement).decode(), "payloadType": payload_type,
                                   "signatures": [{"sig": base64.b64encode(signature).decode()}]}}
    bundle_blob = put_blob(base, repo, json.dumps(bundle).encode())
    if "--oversize" in args:
        bundle_blob["size"] = 5 << 20
    empty = put_blob(base, repo, b"{}")
    subject_manifest = get_manifest(base, repo, digest)
    subject_type = json.loads(subject_manifest).get("mediaType", OCI_MANIFEST)
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": BUNDLE,
                "config": dict(empty, mediaType="application/vnd.oci.empty.v1+json"),
                "layers": [dict(bundle_blob, mediaType=BUNDLE)] + layers,
                "subject": {"mediaType": subject_type, "digest": digest, "size": len(subject_manifest)}}
    body = json.dumps(manifest).encode()
    referrer = put_manifest(base, repo, "sha256:" + hashlib.sha256(body).hexdigest(), body, OCI_MANIFEST)
    fallback = digest.replace(":", "-")
    existing = get_manifest(base, repo, fallback)
    index = json.loads(existing) if existing else {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
    index["manifests"].append({"mediaType": OCI_MANIFEST, "digest": referrer, "size": len(body), "artifactType": BUNDLE})
    put_manifest(base, repo, fallback, json.dumps(index).encode(), OCI_INDEX)
    print(json.dumps({"referrer": referrer}))


def check_tag(base, repo, digest, pub_pem):
    public = serialization.load_pem_public_key(open(pub_pem, "rb").read())
    manifest = get_manifest(base, repo, digest.replace(":", "-") + ".sig")
    if manifest is None:
        return {"verified": 0, "problem": "no .sig tag"}
    verified, problems = 0, []
    for layer in json.loads(manifest)["layers"]:
        payload = get_blob(base, repo, layer["digest"])
        document = json.loads(payload)
        signature = base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"])
        if layer["mediaType"] != SIMPLE_SIGNING:
            problems.append("media type " + layer["mediaType"])
        elif document["critical"]["image"]["docker-manifest-digest"] != digest:
            problems.append("payload names another digest")
        elif document["critical"]["type"] != "cosign container image signature":
            problems.append("wrong type")
        elif not keys.verify(public, payload, signature):
            problems.append("signature does not verify")
        else:
            verified += 1
    return {"verified": verified, "problems": problems}


def check_bundle(base, repo, digest, pub_pem):
    public = serialization.load_pem_public_key(open(pub_pem, "rb").read())
    index = get_manifest(base, repo, digest.replace(":", "-"))
    if index is None:
        return {"verified": 0, "problem": "no fallback tag"}
    verified, problems = 0, []
    for entry in json.loads(index)["manifests"]:
        manifest = json.loads(get_manifest(base, repo, entry["digest"]))
        if manifest.get("artifactType") != BUNDLE or manifest.get("subject", {}).get("digest") != digest:
            problems.append("referrer without the bundle artifact type or subject")
            continue
        bundle = json.loads(get_blob(base, repo, manifest["layers"][0]["digest"]))
        envelope = bundle["dsseEnvelope"]
        statement = json.loads(base64.b64decode(envelope["payload"]))
        algorithm, hexdigest = digest.split(":")
        if not any(s["digest"].get(algorithm) == hexdigest for s in statement["subject"]):
            problems.append("statement names another digest")
        elif not keys.verify(public, pae(envelope["payloadType"], base64.b64decode(envelope["payload"])),
                             base64.b64decode(envelope["signatures"][0]["sig"])):
            problems.append("signature does not verify")
        else:
            verified += 1
    return {"verified": verified, "problems": problems}


def main():
    command, base, repo, digest, key = sys.argv[1:6]
    args = sys.argv[6:]
    if command == "tag":
        attach_tag(base, repo, digest, key, args)
    elif command == "bundle":
        attach_bundle(base, repo, digest, key, args)
    elif command in ("check-tag", "check-bundle"):
        result = (check_tag if command == "check-tag" else check_bundle)(base, repo, digest, key)
        print(json.dumps(result))
        sys.exit(0 if result["verified"] > 0 and not result.get("problems") else 1)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
