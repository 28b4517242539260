#!/usr/bin/env python3
"""Google's own client library (google-auth, from PyPI) against the
stand-ins of google_standin.py: proves that what the stand-ins accept is what
Google's protocol is. Argument: the stand-in's launch JSON. Prints a JSON
object: flow name → true when google-auth obtained the expected token, else
the error text.
"""
import json
import os
import sys

SCOPE = "https://www.googleapis.com/auth/cloud-platform"


def main():
    info = json.loads(sys.argv[1])
    expected = sys.argv[2]
    os.environ["GCE_METADATA_HOST"] = info["metadataHost"]
    os.environ["GCE_METADATA_IP"] = info["metadataHost"]
    import google.auth.transport.requests as transport
    from google.auth import compute_engine, identity_pool
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    request = transport.Request()
    flows = {
        "service_account": lambda: service_account.Credentials.from_service_account_file(
            info["files"]["serviceAccount"], scopes=[SCOPE]),
        "metadata_server": lambda: compute_engine.Credentials(),
        "external_account_file_impersonation": lambda: identity_pool.Credentials.from_file(
            info["files"]["externalFile"], scopes=[SCOPE]),
        "external_account_url": lambda: identity_pool.Credentials.from_file(
            info["files"]["externalURL"], scopes=[SCOPE]),
        # google-auth always sets Google's token_uri for this type: point it here.
        "authorized_user": lambda: user_credentials.Credentials.from_authorized_user_file(
            info["files"]["authorizedUser"]).with_token_uri(info["url"] + "/token"),
    }
    results = {}
    for name, make in flows.items():
        try:
            credentials = make()
            credentials.refresh(request)
            results[name] = credentials.token == expected or "unexpected token"
        except Exception as error:  # reported, not raised: the test prints it
            results[name] = "%s: %s" % (type(error).__name__, error)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
