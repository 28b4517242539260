#!/usr/bin/env python3
"""Stand-ins for what an ACR login talks to, in front of a real registry:

1. A managed-identity endpoint (plain http, 127.0.0.1), both flavours:
   IMDS         GET /metadata/identity/oauth2/token?api-version=2018-02-01
                &resource=R[&client_id=C]   with header "Metadata: true"
   App Service  GET /msi/token?api-version=2019-08-01&resource=R[&client_id=C]
                with header X-IDENTITY-HEADER equal to --identity-header
   Anything else (wrong header, api-version, resource or client id) is
   refused with 400. Answers {"access_token": <an Azure AD token>, ...}.
2. An ACR front (TLS, the registry's certificate) that behaves as ACR does:
   GET  /v2/ without a token  401, Bearer realm="https://HOST/oauth2/token
        ?tenant=T",service="HOST"
   POST /oauth2/exchange      form grant_type=access_token, service=HOST,
        tenant=T, access_token=<an issued AAD token>  -> {"refresh_token": RT}
   GET|POST /oauth2/token     Basic 00000000-0000-0000-0000-000000000000:RT,
        service=HOST, scope=...  -> {"access_token": AT}
   /v2/... with Bearer AT     forwarded to the real registry (--upstream)
Every request's shape is recorded; GET /__stats on either server returns the
record. Prints one JSON line when ready; runs until stdin closes.
"""
import argparse
import base64
import http.client
import json
import secrets
import ssl
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)

