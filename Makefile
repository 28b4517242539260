# Entry points for developers and CI. Swift lives in /opt/swift on these machines.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

DEBIAN_PACKAGES := libarchive-dev libcurl4-openssl-dev libssl-dev libisal-dev libzstd-dev \
	docker-registry skopeo umoci isal zstd apache2-utils openssl python3 python3-venv curl time

# moto's server (AWS IAM/STS/ECR emulation with signature checking) and
# botocore (the reference SigV4 signer) for the ECR tests, from PyPI into a
# virtualenv beside the build (Debian's python is externally managed).
TEST_PYTHON := .build/test-python
TEST_PIP_PACKAGES := moto[server]==5.2.5

.PHONY: all deps build build-tests test demo bench clean

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
	@$(TEST_PYTHON)/bin/python3 -c 'import moto.server, botocore' 2>/dev/null || { \
		echo "installing into $(TEST_PYTHON): $(TEST_PIP_PACKAGES)"; \
		/usr/bin/python3 -m venv $(TEST_PYTHON) && \
		$(TEST_PYTHON)/bin/pip install --quiet --disable-pip-version-check '$(TEST_PIP_PACKAGES)'; }

build: deps
	swift build -c release

build-tests: deps
	swift build --build-tests

test: build-tests
	swift test

demo: build
	bash scripts/demo.sh

bench: build
	bash Benchmarks/run.sh

clean:
	swift package clean
	rm -rf .build/bench

# The resource image's runtime tree, assembled without Docker (see
# scripts/image-rootfs.sh); runs the three entry points from it when root.
.PHONY: image-rootfs fuzz
IMAGE_ROOTFS ?= .build/image-rootfs
image-rootfs: deps
	swift build -c release --static-swift-stdlib --product registry-image
	bash scripts/image-rootfs.sh --binary "$$(swift build -c release --show-bin-path)/registry-image" $(IMAGE_ROOTFS)
	@if [ "$$(id -u)" = 0 ]; then \
		out=$$(echo '{"source":{"repository":"x","content_trust":{}}}' | unshare --mount --pid --fork \
			--mount-proc=$(IMAGE_ROOTFS)/proc chroot $(IMAGE_ROOTFS) /opt/resource/check 2>&1); \
		echo "$$out"; grep -q "not supported by this resource" <<<"$$out" \
			&& echo "image-rootfs: /opt/resource/check runs in the tree"; \
	fi

# Longer seeded fuzzing of the layer pipeline than `make test` does
# (RI_FUZZ_SEEDS: comma-separated seeds; RI_FUZZ_COUNT: blobs per seed).
FUZZ_SEEDS ?= 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16
FUZZ_COUNT ?= 500
fuzz: build-tests
	RI_FUZZ_SEEDS=$(FUZZ_SEEDS) RI_FUZZ_COUNT=$(FUZZ_COUNT) swift test --skip-build --filter 'FuzzLayerTests|FaultDecoderFuzzTests'
