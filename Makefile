# Entry points for developers and CI. Swift lives in /opt/swift on these machines.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

DEBIAN_PACKAGES := libarchive-dev libcurl4-openssl-dev libssl-dev libisal-dev libzstd-dev libsodium-dev \
	docker-registry skopeo umoci isal zstd apache2-utils openssl python3 python3-venv curl time binutils strace \
	python3-matplotlib

# moto's server (AWS IAM/STS/ECR emulation with signature checking) and
# botocore (the reference SigV4 signer) for the ECR tests; google-auth
# (Google's client library, which cross-checks the Google stand-ins);
# cryptography makes the signature tests' keys, certificates and logs, and
# sigstore (sigstore-python) cross-checks the keyless fixtures. From PyPI
# into a virtualenv beside the build (Debian's python is externally managed).
TEST_PYTHON := .build/test-python
TEST_PIP_PACKAGES := moto[server]==5.2.5 google-auth==2.62.2 cryptography==51.0.1 sigstore==4.5.1

.PHONY: all deps build build-tests test demo bench bench-copy bench-push clean

all: build

# Installs only what is missing (apt-get update once, then one install).
deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v swift >/dev/null || { echo "swift not found (expected /opt/swift/usr/bin)"; exit 1; }
	@$(TEST_PYTHON)/bin/python3 -c 'import moto.server, botocore, google.auth, cryptography, sigstore' 2>/dev/null || { \
		echo "installing into $(TEST_PYTHON): $(TEST_PIP_PACKAGES)"; \
		/usr/bin/python3 -m venv $(TEST_PYTHON) && \
		$(TEST_PYTHON)/bin/pip install --quiet --disable-pip-version-check $(foreach p,$(TEST_PIP_PACKAGES),'$(p)'); }

build: deps
	swift build -c release

build-tests: deps
	swift build --build-tests

# The suite needs the resource image (the in-image tests push it, fetch it
# with `in` and run check/in/out inside it); TEST_IMAGE=0 leaves it out (those
# tests then run only if an image is there). First the imports check
# (scripts/check-imports.py: every import used, each target's dependencies
# exactly its imports), then the fuzz smoke (the
# libFuzzer targets of Fuzz/ replay their kept regression inputs and seeds,
# then run 3 s each), then the suite, whose summary stays the last line.
TEST_IMAGE ?= 1
ifeq ($(TEST_IMAGE),1)
test: build-tests image
	python3 scripts/check-imports.py
	bash scripts/fuzz.sh --smoke
	RI_IMAGE_DIR=$(IMAGE_DIR) swift test
else
test: build-tests
	python3 scripts/check-imports.py
	bash scripts/fuzz.sh --smoke
	swift test
endif

demo: build
	bash scripts/demo.sh

# The benchmarks measure the binary the resource image ships (static Swift
# runtime and libarchive: fewer shared libraries to map, 4-5 MiB less RSS).
bench: static-binary
	bash Benchmarks/run.sh

# copy registry → registry (and within one registry) against skopeo copy.
bench-copy: static-binary
	bash Benchmarks/copy.sh

# push of an OCI layout against skopeo copy oci: → docker://.
bench-push: static-binary
	bash Benchmarks/push.sh

clean:
	swift package clean
	rm -rf .build/bench

# ---- the resource image, without Docker ------------------------------------
# static-binary: release build, Swift runtime, FoundationEssentials and libarchive linked
#   statically (scripts/build-static.sh, which the Dockerfile runs too).
# image-rootfs: its runtime tree (scripts/image-rootfs.sh, the same script the
#   Dockerfile's rootfs stage runs); runs check from it when root.
# image: packs the tree (scripts/image-oci.sh: GNU tar, gzip -n, umoci, skopeo)
#   into $(IMAGE_DIR)/oci (OCI layout) and $(IMAGE_DIR)/registry-image.tar
#   (docker load); reproducible: SOURCE_DATE_EPOCH is the commit's time.
#   `make image PUSH=host[:port]/repo:tag` then pushes it with our own `push`
#   (PUSH_FLAGS: e.g. --insecure, --ca-cert FILE; credentials from
#   REGISTRY_USERNAME / REGISTRY_PASSWORD).
# worker-bundle: $(BUNDLE_DIR)/resource-types/registry-image/{rootfs.tgz,
#   resource_metadata.json}, what a Concourse worker loads built-in types from.
.PHONY: static-binary image-rootfs image worker-bundle fuzz fuzz-seeded bench-field
IMAGE_DIR ?= .build/image
IMAGE_ROOTFS ?= .build/image-rootfs
BUNDLE_DIR ?= .build/worker-bundle
# Outside a git checkout (docker build's tests stage): fixed stand-ins, still reproducible.
VERSION ?= $(or $(shell git describe --tags --always 2>/dev/null),dev)
REVISION ?= $(or $(shell git rev-parse HEAD 2>/dev/null),unknown)
SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct 2>/dev/null),0)
IMAGE_SOURCE ?= $(or $(shell git config --get remote.origin.url 2>/dev/null),unknown)
IMAGE_TAG ?= $(VERSION)
PUSH ?=
PUSH_FLAGS ?=
STATIC_BIN = $$(swift build -c release --show-bin-path)/registry-image

