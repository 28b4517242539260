#!/usr/bin/env python3
"""OCI layouts for the peak-RSS checks (stdlib only, independent of the code
under test).

usage: make_rss_images.py OUT many LAYERS      LAYERS gzip layers of 64 KiB each (tag "many")
       make_rss_images.py OUT huge GIB         one gzip layer holding one GIB-GiB file (tag "huge")
       make_rss_images.py OUT files N          one gzip layer of N tiny files, 200 per directory, and
                                               no directory entries: parents are made implicitly (tag "files")
       make_rss_images.py OUT files-dirs N     the same with a directory entry before each directory's files
"""
import gzip
import hashlib
import json
import os
import random
import sys
import tarfile

OUT, KIND, COUNT = sys.argv[1], sys.argv[2], float(sys.argv[3])
BLOBS = os.path.join(OUT, "blobs", "sha256")
os.makedirs(BLOBS, exist_ok=True)


def put_blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(BLOBS, digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


class Stream:
    """Cycles through a random MiB (gzip cannot shrink it: its window is
    32 KiB), so the layer is as big compressed as uncompressed."""
    def __init__(self, size):
        self.left = size
        self.position = 0
        block = random.Random(7).randbytes(1 << 20)
        self.size = len(block)
        self.twice = memoryview(block + block)

    def read(self, n=-1):
        n = min(self.left if n < 0 else n, self.left, self.size)
        out = self.twice[self.position:self.position + n]
        self.position = (self.position + n) % self.size
        self.left -= n
        return out


def gzip_layer_to_file(members, path):
    """members: [(name, size, reader)], size None for a directory; writes a gzip tar to path, returns descriptor fields."""
    sha = hashlib.sha256()
    size = 0

    class Sink:
        def write(self, b):
            nonlocal size
            sha.update(b)
            size += len(b)
            out.write(b)
            return len(b)

        def flush(self):
            pass

    with open(path, "wb") as out:
        with gzip.GzipFile(fileobj=Sink(), mode="wb", compresslevel=1, mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                for name, length, reader in members:
                    info = tarfile.TarInfo(name)
                    info.mtime = 1700000000
                    if length is None:  # a directory entry
                        info.type, info.mode = tarfile.DIRTYPE, 0o755
                    else:
                        info.size = length
                    tar.addfile(info, reader)
    final = os.path.join(BLOBS, sha.hexdigest())
    os.rename(path, final)
    return {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + sha.hexdigest(),
            "size": size}


layers = []
if KIND == "many":
    rng = random.Random(1)
    for i in range(int(COUNT)):
        data = rng.randbytes(64 << 10)
        import io
        layers.append(gzip_layer_to_file([("layer%03d/data" % i, len(data), io.BytesIO(data))],
                                         os.path.join(OUT, "tmp-layer")))
    tag = "many"
elif KIND in ("files", "files-dirs"):
    import io
    rng = random.Random(3)

    def members():
        for i in range(int(COUNT)):
            directory = "files/d%04d" % (i // 200)
            if KIND == "files-dirs" and i % 200 == 0:
                yield directory, None, None
            size = rng.randrange(1, 101) if i % 8 == 0 else 0
            yield "%s/f%07d" % (directory, i), size, io.BytesIO(bytes(size))
    layers.append(gzip_layer_to_file(members(), os.path.join(OUT, "tmp-layer")))
    tag = KIND
else:
    length = int(COUNT * (1 << 30))
    layers.append(gzip_layer_to_file([("big/file", length, Stream(length))], os.path.join(OUT, "tmp-layer")))
    tag = "huge"

config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": []}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **put_blob(config)),
                       "layers": layers}).encode()
entry = dict(mediaType="application/vnd.oci.image.manifest.v1+json", **put_blob(manifest))
entry["annotations"] = {"org.opencontainers.image.ref.name": tag}
with open(os.path.join(OUT, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [entry]}, f)
with open(os.path.join(OUT, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
print(json.dumps({"tag": tag, "layers": len(layers), "bytes": sum(l["size"] for l in layers)}))
