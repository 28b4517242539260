#!/usr/bin/env python3
"""Fault-injecting HTTP proxy in front of a registry (stdlib only), or a plain
forward proxy (for HTTP_PROXY tests).

Usage:
  fault_proxy.py --upstream http(s)://127.0.0.1:PORT [--upstream-cacert CA]
                 [--config JSON] [--tls-cert C --tls-key K] [--until-signal]
  fault_proxy.py --forward [--resolve NAME=ADDRESS]... [--until-signal]

Listens on a kernel-chosen 127.0.0.1 port and prints one JSON line
{"port": P, "url": "127.0.0.1:P", "baseURL": "..."}; runs until stdin closes.

Control endpoints (never forwarded, never counted):
  GET  /__stats   counters (JSON)
  POST /__config  replace the fault config (JSON body); counters are kept
  POST /__reset   zero the counters
  (counters include uploadBodyBytes: blob bytes received by upload PATCH/PUTs;
  blobDownloadsInFlightMax: most blob GETs being answered at
  once; mountRequests: POSTs with ?mount=, and uploadsInFlightMax:
  the most blob-upload PATCH/PUT requests in progress at once)

Fault config (all optional):
  latencyMs: N                         added before every forwarded request
  tooManyRequests: {count, retryAfter, method, pathPattern, rateLimitRemaining}
                                                              answer 429 N times (with Docker Hub's
                                                              ratelimit-limit/-remaining headers when
                                                              rateLimitRemaining is set)
  serviceUnavailable: {count, retryAfter, method, pathPattern} answer 503 N times
  cutBlobBody: {afterBytes: K, times: N}  blob GETs: send headers + K body bytes, then drop the connection
  cutBlobBody.pauseMs: P                wait P ms after the K bytes before dropping (lets a token expire)
  stallBlobBody: {afterBytes: K, times: N}  blob GETs: send headers + K body bytes, then nothing
                                       (the connection stays open until the client gives up)
  idleCloseMs: N                       close a keep-alive connection idle for N ms
  cutUploadBody: {afterBytes: K, times: N}  blob-upload PATCH/PUT: read K body bytes, then drop
                                       the connection (counted in cuts)
  rejectExpiredTokens: true            a Bearer JWT past its `exp` is sent on without
                                       Authorization, so the registry answers its own 401
  headNotAllowed: true                 HEAD on /v2/<name>/... -> 405
  stripDigestHeader: true              drop Docker-Content-Digest from responses
  ignoreRange: true                    blob GETs: drop the client's Range header (answer 200, whole blob)
  redirectBlobsToHost: "localhost"     blob GETs -> 307 to http(s)://HOST:PORT/__redirected/ID;
                                       records whether Authorization arrived there
  refuseManifestPut: {status: S, code: C, message: M, pathPattern: P}
                                       manifest PUTs whose path matches P answer S with a
                                       registry error body (an immutable tag, as ECR's
                                       ImageTagAlreadyExistsException); counted in refusedPuts
  hideManifest: {count, method, pathPattern}  answer 404 N times (a tag read before
                                       another writer's PUT landed); counted in hiddenManifests
  staleManifestsMs: N                  after a manifest PUT by tag, GET/HEAD of that tag keep
                                       answering what it held before, for N ms (an eventually
                                       consistent registry); counted in staleAnswers
  tagOrder: {order: "reverse"|"shuffle"|"asis", tags: [...], pageSize: N, seed: S}
                                       rewrite /v2/<name>/tags/list (order, or a fixed list) and
                                       paginate it with Link headers, N per page
"""
import argparse
import base64
import http.client
import json
import os
import random
import re
import select
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)

BLOB_GET = re.compile(r"^/v2/.+/blobs/[a-z0-9]+:[a-f0-9]+$")
MANIFEST_BY_TAG = re.compile(r"^/v2/.+/manifests/(?![a-z0-9]+:[a-f0-9]{32,}$)[^/]+$")
MANIFEST_TYPES = ", ".join([
    "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json"])
