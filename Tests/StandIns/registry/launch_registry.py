#!/usr/bin/env python3
"""Start a throwaway CNCF distribution registry (Debian's docker-registry) on a
free 127.0.0.1 port, optionally with TLS, htpasswd Basic auth or Bearer token
auth (via token_server.py), and keep it running until stdin closes (or SIGTERM).

Once the registry answers /v2/, one JSON line describing it is printed on
stdout. Everything lives in a temporary work directory that is removed on exit.

Usage: launch_registry.py [--tls] [--auth none|basic|token] [--anonymous-pull]
                          [--token-ttl S] [--advertised-token-ttl S]
                          [--username U] [--password P] [--workdir DIR]
                          [--storage DIR] [--keep-stdin-open-forever]
"""
import argparse
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lifetime  # noqa: E402  (the stand-ins' shared module, one directory up)

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY_BIN = os.environ.get("DOCKER_REGISTRY_BIN", "/usr/bin/docker-registry")


def free_port():
    # Binding port 0 then releasing leaves a window in which another process may
    # take the port; callers retry when the server then fails to bind.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def make_ca(dirpath, name):
    """A self-signed CA; returns (cert path, key path)."""
    key = os.path.join(dirpath, name + ".key")
    crt = os.path.join(dirpath, name + ".crt")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
         "-out", crt, "-days", "3", "-subj", "/CN=" + name,
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"])
    return crt, key


def make_server_cert(dirpath, ca_crt, ca_key, extra_names=()):
    key = os.path.join(dirpath, "server.key")
    csr = os.path.join(dirpath, "server.csr")
    crt = os.path.join(dirpath, "server.crt")
    ext = os.path.join(dirpath, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost%s\n" % "".join(",DNS:" + n for n in extra_names) +
                "extendedKeyUsage=serverAuth\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "basicConstraints=CA:FALSE\n")
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
         "-subj", "/CN=localhost"])
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key,
         "-CAcreateserial", "-out", crt, "-days", "3", "-extfile", ext])
    return crt, key


def wait_http(url, ca_file, proc, timeout=20.0, accept=(200, 401), marker=None):
    ctx = None
    if url.startswith("https"):
        ctx = ssl.create_default_context(cafile=ca_file)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        # marker: a header value only this instance sends, so a foreign server
        # that won a port race is never mistaken for ours.
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
                if r.status in accept and (marker is None or r.headers.get("X-Test-Instance") == marker):
                    return True
        except urllib.error.HTTPError as e:
            if e.code in accept and (marker is None or e.headers.get("X-Test-Instance") == marker):
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


