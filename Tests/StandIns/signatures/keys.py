#!/usr/bin/env python3
"""Keys and signatures made by Python's `cryptography`, as cosign makes them.

    keys.py sample MESSAGE_FILE
        One JSON object per key kind (p256, p384, p384sha256, rsa2048, ed25519):
        {"kind", "pem" (SPKI PUBLIC KEY), "fingerprint" (sha256:<hex of SPKI DER>),
         "signature" (base64, over MESSAGE_FILE's bytes)}, as a JSON array.
    keys.py generate KIND OUT_DIR [--password P] [--cosign]
        Writes OUT_DIR/key.pub and OUT_DIR/key.pem: PKCS#8 PEM (encrypted when
        --password), or with --cosign cosign's `ENCRYPTED SIGSTORE PRIVATE KEY`
        (scrypt N=32768 r=8 p=1 by hashlib, NaCl secretbox by libsodium
        through ctypes).
    keys.py sign KEY_PEM MESSAGE_FILE [--hash sha256|sha384]
        Prints the base64 signature (ECDSA DER, RSA PKCS#1 v1.5, Ed25519 pure).
    keys.py verify PUB_PEM MESSAGE_FILE SIGNATURE_BASE64
        Exits 0 if the signature verifies (cosign's rules), 1 otherwise.
"""
import base64
import ctypes
import ctypes.util
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

KINDS = ("p256", "p384", "rsa2048", "ed25519")


def new_key(kind):
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise SystemExit(f"unknown key kind {kind}")


def sign(key, message, hash_name=None):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = hashes.SHA384() if hash_name == "sha384" else hashes.SHA256()
        return key.sign(message, ec.ECDSA(algorithm))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    return key.sign(message)


def verify(public, message, signature):
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            algorithms = [hashes.SHA256()] if public.curve.key_size == 256 else [hashes.SHA384(), hashes.SHA256()]
            for algorithm in algorithms:
                try:
                    public.verify(signature, message, ec.ECDSA(algorithm))
                    return True
                except InvalidSignature:
                    pass
            return False
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        else:
            public.verify(signature, message)
        return True
    except InvalidSignature:
        return False


def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def cosign_encrypted(key, password):
    """cosign's encrypted key (go-securesystemslib `encrypted`): scrypt
    (N=32768, r=8, p=1, 32-byte key) of the password, NaCl secretbox of the
    PKCS#8 DER, as JSON in a PEM block."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert sodium.sodium_init() >= 0
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    salt = os.urandom(32)
    nonce = os.urandom(24)
    box_key = hashlib.scrypt(password.encode(), salt=salt, n=32768, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
    out = ctypes.create_string_buffer(len(der) + 16)
    assert sodium.crypto_secretbox_easy(out, der, ctypes.c_ulonglong(len(der)), nonce, box_key) == 0
    document = {
        "kdf": {"name": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": base64.b64encode(salt).decode()},
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
        "ciphertext": base64.b64encode(out.raw).decode(),
    }
    body = base64.encodebytes(json.dumps(document).encode()).decode()
    return f"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n{body}-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"


def main():
    command = sys.argv[1]
    if command == "sample":
        message = open(sys.argv[2], "rb").read()
        out = []
        for kind in KINDS + ("p384sha256",):
            key = new_key("p384" if kind == "p384sha256" else kind)
            hash_name = "sha384" if kind == "p384" else "sha256"
            out.append({
                "kind": kind,
                "pem": public_pem(key),
                "fingerprint": "sha256:" + hashlib.sha256(spki(key)).hexdigest(),
                "signature": base64.b64encode(sign(key, message, hash_name)).decode(),
            })
        json.dump(out, sys.stdout)
    elif command == "generate":
        kind, out_dir = sys.argv[2], sys.argv[3]
        rest = sys.argv[4:]
        password = rest[rest.index("--password") + 1] if "--password" in rest else None
        key = new_key(kind)
        if "--cosign" in rest:
            private = cosign_encrypted(key, password or "")
        else:
            encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
            private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode()
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "key.pem"), "w") as f:
            f.write(private)
        with open(os.path.join(out_dir, "key.pub"), "w") as f:
            f.write(public_pem(key))
    elif command == "sign":
        pem = open(sys.argv[2], "rb").read()
        key = serialization.load_pem_private_key(pem, password=None)
        message = open(sys.argv[3], "rb").read()
        hash_name = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--hash" else None
        print(base64.b64encode(sign(key, message, hash_name)).decode())
    elif command == "verify":
        public = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
        message = open(sys.argv[3], "rb").read()
        sys.exit(0 if verify(public, message, base64.b64decode(sys.argv[4])) else 1)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
