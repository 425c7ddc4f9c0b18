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
# MPI=1: `w2v train` runs as the ranks of an MPI job (Open MPI's mpicc);
# keep such a build apart, e.g. make MPI=1 BUILD=build/mpi BIN=build/mpi/w2v
MPI     ?= 0
MPICC   ?= mpicc
ifeq ($(MPI),1)
CC      := $(MPICC)
endif

# -ffp-contract=off: no compiler fuses a * b + c on its own (clang would,
# gcc does not in C11 mode), so every build rounds as the source says.
W2V_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
              -ffp-contract=off -D_GNU_SOURCE -Iinclude -pthread -MMD -MP
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
# one of the two forms of the job (cluster.h)
CLUSTER_SRC := src/programs/cluster_single.c src/programs/cluster_mpi.c
CLUSTER_0   := src/programs/cluster_single.c
CLUSTER_1   := src/programs/cluster_mpi.c
PROG_SRC   := $(filter-out src/programs/main.c $(CLUSTER_SRC),\
                $(wildcard src/programs/*.c)) $(CLUSTER_$(MPI))
TEST_SRC   := $(wildcard tests/unit/*.c)
# the fuzz targets (tests/fuzz/fuzz.h): the unit tests replay their seeds
FUZZ_SRC   := tests/fuzz/fuzz_file.c $(wildcard tests/fuzz/target_*.c)

obj = $(patsubst src/%.c,$(BUILD)/%.o,$(1))
LIB_OBJ    := $(call obj,$(LIB_SRC)) $(call obj,$(KERNEL_SRC))
PROG_OBJ   := $(call obj,$(PROG_SRC))
MAIN_OBJ   := $(BUILD)/programs/main.o
TEST_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(TEST_SRC))
FUZZ_OBJ   := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%.o,$(FUZZ_SRC))
LIB        := $(BUILD)/libw2v.a
UNIT       := $(BUILD)/unit_tests
BENCH_KERNEL := $(BUILD)/bench_kernel

ASAN_FLAGS := -O2 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

.PHONY: all test check-lib asan test-asan tsan valgrind fuzz fuzz-run demo \
        bench bench-mpi bench-scaling bench-quick bench-objectives bench-kernel bench-phrases \
        bench-classes shellcheck man install uninstall clean FORCE
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

$(BUILD)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) $(CFLAGS) -c -o $@ $<

$(UNIT): $(TEST_OBJ) $(FUZZ_OBJ) $(PROG_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(FUZZ_OBJ) $(PROG_OBJ) \
	    $(LIB) $(W2V_LDLIBS)

# With Open MPI on the machine, `make test` also builds w2v with MPI=1 in its
# own folder and tests it as a job (tests/cli/mpi.sh); without, that skips.
MPI_BIN  := build/mpi/w2v
HAVE_MPI := $(shell command -v $(MPICC) >/dev/null 2>&1 && \
                    command -v mpirun >/dev/null 2>&1 && echo 1)
MPI_TEST := $(if $(HAVE_MPI),$(MPI_BIN))

test: check-lib $(BIN) $(UNIT) $(MPI_TEST)
	@W2V_MPI=$(abspath $(MPI_TEST)) sh tests/run.sh ./$(BIN) $(UNIT)

# (a sub-make builds it with MPI=1 in build/mpi)
ifneq ($(MPI),1)
$(MPI_BIN): FORCE
	@$(MAKE) --no-print-directory MPI=1 BUILD=build/mpi BIN=$(MPI_BIN) \
	    $(MPI_BIN)
endif

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

# Not run under it, to keep CI within its time: mpi.sh (it drives the MPI
# build, which is not sanitized, and make test runs it), enwiki.sh and
# synthetic.sh (the quality checks: long trainings on the code paths that
# train.sh, objectives.sh and the unit tests take in short runs).
test-asan: asan
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    W2V_TESTS_EXCEPT="mpi enwiki synthetic" \
	    sh tests/run.sh build/asan/w2v build/asan/unit_tests

# ThreadSanitizer (clang), in build/tsan: the unit tests and the threaded
# command-line tests; every report fails except the Hogwild row updates
# listed in tests/tsan.supp.
TSAN_FLAGS := -O2 -g -fno-omit-frame-pointer -fsanitize=thread
tsan:
	$(MAKE) CC=clang BUILD=build/tsan BIN=build/tsan/w2v CFLAGS="$(TSAN_FLAGS)" \
	        LDFLAGS="-fsanitize=thread" build/tsan/w2v build/tsan/unit_tests
	@sh tests/tsan.sh build/tsan/w2v build/tsan/unit_tests

# valgrind memcheck over training, checkpoint/resume and every query command
# (no leak, no invalid access), on the normal build.
valgrind: $(BIN)
	@sh tests/valgrind.sh ./$(BIN)

# libFuzzer targets (clang, with ASan + UBSan) in build/fuzz; fuzz-run runs
# each for FUZZ_SECONDS from its seeds in tests/fuzz/seeds/<target>/.
FUZZ_TARGETS := corpus vocab vectors checkpoint
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer \
              -fsanitize=fuzzer-no-link,address,undefined \
              -fno-sanitize-recover=undefined
fuzz:
	$(MAKE) CC=clang BUILD=build/fuzz CFLAGS="$(FUZZ_FLAGS)" \
	        $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))

$(BUILD)/tests/fuzz/entry_%.o: tests/fuzz/entry.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) -DFUZZ_TARGET=fuzz_$* $(CFLAGS) -c -o $@ $<

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/entry_%.o $(FUZZ_OBJ) $(LIB)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(W2V_LDLIBS)

fuzz-run: fuzz
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: $(BIN)
	@sh scripts/demo.sh

# Benchmarks (never part of the tests): the training comparison against the
# reference trainers found, their thread scaling, then query speed, phrases and
# classes; the 1-epoch fastText check; the objectives; the kernel bodies.
bench: $(BIN)
	@sh scripts/bench-train.sh
	@sh scripts/bench-scaling.sh
	@sh scripts/bench-eval.sh ./$(BIN)
	@sh scripts/bench-phrases.sh
	@sh scripts/bench-classes.sh

bench-quick: $(BIN)
	@sh scripts/bench.sh

# The MPI build against the single process on this machine: the same
# threads in all, as 1 and 2 ranks (W2V_BENCH_RANKS), interleaved.
bench-mpi: $(BIN) $(MPI_BIN)
	@W2V_BENCH_ONLY="w2v-batch1 $(foreach n,$(or $(W2V_BENCH_RANKS),1 2),w2v-mpi-np$(n))" \
	    W2V_MPI=$(abspath $(MPI_BIN)) sh scripts/bench-train.sh

# Thread scaling of w2v and the references found, whole 1-epoch runs.
bench-scaling: $(BIN)
	@sh scripts/bench-scaling.sh

bench-objectives: $(BIN)
	@sh scripts/bench-objectives.sh

# `w2v phrases` against word2phrase ($W2V_REF_WORD2PHRASE), and the k-means
# classes against word2vec -classes ($W2V_REF_WORD2VEC)
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

# shellcheck over every shell file, as CI runs it: the POSIX sh ones (some
# are sourced and have no #! line) and .ci/run, which is bash.  Both run,
# and it fails when either finds something.
SH_FILES := $(wildcard scripts/*.sh) $(wildcard tests/*.sh tests/cli/*.sh) \
            tests/fuzz/run.sh
shellcheck:
	rc=0; shellcheck -s sh $(SH_FILES) || rc=1; \
	    shellcheck -s bash .ci/run || rc=1; exit $$rc

# The manual page: its option lists come from the program's option tables
# (w2v CMD --help-roff); `make man` rewrites them after a table changes, and
# `make test` fails until it has been run.
MAN_PAGE := src/programs/w2v.1
man: $(BIN)
	sh scripts/man-options.sh ./$(BIN) $(MAN_PAGE) >$(MAN_PAGE).new
	mv $(MAN_PAGE).new $(MAN_PAGE)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/w2v
	install -m 644 $(MAN_PAGE) $(DESTDIR)$(PREFIX)/share/man/man1/w2v.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/w2v $(DESTDIR)$(PREFIX)/share/man/man1/w2v.1

clean:
	rm -rf $(BUILD) build $(BIN)

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d)
