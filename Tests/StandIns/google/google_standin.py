#!/usr/bin/env python3
"""Stand-ins for Google's identity endpoints, checking every request as
Google would, and handing out --access-token (the password of the test
registry behind the GAR name):

  POST /token   OAuth 2.0 token endpoint.
                grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer: the
                assertion's RS256 signature is verified with the public key of
                the service-account key this script made, and every claim:
                iss = client_email, scope = cloud-platform, aud = this
                token_uri, iat within 5 minutes of now, exp > now,
                exp - iat <= 3600, header alg RS256 and kid = private_key_id.
                grant_type=refresh_token: client_id/secret/refresh_token.
  POST /sts     STS token exchange (RFC 8693): grant_type, audience,
                scope, requested_token_type, subject_token (= the token in
                the subject file / served by GET /subject), subject_token_type.
                Answers a federated token.
  POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken
                impersonation: Bearer must be a federated token from /sts,
                body scope must hold cloud-platform.
  GET  /subject the URL credential source: needs header X-Subject-Key
                (= --subject-key), answers {"id_token": SUBJECT}.
  GET  /computeMetadata/v1/instance/service-accounts/default/token
                the metadata server: 403 without Metadata-Flavor: Google.
  GET  /__stats what was asked and refused (no secrets).

On start it writes into --dir, with Python's `cryptography` (not the code
under test): service-account.json (a fresh 2048-bit RSA key, PKCS #8 PEM),
authorized-user.json, subject-token (a JWT-looking text), external-file.json
(file source + impersonation) and external-url.json (url source, JSON
format, no impersonation). Prints one JSON line when ready; runs until stdin
closes.
"""
import argparse
import base64
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
IAM_SCOPE = "https://www.googleapis.com/auth/iam"
EMAIL = "ri-builder@ri-project.iam.gserviceaccount.com"
AUDIENCE = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ri/providers/concourse"
# A pool whose principal is granted the registry directly (no impersonation):
# STS's federated token is then the registry's access token.
DIRECT_AUDIENCE = AUDIENCE + "-direct"
JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--access-token", required=True)
    args = p.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_key = key.public_key()
    key_id = secrets.token_hex(20)
    subject = "eyJhbGciOiJSUzI1NiJ9.ri-subject." + secrets.token_urlsafe(16)
    subject_key = secrets.token_urlsafe(12)
    client_secret = "ri-client-secret-" + secrets.token_hex(8)
    refresh_token = "1//ri-refresh-" + secrets.token_hex(8)
    federated = set()
    lock = threading.Lock()
    stats = {"assertions": [], "refreshes": 0, "exchanges": [], "impersonations": [], "metadata": 0,
             "subjects": 0, "refused": [], "issued": [args.access_token]}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body, content_type="application/json", headers=()):
            lifetime.send(self, status, body, headers, content_type)

        def refuse(self, status, why, error="invalid_request"):
            with lock:
                stats["refused"].append("%s %s: %s" % (self.command, self.path.split("?")[0], why))
            self.reply(status, json.dumps({"error": error, "error_description": why}))

        def token(self, value, expires=3599):
            self.reply(200, json.dumps({"access_token": value, "expires_in": expires, "token_type": "Bearer"}),
                       headers=[("Metadata-Flavor", "Google")] if self.path.startswith("/computeMetadata") else ())

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def form(self):
            if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
                return None
            return {k: v[0] for k, v in urllib.parse.parse_qs(self.body().decode(), keep_blank_values=True).items()}

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/__stats":
                with lock:
                    return self.reply(200, json.dumps(stats))
            if path == "/subject":
                if self.headers.get("X-Subject-Key") != subject_key:
                    return self.refuse(401, "X-Subject-Key missing or wrong")
                with lock:
                    stats["subjects"] += 1
                return self.reply(200, json.dumps({"id_token": subject}))
            if path == "/computeMetadata/v1/instance/service-accounts/default/token":
                if self.headers.get("Metadata-Flavor") != "Google":
                    return self.refuse(403, "Metadata-Flavor: Google missing", "forbidden")
                if self.headers.get("X-Forwarded-For"):
                    return self.refuse(403, "proxied request", "forbidden")
                with lock:
                    stats["metadata"] += 1
                return self.token(args.access_token)
            if path == "/computeMetadata/v1/instance/service-accounts/default/":
                # google-auth asks for the account's email and scopes first.
                if self.headers.get("Metadata-Flavor") != "Google":
                    return self.refuse(403, "Metadata-Flavor: Google missing", "forbidden")
                return self.reply(200, json.dumps({"email": EMAIL, "scopes": [SCOPE], "aliases": ["default"]}),
                                  headers=[("Metadata-Flavor", "Google")])
            if path == "/computeMetadata/v1/" or path == "/":
                # google-auth's "am I on GCE" ping.
                if self.headers.get("Metadata-Flavor") != "Google":
                    return self.refuse(403, "Metadata-Flavor: Google missing", "forbidden")
                return self.reply(200, "", "text/plain", headers=[("Metadata-Flavor", "Google")])
            self.refuse(404, "not found")

        def do_POST(self):
            path = self.path.split("?")[0]
            if path == "/token":
                return self.token_endpoint()
            if path == "/sts":
                return self.sts()
            if path.startswith("/v1/projects/-/serviceAccounts/") and path.endswith(":generateAccessToken"):
                return self.impersonate(urllib.parse.unquote(path[len("/v1/projects/-/serviceAccounts/"):-len(":generateAccessToken")]))
            self.refuse(404, "not found")

        def token_endpoint(self):
            form = self.form()
            if form is None:
                return self.refuse(400, "not a form")
            if form.get("grant_type") == "refresh_token":
                if (form.get("client_id"), form.get("client_secret"), form.get("refresh_token")) != (
                        "ri-client.apps.googleusercontent.com", client_secret, refresh_token):
                    return self.refuse(400, "bad refresh grant", "invalid_grant")
                with lock:
                    stats["refreshes"] += 1
                return self.token(args.access_token)
            if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
                return self.refuse(400, "unsupported grant_type", "unsupported_grant_type")
            parts = (form.get("assertion") or "").split(".")
            if len(parts) != 3:
                return self.refuse(400, "assertion is not a JWS", "invalid_grant")
            try:
                header = json.loads(b64url_decode(parts[0]))
                claims = json.loads(b64url_decode(parts[1]))
                signature = b64url_decode(parts[2])
            except Exception:
                return self.refuse(400, "assertion parts are not base64url JSON", "invalid_grant")
            try:
                public_key.verify(signature, (parts[0] + "." + parts[1]).encode(), padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                return self.refuse(400, "Invalid JWT Signature.", "invalid_grant")
            now = time.time()
            problems = []
            if header.get("alg") != "RS256":
                problems.append("alg")
            if header.get("kid") != key_id:
                problems.append("kid")
            if claims.get("iss") != EMAIL:
                problems.append("iss")
            if claims.get("scope") != SCOPE:
                problems.append("scope")
            # Google's client libraries always name Google's endpoint; the
            # key's token_uri is the same there.
            if claims.get("aud") not in (token_uri, "https://oauth2.googleapis.com/token"):
                problems.append("aud")
            iat, exp = claims.get("iat"), claims.get("exp")
            if not isinstance(iat, int) or abs(iat - now) > 300:
                problems.append("iat")
            if not isinstance(exp, int) or not isinstance(iat, int) or exp <= now or exp - iat > 3600 or exp <= iat:
                problems.append("exp")
            if problems:
                return self.refuse(400, "bad claims: " + ",".join(problems), "invalid_grant")
            with lock:
                stats["assertions"].append({"header": header, "claims": sorted(claims), "lifetime": exp - iat,
                                            "audIsTokenURI": claims.get("aud") == token_uri})
            self.token(args.access_token)

        def sts(self):
            form = self.form()
            if form is None:
                return self.refuse(400, "not a form")
            problems = [name for name, wanted in [
                ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
                ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                ("subject_token_type", JWT_TYPE)] if form.get(name) != wanted]
            if form.get("audience") not in (AUDIENCE, DIRECT_AUDIENCE):
                problems.append("audience")
            # google-auth asks STS for the IAM scope when it impersonates next.
            scopes = (form.get("scope") or "").split()
            if SCOPE not in scopes and not (form.get("audience") == AUDIENCE and IAM_SCOPE in scopes):
                problems.append("scope")
            if form.get("subject_token") != subject:
                problems.append("subject_token")
            if problems:
                return self.refuse(400, "bad token exchange: " + ",".join(problems), "invalid_grant")
            direct = form.get("audience") == DIRECT_AUDIENCE
            token = args.access_token if direct else "ya29.federated-" + secrets.token_urlsafe(16)
            with lock:
                if not direct:
                    federated.add(token)
                stats["issued"].append(token)
                stats["exchanges"].append({"audience": form.get("audience"), "fields": sorted(form),
                                           "scope": form.get("scope")})
            self.reply(200, json.dumps({"access_token": token,
                                        "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                                        "token_type": "Bearer", "expires_in": 3600}))

        def impersonate(self, email):
            bearer = (self.headers.get("Authorization") or "")[len("Bearer "):]
            with lock:
                known = bearer in federated
            if not known:
                return self.refuse(401, "Bearer is not a federated token", "unauthenticated")
            if email != EMAIL:
                return self.refuse(404, "no such service account", "not_found")
            try:
                body = json.loads(self.body())
            except Exception:
                return self.refuse(400, "body is not JSON")
            if SCOPE not in (body.get("scope") or []):
                return self.refuse(400, "scope lacks cloud-platform")
            with lock:
                stats["impersonations"].append({"email": email, "lifetime": body.get("lifetime")})
            self.reply(200, json.dumps({"accessToken": args.access_token, "expireTime": "2099-01-01T00:00:00Z"}))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    base = "http://127.0.0.1:%d" % port
    token_uri = base + "/token"

    def write(name, content):
        path = "%s/%s" % (args.dir, name)
        with open(path, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content, indent=2))
        return path

    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    files = {
        "serviceAccount": write("service-account.json", {
            "type": "service_account", "project_id": "ri-project", "private_key_id": key_id, "private_key": pem,
            "client_email": EMAIL, "client_id": "1234567890", "token_uri": token_uri,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth"}),
        "authorizedUser": write("authorized-user.json", {
            "type": "authorized_user", "client_id": "ri-client.apps.googleusercontent.com",
            "client_secret": client_secret, "refresh_token": refresh_token, "token_uri": token_uri}),
        "subjectToken": write("subject-token", subject),
    }
    files["externalFile"] = write("external-file.json", {
        "type": "external_account", "audience": AUDIENCE, "subject_token_type": JWT_TYPE,
        "token_url": base + "/sts",
        "service_account_impersonation_url": base + "/v1/projects/-/serviceAccounts/%s:generateAccessToken" % EMAIL,
        "credential_source": {"file": files["subjectToken"]}})
    files["externalURL"] = write("external-url.json", {
        "type": "external_account", "audience": DIRECT_AUDIENCE, "subject_token_type": JWT_TYPE,
        "token_url": base + "/sts",
        "credential_source": {"url": base + "/subject", "headers": {"X-Subject-Key": subject_key},
                              "format": {"type": "json", "subject_token_field_name": "id_token"}}})
    lifetime.serve([server], {"url": base, "metadataHost": "127.0.0.1:%d" % port, "email": EMAIL,
                              "files": files, "secrets": [pem.split("\n")[1], client_secret, refresh_token,
                                                          subject, subject_key]})


if __name__ == "__main__":
    main()
