# The two set-up commands of oxptx (see README.md). Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

.PHONY: demo test build deps bench clean fuzz-build fuzz-smoke

demo: build
	$(BUILD)/bin/ptx2ox -v --check examples/vector_add.ptx
	$(BUILD)/bin/ptx2ox --emit=ptx examples/vector_add.ptx
	@# The simulated OxCore: a hand-written saxpy kernel over 4 CTAs of 256 threads on the "mid"
	@# machine; y[0..7] afterwards (1000 + i with a = 2) and the launch's counters and timing.
	clang-19 --target=riscv64-unknown-elf -march=rv64imafdv_zba_zbb_zfh_zvl1024b -mabi=lp64d \
	  -O2 -nostdlib -static -ffreestanding -fuse-ld=lld -Wl,-e,0 -I tests/sim/kernels \
	  examples/kernels/saxpy.c -o $(BUILD)/saxpy.elf
	$(BUILD)/bin/oxsim --config mid --kernel saxpy --grid 4 --block 256 --param u32:0x40000000 \
	  --dump y:f32:8 --counters $(BUILD)/saxpy-counters.json $(BUILD)/saxpy.elf
	@grep -A3 '"timing"' $(BUILD)/saxpy-counters.json

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
