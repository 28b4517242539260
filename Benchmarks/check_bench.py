#!/usr/bin/env python3
"""Check benchmark: `registry-image check` on a repository of many semver tags
behind a proxy that adds latency to every request (stdlib only).

A local docker-registry holds TAGS distinct tiny images tagged 1.0.0, 1.0.1, …
(plus `latest` on the newest); fault_proxy.py in front of it sleeps LATENCY_MS
before forwarding each request. Timed, best of RUNS:
  - semver check with no cursor (every tag's digest is looked up)
  - semver check with the cursor at the newest version (nothing below it is
    looked up)
  - tag_regex + created_at_sort over a tenth of the tags (configs fetched)
Requests are counted by the proxy. A one-at-a-time client would need at least
requests × latency.

Usage: check_bench.py [--bin PATH] [--tags 300] [--latency-ms 20] [--runs 3]
Default binary: .build/release/registry-image (build it with
`swift build -c release --product registry-image`).
"""
import argparse
import concurrent.futures
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUPPORT = os.path.join(ROOT, "Tests", "StandIns", "registry")
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def launch(script, *args):
    """Starts a Tests/StandIns stand-in; returns (process, its JSON launch line)."""
    proc = subprocess.Popen([sys.executable, os.path.join(SUPPORT, script), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        raise SystemExit("%s did not start" % script)
    return proc, json.loads(line)


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as resp:
        return resp.status, dict(resp.headers), resp.read()


def push_blob(base, repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    _, headers, _ = request("POST", "%s/v2/%s/blobs/uploads/" % (base, repo), b"", {"Content-Length": "0"})
    location = headers["Location"]
    if not location.startswith("http"):
        location = base + location
    sep = "&" if "?" in location else "?"
    request("PUT", location + sep + "digest=" + digest, data, {"Content-Type": "application/octet-stream"})
    return digest, len(data)


def push_image(base, repo, tags, seq):
    """One distinct tiny image (a single-file layer naming `seq`), under `tags`."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        body = ("image %d\n" % seq).encode()
        info = tarfile.TarInfo("id")
        info.size, info.mtime = len(body), 1700000000
        tar.addfile(info, io.BytesIO(body))
    layer = gzip.compress(raw.getvalue(), mtime=0)
    created = "2020-01-01T00:%02d:%02dZ" % ((seq // 60) % 60, seq % 60)
    config = json.dumps({"architecture": "amd64", "os": "linux", "created": created,
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]},
                         "config": {}}).encode()
    layer_digest, layer_size = push_blob(base, repo, layer)
    config_digest, config_size = push_blob(base, repo, config)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer_size}],
    }).encode()
    for tag in tags:
        request("PUT", "%s/v2/%s/manifests/%s" % (base, repo, tag), manifest, {"Content-Type": OCI_MANIFEST})
    return "sha256:" + hashlib.sha256(manifest).hexdigest()


def run_check(binary, source, version=None):
    payload = {"source": source}
    if version:
        payload["version"] = version
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    started = time.monotonic()
    proc = subprocess.run([binary, "check"], input=json.dumps(payload).encode(), capture_output=True, env=env)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit("check failed: %s" % proc.stderr.decode()[-2000:])
    return elapsed, json.loads(proc.stdout)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "registry-image"))
    p.add_argument("--tags", type=int, default=300)
    p.add_argument("--latency-ms", type=int, default=20)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    if not os.access(a.bin, os.X_OK):
        raise SystemExit("%s missing: swift build -c release --product registry-image" % a.bin)

    registry, reg = launch("launch_registry.py")
    proxy = None
    try:
        base, repo = reg["baseURL"], "bench/semver"
        versions = ["%d.%d.%d" % (1 + i // 100, (i // 10) % 10, i % 10) for i in range(a.tags)]
        started = time.monotonic()

        def push(seq):
            tags = [versions[seq]] + (["latest"] if seq == len(versions) - 1 else [])
            return versions[seq], push_image(base, repo, tags, seq)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            digests = dict(pool.map(push, range(len(versions))))
        print("pushed %d images in %.1f s" % (len(versions), time.monotonic() - started), file=sys.stderr)

        proxy, info = launch("fault_proxy.py", "--upstream", base, "--config", json.dumps({"latencyMs": a.latency_ms}))
        control = info["baseURL"]

        def measure(name, source, version=None, check=None):
            best, stats, output = None, None, None
            for _ in range(a.runs):
                request("POST", control + "/__reset", b"")
                elapsed, output = run_check(a.bin, source, version)
                _, _, body = request("GET", control + "/__stats")
                if best is None or elapsed < best:
                    best, stats = elapsed, json.loads(body)
            heads = sum(n for k, n in stats["requests"].items() if k.startswith("HEAD "))
            gets = sum(n for k, n in stats["requests"].items() if k.startswith("GET "))
            if check:
                check(output, stats)
            serial = stats["total"] * a.latency_ms / 1000.0
            print("| %s | %.3f | %d | %d | %d | %.1f |" % (name, best, stats["total"], heads, gets, serial))
            return output

        repository = "%s/%s" % (info["url"], repo)
        print("\n%d semver tags, %d ms added per request, best of %d\n" % (a.tags, a.latency_ms, a.runs))
        print("| check | seconds | requests | HEAD | GET | one-at-a-time floor (s) |")
        print("|---|---|---|---|---|---|")

        def full_list(output, _stats):
            assert [v["tag"] for v in output] == versions, "versions out of order or missing"
        newest = versions[-1]

        def cursor_only(output, stats):
            assert output == [{"tag": newest, "digest": digests[newest]}], output
            below = [k for k in stats["requests"] if k.startswith("HEAD ") and k.split("/manifests/")[-1] in versions[:-1]]
            assert not below, "looked up tags below the cursor: %s" % below[:5]

        measure("semver, no cursor", {"repository": repository}, check=full_list)
        measure("semver, cursor at newest", {"repository": repository},
                {"tag": newest, "digest": digests[newest]}, check=cursor_only)
        subset = "^1\\.[0-9]\\.[0-9]$" if a.tags >= 100 else "."
        measure("tag_regex + created_at_sort (%s)" % subset,
                {"repository": repository, "tag_regex": subset, "created_at_sort": True})
    finally:
        for proc in (proxy, registry):
            if proc:
                proc.stdin.close()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