TAGS = re.compile(r"^/v2/(.+)/tags/list$")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "proxy-connection"}


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.config = {}
        self.redirects = {}
        self.uploads_in_flight = 0
        self.downloads_in_flight = 0
        self.stale = {}  # manifest path -> (expiry, status, headers, body) served instead
        self.reset()
        up = urllib.parse.urlsplit(args.upstream) if args.upstream else None
        self.upstream = up
        self.ssl_ctx = None
        if up and up.scheme == "https":
            self.ssl_ctx = ssl.create_default_context(cafile=args.upstream_cacert)
            if not args.upstream_cacert:
                self.ssl_ctx.check_hostname = False
                self.ssl_ctx.verify_mode = ssl.CERT_NONE

    def reset(self):
        with self.lock:
            self.stats = {"total": 0, "requests": {}, "injected429": 0, "injected503": 0, "cuts": 0,
                          "redirected": 0, "authorizationOnRedirect": [], "ranges": [],
                          "forwarded": [], "headNotAllowed": 0, "authorizationSeen": 0,
                          "stalls": 0, "idleCloses": 0, "expiredTokens": 0, "blobBodyBytes": 0,
                          "mountRequests": 0, "uploadsInFlightMax": 0,
                          "blobDownloadsInFlightMax": 0, "malformedRequests": 0,
                          "refusedPuts": 0, "staleAnswers": 0, "uploadBodyBytes": 0,
                          "hiddenManifests": 0}

    def bump(self, key, n=1):
        with self.lock:
            self.stats[key] += n


def read_body(handler):
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        out = bytearray()
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(out)
            out += handler.rfile.read(size)
            handler.rfile.readline()
    n = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(n) if n else None


