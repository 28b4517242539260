#!/usr/bin/env python3
"""Hostile layer blobs for the extraction safety tests (stdlib only).

Usage:
  make_hostile.py corpus OUTDIR OUTSIDE      the hand-made corpus
  make_hostile.py random OUTDIR OUTSIDE SEED COUNT   seeded random tars

OUTSIDE is an absolute directory next to the scratch rootfs that no entry may
touch; absolute-path and symlink attacks aim at it. Writes the blobs into
OUTDIR and prints a JSON list on stdout:
  [{"name": ..., "file": PATH, "declaredSize": N}]
declaredSize is the size a manifest would claim for the blob (smaller than the
file for the size-bounded gzip bomb).
"""
import gzip
import io
import json
import os
import random
import sys
import tarfile

MTIME = 1_600_000_000


def info(name, kind=tarfile.REGTYPE, linkname="", size=0, mode=None):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = linkname
    ti.size = size
    ti.mtime = MTIME
    ti.mode = mode if mode is not None else (0o755 if kind == tarfile.DIRTYPE else 0o644)
    return ti


def tar_of(entries, fmt=tarfile.PAX_FORMAT):
    """entries: (name, kind, linkname-or-data, pax) tuples."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape") as tar:
        for entry in entries:
            name, kind = entry[0], entry[1]
            extra = entry[2] if len(entry) > 2 else ""
            pax = entry[3] if len(entry) > 3 else None
            if kind == "file":
                data = extra.encode() if isinstance(extra, str) else extra
                ti = info(name, tarfile.REGTYPE, size=len(data))
                if pax:
                    ti.pax_headers = dict(pax)
                tar.addfile(ti, io.BytesIO(data))
            else:
                kinds = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "fifo": tarfile.FIFOTYPE, "char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE}
                ti = info(name, kinds[kind], linkname=extra if kind in ("symlink", "hardlink") else "")
                if kind in ("char", "block"):
                    ti.devmajor, ti.devminor = 1, 3
                if pax:
                    ti.pax_headers = dict(pax)
                tar.addfile(ti)
    return buf.getvalue()


def raw_header(name, size=0, typeflag=b"0", linkname=b"", size_field=None, checksum_ok=True):
    """A ustar header built by hand (for fields tarfile refuses to write)."""
    h = bytearray(512)
    h[0:len(name[:100])] = name[:100]
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field if size_field is not None else (b"%011o\0" % size)
    h[136:148] = b"%011o\0" % MTIME
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:157 + len(linkname[:100])] = linkname[:100]
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    total = sum(h)
    if not checksum_ok:
        total += 1
    h[148:156] = b"%06o\0 " % total
    return bytes(h)


def pad(data):
    return data + b"\0" * (-len(data) % 512)


END = b"\0" * 1024


def corpus(outside):
    o = outside.rstrip("/")
    rel_out = "../" + os.path.basename(o)
    cases = {}
    # Path traversal.
    cases["dotdot-file"] = tar_of([(rel_out + "/pwned", "file", "x")])
    cases["dotdot-deep"] = tar_of([("a/b/../../../" + os.path.basename(o) + "/pwned", "file", "x")])
    cases["dotdot-many"] = tar_of([("../" * 40 + o.lstrip("/") + "/pwned", "file", "x")])
    cases["absolute-file"] = tar_of([(o + "/pwned", "file", "x")])
    cases["absolute-dir-then-file"] = tar_of([(o + "/d", "dir"), (o + "/d/pwned", "file", "x")])
    cases["dot-slash-dotdot"] = tar_of([("./.././" + os.path.basename(o) + "/pwned", "file", "x")])
    cases["pax-path-traversal"] = tar_of([("benign", "file", "x", {"path": rel_out + "/pwned"})])
    cases["pax-linkpath-traversal"] = tar_of([("l", "symlink", "t", {"linkpath": o}), ("l/pwned", "file", "x")])
    # Symlinks.
    cases["symlink-absolute-write"] = tar_of([("esc", "symlink", o), ("esc/pwned", "file", "x")])
    cases["symlink-relative-write"] = tar_of([("esc", "symlink", "../../../../../../../" + o.lstrip("/")),
                                            ("esc/pwned", "file", "x")])
    cases["symlink-chain-out"] = tar_of([("a", "symlink", "b"), ("b", "symlink", "c/../.."),
                                       ("c", "dir"), ("a/" + os.path.basename(o) + "/pwned", "file", "x")])
    cases["symlink-loop"] = tar_of([("a", "symlink", "b"), ("b", "symlink", "a"), ("a/x", "file", "x")])
    cases["symlink-self-loop"] = tar_of([("a", "symlink", "a"), ("a/x", "file", "x")])
    cases["symlink-to-root-then-abs"] = tar_of([("r", "symlink", "/"), ("r" + o + "/pwned", "file", "x")])
    cases["dir-replaced-by-symlink"] = tar_of([("d", "dir"), ("d", "symlink", o), ("d/pwned", "file", "x")])
    cases["symlink-then-dir-entry"] = tar_of([("s", "symlink", o), ("s", "dir"), ("s/pwned", "file", "x")])
    cases["symlink-overwrite-target-file"] = tar_of([("s", "symlink", o + "/secret"), ("s", "file", "changed")])
    cases["symlink-dir-then-mkdir-below"] = tar_of([("s", "symlink", o), ("s/newdir", "dir"),
                                                  ("s/newdir/pwned", "file", "x")])
    # Hardlinks.
    cases["hardlink-absolute"] = tar_of([("h", "hardlink", o + "/secret"), ("h", "file", "changed")])
    cases["hardlink-dotdot"] = tar_of([("h", "hardlink", rel_out + "/secret")])
    cases["hardlink-through-symlink"] = tar_of([("s", "symlink", o), ("h", "hardlink", "s/secret")])
    cases["hardlink-chain-out"] = tar_of([("h1", "hardlink", rel_out + "/secret"), ("h2", "hardlink", "h1"),
                                        ("h3", "hardlink", "h2")])
    cases["hardlink-to-missing"] = tar_of([("h", "hardlink", "nowhere")])
    cases["hardlink-to-self"] = tar_of([("h", "hardlink", "h")])
    cases["hardlink-to-dir"] = tar_of([("d", "dir"), ("h", "hardlink", "d")])
    # Whiteouts aimed outside.
    cases["whiteout-dotdot"] = tar_of([("../" + os.path.basename(o) + "/.wh.secret", "file", "")])
    cases["whiteout-through-symlink"] = tar_of([("s", "symlink", o), ("s/.wh.secret", "file", "")])
    cases["opaque-through-symlink"] = tar_of([("s", "symlink", o), ("s/.wh..wh..opq", "file", "")])
    cases["whiteout-absolute"] = tar_of([(o + "/.wh.secret", "file", "")])
    # Huge or broken headers.
    cases["huge-pax-path"] = tar_of([("x", "file", "x", {"path": "p" * (1 << 20)})])
    cases["huge-gnu-longname"] = tar_of([("n" * 70000, "file", "x")], fmt=tarfile.GNU_FORMAT)
    cases["huge-size-claim"] = raw_header(b"big", size_field=b"77777777777\0") + b"A" * 4096
    cases["base256-size-claim"] = raw_header(b"big256", size_field=b"\x80" + b"\0" * 3 + b"\x7f" + b"\xff" * 7) + b"A" * 1024
    cases["garbage-size-field"] = raw_header(b"bad", size_field=b"zz-not-octal") + b"A" * 512 + END
    cases["bad-checksum"] = raw_header(b"badsum", size=1, checksum_ok=False) + pad(b"x") + END
    cases["truncated-header"] = tar_of([("f", "file", "x")])[:300]
    cases["truncated-body"] = tar_of([("f", "file", "y" * 5000)])[:512 + 2000]
    cases["truncated-pax"] = tar_of([("f", "file", "x", {"path": "q" * 3000})])[:1024]
    cases["garbage-after-end"] = tar_of([("f", "file", "x")]) + os.urandom(0) + bytes(range(256)) * 8
    cases["deep-nesting"] = tar_of([("/".join(["d"] * 1500) + "/f", "file", "x")])
    # Names.
    cases["name-with-newline"] = tar_of([("a\nb", "file", "x"), ("c\r\n../" + os.path.basename(o), "file", "x")])
    cases["pax-name-with-nul"] = tar_of([("x", "file", "x", {"path": "ok\0" + rel_out + "/pwned"})])
    cases["ustar-name-with-nul"] = raw_header(b"ok\0../" + os.path.basename(o).encode() + b"/pwned", size=1) + pad(b"x") + END
    cases["non-utf8-name"] = tar_of([(b"\xff\xfe-name".decode("utf-8", "surrogateescape"), "file", "x")])
    cases["empty-and-dot-names"] = tar_of([(".", "dir"), ("./", "dir"), ("", "file", "x"), ("/", "dir")])
    # Duplicates and type flips.
    cases["duplicate-file"] = tar_of([("f", "file", "one"), ("f", "file", "two")])
    cases["file-dir-file"] = tar_of([("x", "file", "1"), ("x", "dir"), ("x/y", "file", "2"), ("x", "file", "3")])
    cases["devices-and-fifos"] = tar_of([("c", "char"), ("b", "block"), ("p", "fifo"), ("p", "file", "x")])
    # Compression.
    zeros = tar_of([("zero", "file", b"\0" * (64 << 20))])
    bomb = gzip.compress(zeros, 9)
    cases["gzip-bomb-bounded"] = (bomb, len(bomb) // 2)
    noise = gzip.compress(tar_of([("f", "file", random.Random(1).randbytes(100000))]))
    cases["gzip-truncated"] = noise[: len(noise) // 2]
    cases["gzip-garbage-member"] = gzip.compress(tar_of([("f", "file", "x")])) + b"\x1f\x8b\x08\0garbage"
    cases["zstd-magic-garbage"] = b"\x28\xb5\x2f\xfd" + bytes(range(256)) * 4
    return cases


def random_tar(rng, outside):
    """A structurally plausible tar, randomly hostile, sometimes corrupted."""
    base = os.path.basename(outside.rstrip("/"))
    parts = ["a", "b", "..", ".", "c", base, ".wh.a", ".wh..wh..opq", "s", ""]
    targets = [outside, outside + "/secret", "/", "..", "../..", "a", "s", "a/b", "../" + base, "secret"]
    entries = []
    for _ in range(rng.randint(1, 12)):
        name = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.15:
            name = outside + "/" + name
        kind = rng.choice(["file", "file", "dir", "symlink", "hardlink", "fifo"])
        if kind == "file":
            entries.append((name, kind, bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 700)))))
        elif kind in ("symlink", "hardlink"):
            entries.append((name, kind, rng.choice(targets)))
        else:
            entries.append((name, kind))
    try:
        blob = tar_of(entries, fmt=rng.choice([tarfile.PAX_FORMAT, tarfile.GNU_FORMAT]))
    except (ValueError, tarfile.TarError):
        blob = tar_of([("fallback", "file", "x")])
    blob = bytearray(blob)
    roll = rng.random()
    if roll < 0.2 and len(blob) > 10:
        blob = blob[: rng.randint(1, len(blob) - 1)]
    elif roll < 0.4:
        for _ in range(rng.randint(1, 8)):
            blob[rng.randrange(len(blob))] = rng.getrandbits(8)
    if rng.random() < 0.3:
        blob = bytearray(gzip.compress(bytes(blob)))
    return bytes(blob)


def main():
    mode, outdir, outside = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    listing = []
    if mode == "corpus":
        for name, value in corpus(outside).items():
            blob, declared = value if isinstance(value, tuple) else (value, None)
            path = os.path.join(outdir, name + ".blob")
            with open(path, "wb") as f:
                f.write(blob)
            listing.append({"name": name, "file": path, "declaredSize": declared if declared is not None else len(blob)})
    elif mode == "random":
        seed, count = int(sys.argv[4]), int(sys.argv[5])
        rng = random.Random(seed)
        for i in range(count):
            blob = random_tar(rng, outside)
            path = os.path.join(outdir, "random-%d-%04d.blob" % (seed, i))
            with open(path, "wb") as f:
                f.write(blob)
            listing.append({"name": "random-%d-%04d" % (seed, i), "file": path, "declaredSize": len(blob)})
    else:
        sys.exit("unknown mode " + mode)
    json.dump(listing, sys.stdout)


if __name__ == "__main__":
    main()
