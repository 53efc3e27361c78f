# The two set-up commands of oxptx (see README.md). Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: demo test build deps bench clean

demo: build
	$(BUILD)/bin/ptx2ox -v --check examples/vector_add.ptx
	$(BUILD)/bin/ptx2ox --emit=ptx examples/vector_add.ptx

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

deps:
	scripts/install-deps.sh

bench: build
	bench/parse_bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