NIL_USER = "00000000-0000-0000-0000-000000000000"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True, help="https://127.0.0.1:PORT of the real registry")
    p.add_argument("--upstream-cacert", required=True)
    p.add_argument("--tls-cert", required=True)
    p.add_argument("--tls-key", required=True)
    p.add_argument("--tenant", required=True)
    p.add_argument("--resource", required=True, help="the management resource a token must be asked for")
    p.add_argument("--client-id", default=None, help="the user-assigned identity expected (else none)")
    p.add_argument("--identity-header", default="identity-header-secret")
    args = p.parse_args()

    lock = threading.Lock()
    aad_tokens, refresh_tokens, access_tokens = set(), set(), set()
    stats = {"identity": [], "challenges": 0, "exchanges": [], "tokens": [], "forwarded": 0,
             "unauthorized": 0, "refused": [], "events": [], "issued": []}
    upstream = urllib.parse.urlsplit(args.upstream)
    upstream_ctx = ssl.create_default_context(cafile=args.upstream_cacert)

    def refuse(handler, status, why):
        with lock:
            stats["refused"].append(why)
        handler.reply(status, json.dumps({"error": why}))

    class Base(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body, headers=(), content_type="application/json"):
            lifetime.send(self, status, body, headers, content_type)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def stats(self):
            with lock:
                self.reply(200, json.dumps(stats))

    class Identity(Base):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/__stats":
                return self.stats()
            query = urllib.parse.parse_qs(url.query)
            one = lambda k: (query.get(k) or [None])[0]
            record = {"path": url.path, "query": {k: v[0] for k, v in query.items()},
                      "metadataHeader": self.headers.get("Metadata"),
                      "identityHeaderPresent": self.headers.get("X-IDENTITY-HEADER") is not None}
            with lock:
                stats["identity"].append(record)
                stats["events"].append("identity")
            if url.path == "/metadata/identity/oauth2/token":
                if self.headers.get("Metadata") != "true":
                    return refuse(self, 400, "IMDS: Metadata: true header required")
                if one("api-version") != "2018-02-01":
                    return refuse(self, 400, "IMDS: api-version 2018-02-01 expected")
            elif url.path == "/msi/token":
                if self.headers.get("X-IDENTITY-HEADER") != args.identity_header:
                    return refuse(self, 400, "App Service: X-IDENTITY-HEADER wrong or missing")
                if one("api-version") != "2019-08-01":
                    return refuse(self, 400, "App Service: api-version 2019-08-01 expected")
            else:
                return refuse(self, 404, "no such identity endpoint " + url.path)
            if one("resource") != args.resource:
                return refuse(self, 400, "resource %r, expected %r" % (one("resource"), args.resource))
            if one("client_id") != args.client_id:
                return refuse(self, 400, "client_id %r, expected %r" % (one("client_id"), args.client_id))
            token = "aad-" + secrets.token_urlsafe(16)
            with lock:
                aad_tokens.add(token)
                stats["issued"].append(token)
            self.reply(200, json.dumps({"access_token": token, "expires_on": "4102444800",
                                        "resource": args.resource, "token_type": "Bearer"}))

    class Front(Base):
        def host(self):
            return (self.headers.get("Host") or "").split(":")[0]

        def challenge(self):
            with lock:
                stats["unauthorized"] += 1
            realm = "https://%s/oauth2/token?tenant=%s" % (self.host(), args.tenant)
            self.reply(401, json.dumps({"errors": [{"code": "UNAUTHORIZED"}]}),
                       [("WWW-Authenticate", 'Bearer realm="%s",service="%s"' % (realm, self.host()))])

        def do_GET(self):
            self.route(b"")

        def do_HEAD(self):
            self.route(b"")

        def do_POST(self):
            self.route(self.body())

        def do_PUT(self):
            self.route(self.body())

        def do_PATCH(self):
            self.route(self.body())

        def route(self, body):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/__stats":
                return self.stats()
            if url.path == "/oauth2/exchange":
                return self.exchange(body)
            if url.path == "/oauth2/token":
                return self.token(url, body)
            auth = self.headers.get("Authorization", "")
            if url.path == "/v2/" and not auth:
                with lock:
                    stats["challenges"] += 1
                    stats["events"].append("challenge")
                return self.challenge()
            with lock:
                known = auth.startswith("Bearer ") and auth[7:] in access_tokens
            if not known:
                return self.challenge()
            self.forward(body)

        def exchange(self, body):
            form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
            record = {"grant_type": form.get("grant_type"), "service": form.get("service"),
                      "tenant": form.get("tenant"), "hostHeader": self.host(),
                      "contentType": self.headers.get("Content-Type"),
                      "accessTokenKnown": form.get("access_token") in aad_tokens}
            with lock:
                stats["exchanges"].append(record)
                stats["events"].append("exchange")
            if self.command != "POST" or form.get("grant_type") != "access_token":
                return refuse(self, 400, "exchange: POST with grant_type=access_token expected")
            if form.get("service") != self.host():
                return refuse(self, 400, "exchange: service must be the registry host")
            if form.get("tenant") != args.tenant:
                return refuse(self, 401, "exchange: wrong tenant %r" % form.get("tenant"))
            if not record["accessTokenKnown"]:
                return refuse(self, 401, "exchange: unknown access_token")
            token = "rt-" + secrets.token_urlsafe(16)
            with lock:
                refresh_tokens.add(token)
                stats["issued"].append(token)
            self.reply(200, json.dumps({"refresh_token": token}))

        def token(self, url, body):
            params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
            if body:
                params.update({k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()})
            auth = self.headers.get("Authorization", "")
            user, password = None, None
            if auth.startswith("Basic "):
                try:
                    user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                except Exception:
                    pass
            with lock:
                ok = user == NIL_USER and password in refresh_tokens
                stats["events"].append("token")
                stats["tokens"].append({"user": user, "refreshTokenKnown": password in refresh_tokens,
                                        "service": params.get("service"), "scope": params.get("scope"),
                                        "tenant": params.get("tenant")})
            if not ok:
                return refuse(self, 401, "token: Basic %s:<refresh token> expected" % NIL_USER)
            token = "at-" + secrets.token_urlsafe(16)
            with lock:
                access_tokens.add(token)
                stats["issued"].append(token)
            self.reply(200, json.dumps({"access_token": token}))

        def forward(self, body):
            with lock:
                stats["forwarded"] += 1
            conn = http.client.HTTPSConnection(upstream.hostname, upstream.port, context=upstream_ctx, timeout=60)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("authorization", "connection", "content-length")}
            conn.request(self.command, self.path, body=body if body else None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", resp.getheader("Content-Length") if self.command == "HEAD"
                             and resp.getheader("Content-Length") else str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            conn.close()

    identity = ThreadingHTTPServer(("127.0.0.1", 0), Identity)
    front = ThreadingHTTPServer(("127.0.0.1", 0), Front)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.tls_cert, args.tls_key)
    front.socket = ctx.wrap_socket(front.socket, server_side=True)
    lifetime.serve([identity, front], {"identityURL": "http://127.0.0.1:%d" % identity.server_address[1],
                                       "frontPort": front.server_address[1],
                                       "identityHeader": args.identity_header})


if __name__ == "__main__":
    main()
