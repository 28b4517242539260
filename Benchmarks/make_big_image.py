#!/usr/bin/env python3
"""Deterministic benchmark images as OCI layouts (stdlib; compression through the
`igzip`/`gzip` and `zstd` CLIs for speed).

Usage: make_big_image.py OUTDIR [--scale S]

Writes, for scale 1.0:
  OUTDIR/gzip    tag "big": 8 layers, ~1 GiB uncompressed, ~100k files, tar+gzip
  OUTDIR/zstd    tag "big": the same tars, tar+zstd (same diff_ids)
  OUTDIR/single  tag "one": 1 layer, ~100 MB gzip (~150 MB tar), ~20k files
  OUTDIR/info.json  digests and sizes
Scale multiplies sizes and file counts (BENCH_SIZE=0.05 for a quick run).
Content: half text-like (compressible) and half pseudo-random bytes, as in real
images; a later layer overwrites and whites out some files of earlier ones.
"""
import argparse
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import tarfile

MT = {"manifest": "application/vnd.oci.image.manifest.v1+json",
      "config": "application/vnd.oci.image.config.v1+json",
      "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
      "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}
WORDS = ("lib usr share bin include config data value error return static const void int "
         "struct function module import export package version license copyright the and for "
         "with from this that object string number array buffer stream socket thread").split()


class Content:
    """Slices of two fixed pools: fast, deterministic, realistic compressibility."""

    def __init__(self, seed):
        r = random.Random(seed)
        self.random = r.randbytes(16 << 20)
        words = []
        size = 0
        while size < (4 << 20):
            w = r.choice(WORDS)
            words.append(w)
            size += len(w) + 1
            if r.random() < 0.08:
                words.append("\n")
        self.text = " ".join(words).encode()
        self.r = r

    def make(self, size):
        pool = self.text if self.r.random() < 0.5 else self.random
        out = bytearray()
        while len(out) < size:
            n = min(size - len(out), len(pool) - 1)
            start = self.r.randrange(0, len(pool) - n)
            out += pool[start:start + n]
        return bytes(out)


def file_sizes(r, count, total):
    # Mostly small files with a long tail, scaled to hit the total.
    raw = [r.lognormvariate(8.0, 1.6) for _ in range(count)]
    factor = total / sum(raw)
    return [max(0, int(x * factor)) for x in raw]


def write_layer_tar(path, index, files, total, content, r, overwrite_from=None):
    with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as tf:
        def add_dir(name):
            ti = tarfile.TarInfo(name)
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 1700000000
            tf.addfile(ti)
        top = "layer%d" % index
        add_dir(top)
        per_dir = 200
        sizes = file_sizes(r, files, total)
        for i, size in enumerate(sizes):
            d = "%s/d%03d" % (top, i // per_dir)
            if i % per_dir == 0:
                add_dir(d)
            ti = tarfile.TarInfo("%s/f%05d.%s" % (d, i, r.choice(("so", "py", "txt", "bin", "h"))))
            ti.size, ti.mode, ti.mtime = size, (0o755 if i % 17 == 0 else 0o644), 1700000000
            tf.addfile(ti, io.BytesIO(content.make(size)))
            if i % 97 == 0:
                link = tarfile.TarInfo("%s/l%05d" % (d, i))
                link.type, link.linkname, link.mtime = tarfile.SYMTYPE, os.path.basename(ti.name), 1700000000
                tf.addfile(link)
        if overwrite_from is not None:
            # Replace a few files of layer 0 and delete one of its directories.
            for i in range(0, 50):
                ti = tarfile.TarInfo("layer%d/d000/f%05d.new" % (overwrite_from, i))
                data = content.make(1000)
                ti.size, ti.mode, ti.mtime = len(data), 0o644, 1700000000
                tf.addfile(ti, io.BytesIO(data))
            wh = tarfile.TarInfo("layer%d/.wh.d001" % overwrite_from)
            wh.mtime = 1700000000
            tf.addfile(wh, io.BytesIO(b""))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return "sha256:" + h.hexdigest(), os.path.getsize(path)
            h.update(b)


def compress(tar_path, out_path, how):
    if how == "gzip":
        tool = ["igzip", "-c", "-3"] if shutil.which("igzip") else ["gzip", "-c", "-6"]
    else:
        tool = ["zstd", "-q", "-c", "-3", "-T0"]
    with open(tar_path, "rb") as i, open(out_path, "wb") as o:
        subprocess.run(tool, stdin=i, stdout=o, check=True)


def write_layout(out, tag, tars, how):
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    layers, diff_ids = [], []
    for tar in tars:
        tmp = os.path.join(out, "tmp.blob")
        compress(tar, tmp, how)
        digest, size = sha256_file(tmp)
        os.replace(tmp, os.path.join(blobs, digest[7:]))
        layers.append({"mediaType": MT[how], "digest": digest, "size": size})
        diff_ids.append(sha256_file(tar)[0])

    def put(obj):
        data = json.dumps(obj, separators=(",", ":")).encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest[7:]), "wb") as f:
            f.write(data)
        return digest, len(data)

    cfg = {"created": "2024-01-01T00:00:00Z", "architecture": "amd64", "os": "linux",
           "config": {"Env": ["PATH=/usr/bin:/bin"]},
           "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    cd, cs = put(cfg)
    md, ms = put({"schemaVersion": 2, "mediaType": MT["manifest"],
                  "config": {"mediaType": MT["config"], "digest": cd, "size": cs}, "layers": layers})
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [
            {"mediaType": MT["manifest"], "digest": md, "size": ms,
             "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)
    return {"manifestDigest": md, "layers": layers, "diffIDs": diff_ids}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SIZE", "1")))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tars_dir = os.path.join(a.out, "tars")
    os.makedirs(tars_dir, exist_ok=True)
    content = Content(42)
    r = random.Random(7)
    total, files, nlayers = int((1 << 30) * a.scale), max(8, int(100_000 * a.scale)), 8
    # Uneven layers like real images: one big base, several medium, small tops.
    weights = [0.35, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.02]
    tars = []
    for i in range(nlayers):
        path = os.path.join(tars_dir, "layer%d.tar" % i)
        write_layer_tar(path, i, max(1, int(files * weights[i])), int(total * weights[i]), content, r,
                        overwrite_from=0 if i == nlayers - 1 else None)
        tars.append(path)
    info = {"scale": a.scale,
            "gzip": write_layout(os.path.join(a.out, "gzip"), "big", tars, "gzip"),
            "zstd": write_layout(os.path.join(a.out, "zstd"), "big", tars, "zstd")}
    single = os.path.join(tars_dir, "single.tar")
    write_layer_tar(single, 99, max(1, int(20_000 * a.scale)), int(155_000_000 * a.scale), content, r)
    info["single"] = write_layout(os.path.join(a.out, "single"), "one", [single], "gzip")
    shutil.rmtree(tars_dir)  # run.sh decompresses what it needs
    with open(os.path.join(a.out, "info.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps({"out": a.out, "scale": a.scale}))


if __name__ == "__main__":
    main()
