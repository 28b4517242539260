"""What the stand-in servers share: the one JSON line a stand-in prints when
it is ready (the Swift side, Tests/TestSupport/HelperProcess.swift, reads it),
its life until the test closes stdin (or, with --until-signal, until a
signal), serving until then, and a reply. Imported with the stand-ins'
directory on sys.path."""
import json
import signal
import sys
import threading


def announce(info):
    """Prints the launch line and flushes it."""
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()


def wait_until_released(until_signal=False):
    """Returns when stdin reaches EOF (the test closed it or died); never,
    with `until_signal` (a script's stand-in lives until it is killed)."""
    if until_signal:
        while True:
            signal.pause()
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass


def serve(servers, info):
    """Serves each of `servers` (http.server servers) on a thread of its own,
    announces `info`, and shuts them down when released."""
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    announce(info)
    wait_until_released()
    for server in servers:
        server.shutdown()


def send(handler, code, body, headers=(), content_type=None):
    """A response of `body` (bytes or text) on a BaseHTTPRequestHandler with
    `headers` (name, value pairs) and its length; no body for HEAD."""
    data = body.encode() if isinstance(body, str) else body
    handler.send_response(code)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)


def send_json(handler, code, obj, headers=None):
    """A JSON response (no body for HEAD)."""
    send(handler, code, json.dumps(obj), (headers or {}).items(), "application/json")
