#!/usr/bin/env python3
"""Keyless (Fulcio/Rekor/CT) fixtures for the verifier's tests, made with
Python's `cryptography` after sigstore's formats, not with the code under test.

A test instance of sigstore: a Fulcio-like CA (P-384 root and intermediate), a
Rekor-like log key and a CT-log-like key (P-256), in a TrustedRoot. Each case
is one signature with its certificate chain and transparency evidence:

- leaves carry Fulcio's extensions (key usage, code signing, SAN email or URI,
  OIDC issuer as 1.3.6.1.4.1.57264.1.8 and/or the legacy .1.1) and an embedded
  SCT (RFC 6962 precert entry: the TBS without the SCT extension, the issuer's
  key hash) signed by the CT key;
- Rekor entries are hashedrekord v0.0.1 (or dsse v0.0.1) bodies, with a SET
  (ECDSA over the canonical JSON {body, integratedTime, logID, logIndex}) and/or
  an RFC 6962 inclusion proof into a small tree with a signed checkpoint.

Prints one JSON object: {"trustedRoot": {...}, "variants": {name: trusted root},
"identity": {email, uri, issuer}, "merkle": [{size, index, leaf, root,
hashes}], "cases": {name: {"signedBytes", "signature",
"chain" (base64 DER, leaf first), "evidence": {"annotation": text} or
{"entries": [bundle tlog entries]}}}}. Negative cases each break one check.

`--cross-check DIR` also writes the good hashedrekord case as a v0.3 bundle
with the trusted root into DIR and verifies it with sigstore-python's Verifier
(offline), printing "sigstore-python: ok" on stderr; it exits non-zero if
sigstore-python refuses the fixture.
"""
import base64
import datetime
import hashlib
import json
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

UTC = datetime.timezone.utc
T0 = 1_700_000_000  # the signing session: certificates issued then
INTEGRATED = T0 + 60  # Rekor integrated time, within the leaf's 10 minutes
OIDC_ISSUER = "https://token.example.test"
EMAIL = "ci@example.com"
URI = "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"
SCT_OID = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
ISSUER_V1_OID = ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
ISSUER_V2_OID = ObjectIdentifier("1.3.6.1.4.1.57264.1.8")


def b64(data):
    return base64.b64encode(data).decode()


def at(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=UTC)


def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def canonical(obj):
    # RFC 8785 for this data (ASCII strings, integers): sorted keys, no spaces.
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_utf8(text):
    data = text.encode()
    return b"\x0c" + der_length(len(data)) + data


class CA:
    def __init__(self, name, parent=None, not_before=T0 - 86400 * 365, not_after=T0 + 86400 * 3650):
        self.key = ec.generate_private_key(ec.SECP384R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "test.sigstore"),
                               x509.NameAttribute(NameOID.COMMON_NAME, name)])
        issuer_name = parent.name if parent else self.name
        issuer_key = parent.key if parent else self.key
        builder = (x509.CertificateBuilder()
                   .subject_name(self.name).issuer_name(issuer_name)
                   .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(at(not_before)).not_valid_after(at(not_after))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None if parent is None else 0), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                  critical=False))
        self.cert = builder.sign(issuer_key, hashes.SHA384())

    @property
    def der(self):
        return self.cert.public_bytes(serialization.Encoding.DER)


def sct_list(ct_key, issuer_key, tbs, timestamp_ms, corrupt=False):
    """The TLS-encoded SignedCertificateTimestampList of one v1 SCT over a precert entry."""
    log_id = hashlib.sha256(spki(ct_key)).digest()
    issuer_key_hash = hashlib.sha256(spki(issuer_key)).digest()
    signed = (struct.pack(">BBQH", 0, 0, timestamp_ms, 1) + issuer_key_hash
              + len(tbs).to_bytes(3, "big") + tbs + struct.pack(">H", 0))
    if corrupt:
        signed += b"\x00"
    signature = ct_key.sign(signed, ec.ECDSA(hashes.SHA256()))
    sct = (struct.pack(">B", 0) + log_id + struct.pack(">QH", timestamp_ms, 0)
           + struct.pack(">BBH", 4, 3, len(signature)) + signature)
    entries = struct.pack(">H", len(sct)) + sct
    return struct.pack(">H", len(entries)) + entries


