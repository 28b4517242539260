#!/usr/bin/env python3
"""Writes layer tarballs described by JSON on stdin, with Python's tarfile.

{"layers": [{"out": PATH, "format": "pax"|"gnu"|"ustar", "truncate": BYTES?,
             "trailing": BYTES?, "entries": [ENTRY, ...]}]}
ENTRY: {"name": str | "name_hex": hex bytes, "type": "file"|"dir"|"symlink"|
        "hardlink"|"fifo"|"char"|"block", "data": str?, "random_size": int?,
        "mode": int?, "mtime": number?, "uid": int?, "gid": int?,
        "linkname": str?, "pax": {key: value}?}
"truncate" cuts the finished tar to that many bytes; "trailing" appends zero
bytes after the end marker (as compressed blobs often carry).
"""
import io
import json
import random
import sys
import tarfile

FORMATS = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}
TYPES = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
         "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "char": tarfile.CHRTYPE,
         "block": tarfile.BLKTYPE}


def entry_name(entry):
    if "name_hex" in entry:
        return bytes.fromhex(entry["name_hex"]).decode("utf-8", "surrogateescape")
    return entry["name"]


def write_layer(layer):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=FORMATS[layer.get("format", "pax")],
                      encoding="utf-8", errors="surrogateescape") as tar:
        for entry in layer["entries"]:
            kind = entry.get("type", "file")
            info = tarfile.TarInfo(entry_name(entry))
            info.type = TYPES[kind]
            info.mode = entry.get("mode", 0o755 if kind == "dir" else 0o644)
            info.mtime = entry.get("mtime", 1_600_000_000)
            info.uid = entry.get("uid", 0)
            info.gid = entry.get("gid", 0)
            info.linkname = entry.get("linkname", "")
            if kind in ("char", "block"):
                info.devmajor, info.devminor = 1, 3
            if "pax" in entry:
                info.pax_headers = dict(entry["pax"])
            data = None
            if kind == "file":
                if "random_size" in entry:
                    data = random.Random(entry.get("seed", 1)).randbytes(entry["random_size"])
                else:
                    data = entry.get("data", "").encode()
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    blob = buffer.getvalue()
    if "truncate" in layer:
        blob = blob[: layer["truncate"]]
    blob += b"\0" * layer.get("trailing", 0)
    with open(layer["out"], "wb") as out:
        out.write(blob)


def main():
    spec = json.load(sys.stdin)
    for layer in spec["layers"]:
        write_layer(layer)


if __name__ == "__main__":
    main()
