#!/usr/bin/env python3
"""A stand-in for the EC2 instance metadata service (IMDSv2 only) and the
ECS container-credentials endpoint, handing out the credentials given on the
command line (moto's, so AWS calls made with them are checked for real).

IMDSv2, as EC2 serves it:
  PUT /latest/api/token            needs X-aws-ec2-metadata-token-ttl-seconds
                                   (1..21600); answers a fresh session token
  GET /latest/meta-data/iam/security-credentials/       the role name
  GET /latest/meta-data/iam/security-credentials/ROLE   the credentials JSON
  Both GETs need X-aws-ec2-metadata-token with an issued token, else 401
  (IMDSv1 requests are refused, as on an instance with IMDSv2 required).
  With --v1-only the token PUT is refused with 403 (an IMDSv1-only service,
  or a proxy that strips PUTs) and the GETs need no token.
ECS:
  GET /ecs/credentials   needs Authorization equal to --ecs-authorization
GET /__stats counts what was asked and refused. Prints one JSON line when
ready; runs until stdin closes.
"""
import argparse
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--access-key-id", required=True)
    p.add_argument("--secret-access-key", required=True)
    p.add_argument("--session-token", required=True)
    p.add_argument("--role", default="ri-instance-role")
    p.add_argument("--ecs-authorization", default="ecs-secret-authorization")
    p.add_argument("--v1-only", action="store_true")
    args = p.parse_args()
    lock = threading.Lock()
    tokens = set()
    stats = {"tokenPuts": 0, "roleLookups": 0, "credentialGets": 0, "refused": 0, "ecsGets": 0, "paths": []}
    document = json.dumps({"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": args.access_key_id,
                           "SecretAccessKey": args.secret_access_key, "Token": args.session_token,
                           "Expiration": "2099-01-01T00:00:00Z", "LastUpdated": "2026-01-01T00:00:00Z"})

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body, content_type="text/plain"):
            lifetime.send(self, status, body, content_type=content_type)

        def refuse(self, status, why):
            with lock:
                stats["refused"] += 1
            self.reply(status, why)

        def do_PUT(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with lock:
                stats["paths"].append("PUT " + self.path)
            if self.path != "/latest/api/token":
                return self.refuse(404, "not found")
            if args.v1_only:
                return self.refuse(403, "IMDSv2 is not available")
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
            if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
                return self.refuse(400, "missing or bad X-aws-ec2-metadata-token-ttl-seconds")
            token = secrets.token_urlsafe(24)
            with lock:
                tokens.add(token)
                stats["tokenPuts"] += 1
            self.reply(200, token)

        def do_GET(self):
            with lock:
                stats["paths"].append("GET " + self.path)
            if self.path == "/__stats":
                with lock:
                    return self.reply(200, json.dumps(stats), "application/json")
            if self.path == "/ecs/credentials":
                if self.headers.get("Authorization") != args.ecs_authorization:
                    return self.refuse(401, "bad Authorization")
                with lock:
                    stats["ecsGets"] += 1
                return self.reply(200, document, "application/json")
            base = "/latest/meta-data/iam/security-credentials/"
            if not self.path.startswith(base):
                return self.refuse(404, "not found")
            with lock:
                known = self.headers.get("X-aws-ec2-metadata-token") in tokens
            if not known and not args.v1_only:
                return self.refuse(401, "IMDSv2 session token required")
            rest = self.path[len(base):]
            if rest == "":
                with lock:
                    stats["roleLookups"] += 1
                return self.reply(200, args.role)
            if rest != args.role:
                return self.refuse(404, "no such role")
            with lock:
                stats["credentialGets"] += 1
            self.reply(200, document, "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    lifetime.serve([server], {"port": port, "url": "http://127.0.0.1:%d" % port, "role": args.role,
                              "ecsAuthorization": args.ecs_authorization})


if __name__ == "__main__":
    main()