def leaf(issuer, ct_key, *, email=None, uri=None, oidc_issuer=OIDC_ISSUER, legacy_issuer_only=False,
         not_before=T0, not_after=T0 + 600, sct="good", code_signing=True):
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.RFC822Name(email)] if email else [x509.UniformResourceIdentifier(uri)]
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([])).issuer_name(issuer.name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(at(not_before)).not_valid_after(at(not_after))
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING if code_signing
                                                     else ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                              critical=False)
               .add_extension(x509.SubjectAlternativeName(names), critical=True)
               .add_extension(x509.UnrecognizedExtension(ISSUER_V1_OID, oidc_issuer.encode()), critical=False))
    if not legacy_issuer_only:
        builder = builder.add_extension(x509.UnrecognizedExtension(ISSUER_V2_OID, der_utf8(oidc_issuer)),
                                        critical=False)
    if sct != "none":
        # The precertificate's TBS is the final TBS without the SCT extension:
        # sign once without it (same serial, times, extensions in order).
        tbs = builder.sign(issuer.key, hashes.SHA384()).tbs_certificate_bytes
        listing = sct_list(ct_key, issuer.key, tbs, (T0 + 1) * 1000, corrupt=(sct == "bad"))
        value = b"\x04" + der_length(len(listing)) + listing
        builder = builder.add_extension(x509.UnrecognizedExtension(SCT_OID, value), critical=False)
    cert = builder.sign(issuer.key, hashes.SHA384())
    return key, cert


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def hashedrekord(signed_bytes, signature, cert):
    return canonical({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
        "data": {"hash": {"algorithm": "sha256", "value": hashlib.sha256(signed_bytes).hexdigest()}},
        "signature": {"content": b64(signature), "publicKey": {"content": b64(pem(cert))}}}})


