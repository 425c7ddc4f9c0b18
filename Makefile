# w2v - word2vec trainer.  `make` builds ./w2v; `make test` runs every test.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
BIN     ?= w2v

ARCH := $(shell uname -m)

W2V_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
              -D_GNU_SOURCE -Iinclude -pthread -MMD -MP
W2V_LDLIBS := -pthread -lm

ifeq ($(NATIVE),1)
W2V_CFLAGS += -march=native
endif

# Per-ISA kernel bodies: each file gets its own -m flags; the others are
# compiled for the baseline ISA and choose a body at run time.
ISA_SRC_x86_64  := src/kernel_avx2.c src/kernel_avx512.c
ISA_SRC_aarch64 := src/kernel_neon.c
ISA_SRC_ALL     := $(ISA_SRC_x86_64) $(ISA_SRC_aarch64)
ISA_SRC         := $(wildcard $(ISA_SRC_$(ARCH)))
FLAGS_src/kernel_avx2.c   := -mavx2 -mfma
FLAGS_src/kernel_avx512.c := -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma

SRC      := $(filter-out $(ISA_SRC_ALL),$(wildcard src/*.c)) $(ISA_SRC)
LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRC)))
MAIN_OBJ := $(BUILD)/main.o
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_OBJ := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(TEST_SRC))
UNIT     := $(BUILD)/unit_tests

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

.PHONY: all test asan test-asan demo bench bench-quick bench-objectives \
        bench-kernel install uninstall clean
all: $(BIN)

$(BIN): $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(W2V_LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) $(FLAGS_$<) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(W2V_CFLAGS) -Itests $(CFLAGS) -c -o $@ $<

$(UNIT): $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(W2V_LDLIBS)

test: $(BIN) $(UNIT)
	@sh tests/run.sh ./$(BIN) $(UNIT)

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

bench-quick: $(BIN)
	@sh scripts/bench.sh

bench-objectives: $(BIN)
	@sh scripts/bench-objectives.sh

bench-kernel: $(BIN)
	@sh scripts/bench-kernel.sh

install: $(BIN)
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	cp $(BIN) $(DESTDIR)$(PREFIX)/bin/w2v
	chmod 755 $(DESTDIR)$(PREFIX)/bin/w2v

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/w2v

clean:
	rm -rf build $(BIN)

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
