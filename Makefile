# w2v - word2vec trainer.  `make` builds ./w2v; `make test` runs every test.
#
# The tree has three parts, each built from its own folder:
#   src/lib/       the library (corpus, vocabulary, samplers, model, training,
#                  objectives, evaluation, vector files): never prints or exits
#   src/kernels/   the numeric kernel: dispatch, scalar reference, ISA bodies
#   src/programs/  the w2v program: flags, commands, messages, output files
# The first two form $(BUILD)/libw2v.a (public headers in include/); the
# program and the unit tests link against it.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
BIN     ?= w2v
# The target architecture picks the kernel bodies; set it for a cross build
# (make CC=aarch64-linux-gnu-gcc ARCH=aarch64).
ARCH    ?= $(shell uname -m)

W2V_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
              -D_GNU_SOURCE -Iinclude -pthread -MMD -MP
W2V_LDLIBS := -pthread -lm

ifeq ($(NATIVE),1)
W2V_CFLAGS += -march=native
endif

# Per-ISA kernel bodies: each file gets its own -m flags; the others are
# compiled for the baseline ISA and choose a body at run time.
ISA_SRC_x86_64  := src/kernels/kernel_avx2.c src/kernels/kernel_avx512.c
ISA_SRC_aarch64 := src/kernels/kernel_neon.c
FLAGS_src/kernels/kernel_avx2.c   := -mavx2 -mfma
FLAGS_src/kernels/kernel_avx512.c := -mavx512f -mavx512dq -mavx512vl \
                                     -mavx512bw -mfma

LIB_SRC    := $(wildcard src/lib/*.c)
KERNEL_SRC := src/kernels/dispatch.c src/kernels/scalar.c $(ISA_SRC_$(ARCH))
PROG_SRC   := $(filter-out src/programs/main.c,$(wildcard src/programs/*.c))
TEST_SRC   := $(wildcard tests/unit/*.c)

obj = $(patsubst src/%.c,$(BUILD)/%.o,$(1))
LIB_OBJ    := $(call obj,$(LIB_SRC)) $(call obj,$(KERNEL_SRC))
PROG_OBJ   := $(call obj,$(PROG_SRC))
MAIN_OBJ   := $(BUILD)/programs/main.o
TEST_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(TEST_SRC))
LIB        := $(BUILD)/libw2v.a
UNIT       := $(BUILD)/unit_tests
BENCH_KERNEL := $(BUILD)/bench_kernel

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

.PHONY: all test check-lib asan test-asan demo bench bench-quick \
        bench-objectives bench-kernel install uninstall clean
all: $(BIN)

$(BIN): $(MAIN_OBJ) $(PROG_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(PROG_OBJ) $(LIB) $(W2V_LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/lib/%.o: src/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/kernels/%.o: src/kernels/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) $(FLAGS_$<) $(CFLAGS) -c -o $@ $<

$(BUILD)/programs/%.o: src/programs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) -Isrc/programs $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) -Isrc/programs -Itests $(CFLAGS) -c -o $@ $<

$(UNIT): $(TEST_OBJ) $(PROG_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(PROG_OBJ) $(LIB) $(W2V_LDLIBS)

test: check-lib $(BIN) $(UNIT)
	@sh tests/run.sh ./$(BIN) $(UNIT)

# The library never prints, exits or reads the environment: no library object
# may reference the standard streams, the printing calls that use them, the
# ways out of the process, or getenv.  fprintf to a caller's FILE * is fine.
LIB_FORBIDDEN := stdout stderr printf vprintf puts putchar perror exit _exit \
                 abort __assert_fail getenv
check-lib: $(LIB_OBJ)
	@sh scripts/check-lib.sh "$(LIB_FORBIDDEN)" $(LIB_OBJ)

# AddressSanitizer + UndefinedBehaviorSanitizer build, kept apart in build/asan.
asan:
	$(MAKE) BUILD=build/asan BIN=build/asan/w2v CFLAGS="$(ASAN_FLAGS)" \
	        LDFLAGS="-fsanitize=address,undefined" build/asan/w2v build/asan/unit_tests

test-asan: asan
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run.sh build/asan/w2v build/asan/unit_tests

demo: $(BIN)
	@sh scripts/demo.sh

# Benchmarks (never part of the tests): the training comparison against the
# reference trainers found, then query speed; the 1-epoch fastText check;
# the objectives; the kernel bodies.
bench: $(BIN)
	@sh scripts/bench-train.sh
	@sh scripts/bench-eval.sh ./$(BIN)
	@sh scripts/bench-phrases.sh
	@sh scripts/bench-classes.sh

bench-quick: $(BIN)
	@sh scripts/bench.sh

bench-objectives: $(BIN)
	@sh scripts/bench-objectives.sh

# `w2v phrases` against word2phrase ($W2V_REF_WORD2PHRASE), and the k-means
# classes against word2vec -classes ($W2V_REF_WORD2VEC)
.PHONY: bench-phrases bench-classes
bench-phrases: $(BIN)
	@sh scripts/bench-phrases.sh

bench-classes: $(BIN)
	@sh scripts/bench-classes.sh

$(BENCH_KERNEL): $(BUILD)/tests/bench_kernel.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(W2V_LDLIBS)

$(BUILD)/tests/bench_kernel.o: tests/bench_kernel.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) $(CFLAGS) -c -o $@ $<

# bench-kernel ARGS="QUERIES WORDS" sets the gemm_nt shape (256 30000)
bench-kernel: $(BENCH_KERNEL)
	@./$(BENCH_KERNEL) $(ARGS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/w2v

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/w2v

clean:
	rm -rf $(BUILD) build $(BIN)

-include $(wildcard $(BUILD)/*/*.d)
