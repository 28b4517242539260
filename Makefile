# Entry points for developers and CI. Swift lives in /opt/swift on these machines.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

DEBIAN_PACKAGES := libarchive-dev libcurl4-openssl-dev libssl-dev libisal-dev libzstd-dev \
	docker-registry skopeo umoci isal zstd apache2-utils openssl python3 curl time

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