static-binary: deps
	bash scripts/build-static.sh

image-rootfs: static-binary
	@mkdir -p $(IMAGE_DIR)
	strip -o $(IMAGE_DIR)/registry-image.stripped "$(STATIC_BIN)"
	bash scripts/image-rootfs.sh --binary $(IMAGE_DIR)/registry-image.stripped \
		--manifest $(IMAGE_DIR)/contents.txt $(IMAGE_ROOTFS)
	@echo "# linked into the binary: libarchive $$(dpkg-query -W -f='$${Version}' libarchive-dev), $$(swift --version 2>/dev/null | head -1) runtime and FoundationEssentials" \
		>>$(IMAGE_DIR)/contents.txt
	@if [ "$$(id -u)" = 0 ]; then \
		out=$$(echo '{"source":{"repository":"x","content_trust":{}}}' | unshare --mount --pid --fork \
			--mount-proc=$(IMAGE_ROOTFS)/proc chroot $(IMAGE_ROOTFS) /opt/resource/check 2>&1); \
		echo "$$out"; grep -q "not supported by this resource" <<<"$$out" \
			&& echo "image-rootfs: /opt/resource/check runs in the tree"; \
	fi

image: image-rootfs
	bash scripts/image-oci.sh --rootfs $(IMAGE_ROOTFS) --out $(IMAGE_DIR) --tag $(IMAGE_TAG) \
		--version $(VERSION) --revision $(REVISION) --source $(IMAGE_SOURCE) --created $(SOURCE_DATE_EPOCH)
	@if [ -n "$(PUSH)" ]; then \
		echo "pushing $(IMAGE_DIR)/oci to $(PUSH)"; \
		"$(STATIC_BIN)" push $(IMAGE_DIR)/oci $(PUSH) $(PUSH_FLAGS); \
	fi

worker-bundle: image
	rm -rf $(BUNDLE_DIR)
	mkdir -p $(BUNDLE_DIR)/resource-types/registry-image
	cp $(IMAGE_DIR)/layer.tar.gz $(BUNDLE_DIR)/resource-types/registry-image/rootfs.tgz
	printf '{"type":"registry-image","version":"%s","privileged":false,"unique_version_history":false}\n' \
		"$(VERSION)" >$(BUNDLE_DIR)/resource-types/registry-image/resource_metadata.json
	@echo "worker-bundle: $(BUNDLE_DIR)/resource-types/registry-image (copy it to the worker's resource-types directory)"

# Coverage-guided fuzzing (libFuzzer + ASan, Fuzz/): every target for
# FUZZ_SECONDS each; report in .build/fuzz/report.txt (see scripts/fuzz.sh).
FUZZ_SECONDS ?= 120
fuzz: deps
	bash scripts/fuzz.sh --seconds $(FUZZ_SECONDS)

# Longer seeded fuzzing of the layer pipeline than `make test` does
# (RI_FUZZ_SEEDS: comma-separated seeds; RI_FUZZ_COUNT: blobs per seed).
FUZZ_SEEDS ?= 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16
FUZZ_COUNT ?= 500
fuzz-seeded: build-tests
	RI_FUZZ_SEEDS=$(FUZZ_SEEDS) RI_FUZZ_COUNT=$(FUZZ_COUNT) swift test --skip-build --filter 'FuzzLayerTests|FaultDecoderFuzzTests'

# Peak RSS of `in` for 200 layers and one 2 GiB layer (RSS_GIB), on tmpfs.
bench-field: static-binary
	bash Benchmarks/field_rss.sh
