#!/usr/bin/env python3
"""The reference SigV4 signer: botocore's SigV4Auth, on requests given as JSON
on stdin (a list of {method, url, headers: [[name, value]...], body (UTF-8),
accessKeyId, secretAccessKey, region, service, amzDate}). Headers are taken
as given (X-Amz-Date and any X-Amz-Security-Token included), so both signers
sign the very same request. Prints a JSON list of Authorization values.
"""
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def authorization(case):
    token = next((v for k, v in case["headers"] if k.lower() == "x-amz-security-token"), None)
    creds = Credentials(case["accessKeyId"], case["secretAccessKey"], token)
    request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode())
    for name, value in case["headers"]:
        request.headers.add_header(name, value) if name in request.headers else request.headers.__setitem__(name, value)
    request.context["timestamp"] = case["amzDate"]
    auth = SigV4Auth(creds, case["service"], case["region"])
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    signed = auth.signed_headers(auth.headers_to_sign(request))
    return "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        case["accessKeyId"], auth.credential_scope(request), signed, signature)


print(json.dumps([authorization(case) for case in json.load(sys.stdin)]))
