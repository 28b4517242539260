# syntax=docker/dockerfile:1
# The registry-image resource: one binary, called by Concourse as
# /opt/resource/check, /opt/resource/in DEST and /opt/resource/out SRC.
#
# Build and runtime use the same Debian release (bookworm) so the C libraries
# the binary was linked against are the ones it finds at run time.
# The runtime tree is assembled by scripts/image-rootfs.sh in both cases: here
# in the `rootfs` stage, and by `make image` (no Docker) from this machine's
# Debian packages, which packs it with GNU tar, gzip -n, umoci and skopeo.

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build -----------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libarchive-dev libcurl4-openssl-dev libssl-dev libisal-dev libzstd-dev libsodium-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing sources does not refetch them.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources Sources
COPY Tests Tests
COPY scripts/build-static.sh scripts/build-static.sh
# Release build with the Swift runtime, FoundationEssentials and libarchive linked
# statically (scripts/build-static.sh, as `make image` builds it): the runtime
# image then needs only the C libraries below. Stripped, as `make image` strips
# it: symbols and debug info are a quarter of its size.
RUN bin="$(bash scripts/build-static.sh | tail -1)" \
 && install -D -m 0755 "$bin" /out/opt/resource/registry-image \
 && strip /out/opt/resource/registry-image \
 && ln -s registry-image /out/opt/resource/check \
 && ln -s registry-image /out/opt/resource/in \
 && ln -s registry-image /out/opt/resource/out

# ---- tests (docker build --target tests .) ----------------------------------
FROM build AS tests
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      docker-registry skopeo umoci isal zstd apache2-utils openssl python3 python3-venv curl time make \
 && rm -rf /var/lib/apt/lists/*
COPY Makefile ./
COPY scripts scripts
COPY Benchmarks Benchmarks
RUN make test

# ---- runtime tree -----------------------------------------------------------
# The same tree `make image` ships: scripts/image-rootfs.sh copies the binary,
# exactly the shared libraries `ldd` names (each checked to come from the
# packages below), the CA bundle and a minimal /etc out of this stage.
FROM ${RUNTIME_IMAGE} AS rootfs
# The packages of the shared libraries the binary links (beyond bookworm-slim's
# libc, libstdc++, libgcc and zlib), plus CA roots for TLS. Keep in sync with
# Package.swift and scripts/build-static.sh; DockerfileAgreementTests checks it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libcurl4 libssl3 libisal2 libzstd1 libsodium23 liblzma5 libbz2-1.0 liblz4-1 \
 && rm -rf /var/lib/apt/lists/*
COPY Dockerfile /src/Dockerfile
COPY scripts/image-rootfs.sh /src/scripts/image-rootfs.sh
COPY --from=build /out/opt/resource /out/opt/resource
RUN bash /src/scripts/image-rootfs.sh --binary /out/opt/resource/registry-image /rootfs \
 && chroot /rootfs /opt/resource/registry-image --help >/dev/null

# ---- resource image ---------------------------------------------------------
# No shell, no package manager: Concourse execs /opt/resource/{check,in,out}.
# Nothing is written next to the binary: results go to the directory Concourse
# passes, temporary files to $TMPDIR. Any uid can run it.
FROM scratch AS resource
COPY --from=rootfs /rootfs /
ENV PATH=/opt/resource:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
