/* fuzz.h - the fuzz targets: each takes arbitrary bytes, feeds them to one
 * of the library's readers through a file, and checks what it can about the
 * result.  A target returns 0, or 1 after printing to stderr which property
 * failed; a crash or sanitizer report is a failure too.
 *
 * The same functions are driven by libFuzzer (tests/fuzz/entry.c, `make
 * fuzz`) and by the unit tests, which replay every file under
 * tests/fuzz/seeds/<target>/ (tests/unit/test_fuzz_seeds.c). */
#ifndef W2V_FUZZ_H
#define W2V_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The tokenizer: reader_next over random byte ranges and buffer sizes
 * against a reference tokenizer, reader_tell/reader_seek. */
int fuzz_corpus(const uint8_t *data, size_t size);
/* vocab_read, then vocab_save and vocab_read again. */
int fuzz_vocab(const uint8_t *data, size_t size);
/* vectors_load in the format and row limit chosen by the first byte, then
 * the loaded rows written and read back in both formats. */
int fuzz_vectors(const uint8_t *data, size_t size);
/* checkpoint_read as given and with its size and checksum repaired, then
 * what was read written back and read again. */
int fuzz_checkpoint(const uint8_t *data, size_t size);

/* One target by name, for the replay. */
typedef struct fuzz_target {
    const char *name; /* also its seed folder */
    int (*run)(const uint8_t *data, size_t size);
} fuzz_target;
extern const fuzz_target fuzz_targets[];
extern const int fuzz_n_targets;

/* Scratch files in memory (memfd), reused by every run: slot 0..3.
 * fuzz_file_put replaces slot's contents with data and returns a path that
 * open()/fopen() accept, or NULL; fuzz_file_path only names it. */
enum { FUZZ_SLOTS = 4 };
const char *fuzz_file_put(int slot, const void *data, size_t size);
const char *fuzz_file_path(int slot);

/* Reads the whole file at path into a new buffer (*size bytes); NULL on
 * failure. */
unsigned char *fuzz_file_get(const char *path, size_t *size);

/* Reports a failed property (printf-style) and returns 1. */
int fuzz_fail(const char *target, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
