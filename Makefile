# viral — two commands on a fresh Debian 12 machine with Swift:
#   make demo   runs the main job on its built-in default
#   make test   runs the test suite (release mode: numeric code is 10–100× slower in debug)
# make builtin-models rewrites the demo's shipped models in builtin-models/ (about an hour).

SYSTEM_PACKAGES = libopenblas-dev libpng-dev libjpeg62-turbo-dev
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test build deps builtin-models

deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y $(SYSTEM_PACKAGES))

build: deps
	swift build -c release

demo: build
	.build/release/viral demo --models builtin-models

builtin-models: build
	.build/release/viral demo prepare-models --output builtin-models

test: deps
	swift build -c release -Xswiftc -enable-testing
	swift test -c release -Xswiftc -enable-testing --disable-swift-testing
