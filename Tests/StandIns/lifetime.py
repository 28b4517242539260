"""What the stand-in servers share: the one JSON line a stand-in prints when
it is ready (the Swift side, Tests/TestSupport/HelperProcess.swift, reads it),
its life until the test closes stdin (or, with --until-signal, until a
signal), and a JSON reply. Imported with the stand-ins' directory on sys.path."""
import json
import signal
import sys


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


def send_json(handler, code, obj, headers=None):
    """A JSON response on a BaseHTTPRequestHandler (no body for HEAD)."""
    body = json.dumps(obj).encode()
    handler.send_response(code)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)
