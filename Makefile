# The two set-up commands of oxptx (see README.md). Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

.PHONY: demo test build deps bench clean fuzz-build fuzz-smoke

demo: build
	$(BUILD)/bin/ptx2ox -v --check examples/vector_add.ptx
	@# nvcc's PTX through the OxCore backend: per-warp RISC-V code with RVV and Xox, its
	@# resource report, then a host program that launches it on the simulated "mid" machine
	@# through the runtime and checks the result against the CPU.
	$(BUILD)/bin/ptx2ox -O2 -v --emit=image -o $(BUILD)/vector_add.oximg examples/vector_add.ptx
	$(BUILD)/bin/vector_add_demo examples/vector_add.ptx
	@# The generated-code benchmark: 10 kernels, full backend vs the generic SIMT baseline.
	$(BUILD)/bin/backend_bench

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

clean:
	rm -rf $(BUILD)
