#!/usr/bin/env python3
"""Prints a JSON map of every path under ROOT (relative, "." for ROOT itself)
to its lstat attributes: type, mode, size, sha256 (files), target (symlinks),
mtime (ns), uid, gid.  usage: tree_listing.py ROOT"""
import hashlib
import json
import os
import stat
import sys


def describe(path):
    info = os.lstat(path)
    kind = ("dir" if stat.S_ISDIR(info.st_mode) else "file" if stat.S_ISREG(info.st_mode)
            else "symlink" if stat.S_ISLNK(info.st_mode) else "fifo" if stat.S_ISFIFO(info.st_mode)
            else "other")
    result = {"type": kind, "mode": stat.S_IMODE(info.st_mode), "mtime": info.st_mtime_ns,
              "uid": info.st_uid, "gid": info.st_gid}
    if kind == "file":
        result["size"] = info.st_size
        with open(path, "rb") as data:
            result["sha256"] = hashlib.sha256(data.read()).hexdigest()
    if kind == "symlink":
        result["target"] = os.readlink(path)
    return result


def main():
    root = sys.argv[1]
    listing = {".": describe(root)}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(directory, name)
            listing[os.path.relpath(full, root)] = describe(full)
    json.dump(listing, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
