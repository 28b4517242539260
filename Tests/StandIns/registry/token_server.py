#!/usr/bin/env python3
"""Minimal Docker registry token server (distribution "token" auth), stdlib only.

GET /token?service=S&scope=repository:NAME:pull,push[&scope=...] with optional
Basic credentials (also POST form with grant_type=password / refresh_token).
Valid credentials get every requested action; anonymous callers get pull only
when --anonymous-pull is set (otherwise 401). Wrong credentials get 401.

Tokens are RS256 JWTs signed by `openssl dgst -sha256 -sign` (stdlib has no
RSA); the header carries the signer certificate in `x5c`, which distribution
2.8 verifies against its rootcertbundle.

GET /__stats returns {"tokenRequests": N, "granted": N, "denied": N,
"lastScopes": [...], "lastAuthorization": bool}.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.stats = {"tokenRequests": 0, "granted": 0, "denied": 0,
                      "lastScopes": [], "lastAuthorization": False}
        with open(args.cert) as f:
            pem = f.read()
        body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
        self.x5c = [body]

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": self.x5c}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.args.key],
                             input=signing_input.encode(), capture_output=True, check=True).stdout
        return signing_input + "." + b64url(sig)


def parse_scope(scope):
    # "repository:name/with:colon?:pull,push" -> type, name, actions; the name may
    # itself contain ':' (registry host with port), so split on first and last.
    first = scope.find(":")
    last = scope.rfind(":")
    if first < 0 or last <= first:
        return None
    return {"type": scope[:first], "name": scope[first + 1:last],
            "actions": [a for a in scope[last + 1:].split(",") if a]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set in main

    def log_message(self, fmt, *a):
        pass

    def reply(self, code, obj, extra=None):
        lifetime.send_json(self, code, obj, extra)

    def credentials(self, form):
        h = self.headers.get("Authorization", "")
        if h.lower().startswith("basic "):
            try:
                user, _, pw = base64.b64decode(h[6:].strip()).decode().partition(":")
                return user, pw
            except Exception:
                return ("", "\0invalid")
        if form.get("grant_type", [""])[0] == "password":
            return form.get("username", [""])[0], form.get("password", [""])[0]
        if form.get("grant_type", [""])[0] == "refresh_token":
            tok = form.get("refresh_token", [""])[0]
            if tok == "refresh-" + self.state.args.username:
                return self.state.args.username, self.state.args.password
            return ("", "\0invalid")
        return None

    def issue(self, query, form):
        st = self.state
        args = st.args
        creds = self.credentials(form)
        scopes = query.get("scope", []) + form.get("scope", [])
        # A scope parameter may hold several space-separated scopes.
        scopes = [s for item in scopes for s in item.split(" ") if s]
        with st.lock:
            st.stats["tokenRequests"] += 1
            st.stats["lastScopes"] = scopes
            st.stats["lastAuthorization"] = creds is not None
        if creds is not None and creds != (args.username, args.password):
            with st.lock:
                st.stats["denied"] += 1
            return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]},
                              {"WWW-Authenticate": 'Basic realm="token"'})
        if creds is None and not args.anonymous_pull:
            with st.lock:
                st.stats["denied"] += 1
            return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "credentials required"}]},
                              {"WWW-Authenticate": 'Basic realm="token"'})
        access = []
        for s in scopes:
            parsed = parse_scope(s)
            if parsed is None:
                continue
            if creds is None:
                parsed["actions"] = [a for a in parsed["actions"] if a == "pull"]
            access.append(parsed)
        now = int(time.time())
        service = (query.get("service") or form.get("service") or [args.service])[0]
        claims = {"iss": args.issuer, "sub": creds[0] if creds else "", "aud": service,
                  "exp": now + args.ttl, "nbf": now - 10, "iat": now,
                  "jti": b64url(os.urandom(12)), "access": access}
        token = st.sign(claims)
        with st.lock:
            st.stats["granted"] += 1
        resp = {"token": token, "access_token": token, "expires_in": args.advertised_ttl or args.ttl,
                "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))}
        if creds is not None and form.get("access_type", [""])[0] == "offline":
            resp["refresh_token"] = "refresh-" + creds[0]
        self.reply(200, resp)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/__stats":
            with self.state.lock:
                return self.reply(200, dict(self.state.stats))
        if url.path == "/token":
            return self.issue(urllib.parse.parse_qs(url.query), {})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(n).decode()) if n else {}
        if url.path == "/token":
            return self.issue(urllib.parse.parse_qs(url.query), form)
        self.reply(404, {"error": "not found"})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--username", default="testuser")
    p.add_argument("--password", default="testpassword")
    p.add_argument("--anonymous-pull", action="store_true")
    p.add_argument("--ttl", type=int, default=300)
    # expires_in told to the client when it differs from the JWT's own `exp`
    # (a token revoked early, or clocks apart): the client learns of expiry by a 401.
    p.add_argument("--advertised-ttl", type=int, default=0)
    args = p.parse_args()
    Handler.state = State(args)
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