def token_expired(token):
    """True when a JWT's `exp` claim lies in the past (unverified: the registry verifies)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims.get("exp", 0) < time.time()
    except (IndexError, ValueError):
        return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *a):
        pass

    # ---- helpers -------------------------------------------------------
    def send_json(self, code, obj, headers=None):
        lifetime.send_json(self, code, obj, headers)

    def own_base(self, host=None):
        scheme = "https" if self.state.args.tls_cert else "http"
        return "%s://%s:%d" % (scheme, host or "127.0.0.1", self.server.server_address[1])

    def control(self, path, body):
        st = self.state
        if path == "/__stats":
            with st.lock:
                return self.send_json(200, json.loads(json.dumps(st.stats)))
        if path == "/__config" and self.command == "POST":
            with st.lock:
                st.config = json.loads(body or b"{}")
            return self.send_json(200, {"ok": True})
        if path == "/__reset" and self.command == "POST":
            st.reset()
            return self.send_json(200, {"ok": True})
        return self.send_json(404, {"error": "unknown control endpoint"})

    def injected(self, key, path):
        """Consume one injection of config[key] if it applies to this request."""
        st = self.state
        with st.lock:
            rule = st.config.get(key)
            if not rule or rule.get("count", 0) <= 0:
                return None
            if rule.get("method") and rule["method"] != self.command:
                return None
            if rule.get("pathPattern") and not re.search(rule["pathPattern"], path):
                return None
            rule["count"] -= 1
            return rule

    # ---- dispatch ------------------------------------------------------
    def handle_any(self):
        st = self.state
        url = urllib.parse.urlsplit(self.path)
        if st.args.forward:
            return self.forward_proxy()
        body = read_body(self)
        if url.path.startswith("/__") and not url.path.startswith("/__redirected/"):
            return self.control(url.path, body)
        with st.lock:
            cfg = json.loads(json.dumps(st.config))
            st.stats["total"] += 1
            key = "%s %s" % (self.command, url.path)
            st.stats["requests"][key] = st.stats["requests"].get(key, 0) + 1
            if self.headers.get("Range"):
                st.stats["ranges"].append(self.headers["Range"])
            if self.headers.get("Authorization"):
                st.stats["authorizationSeen"] += 1
            if self.command == "POST" and "mount=" in url.query:
                st.stats["mountRequests"] += 1
            if self.command in ("PATCH", "PUT") and "/blobs/uploads/" in url.path and body:
                st.stats["uploadBodyBytes"] += len(body)
        if cfg.get("latencyMs"):
            time.sleep(cfg["latencyMs"] / 1000.0)

        path = url.path
        auth = self.headers.get("Authorization")
        if cfg.get("rejectExpiredTokens") and auth and auth.lower().startswith("bearer ") and token_expired(auth[7:]):
            st.bump("expiredTokens")
            auth = None
        if path.startswith("/__redirected/"):
            rid = path[len("/__redirected/"):]
            with st.lock:
                target = st.redirects.pop(rid, None)
                st.stats["redirected"] += 1
                st.stats["authorizationOnRedirect"].append(auth is not None)
            if target is None:
                return self.send_json(404, {"error": "unknown redirect"})
            # The real redirect target would be pre-signed; reach the registry with
            # the credentials of the original request.
            return self.forward(target["path"], body, target["auth"], cfg)

        for key, code in (("tooManyRequests", 429), ("serviceUnavailable", 503)):
            rule = self.injected(key, path)
            if rule:
                st.bump("injected429" if code == 429 else "injected503")
                headers = {}
                if rule.get("retryAfter") is not None:
                    headers["Retry-After"] = str(rule["retryAfter"])
                if rule.get("rateLimitRemaining") is not None:
                    headers["ratelimit-limit"] = "100;w=21600"
                    headers["ratelimit-remaining"] = rule["rateLimitRemaining"]
                return self.send_json(code, {"errors": [{"code": "TOOMANYREQUESTS" if code == 429 else "UNAVAILABLE",
                                                         "message": "injected by fault_proxy"}]}, headers)
        if self.injected("hideManifest", path):
            st.bump("hiddenManifests")
            return self.send_json(404, {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "hidden by fault_proxy"}]})
        if self.command == "HEAD" and cfg.get("headNotAllowed") and path.startswith("/v2/") and path != "/v2/":
            st.bump("headNotAllowed")
            return lifetime.send(self, 405, b"")
        if self.command == "GET" and cfg.get("redirectBlobsToHost") and BLOB_GET.match(path):
            rid = uuid.uuid4().hex
            with st.lock:
                st.redirects[rid] = {"path": self.path, "auth": auth}
            return lifetime.send(self, 307, b"",
                                 [("Location", self.own_base(cfg["redirectBlobsToHost"]) + "/__redirected/" + rid)])
        if self.command == "GET" and cfg.get("tagOrder") and TAGS.match(path):
            return self.tags(url, cfg["tagOrder"], auth)
        if self.command == "PUT" and "/manifests/" in path and cfg.get("refuseManifestPut"):
            rule = cfg["refuseManifestPut"]
            if re.search(rule.get("pathPattern") or ".", path):
                st.bump("refusedPuts")
                return self.send_json(rule.get("status", 400), {"errors": [{
                    "code": rule.get("code", "TAG_INVALID"), "message": rule.get("message", "refused by fault_proxy")}]})
        if self.command in ("GET", "HEAD") and MANIFEST_BY_TAG.match(path):
            with st.lock:
                old = st.stale.get(path)
            if old and old[0] > time.time():
                st.bump("staleAnswers")
                return self.replay(old[1], old[2], old[3])
        if self.command == "PUT" and cfg.get("staleManifestsMs") and MANIFEST_BY_TAG.match(path):
            # What the tag answers now, served for a while after the PUT.
            conn, resp = self.upstream_request("GET", path, None, auth, extra={"Accept": MANIFEST_TYPES}, drop=("content-type",))
            try:
                captured = (resp.status, [(k, v) for k, v in resp.getheaders()
                                          if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"],
                            resp.read())
            finally:
                conn.close()
            with st.lock:
                st.stale[path] = (time.time() + cfg["staleManifestsMs"] / 1000.0,) + captured
        return self.forward(self.path, body, auth, cfg)

    def replay(self, status, headers, body):
        lifetime.send(self, status, body, headers)

    def parse_request(self):
        # Bytes that are not HTTP (a TLS ClientHello) are answered 400 and counted.
        ok = super().parse_request()
        if not ok:
            self.state.bump("malformedRequests")
        return ok

    def handle_one_request(self):
        # idleCloseMs: the wait for the next request on a kept-alive
        # connection times out, and the server closes it (as load balancers do).
        idle = self.state.config.get("idleCloseMs") if self.state.upstream else None
        if idle and getattr(self, "_served_one", False):
            self.connection.settimeout(idle / 1000.0)
            try:
                ready = select.select([self.connection], [], [], idle / 1000.0)[0]
            finally:
                self.connection.settimeout(None)
            if not ready:
                self.state.bump("idleCloses")
                self.close_connection = True
                return
        self._served_one = True
        super().handle_one_request()

    def handle_safely(self):
        # Blob bytes on their way (PATCH/PUT of an upload, from the first
        # body byte read to the answer): how many at once, at most.
        uploading = self.command in ("PATCH", "PUT") and "/blobs/uploads/" in self.path and not self.state.args.forward
        # Blob GETs likewise, from the request to the body's last byte.
        downloading = self.command == "GET" and BLOB_GET.match(urllib.parse.urlsplit(self.path).path) is not None
        if uploading:
            with self.state.lock:
                self.state.uploads_in_flight += 1
                self.state.stats["uploadsInFlightMax"] = max(self.state.stats["uploadsInFlightMax"],
                                                             self.state.uploads_in_flight)
        if downloading:
            with self.state.lock:
                self.state.downloads_in_flight += 1
                self.state.stats["blobDownloadsInFlightMax"] = max(self.state.stats["blobDownloadsInFlightMax"],
                                                                   self.state.downloads_in_flight)
        try:
            if uploading and self.cut_upload():
                return
            self.handle_safely_counted()
        finally:
            if uploading:
                with self.state.lock:
                    self.state.uploads_in_flight -= 1
            if downloading:
                with self.state.lock:
                    self.state.downloads_in_flight -= 1

    def cut_upload(self):
        """cutUploadBody: read the first bytes of an upload, then hang up."""
        st = self.state
        with st.lock:
            rule = st.config.get("cutUploadBody")
            if not rule or rule.get("times", 0) <= 0:
                return False
            rule["times"] -= 1
            st.stats["cuts"] += 1
        length = self.headers.get("Content-Length")
        self.rfile.read(min(rule["afterBytes"], int(length)) if length else rule["afterBytes"])
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def handle_safely_counted(self):
        try:
            self.handle_any()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # upstream down or refused: tell the client, keep serving
            self.close_connection = True
            try:
                self.send_json(502, {"error": "fault_proxy: %r" % (e,)})
            except OSError:
                pass

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_safely

    def do_CONNECT(self):
        if not self.state.args.forward:
            return self.send_json(405, {"error": "not a forward proxy"})
        return self.forward_proxy()

    # ---- upstream ------------------------------------------------------
    def upstream_conn(self):
        up = self.state.upstream
        if up.scheme == "https":
            return http.client.HTTPSConnection(up.hostname, up.port, context=self.state.ssl_ctx, timeout=60)
        return http.client.HTTPConnection(up.hostname, up.port, timeout=60)

    def request_headers(self, drop):
        # Repeated headers (clients send several Accept lines) are joined, not lost.
        headers = {}
        for k, v in self.headers.items():
            if k.lower() in HOP_BY_HOP or k.lower() in drop:
                continue
            headers[k] = headers[k] + ", " + v if k in headers else v
        return headers

    def upstream_request(self, method, path, body, auth, extra=None, drop=()):
        headers = self.request_headers(("host", "authorization", "content-length") + tuple(drop))
        if auth:
            headers["Authorization"] = auth
        headers.update(extra or {})
        conn = self.upstream_conn()
        conn.request(method, path, body=body, headers=headers)
        return conn, conn.getresponse()

    def rewrite_location(self, value):
        up = self.state.upstream
        base = "%s://%s" % (up.scheme, up.netloc)
        if value.startswith(base):
            return self.own_base() + value[len(base):]
        return value

    def forward(self, path, body, auth, cfg):
        st = self.state
        drop = ("range",) if cfg.get("ignoreRange") and BLOB_GET.match(urllib.parse.urlsplit(path).path) else ()
        conn, resp = self.upstream_request(self.command, path, body, auth, drop=drop)
        try:
            cut = None
            stall = None
            pause = 0
            is_blob = self.command == "GET" and resp.status in (200, 206) and BLOB_GET.match(urllib.parse.urlsplit(path).path)
            if is_blob:
                with st.lock:
                    rule = st.config.get("stallBlobBody")
                    whole = resp.getheader("Content-Length")
                    if rule and rule.get("times", 1) > 0 and (whole is None or int(whole) > rule.get("afterBytes", 0)):
                        rule["times"] = rule.get("times", 1) - 1
                        stall = rule.get("afterBytes", 0)
                with st.lock:
                    rule = st.config.get("cutBlobBody")
                    pause = (rule or {}).get("pauseMs", 0)
                    # Only a body longer than the cut point can be cut mid-way
                    # (a small config blob does not use up a cut).
                    whole = resp.getheader("Content-Length")
                    longer = whole is None or int(whole) > rule.get("afterBytes", 0) if rule else False
                    if rule and longer and rule.get("times", 1) > 0:
                        rule["times"] = rule.get("times", 1) - 1
                        cut = rule.get("afterBytes", 0)
            self.send_response(resp.status)
            length = resp.getheader("Content-Length")
            data = None
            if length is None and self.command != "HEAD":
                data = resp.read()
                length = str(len(data))
            for k, v in resp.getheaders():
                lk = k.lower()
                if lk in HOP_BY_HOP or lk == "content-length":
                    continue
                if lk == "docker-content-digest" and cfg.get("stripDigestHeader"):
                    continue
                if lk == "location":
                    v = self.rewrite_location(v)
                self.send_header(k, v)
            if length is not None:
                self.send_header("Content-Length", length)
            self.end_headers()
            if self.command == "HEAD":
                return
            if data is not None:
                self.wfile.write(data)
                return
            sent = 0
            while True:
                if stall is not None and sent >= stall:
                    st.bump("stalls")
                    self.wfile.flush()
                    self.hold_until_closed()
                    self.close_connection = True
                    return
                want = 65536 if cut is None else min(65536, cut - sent)
                if stall is not None:
                    want = min(want, stall - sent)
                if want <= 0:
                    st.bump("cuts")
                    self.wfile.flush()
                    if pause:
                        time.sleep(pause / 1000.0)
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                chunk = resp.read(want)
                if not chunk:
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
                if is_blob:
                    st.bump("blobBodyBytes", len(chunk))
        finally:
            conn.close()

    def hold_until_closed(self, limit=600):
        """Sends nothing more; returns when the client closes (or after limit s)."""
        deadline = time.time() + limit
        while time.time() < deadline:
            ready = select.select([self.connection], [], [], 0.5)[0]
            if ready:
                try:
                    if not self.connection.recv(65536):
                        return
                except OSError:
                    return

    def tags(self, url, rule, auth):
        name = TAGS.match(url.path).group(1)
        conn, resp = self.upstream_request("GET", "/v2/%s/tags/list" % name, None, auth)
        try:
            raw = resp.read()
            if resp.status != 200:
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
                return
            tags = json.loads(raw).get("tags") or []
        finally:
            conn.close()
        if rule.get("tags") is not None:
            tags = list(rule["tags"])
        order = rule.get("order", "asis")
        if order == "reverse":
            tags = list(reversed(tags))
        elif order == "shuffle":
            random.Random(rule.get("seed", 1)).shuffle(tags)
        q = urllib.parse.parse_qs(url.query)
        start = 0
        if q.get("last"):
            last = q["last"][0]
            start = tags.index(last) + 1 if last in tags else len(tags)
        size = rule.get("pageSize") or len(tags) or 1
        if q.get("n"):
            size = min(size, int(q["n"][0])) if rule.get("pageSize") else int(q["n"][0])
        page = tags[start:start + size]
        headers = {}
        if start + size < len(tags) and page:
            headers["Link"] = '</v2/%s/tags/list?n=%d&last=%s>; rel="next"' % (
                name, size, urllib.parse.quote(page[-1]))
        self.send_json(200, {"name": name, "tags": page}, headers)

    # ---- forward proxy mode ---------------------------------------------
    def forward_proxy(self):
        st = self.state
        if self.command == "CONNECT":
            with st.lock:
                st.stats["total"] += 1
                st.stats["forwarded"].append("CONNECT " + self.path)
            host, _, port = self.path.rpartition(":")
            try:
                upstream = socket.create_connection(self.resolved_address(host, int(port)), timeout=30)
            except OSError as e:
                return self.send_json(502, {"error": str(e)})
            self.send_response(200, "Connection Established")
            self.end_headers()
            self.tunnel(upstream)
            return
        url = urllib.parse.urlsplit(self.path)
        body = read_body(self)
        if not url.scheme:
            return self.control(url.path, body)
        with st.lock:
            st.stats["total"] += 1
            st.stats["forwarded"].append("%s %s" % (self.command, self.path))
        path = url.path + ("?" + url.query if url.query else "")
        conn = http.client.HTTPConnection(*self.resolved_address(url.hostname, url.port or 80), timeout=60)
        headers = self.request_headers(("content-length",))
        conn.request(self.command, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read() if self.command != "HEAD" else b""
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", resp.getheader("Content-Length") if self.command == "HEAD"
                         and resp.getheader("Content-Length") else str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)
        conn.close()

    def resolved_address(self, host, port):
        """(host, port) to connect to: a rule's ADDRESS may carry its own :PORT."""
        address = self.resolved(host)
        if address != host and address.count(":") == 1:
            name, _, mapped = address.partition(":")
            return name, int(mapped)
        return address, port

    def resolved(self, host):
        for rule in self.state.args.resolve:
            name, _, address = rule.partition("=")
            if name.lower() == (host or "").lower():
                return address
        return host

    def tunnel(self, upstream):
        self.close_connection = True
        conns = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(conns, [], [], 60)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.connection else self.connection).sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--upstream")
    p.add_argument("--upstream-cacert")
    p.add_argument("--forward", action="store_true")
    p.add_argument("--resolve", action="append", default=[],
                   help="forward mode: NAME=ADDRESS[:PORT], reach NAME at ADDRESS (test host names without DNS)")
    p.add_argument("--config", default="{}", help="JSON text, or @FILE")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--until-signal", action="store_true")
    args = p.parse_args()
    if not args.forward and not args.upstream:
        p.error("--upstream or --forward is required")
    state = State(args)
    cfg = args.config
    state.config = json.load(open(cfg[1:])) if cfg.startswith("@") else json.loads(cfg)
    Handler.state = state
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    scheme = "https" if args.tls_cert else "http"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    lifetime.announce({"port": port, "url": "127.0.0.1:%d" % port,
                       "baseURL": "%s://127.0.0.1:%d" % (scheme, port)})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    lifetime.wait_until_released(args.until_signal)
    os._exit(0)


if __name__ == "__main__":
    main()
