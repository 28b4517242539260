#!/usr/bin/env bash
# Assembles the runtime file tree of the resource image into a directory,
# without Docker. The Dockerfile's `rootfs` stage runs this same script (in
# debian:bookworm-slim with the runtime packages installed), so `docker build`
# and `make image` ship the same tree:
#
#   OUT/opt/resource/registry-image        the binary
#   OUT/opt/resource/{check,in,out}        links to it (argv[0] dispatch)
#   OUT/usr/lib/…                          exactly the shared libraries `ldd` names
#                                          (and the dynamic loader), each checked to
#                                          come from a package the Dockerfile
#                                          installs (or bookworm-slim's C runtime)
#   OUT/etc/ssl/certs/ca-certificates.crt  the CA bundle (system trust for TLS)
#   OUT/etc/{passwd,group,hosts,nsswitch.conf}, OUT/tmp
#
# Nothing else: no shell, no package manager, no docs — Concourse execs
# /opt/resource/* directly. Run the entry points inside it as root with
#   unshare --mount --pid --fork --mount-proc=OUT/proc chroot OUT /opt/resource/check
# — only the tree's libraries are visible then. (/proc is needed as in any
# container: the Swift runtime reads argv, hence argv[0], from /proc/self/cmdline.)
#
# Usage: image-rootfs.sh [--binary PATH] [--manifest FILE] OUT
#   --binary         default: .build/release/registry-image (scripts/build-static.sh)
#   --manifest FILE  write the contents list (library, package, version) there
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BINARY="$ROOT/.build/release/registry-image"
MANIFEST=""
while [ $# -gt 1 ]; do
    case "$1" in
        --binary) BINARY="$2"; shift 2 ;;
        --manifest) MANIFEST="$2"; shift 2 ;;
        *) echo "image-rootfs: unknown option $1" >&2; exit 2 ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--binary PATH] [--manifest FILE] OUT" >&2; exit 2; }
OUT="$1"
[ -x "$BINARY" ] || { echo "image-rootfs: $BINARY is not built" >&2; exit 1; }

# What the Dockerfile's runtime stage installs (keep in sync with it).
RUNTIME_PACKAGES=$(sed -n '/^FROM .* AS rootfs/,/^FROM /p' "$ROOT/Dockerfile" \
    | sed -n '/apt-get install/,/rm -rf/p' | tr ' \\&' '\n' | grep -E '^(ca-certificates|lib[a-z0-9.+-]+)$' | sort -u)
# What debian:bookworm-slim already holds that a C/C++ program needs.
BASE_PACKAGES="libc6 libgcc-s1 libstdc++6 zlib1g"

