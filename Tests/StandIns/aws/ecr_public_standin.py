#!/usr/bin/env python3
"""A stand-in for Amazon ECR Public's API (moto does not implement it):
POST / with X-Amz-Target SpencerFrontendService.GetAuthorizationToken,
JSON 1.1. Every request's SigV4 signature is recomputed with botocore's
SigV4Auth (service ecr-public, region us-east-1) over the request as received,
with the secret of the access key it names (--key ID=SECRET, repeatable);
a mismatch, an unknown key, another region or service is refused as AWS
refuses it. Answers {"authorizationData": {"authorizationToken":
base64("AWS:" + --password), "expiresAt": …}}. GET /__stats lists the calls.
Prints one JSON line when ready; runs until stdin closes.
"""
import argparse
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key", action="append", default=[], help="ACCESS_KEY_ID=SECRET")
    p.add_argument("--password", required=True)
    args = p.parse_args()
    keys = dict(item.split("=", 1) for item in args.key)
    lock = threading.Lock()
    calls = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body):
            lifetime.send(self, status, json.dumps(body), content_type="application/x-amz-json-1.1")

        def error(self, status, kind, message, call):
            call["status"] = status
            call["error"] = kind
            with lock:
                calls.append(call)
            self.reply(status, {"__type": kind, "message": message})

        def do_GET(self):
            if self.path == "/__stats":
                with lock:
                    return self.reply(200, {"calls": calls})
            self.reply(404, {"__type": "NotFound", "message": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            auth = self.headers.get("Authorization") or ""
            call = {"target": self.headers.get("X-Amz-Target"), "sessionToken": "X-Amz-Security-Token" in self.headers}
            if not auth.startswith("AWS4-HMAC-SHA256 Credential="):
                return self.error(403, "MissingAuthenticationTokenException", "no SigV4 Authorization", call)
            fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
            key_id, day, region, service, _ = fields["Credential"].split("/")
            call.update({"accessKeyId": key_id, "region": region, "service": service})
            if key_id not in keys:
                return self.error(403, "UnrecognizedClientException", "The security token included in the request is invalid.", call)
            if (region, service) != ("us-east-1", "ecr-public"):
                return self.error(403, "InvalidSignatureException", "Credential should be scoped to us-east-1/ecr-public", call)
            signed = fields["SignedHeaders"].split(";")
            request = AWSRequest(method="POST", url="http://%s%s" % (self.headers["Host"], self.path), data=body)
            for name in signed:
                request.headers[name] = self.headers.get(name, "")
            request.context["timestamp"] = self.headers.get("X-Amz-Date", "")
            signer = SigV4Auth(Credentials(key_id, keys[key_id], self.headers.get("X-Amz-Security-Token")),
                               "ecr-public", "us-east-1")
            canonical = signer.canonical_request(request)
            expected = signer.signature(signer.string_to_sign(request, canonical), request)
            if expected != fields.get("Signature") or "x-amz-date" not in signed or "host" not in signed:
                return self.error(403, "InvalidSignatureException", "The request signature we calculated does not match", call)
            if call["target"] != "SpencerFrontendService.GetAuthorizationToken":
                return self.error(400, "UnknownOperationException", "unknown target", call)
            call["status"] = 200
            with lock:
                calls.append(call)
            token = base64.b64encode(("AWS:" + args.password).encode()).decode()
            self.reply(200, {"authorizationData": {"authorizationToken": token, "expiresAt": time.time() + 43200}})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    lifetime.serve([server], {"url": "http://127.0.0.1:%d" % server.server_address[1]})


if __name__ == "__main__":
    main()
