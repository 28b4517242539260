#!/usr/bin/env python3
"""More benchmark images as OCI layouts (stdlib + the igzip/gzip CLI), beside
make_big_image.py's (which it reuses for content and layout writing).

Usage: make_extra_images.py OUTDIR [--scale S] [--files N ...]

Writes, for scale 1.0:
  OUTDIR/many     tag "many": 40 small gzip layers, ~96 MiB, ~12k files in all
  OUTDIR/debian   tag "debian": 1 gzip layer shaped like a Debian rootfs
                  (~116 MiB, ~9k entries, nested directories, symlinks, hardlinks)
  OUTDIR/files-N  tag "files": 1 gzip layer of N tiny files (mostly empty, one
                  in eight of 1-100 bytes), 200 per directory; one per --files
                  (default 1000000 × scale). For peak-RSS-against-entries runs.
  OUTDIR/large   tag "large": 8 gzip layers, ~1.5 GiB uncompressed, ~75k
                  entries, shaped like an application image: a base of medium
                  assets, two layers of large binaries (10-200 MB files), a
                  node_modules tree of ~60k small files, a site-packages layer,
                  and layers that override and white out earlier files.
  OUTDIR/extra.json  digests
"""
import argparse
import io
import json
import os
import random
import shutil
import tarfile

from make_big_image import Content, file_sizes, write_layout

MT = 1700000000


def add_dir(tf, name, mode=0o755):
    ti = tarfile.TarInfo(name)
    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, mode, MT
    tf.addfile(ti)


