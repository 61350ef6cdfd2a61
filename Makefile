# The two commands of this project:
#   make demo   three local clusters federated end to end (the Calico Enterprise walkthrough)
#   make test   every test
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3

.PHONY: demo test deps controlplane binaries build lint bench release image test-image completions clean-cache

# The demo needs only the control plane: not moto, cfn-lint or krew, which only the tests use.
demo: controlplane
	$(CARGO) build --quiet -p kubectl-federate -p fed-tests
	bash scripts/demo.sh $(DEMO_ARGS)

# Tools the tests run, pinned: the AWS emulator and cfn-lint (PyPI); Graphviz (Debian) renders
# `status -o dot` in the tests.
deps:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	bash scripts/apt-install.sh dot graphviz

# kube-apiserver, kube-controller-manager and etcd from the Go module proxy, cached by version
# under $${XDG_CACHE_HOME:-~/.cache}/kubectl-federate (slow only the first time on a machine),
# and the program over Calico's own selector package that the differential test runs.
controlplane:
	bash tests/gobin/build.sh >/dev/null

binaries: controlplane
	bash tests/gobin/krew.sh >/dev/null
	bash tests/calico-selector/build.sh >/dev/null

build:
	CARGO=$(CARGO) bash scripts/build.sh

# Clippy and rustdoc clean with -D warnings (libfed also denies missing docs), and libfed packages
# as a crate. libfed picks no Kubernetes version feature: its docs build against 1.33.
lint:
	$(CARGO) clippy --quiet --workspace --all-targets -- -D warnings
	K8S_OPENAPI_ENABLED_VERSION=1.33 RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet -p libfed --no-deps
	$(CARGO) package --quiet -p libfed --no-verify --allow-dirty

# One shared three-cluster environment for the whole run; every test binary attaches to it.
test: deps binaries build lint image
	@set -euo pipefail; \
	dir=$$(mktemp -d -t fed-testenv-XXXXXX); \
	trap '$(CARGO) run --quiet -p fed-tests --bin testenv -- down --dir "'"$$dir"'" || true; rm -rf "'"$$dir"'"' EXIT; \
	$(CARGO) run --quiet -p fed-tests --bin testenv -- up --clusters 3 --dir "$$dir" >/dev/null; \
	FEDERATE_TESTENV_DIR="$$dir" $(CARGO) test --workspace --no-fail-fast; \
	$(PYTHON) -m pytest -q tests/python

# Benchmarks print figures; they are not tests.
bench:
	bash bench/mesh.sh
	bash bench/status.sh
	bash bench/startup.sh
	bash bench/selector-vs-calico.sh

# Release archive (LTO, stripped) and the krew manifest, in dist/.
release:
	bash scripts/release.sh

# The controller's OCI image archive, dist/kubectl-federate-image.tar, without a container engine
# (static musl binary, crane from the Go module proxy; see scripts/image.sh).
image:
	bash scripts/image.sh

# The image archive checked: valid OCI layout, entrypoint, non-root user, digest stable.
test-image: image
	$(CARGO) test -p fed-tests --test controller_image

completions:
	bash scripts/gen-completions.sh

clean-cache:
	rm -rf "$${XDG_CACHE_HOME:-$$HOME/.cache}/kubectl-federate"
