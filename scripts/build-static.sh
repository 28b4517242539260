#!/usr/bin/env bash
# The resource image's binary: a release build with the Swift runtime and
# FoundationEssentials linked statically, and libarchive too. Debian's libarchive13 links
# libxml2 (for the xar format, which we never read), and libxml2 links ICU: 35 MB
# of libraries the image would carry for nothing. Linking libarchive.a pulls in
# only the objects we call (tar read/write and the decompression filters), whose
# own libraries (liblzma, libbz2, liblz4, zlib) are small and already in
# bookworm-slim. Everything else stays a shared library `ldd` names.
# Used by `make static-binary` and by the Dockerfile's build stage.
#
# Usage: build-static.sh            builds; prints the binary's path last
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
archive="$(dpkg -L libarchive-dev 2>/dev/null | grep '/libarchive\.a$' | head -1 || true)"
[ -n "$archive" ] && [ -f "$archive" ] || { echo "build-static: libarchive.a not found (apt-get install libarchive-dev)" >&2; exit 1; }
# A directory that holds only libarchive.a: searched first, it makes `-larchive`
# (Package.swift) resolve to the static archive; every other -l stays shared.
libs="$ROOT/.build/static-libs"
mkdir -p "$libs"
ln -sf "$archive" "$libs/libarchive.a"
flags=(-Xlinker "-L$libs")
# What libarchive's filters need, by soname (no -dev packages required).
for soname in liblzma.so.5 libbz2.so.1.0 liblz4.so.1 libz.so.1; do
    flags+=(-Xlinker "-l:$soname")
done
swift build -c release --static-swift-stdlib --product registry-image "${flags[@]}" >&2
binary="$(swift build -c release --show-bin-path)/registry-image"
if ldd "$binary" | grep -q 'libarchive\.so'; then
    echo "build-static: $binary still links libarchive.so" >&2
    exit 1
fi
# Foundation (as opposed to FoundationEssentials) brings 32 MiB of ICU data
# into the binary, twice the rest of the image; no source file may need it.
if nm "$binary" 2>/dev/null | grep -qE ' icudt[0-9]+_dat$'; then
    echo "build-static: $binary links Foundation's ICU data: a source file imports Foundation (use FoundationEssentials)" >&2
    exit 1
fi
echo "$binary"