def add_file(tf, name, data, mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.mtime = len(data), mode, MT
    tf.addfile(ti, io.BytesIO(data))


def many_layers(path_of, count, files, total, content, r):
    """`count` layers; each adds its own tree and touches a shared /etc."""
    tars = []
    for i in range(count):
        path = path_of(i)
        with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as tf:
            add_dir(tf, "etc")
            add_file(tf, "etc/layer%02d.conf" % i, content.make(200))
            top = "opt/l%02d" % i
            if i == 0:
                add_dir(tf, "opt")
            add_dir(tf, top)
            for j, size in enumerate(file_sizes(r, max(1, files // count), total // count)):
                if j % 100 == 0:
                    add_dir(tf, "%s/d%02d" % (top, j // 100))
                add_file(tf, "%s/d%02d/f%04d" % (top, j // 100, j), content.make(size))
            if i > 0 and i % 5 == 0:
                wh = tarfile.TarInfo("opt/l%02d/.wh.d00" % (i - 1))
                wh.mtime = MT
                tf.addfile(wh)
        tars.append(path)
    return tars


def debian_like(path, entries, total, content, r):
    """Nested /usr-style tree: a few big files, many small, symlinks, hardlinks."""
    with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for d in ("bin", "etc", "usr", "usr/bin", "usr/lib", "usr/share", "usr/share/doc", "var", "var/lib"):
            add_dir(tf, d)
        sizes = file_sizes(r, entries, total)
        dirs = []
        for i, size in enumerate(sizes):
            if i % 25 == 0:
                base = r.choice(("usr/lib", "usr/share", "usr/share/doc", "etc", "var/lib"))
                d = "%s/p%04d" % (base, i // 25)
                add_dir(tf, d)
                dirs.append(d)
            name = "%s/f%05d" % (dirs[-1], i)
            add_file(tf, name, content.make(size), 0o755 if i % 11 == 0 else 0o644)
            if i % 50 == 7:
                link = tarfile.TarInfo("usr/bin/s%05d" % i)
                link.type, link.linkname, link.mtime = tarfile.SYMTYPE, "../../" + name, MT
                tf.addfile(link)
            if i % 200 == 9:
                hard = tarfile.TarInfo("usr/bin/h%05d" % i)
                hard.type, hard.linkname, hard.mtime = tarfile.LNKTYPE, name, MT
                tf.addfile(hard)


def binary_blob(content, size, r):
    """A large file like a compiled binary: runs of code-like text between
    runs of incompressible bytes (compresses to roughly half)."""
    out = bytearray()
    while len(out) < size:
        out += content.make(min(size - len(out), r.randrange(256 << 10, 4 << 20)))
    return bytes(out)


def large_image(path_of, scale, content, r):
    """The 8 layers of the large-file image; returns their tar paths."""
    mib = 1 << 20
    tars = []

    def layer(index, fill):
        path = path_of(index)
        with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as tf:
            fill(tf)
        tars.append(path)

    def tree(tf, top, count, total, ext):
        add_dir(tf, top)
        for i, size in enumerate(file_sizes(r, count, total)):
            if i % 150 == 0:
                add_dir(tf, "%s/m%04d" % (top, i // 150))
            add_file(tf, "%s/m%04d/f%05d.%s" % (top, i // 150, i, r.choice(ext)), content.make(size))

    def binaries(tf, top, sizes_mib):
        add_dir(tf, top)
        for i, size in enumerate(sizes_mib):
            add_file(tf, "%s/bin%02d" % (top, i), binary_blob(content, max(1, int(size * mib * scale)), r), 0o755)

    # 1: base assets (medium files).
    layer(0, lambda tf: (add_dir(tf, "usr"), tree(tf, "usr/share", max(10, int(6_000 * scale)), int(180 * mib * scale), ("png", "svg", "json", "mo"))))
    # 2 and 3: large binaries, 10-200 MB each (scaled), ~410 and ~330 MB.
    layer(1, lambda tf: (add_dir(tf, "opt"), binaries(tf, "opt/toolchain", [200, 120, 50, 25, 15])))
    layer(2, lambda tf: (add_dir(tf, "opt"), binaries(tf, "opt/runtime", [150, 90, 40, 30, 10, 10])))
    # 4: node_modules, ~60k small files in deep directories.
    def node_modules(tf):
        add_dir(tf, "app")
        add_dir(tf, "app/node_modules")
        count = max(100, int(60_000 * scale))
        for i, size in enumerate(file_sizes(r, count, int(220 * mib * scale))):
            if i % 40 == 0:
                add_dir(tf, "app/node_modules/pkg%05d" % (i // 40))
                add_dir(tf, "app/node_modules/pkg%05d/lib" % (i // 40))
            add_file(tf, "app/node_modules/pkg%05d/lib/m%05d.%s" % (i // 40, i, r.choice(("js", "json", "md", "d.ts"))),
                     content.make(min(size, 512 << 10)))
    layer(3, node_modules)
    # 5: site-packages (medium and small files).
    layer(4, lambda tf: (add_dir(tf, "usr/lib"), tree(tf, "usr/lib/python3", max(10, int(7_000 * scale)), int(160 * mib * scale), ("py", "pyc", "so"))))
    # 6: more assets.
    layer(5, lambda tf: tree(tf, "app/static", max(10, int(2_000 * scale)), int(90 * mib * scale), ("js", "css", "woff2")))
    # 7: overrides: replaces one large binary and some assets, whites out others.
    def overrides(tf):
        add_dir(tf, "opt")
        add_dir(tf, "opt/toolchain")
        add_file(tf, "opt/toolchain/bin01", binary_blob(content, max(1, int(60 * mib * scale)), r), 0o755)
        wh = tarfile.TarInfo("opt/runtime/.wh.bin02")
        wh.mtime = MT
        tf.addfile(wh)
        add_dir(tf, "usr")
        add_dir(tf, "usr/share")
        add_dir(tf, "usr/share/m0000")
        for i in range(0, 150, 3):
            add_file(tf, "usr/share/m0000/f%05d.png" % i, content.make(r.randrange(1000, 60_000)))
        add_dir(tf, "app")
        add_dir(tf, "app/node_modules")
        opq = tarfile.TarInfo("app/node_modules/pkg00001/.wh..wh..opq")
        opq.mtime = MT
        add_dir(tf, "app/node_modules/pkg00001")
        tf.addfile(opq)
    layer(6, overrides)
    # 8: a small config layer.
    def config(tf):
        add_dir(tf, "etc")
        for i in range(40):
            add_file(tf, "etc/app%02d.conf" % i, content.make(r.randrange(100, 4000)))
    layer(7, config)
    return tars


def tiny_files(path, count, r):
    with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.GNU_FORMAT) as tf:
        add_dir(tf, "files")
        for i in range(count):
            if i % 200 == 0:
                add_dir(tf, "files/d%04d" % (i // 200))
            data = bytes(r.randrange(1, 101)) if i % 8 == 0 else b""
            add_file(tf, "files/d%04d/f%07d" % (i // 200, i), data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SIZE", "1")))
    p.add_argument("--files", type=int, action="append")
    p.add_argument("--skip-large", action="store_true", help="leave out the large-file image")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, "tars")
    os.makedirs(tmp, exist_ok=True)
    content = Content(43)
    r = random.Random(11)
    info = {}
    tars = many_layers(lambda i: os.path.join(tmp, "many%02d.tar" % i), 40,
                       max(40, int(12_000 * a.scale)), int(96 * (1 << 20) * a.scale), content, r)
    info["many"] = write_layout(os.path.join(a.out, "many"), "many", tars, "gzip")
    deb = os.path.join(tmp, "debian.tar")
    debian_like(deb, max(25, int(9_000 * a.scale)), int(116 * (1 << 20) * a.scale), content, r)
    info["debian"] = write_layout(os.path.join(a.out, "debian"), "debian", [deb], "gzip")
    if not a.skip_large:
        tars = large_image(lambda i: os.path.join(tmp, "large%d.tar" % i), a.scale, Content(47), random.Random(13))
        info["large"] = write_layout(os.path.join(a.out, "large"), "large", tars, "gzip")
        for t in tars:
            os.remove(t)
    for count in a.files or [max(1000, int(1_000_000 * a.scale))]:
        t = os.path.join(tmp, "files-%d.tar" % count)
        tiny_files(t, count, r)
        info["files-%d" % count] = write_layout(os.path.join(a.out, "files-%d" % count), "files", [t], "gzip")
        os.remove(t)
    shutil.rmtree(tmp)
    with open(os.path.join(a.out, "extra.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps({"out": a.out, "scale": a.scale}))


if __name__ == "__main__":
    main()
