# The two set-up commands of oxptx (see README.md). Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

.PHONY: demo test build deps bench clean fuzz-build fuzz-smoke

demo: build
	@# An ordinary CUDA program, built by nvcc and run unmodified on the simulated OxCore through
	@# oxptx's libcuda.so.1: its own output and CPU check, then the per-kernel profile.
	/usr/local/cuda/bin/nvcc -o $(BUILD)/demo examples/cuda/demo.cu
	$(BUILD)/bin/oxrun --config mid --profile=$(BUILD)/demo-trace.json -- $(BUILD)/demo
	@# The same PTX path offline: ptx2ox's resource report for a kernel.
	$(BUILD)/bin/ptx2ox -O2 -v --emit=image -o $(BUILD)/vector_add.oximg examples/vector_add.ptx

test: build fuzz-build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) fuzz-smoke

# A short libFuzzer session seeded with the corpus (long runs: FUZZ_SECONDS=3600 make fuzz-smoke).
fuzz-build: deps
	CXX=clang++-19 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DOXPTX_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target ptx_parser_fuzzer

fuzz-smoke: fuzz-build
	rm -rf $(FUZZ_BUILD)/corpus && mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/bin/ptx_parser_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	  -rss_limit_mb=4096 -print_final_stats=1 $(FUZZ_BUILD)/corpus \
	  tests/ptx_corpus/handwritten tests/ptx_corpus/negative tests/ptx_corpus/nvcc/sm_80

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

deps:
	scripts/install-deps.sh

bench: build
	bench/parse_bench.sh $(BUILD)
	bench/translate_bench.sh $(BUILD)
	bench/sim_bench.sh $(BUILD)
	$(BUILD)/bin/backend_bench
	$(BUILD)/bin/shim_bench

clean:
	rm -rf $(BUILD)
