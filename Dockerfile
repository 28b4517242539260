# syntax=docker/dockerfile:1
# The registry-image resource: one binary, called by Concourse as
# /opt/resource/check, /opt/resource/in DEST and /opt/resource/out SRC.
#
# Build and runtime use the same Debian release (bookworm) so the C libraries
# the binary was linked against are the ones it finds at run time.
# `make image-rootfs` assembles the same runtime tree without Docker and runs
# the three entry points from it (see scripts/image-rootfs.sh).

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build -----------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libarchive-dev libcurl4-openssl-dev libssl-dev libisal-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing sources does not refetch them.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources Sources
COPY Tests Tests
# Release build with the Swift runtime and Foundation linked statically: the
# runtime image then needs only the C libraries below.
RUN swift build -c release --static-swift-stdlib --product registry-image \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/registry-image" /out/opt/resource/registry-image \
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

# ---- runtime ---------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS resource
# Exactly the shared libraries `ldd registry-image` lists beyond libc/libstdc++
# (see scripts/image-rootfs.sh, which checks the list), plus CA roots for TLS.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libcurl4 libssl3 libarchive13 libisal2 libzstd1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/opt/resource /opt/resource
# Nothing is written next to the binary: results go to the directory Concourse
# passes, temporary files to $TMPDIR. Any uid can run it.
RUN chmod 0755 /opt/resource && /opt/resource/registry-image --help >/dev/null
ENV PATH=/opt/resource:$PATH