def intoto_body(payload, payload_type, envelope_json, signature, cert):
    # intoto v0.0.2 stores the signature base64-encoded twice.
    return canonical({"apiVersion": "0.0.2", "kind": "intoto", "spec": {"content": {
        "envelope": {"payloadType": payload_type,
                     "signatures": [{"publicKey": b64(pem(cert)), "sig": b64(b64(signature).encode())}]},
        "hash": {"algorithm": "sha256", "value": hashlib.sha256(envelope_json).hexdigest()},
        "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()}}}})


def dsse_body(payload, envelope_json, signature, cert):
    return canonical({"apiVersion": "0.0.1", "kind": "dsse", "spec": {
        "envelopeHash": {"algorithm": "sha256", "value": hashlib.sha256(envelope_json).hexdigest()},
        "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
        "signatures": [{"signature": b64(signature), "verifier": b64(pem(cert))}]}})


# ---- Merkle tree (RFC 6962) -------------------------------------------------

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_hash(leaves):
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = split(len(leaves))
    return node_hash(tree_hash(leaves[:k]), tree_hash(leaves[k:]))


def audit_path(index, leaves):
    if len(leaves) == 1:
        return []
    k = split(len(leaves))
    if index < k:
        return audit_path(index, leaves[:k]) + [tree_hash(leaves[k:])]
    return audit_path(index - k, leaves[k:]) + [tree_hash(leaves[:k])]


class Rekor:
    ORIGIN = "rekor.test.local - 1193050959916656506"

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.log_id = hashlib.sha256(spki(self.key)).digest()

    def set(self, body, integrated_time, log_index, log_id=None):
        payload = canonical({"body": b64(body), "integratedTime": integrated_time,
                             "logID": (log_id or self.log_id).hex(), "logIndex": log_index})
        return self.key.sign(payload, ec.ECDSA(hashes.SHA256()))

    def checkpoint(self, size, root, signer=None):
        text = f"{self.ORIGIN}\n{size}\n{b64(root)}\n"
        signature = (signer or self.key).sign(text.encode(), ec.ECDSA(hashes.SHA256()))
        return text + "\n" + f"\u2014 rekor.test.local {b64(self.log_id[:4] + signature)}\n"

    def entry(self, body, kind, *, log_index=3, promise=True, proof=True, set_body=None, break_proof=False,
              integrated_time=INTEGRATED, checkpoint_signer=None):
        """A bundle TransparencyLogEntry (protobuf JSON) for `body` at `log_index` of a 5-leaf tree."""
        entry = {"logIndex": str(1000 + log_index), "logId": {"keyId": b64(self.log_id)},
                 "kindVersion": {"kind": kind, "version": "0.0.1"}, "integratedTime": str(integrated_time),
                 "canonicalizedBody": b64(body)}
        if promise:
            signed = self.set(set_body or body, integrated_time, 1000 + log_index)
            entry["inclusionPromise"] = {"signedEntryTimestamp": b64(signed)}
        if proof:
            leaves = [b"leaf-%d" % i for i in range(5)]
            leaves[log_index] = body
            root = tree_hash(leaves)
            path = audit_path(log_index, leaves)
            if break_proof:
                path[0] = hashlib.sha256(b"not a sibling").digest()
            entry["inclusionProof"] = {"logIndex": str(log_index), "rootHash": b64(root), "treeSize": "5",
                                       "hashes": [b64(h) for h in path],
                                       "checkpoint": {"envelope": self.checkpoint(5, root, checkpoint_signer)}}
        return entry

    def annotation(self, body, integrated_time=INTEGRATED, log_index=1234):
        """cosign's dev.sigstore.cosign/bundle annotation text."""
        return json.dumps({"SignedEntryTimestamp": b64(self.set(body, integrated_time, log_index)),
                           "Payload": {"body": b64(body), "integratedTime": integrated_time,
                                       "logIndex": log_index, "logID": self.log_id.hex()}})


def log_instance(key, url, start="2020-01-01T00:00:00Z"):
    return {"baseUrl": url, "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": b64(spki(key)), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                          "validFor": {"start": start}},
            "logId": {"keyId": b64(hashlib.sha256(spki(key)).digest())}}


def simple_signing(digest, reference="registry.test/app"):
    return canonical({"critical": {"identity": {"docker-reference": reference},
                                   "image": {"docker-manifest-digest": digest},
                                   "type": "cosign container image signature"}, "optional": None})


class Instance:
    """A test sigstore: Fulcio-like root and intermediate, CT log key, Rekor key, and its TrustedRoot."""

    def __init__(self):
        self.root = CA("test-fulcio-root")
        self.intermediate = CA("test-fulcio-intermediate", parent=self.root)
        self.ct_key = ec.generate_private_key(ec.SECP256R1())
        self.rekor = Rekor()
        self.trusted_root = {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log_instance(self.rekor.key, "https://rekor.test.local")],
            "certificateAuthorities": [{"subject": {"organization": "test.sigstore", "commonName": "test-fulcio"},
                                        "uri": "https://fulcio.test.local",
                                        "certChain": {"certificates": [{"rawBytes": b64(self.intermediate.der)},
                                                                       {"rawBytes": b64(self.root.der)}]},
                                        "validFor": {"start": "2020-01-01T00:00:00Z"}}],
            "ctlogs": [log_instance(self.ct_key, "https://ctfe.test.local")],
            "timestampAuthorities": [],
        }


def main():
    instance = Instance()
    root, intermediate, ct_key, rekor = instance.root, instance.intermediate, instance.ct_key, instance.rekor
    trusted_root = instance.trusted_root
    stranger = CA("stranger-root")
    other_rekor = Rekor()

    payload = simple_signing("sha256:" + "ab" * 32)
    other_payload = simple_signing("sha256:" + "cd" * 32)
    cases = {}

    def add(name, key, cert, evidence, signed_bytes=payload, signature=None, chain=None):
        signature = signature if signature is not None else key.sign(signed_bytes, ec.ECDSA(hashes.SHA256()))
        cases[name] = {"signedBytes": b64(signed_bytes), "signature": b64(signature),
                       "chain": [b64(c.public_bytes(serialization.Encoding.DER)) for c in (chain or [cert])],
                       "evidence": evidence(signature)}

    def signed(key):
        return key.sign(payload, ec.ECDSA(hashes.SHA256()))

    # Good: cosign's tag scheme (annotation with SET), email SAN, both issuer OIDs.
    key, cert = leaf(intermediate, ct_key, email=EMAIL)
    sig = signed(key)
    body = hashedrekord(payload, sig, cert)
    add("annotation", key, cert, lambda s: {"annotation": rekor.annotation(body)}, signature=sig)
    # The same, the chain given too (as the dev.sigstore.cosign/chain annotation).
    add("annotationWithChain", key, cert, lambda s: {"annotation": rekor.annotation(body)}, signature=sig,
        chain=[cert, intermediate.cert, root.cert])
    # Corrupted signature: one byte of the signature flipped (the log holds the original).
    bad = bytearray(sig)
    bad[-1] ^= 0x01
    add("corruptedSignature", key, cert, lambda s: {"annotation": rekor.annotation(body)}, signature=bytes(bad))
    # Unknown Rekor key: another log signs a SET for the same body.
    add("unknownRekorKey", key, cert, lambda s: {"annotation": other_rekor.annotation(body)}, signature=sig)
    # SET over another body: the entry carries the right body, the SET another's.
    other_body = hashedrekord(other_payload, sig, cert)
    add("setOverOtherBody", key, cert,
        lambda s: {"entries": [rekor.entry(body, "hashedrekord", proof=False, set_body=other_body)]}, signature=sig)
    # Log entry (valid SET) for another payload than the one verified.
    add("entryForOtherPayload", key, cert,
        lambda s: {"annotation": rekor.annotation(other_body)}, signature=sig)
    # Integrated time after the leaf's 10 minutes: expired at signing time.
    add("expiredAtSigningTime", key, cert,
        lambda s: {"annotation": rekor.annotation(body, integrated_time=T0 + 3600)}, signature=sig)

    # Good: bundle entry with SET, inclusion proof and checkpoint; URI SAN, legacy issuer OID only.
    key, cert = leaf(intermediate, ct_key, uri=URI, legacy_issuer_only=True)
    sig = signed(key)
    body = hashedrekord(payload, sig, cert)
    good_entry = rekor.entry(body, "hashedrekord")
    add("bundleWithProof", key, cert, lambda s: {"entries": [good_entry]}, signature=sig)
    add("proofNotReachingRoot", key, cert,
        lambda s: {"entries": [rekor.entry(body, "hashedrekord", break_proof=True)]}, signature=sig)
    add("checkpointByOtherKey", key, cert,
        lambda s: {"entries": [rekor.entry(body, "hashedrekord", checkpoint_signer=other_rekor.key)]}, signature=sig)
    add("proofWithoutSET", key, cert,
        lambda s: {"entries": [rekor.entry(body, "hashedrekord", promise=False)]}, signature=sig)
    good_bundle_case = (cert, sig, good_entry)

    # Good: a DSSE envelope (cosign --new-bundle-format) logged as dsse v0.0.1.
    key, cert = leaf(intermediate, ct_key, email=EMAIL)
    statement = canonical({"_type": "https://in-toto.io/Statement/v1",
                           "subject": [{"name": "registry.test/app", "digest": {"sha256": "ab" * 32}}],
                           "predicateType": "https://sigstore.dev/cosign/sign/v1", "predicate": {}})
    payload_type = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(statement), statement)
    dsse_sig = key.sign(pae, ec.ECDSA(hashes.SHA256()))
    envelope = canonical({"payload": b64(statement), "payloadType": payload_type,
                          "signatures": [{"sig": b64(dsse_sig)}]})
    body = dsse_body(statement, envelope, dsse_sig, cert)
    dsse_entry = rekor.entry(body, "dsse")
    add("dsse", key, cert, lambda s: {"entries": [dsse_entry]}, signed_bytes=pae, signature=dsse_sig)
    dsse_bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                   "verificationMaterial": {"certificate": {"rawBytes": b64(der(cert))}, "tlogEntries": [dsse_entry]},
                   "dsseEnvelope": json.loads(envelope)}
    body = intoto_body(statement, payload_type, envelope, dsse_sig, cert)
    add("intoto", key, cert, lambda s: {"entries": [rekor.entry(body, "intoto")]}, signed_bytes=pae,
        signature=dsse_sig)

    # Chain to an unknown CA (with an SCT of the trusted CT log all the same).
    stranger_intermediate = CA("stranger-intermediate", parent=stranger)
    key, cert = leaf(stranger_intermediate, ct_key, email=EMAIL)
    sig = signed(key)
    add("unknownCA", key, cert, lambda s: {"annotation": rekor.annotation(hashedrekord(payload, sig, cert))},
        signature=sig, chain=[cert, stranger_intermediate.cert, stranger.cert])
    # SCT whose signature does not verify; no SCT at all; SCT of an unknown CT log.
    for name, kwargs in [("badSCT", {"sct": "bad"}), ("noSCT", {"sct": "none"})]:
        key, cert = leaf(intermediate, ct_key, email=EMAIL, **kwargs)
        sig = signed(key)
        add(name, key, cert, lambda s, c=cert: {"annotation": rekor.annotation(hashedrekord(payload, s, c))},
            signature=sig)
    key, cert = leaf(intermediate, ec.generate_private_key(ec.SECP256R1()), email=EMAIL)
    sig = signed(key)
    add("unknownCTLog", key, cert, lambda s: {"annotation": rekor.annotation(hashedrekord(payload, sig, cert))},
        signature=sig)
    # A leaf not for code signing.
    key, cert = leaf(intermediate, ct_key, email=EMAIL, code_signing=False)
    sig = signed(key)
    add("notCodeSigning", key, cert, lambda s: {"annotation": rekor.annotation(hashedrekord(payload, sig, cert))},
        signature=sig)

    # The same root with the Fulcio CA, or the Rekor key, valid only after the signing time.
    later = "2030-01-01T00:00:00Z"
    ca_later = json.loads(json.dumps(trusted_root))
    ca_later["certificateAuthorities"][0]["validFor"] = {"start": later}
    rekor_later = json.loads(json.dumps(trusted_root))
    rekor_later["tlogs"][0]["publicKey"]["validFor"] = {"start": later}
    # Audit paths for every leaf of trees of 1 to 9 leaves (the recursive
    # definition of RFC 6962 §2.1.1, against the verifier's iterative one).
    merkle = []
    for size in range(1, 10):
        leaves = [b"leaf %d of %d" % (i, size) for i in range(size)]
        root_hash = tree_hash(leaves)
        for index in range(size):
            merkle.append({"size": size, "index": index, "leaf": b64(leaves[index]), "root": b64(root_hash),
                           "hashes": [b64(h) for h in audit_path(index, leaves)]})
    document = {"trustedRoot": trusted_root, "cases": cases, "merkle": merkle,
                "variants": {"caValidLater": ca_later, "rekorKeyValidLater": rekor_later},
                "identity": {"email": EMAIL, "uri": URI, "issuer": OIDC_ISSUER}}
    if len(sys.argv) == 3 and sys.argv[1] == "--cross-check":
        cross_check(sys.argv[2], trusted_root, good_bundle_case, payload, dsse_bundle)
    json.dump(document, sys.stdout)