# Dependency closure (Depends/PreDepends) over what is installed here.
closure() {
    local -A seen=()
    local queue=("$@") pkg dep
    while [ ${#queue[@]} -gt 0 ]; do
        pkg="${queue[0]}"; queue=("${queue[@]:1}")
        pkg="${pkg%%:*}"
        [ -n "${seen[$pkg]:-}" ] && continue
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || continue
        seen[$pkg]=1
        for dep in $(dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$pkg" \
                | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/^ +//; s/ +$//' | grep -v '^$'); do
            queue+=("$dep")
        done
    done
    printf '%s\n' "${!seen[@]}" | sort
}

PACKAGES=$(closure $RUNTIME_PACKAGES $BASE_PACKAGES)
for pkg in $RUNTIME_PACKAGES; do
    grep -qx "$pkg" <<<"$PACKAGES" || { echo "image-rootfs: runtime package $pkg is not installed here" >&2; exit 1; }
done

# Every library the binary links must come from those packages; those
# libraries (and the loader) are all the tree gets.
LIBS=()
LIST=()
mapfile -t LINKED < <(ldd "$BINARY" | awk '/=>/ { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | grep -v '^$')
[ ${#LINKED[@]} -gt 0 ] || { echo "image-rootfs: ldd lists no libraries for $BINARY" >&2; exit 1; }
# One dpkg -S for all of them (it reads every package's file list per call):
# each library as named and as resolved, since Debian ships some under /lib.
declare -A OWNER=()
while IFS= read -r line; do
    OWNER["${line#*: }"]="${line%%:*}"
done < <(for lib in "${LINKED[@]}"; do printf '%s\n%s\n' "$lib" "$(readlink -f "$lib")"; done \
    | sort -u | xargs dpkg -S 2>/dev/null | grep -v '^diversion' || true)
for lib in "${LINKED[@]}"; do
    owner="${OWNER[$lib]:-${OWNER[$(readlink -f "$lib")]:-}}"
    if [ -z "$owner" ]; then
        echo "image-rootfs: $BINARY links $lib, which no Debian package provides" >&2
        exit 1
    fi
    grep -qx "$owner" <<<"$PACKAGES" || {
        echo "image-rootfs: $BINARY links $lib from $owner, which the Dockerfile does not install" >&2
        exit 1
    }
    LIBS+=("$lib")
    LIST+=("$(basename "$lib") $owner $(dpkg-query -W -f='${Version}' "$owner")")
done

# A path with its symlink chain, each link spelled under its real parent
# directory (so /lib/x86_64-linux-gnu/libz.so.1 lands in usr/lib/… beside the
# merged-/usr links, and /lib64/ld-linux-x86-64.so.2 keeps its link).
chain() {
    local path="$1" dir
    while :; do
        dir="$(readlink -f "$(dirname "$path")")"
        path="$dir/$(basename "$path")"
        printf '%s\n' "${path#/}"
        [ -L "$path" ] || break
        case "$(readlink "$path")" in
            /*) path="$(readlink "$path")" ;;
            *) path="$dir/$(readlink "$path")" ;;
        esac
    done
}

umask 022
rm -rf "$OUT"
mkdir -p "$OUT"
# Debian's merged /usr: /lib, /lib64, /bin, /sbin are links into /usr.
for dir in lib lib64 bin sbin; do
    if [ -L "/$dir" ]; then
        mkdir -p "$OUT/usr/$dir"
        ln -s "$(readlink "/$dir")" "$OUT/$dir"
    fi
done
for lib in "${LIBS[@]}"; do
    chain "$lib"
    # The ELF interpreter is asked for by its absolute path (/lib64/…).
    if [[ "$lib" == /lib64/* ]]; then printf '%s\n' "${lib#/}"; fi
done | sort -u | while read -r path; do
    mkdir -p "$OUT/$(dirname "$path")"
    if [ -L "/$path" ] || [ -e "$OUT/$path" ]; then
        [ -e "$OUT/$path" ] || [ -L "$OUT/$path" ] || cp -P "/$path" "$OUT/$path"
    else
        cp -L "/$path" "$OUT/$path"
        if [[ "$path" == *ld-linux* ]]; then chmod 0755 "$OUT/$path"; else chmod 0644 "$OUT/$path"; fi
    fi
done
# The system trust store, as ca-certificates' postinst generates it (it is not
# a file of the package): libcurl's default CA file, and what ca_certs extends.
[ -f /etc/ssl/certs/ca-certificates.crt ] || { echo "image-rootfs: no /etc/ssl/certs/ca-certificates.crt" >&2; exit 1; }
mkdir -p "$OUT/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$OUT/etc/ssl/certs/"
chmod 0644 "$OUT/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$OUT/tmp" "$OUT/etc" "$OUT/opt/resource" "$OUT/proc" "$OUT/dev" "$OUT/sys"
chmod 1777 "$OUT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$OUT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$OUT/etc/group"
printf 'hosts: files dns\n' >"$OUT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$OUT/etc/hosts"

install -m 0755 "$BINARY" "$OUT/opt/resource/registry-image"
for entry in check in out; do ln -s registry-image "$OUT/opt/resource/$entry"; done
chmod 0755 "$OUT/opt/resource"

if [ -n "$MANIFEST" ]; then
    {
        echo "# library package version"
        printf '%s\n' "${LIST[@]}" | sort
        echo "# ca-certificates $(dpkg-query -W -f='${Version}' ca-certificates 2>/dev/null || echo '?'): /etc/ssl/certs/ca-certificates.crt ($(grep -c 'BEGIN CERTIFICATE' "$OUT/etc/ssl/certs/ca-certificates.crt") certificates)"
    } >"$MANIFEST"
fi
echo "image-rootfs: $OUT ($(du -sh "$OUT" | cut -f1); ${#LIBS[@]} libraries from: $(printf '%s\n' "${LIST[@]}" | awk '{print $2}' | sort -u | xargs))"