def start_token_server(work, args, service, issuer, key, crt):
    for _ in range(10):
        port = free_port()
        log = open(os.path.join(work, "token_server.log"), "ab")
        cmd = [sys.executable, os.path.join(HERE, "token_server.py"),
               "--port", str(port), "--key", key, "--cert", crt,
               "--service", service, "--issuer", issuer,
               "--username", args.username, "--password", args.password]
        if args.anonymous_pull:
            cmd.append("--anonymous-pull")
        if args.token_ttl:
            cmd += ["--ttl", str(args.token_ttl)]
        if args.advertised_token_ttl:
            cmd += ["--advertised-ttl", str(args.advertised_token_ttl)]
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        if wait_http("http://127.0.0.1:%d/__stats" % port, None, proc, accept=(200,)):
            return proc, port
        proc.kill()
        proc.wait()
    raise SystemExit("token server did not start")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tls", action="store_true")
    p.add_argument("--auth", choices=["none", "basic", "token"], default="none")
    p.add_argument("--anonymous-pull", action="store_true")
    p.add_argument("--token-ttl", type=int, default=0, help="token lifetime in s (token server default)")
    p.add_argument("--advertised-token-ttl", type=int, default=0, help="expires_in told to clients, if not the lifetime")
    p.add_argument("--username", default="testuser")
    p.add_argument("--password", default="testpassword")
    p.add_argument("--san", action="append", default=[],
                   help="--tls: another DNS name the certificate is valid for (test host names)")
    p.add_argument("--workdir", default=None, help="default: a new temp dir (removed on exit)")
    p.add_argument("--storage", default=None, help="default: WORKDIR/storage")
    p.add_argument("--until-signal", action="store_true",
                   help="ignore stdin; run until SIGTERM/SIGINT (for shell scripts)")
    args = p.parse_args()

    work = args.workdir or tempfile.mkdtemp(prefix="test-registry-")
    owns_work = args.workdir is None
    os.makedirs(work, exist_ok=True)
    storage = args.storage or os.path.join(work, "storage")
    os.makedirs(storage, exist_ok=True)
    children = []

    def cleanup(*_):
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            try:
                c.wait(timeout=5)
            except subprocess.TimeoutExpired:
                c.kill()
                c.wait()
        if owns_work:
            shutil.rmtree(work, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)

    try:
        info = {"workdir": work, "storage": storage, "tls": args.tls, "auth": args.auth}
        ca_crt = None
        tls_lines = ""
        if args.tls:
            ca_crt, ca_key = make_ca(work, "test-ca")
            srv_crt, srv_key = make_server_cert(work, ca_crt, ca_key, args.san)
            # skopeo/containers-image style cert dir: *.crt files are CAs.
            cert_dir = os.path.join(work, "certs.d")
            os.makedirs(cert_dir)
            shutil.copy(ca_crt, os.path.join(cert_dir, "ca.crt"))
            with open(ca_crt) as f:
                info["caCertificatePEM"] = f.read()
            info["caCertificatePath"] = ca_crt
            info["certDirectory"] = cert_dir
            tls_lines = "  tls:\n    certificate: %s\n    key: %s\n" % (srv_crt, srv_key)

        auth_lines = ""
        if args.auth == "basic":
            out = subprocess.run(["htpasswd", "-Bbn", args.username, args.password],
                                 check=True, capture_output=True, text=True).stdout
            htp = os.path.join(work, "htpasswd")
            with open(htp, "w") as f:
                f.write(out.strip() + "\n")
            auth_lines = "auth:\n  htpasswd:\n    realm: test-realm\n    path: %s\n" % htp
            info["username"], info["password"] = args.username, args.password
        elif args.auth == "token":
            tok_crt, tok_key = make_ca(work, "token-signer")
            service, issuer = "test-registry", "test-token-issuer"
            tproc, tport = start_token_server(work, args, service, issuer, tok_key, tok_crt)
            children.append(tproc)
            realm = "http://127.0.0.1:%d/token" % tport
            auth_lines = ("auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n"
                          "    rootcertbundle: %s\n" % (realm, service, issuer, tok_crt))
            info.update(username=args.username, password=args.password,
                        tokenServerURL="http://127.0.0.1:%d" % tport, tokenRealm=realm,
                        tokenService=service)

        proc = None
        marker = os.path.basename(work) + "-" + str(os.getpid())
        for attempt in range(10):
            port = free_port()
            cfg = os.path.join(work, "config.yml")
            with open(cfg, "w") as f:
                f.write("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
                        "storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n"
                        "  maintenance:\n    uploadpurging:\n      enabled: false\n"
                        "http:\n  addr: 127.0.0.1:%d\n  headers:\n    X-Test-Instance: [%s]\n%s%s"
                        % (storage, port, marker, tls_lines, auth_lines))
            log = open(os.path.join(work, "registry.log"), "ab")
            proc = subprocess.Popen([REGISTRY_BIN, "serve", cfg], stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL)
            scheme = "https" if args.tls else "http"
            if wait_http("%s://127.0.0.1:%d/v2/" % (scheme, port), ca_crt, proc, marker=marker):
                break
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc = None
        if proc is None:
            with open(os.path.join(work, "registry.log"), "rb") as f:
                sys.stderr.write(f.read()[-4000:].decode(errors="replace"))
            raise SystemExit("docker-registry did not start")
        children.append(proc)
        info.update(host="127.0.0.1:%d" % port, port=port, pid=proc.pid,
                    baseURL="%s://127.0.0.1:%d" % ("https" if args.tls else "http", port))
        lifetime.announce(info)
    except BaseException as e:
        if not isinstance(e, SystemExit):
            sys.stderr.write("launch_registry: %r\n" % (e,))
            if isinstance(e, subprocess.CalledProcessError):
                sys.stderr.write(e.stderr.decode(errors="replace") if e.stderr else "")
        for c in children:
            c.kill()
        if owns_work:
            shutil.rmtree(work, ignore_errors=True)
        raise

    # Lifetime: until stdin reaches EOF (the parent closed it or died) or a signal.
    def watch_children():
        while True:
            for c in children:
                if c.poll() is not None:
                    sys.stderr.write("launch_registry: child %d exited\n" % c.pid)
                    return
            time.sleep(0.5)
    threading.Thread(target=watch_children, daemon=True).start()
    lifetime.wait_until_released(args.until_signal)
    cleanup()


if __name__ == "__main__":
    main()
