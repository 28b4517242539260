#!/usr/bin/env python3
"""Builds image fixtures for RegistryImageTests with Python's tarfile/json/hashlib
(and skopeo for tool-made archives). Independent of the code under test.

usage: make_images.py OUTDIR   -> writes fixtures and OUTDIR/expected.json
"""
import gzip, hashlib, io, json, os, shutil, subprocess, sys, tarfile

OUT = sys.argv[1]
expected = {}


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer_tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 1700000000
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def gz(data):
    return gzip.compress(data, mtime=0)


def json_bytes(obj):
    return json.dumps(obj, indent=None, separators=(",", ":")).encode()


class Layout:
    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(path, "oci-layout"), "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')

    def blob(self, data, media_type, **extra):
        digest = sha(data)
        with open(os.path.join(self.path, "blobs", "sha256", digest[7:]), "wb") as f:
            f.write(data)
        d = {"mediaType": media_type, "digest": digest, "size": len(data)}
        d.update(extra)
        return d

    def image(self, arch, os_name="linux", variant=None, layers=None, labels=None):
        layers = layers or [layer_tar({"etc/arch": arch.encode()})]
        config = {
            "created": "2024-05-01T12:34:56.123456789Z",
            "architecture": arch, "os": os_name,
            "config": {"Env": ["PATH=/usr/bin", "ARCH=" + arch], "Cmd": ["/bin/sh"],
                       "Entrypoint": ["/entry"], "User": "1000:1000", "WorkingDir": "/work",
                       "Labels": labels or {"org.example.arch": arch}},
            "rootfs": {"type": "layers", "diff_ids": [sha(l) for l in layers]},
            "history": [{"created": "2024-05-01T12:00:00Z", "created_by": "python fixture"}],
        }
        if variant:
            config["variant"] = variant
        # Pretty-printed on purpose: pass-through must keep these exact bytes.
        cfg = self.blob(json.dumps(config, indent=2).encode(), "application/vnd.oci.image.config.v1+json")
        descs = [self.blob(gz(l), "application/vnd.oci.image.layer.v1.tar+gzip") for l in layers]
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cfg, "layers": descs}
        return manifest, json.dumps(manifest, indent=3).encode()

    def index_json(self, manifests):
        with open(os.path.join(self.path, "index.json"), "wb") as f:
            f.write(json_bytes({"schemaVersion": 2, "manifests": manifests}))


# 1. A single image, two layers, tagged v1 (index.json entry without mediaType on the manifest body).
single = Layout(os.path.join(OUT, "layout-single"))
layers = [layer_tar({"etc/hello": b"hello\n"}), layer_tar({"usr/share/doc": b"x" * 70000})]
man, man_bytes = single.image("amd64", layers=layers, labels={"a": "1", "b": "2"})
md = single.blob(man_bytes, "application/vnd.oci.image.manifest.v1+json",
                 annotations={"org.opencontainers.image.ref.name": "v1"})
single.index_json([md])
expected["single"] = {"manifest": md["digest"], "config": man["config"]["digest"],
                      "layers": [l["digest"] for l in man["layers"]],
                      "diff_ids": [sha(l) for l in layers]}

# 2. Multi-platform: index.json -> index blob (as skopeo writes) -> per-platform manifests.
multi = Layout(os.path.join(OUT, "layout-multi"))
platforms = [("amd64", None), ("arm64", "v8"), ("arm", "v7"), ("arm", "v6"), ("s390x", None)]
children = []
expected["multi"] = {}
for arch, variant in platforms:
    m, mb = multi.image(arch, variant=variant)
    plat = {"os": "linux", "architecture": arch}
    if variant:
        plat["variant"] = variant
    d = multi.blob(mb, "application/vnd.oci.image.manifest.v1+json", platform=plat)
    children.append(d)
    expected["multi"][arch + ("/" + variant if variant else "")] = d["digest"]
att, att_bytes = multi.image("unknown", os_name="unknown")
children.append(multi.blob(att_bytes, "application/vnd.oci.image.manifest.v1+json",
                           platform={"os": "unknown", "architecture": "unknown"}))
inner = json_bytes({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": children})
inner_d = multi.blob(inner, "application/vnd.oci.image.index.v1+json")
multi.index_json([inner_d])
expected["multi"]["index"] = inner_d["digest"]

# 3. Two tagged images without platform fields in index.json.
tags = Layout(os.path.join(OUT, "layout-tags"))
ma, mab = tags.image("amd64")
mb_, mbb = tags.image("arm64")
da = tags.blob(mab, "application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": "a"})
db = tags.blob(mbb, "application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": "b"})
tags.index_json([da, db])
expected["tags"] = {"a": da["digest"], "b": db["digest"]}

# 4. A corrupted copy: one layer's bytes changed, same size.
corrupt = os.path.join(OUT, "layout-corrupt")
shutil.copytree(single.path, corrupt)
victim = os.path.join(corrupt, "blobs", "sha256", man["layers"][1]["digest"][7:])
with open(victim, "r+b") as f:
    f.seek(20)
    byte = f.read(1)
    f.seek(20)
    f.write(bytes([byte[0] ^ 0xff]))

# 5. docker save (legacy) style: <id>/layer.tar uncompressed, a symlinked duplicate layer.
config = {"architecture": "amd64", "os": "linux", "created": "2023-02-03T04:05:06Z",
          "config": {"Env": ["A=b"], "Cmd": ["sh"], "Labels": {"x": "y"}},
          "rootfs": {"type": "layers", "diff_ids": [sha(layers[0]), sha(layers[1]), sha(layers[0])]}}
cfg_bytes = json.dumps(config).encode()
cfg_name = hashlib.sha256(cfg_bytes).hexdigest() + ".json"
with tarfile.open(os.path.join(OUT, "docker-save.tar"), "w", format=tarfile.GNU_FORMAT) as tar:
    def add(name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    add(cfg_name, cfg_bytes)
    add("aaaa/layer.tar", layers[0])
    add("bbbb/layer.tar", layers[1])
    link = tarfile.TarInfo("cccc/layer.tar")
    link.type = tarfile.SYMTYPE
    link.linkname = "../aaaa/layer.tar"
    tar.addfile(link)
    add("manifest.json", json_bytes([{"Config": cfg_name, "RepoTags": ["example/app:v1"],
                                      "Layers": ["aaaa/layer.tar", "bbbb/layer.tar", "cccc/layer.tar"]}]))
expected["docker_save"] = {"config": sha(cfg_bytes), "diff_ids": [sha(layers[0]), sha(layers[1])]}

# 6. A plain tarball that is no image.
with tarfile.open(os.path.join(OUT, "not-an-image.tar"), "w") as tar:
    info = tarfile.TarInfo("hello.txt")
    info.size = 2
    tar.addfile(info, io.BytesIO(b"hi"))

# 7. Tool-made archives (skopeo works offline between local transports).
def skopeo(*args):
    subprocess.run(["skopeo", "--insecure-policy", "copy", "-q", *args], check=True,
                   stdout=subprocess.DEVNULL)

skopeo("oci:" + single.path + ":v1", "docker-archive:" + os.path.join(OUT, "skopeo-docker.tar") + ":example/app:v1")
skopeo("oci:" + single.path + ":v1", "oci-archive:" + os.path.join(OUT, "skopeo-oci.tar"))

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
