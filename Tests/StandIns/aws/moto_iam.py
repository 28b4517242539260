#!/usr/bin/env python3
"""moto's server (real AWS API emulation: IAM, STS, ECR) on a free 127.0.0.1
port with IAM authentication switched on, so that a request signed wrongly,
with an unknown key or without permission is refused as AWS would.

Before checking is switched on (POST /moto-api/reset-auth with "0") it
creates, through boto3:
  user ri-user        keys; may call ecr:GetAuthorizationToken
  user ri-chain-user  keys; may only sts:AssumeRole ri-chain-a
  role ri-chain-a     may only sts:AssumeRole ri-chain-b
  role ri-chain-b     may call ecr:GetAuthorizationToken
  role ri-session     may call ecr:GetAuthorizationToken; its temporary
                      credentials (with a session token) are handed out
  user ri-profile-user, roles ri-profile-a, ri-profile-b, ri-web: the same
                      shapes again, for the credential-chain tests (so that
                      their calls never mix with the ECR tests' own)
AssumeRoleWithWebIdentity is unsigned in AWS (the web identity token is the
proof); moto's IAM auth would refuse it, so it is let through unsigned and the
wrapper checks the token against the one handed out (as AWS checks it with
the OIDC provider), answering InvalidIdentityToken otherwise.
A thin WSGI wrapper records every call (action, role, access key id, status)
for GET /__calls, so tests can count STS and ECR calls. Prints one JSON line
when ready; runs until stdin closes.
"""
import io
import logging
import json
import secrets
import sys
import threading
import urllib.parse
import urllib.request

import boto3
from moto.core.authorization import ActionAuthenticatorMixin
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server
import os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)

ACCOUNT = "123456789012"
REGION = "us-east-1"


WEB_IDENTITY_TOKEN = "eyJ.ri-web-identity." + secrets.token_urlsafe(16)

_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _authenticate_unless_web_identity(self, iam_request_cls, resource="*"):
    if "Authorization" not in self.headers and self._get_action() == "AssumeRoleWithWebIdentity":
        return
    return _authenticate(self, iam_request_cls, resource)


ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_unless_web_identity


class Recorder:
    def __init__(self, app):
        self.app = app
        self.calls = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/__calls":
            with self.lock:
                body = json.dumps(self.calls).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        form = urllib.parse.parse_qs(raw.decode(errors="replace")) if raw[:1] != b"{" else {}
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        auth = environ.get("HTTP_AUTHORIZATION", "")
        key = auth.split("Credential=", 1)[1].split("/", 1)[0] if "Credential=" in auth else None
        call = {"method": environ.get("REQUEST_METHOD"), "path": path,
                "action": (form.get("Action") or query.get("Action") or [None])[0],
                "target": environ.get("HTTP_X_AMZ_TARGET"),
                "roleArn": (form.get("RoleArn") or [None])[0],
                "roleSessionName": (form.get("RoleSessionName") or [None])[0],
                "accessKeyId": key, "sessionToken": "HTTP_X_AMZ_SECURITY_TOKEN" in environ}
        status_holder = {}
        if call["action"] == "AssumeRoleWithWebIdentity":
            call["webIdentityTokenKnown"] = (form.get("WebIdentityToken") or [None])[0] == WEB_IDENTITY_TOKEN
            call["signed"] = bool(auth)
            if not call["webIdentityTokenKnown"]:
                call["status"] = 400
                with self.lock:
                    self.calls.append(call)
                body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                        b"<Message>the web identity token is not the one issued</Message></Error></ErrorResponse>")
                start_response("400 Bad Request", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
                return [body]

        def recording_start(status, headers, exc_info=None):
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start)
        if not path.startswith("/moto-api"):
            call["status"] = status_holder.get("status")
            with self.lock:
                self.calls.append(call)
        return result


def allow(actions, resource="*"):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})


TRUST_ANYONE = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    recorder = Recorder(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, recorder, threaded=True)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = "http://127.0.0.1:%d" % port

    def client(service, key="testing", secret="testing", token=None):
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                            aws_secret_access_key=secret, aws_session_token=token)

    iam = client("iam")
    users = {}
    for name, policy in [("ri-user", allow("ecr:GetAuthorizationToken")),
                         ("ri-chain-user", allow("sts:AssumeRole", "arn:aws:iam::%s:role/ri-chain-a" % ACCOUNT)),
                         ("ri-profile-user", allow("sts:AssumeRole", "arn:aws:iam::%s:role/ri-profile-a" % ACCOUNT))]:
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
    roles = {}
    for name, policy in [("ri-chain-a", allow("sts:AssumeRole", "arn:aws:iam::%s:role/ri-chain-b" % ACCOUNT)),
                         ("ri-chain-b", allow("ecr:GetAuthorizationToken")),
                         ("ri-session", allow("ecr:GetAuthorizationToken")),
                         ("ri-profile-a", allow("sts:AssumeRole", "arn:aws:iam::%s:role/ri-profile-b" % ACCOUNT)),
                         ("ri-profile-b", allow("ecr:GetAuthorizationToken")),
                         ("ri-web", allow("ecr:GetAuthorizationToken"))]:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_ANYONE)["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=policy)
        roles[name] = arn
    creds = client("sts").assume_role(RoleArn=roles["ri-session"], RoleSessionName="fixture")["Credentials"]
    session = {"accessKeyId": creds["AccessKeyId"], "secretAccessKey": creds["SecretAccessKey"],
               "sessionToken": creds["SessionToken"]}

    # From here on every request must be signed by a known key and permitted.
    req = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                 headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(req, timeout=10).read()
    try:
        client("ecr", "AKIANOTAKEY000000000", "nope").get_authorization_token()
        raise SystemExit("moto accepted an unknown key: IAM auth is not on")
    except client("ecr").exceptions.ClientError:
        pass
    with recorder.lock:
        recorder.calls.clear()

    lifetime.announce({"port": port, "endpoint": endpoint, "account": ACCOUNT, "region": REGION,
                       "users": users, "roles": roles, "session": session,
                       "webIdentityToken": WEB_IDENTITY_TOKEN})
    lifetime.wait_until_released()
    server.shutdown()


if __name__ == "__main__":
    main()