def cross_check(directory, trusted_root, case, payload, dsse_bundle):
    """Verifies the good bundle cases (hashedrekord, DSSE) with sigstore-python, offline."""
    import os

    from sigstore.models import Bundle, TrustedRoot
    from sigstore.verify import Verifier, policy

    cert, sig, rekor_entry = case
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
              "verificationMaterial": {"certificate": {"rawBytes": b64(cert.public_bytes(serialization.Encoding.DER))},
                                       "tlogEntries": [rekor_entry]},
              "messageSignature": {"messageDigest": {"algorithm": "SHA2_256",
                                                     "digest": b64(hashlib.sha256(payload).digest())},
                                   "signature": b64(sig)}}
    os.makedirs(directory, exist_ok=True)
    root_path = os.path.join(directory, "trusted_root.json")
    with open(root_path, "w") as f:
        json.dump(trusted_root, f)
    with open(os.path.join(directory, "bundle.json"), "w") as f:
        json.dump(bundle, f)
    verifier = Verifier(trusted_root=TrustedRoot.from_file(root_path))
    verifier.verify_artifact(payload, Bundle.from_json(json.dumps(bundle)),
                             policy.Identity(identity=URI, issuer=OIDC_ISSUER))
    payload_type, _ = verifier.verify_dsse(Bundle.from_json(json.dumps(dsse_bundle)),
                                           policy.Identity(identity=EMAIL, issuer=OIDC_ISSUER))
    assert payload_type == "application/vnd.in-toto+json"
    print("sigstore-python: ok", file=sys.stderr)


if __name__ == "__main__":
    main()
