/* checkpoint.h - a training run saved to a file, to be continued later
 * (train_run's resume) or turned into vectors.
 *
 * The format is our own.  Every number is little-endian whatever the host,
 * floats are IEEE-754 binary32/binary64:
 *
 *   header   "W2VCKPT\n"                      8 bytes, the magic
 *            u32 version                      CHECKPOINT_VERSION
 *            u32 0x01020304                   byte order check
 *            u64 file bytes                   the whole file, trailer too
 *   sections u32 tag (4 ASCII letters), u32 0, u64 payload bytes, payload:
 *     CONF   the training parameters: u32 count, then per parameter
 *            u32 name length, name, u8 type ('i' int64, 'f' float64), 8 bytes
 *     CORP   the corpus: u64 size, u32 CRC-32C of its first and of its last
 *            CHECKPOINT_ID_BYTES bytes
 *     NOTE   the caller's notes: u32 count, then per note two strings
 *            (u32 length, bytes): key and value
 *     VOCB   u64 words, then per word u32 length, bytes, i64 count
 *     STAT   the train_state: i64 threads, ranks, iter, words_done,
 *            f64 elapsed;
 *            per thread i64 epoch, offset, skip_partial, known, reported,
 *            u64 rng[4], f32 alpha, f64 loss, f64 hs loss, i64 pairs,
 *            i64 end of its range (0: its own share's; version 2 on, absent
 *            in version 1), then per epoch f64 loss, i64 pairs, f64 end
 *     EMBI   words x dim float32: the input vectors (no row padding)
 *     EMBO   words x dim float32: the output vectors
 *     EMBH   only for hs+ns: words x dim float32, the tree's inner nodes
 *   trailer  u32 CRC-32C of every byte before it, "END\n"
 *
 * A reader refuses, naming the file: what is not a checkpoint, a version
 * newer than its own, a file shorter or longer than its header says, and
 * any checksum mismatch (nothing of such a file is used). */
#ifndef W2V_CHECKPOINT_H
#define W2V_CHECKPOINT_H

#include <stdint.h>
#include <stdio.h>

#include "corpus.h"
#include "model.h"
#include "train.h"
#include "w2v.h"

#define CHECKPOINT_VERSION 2
/* Bytes at each end of the corpus that its identity checksums. */
#define CHECKPOINT_ID_BYTES ((int64_t)1 << 20)

/* What tells one corpus from another without reading all of it. */
typedef struct corpus_id {
    int64_t size;
    uint32_t head_crc, tail_crc; /* of the first and last ID_BYTES */
} corpus_id;

/* Identifies corpus c (two reads of at most CHECKPOINT_ID_BYTES). */
int corpus_identify(const corpus *c, corpus_id *id, w2v_err *err);

/* A checkpoint as read back. */
typedef struct checkpoint {
    train_config cfg;
    corpus_id corpus;
    int n_notes;
    char **notes;      /* [2 * n_notes]: key, value, key, value, ... */
    model m;           /* vocabulary (finalized) and both matrices */
    train_state state;
} checkpoint;

/* Writes a checkpoint of (cfg, corpus id, notes, m, st) to fp; `notes` is
 * NULL or a NULL-terminated list "key", "value", ...; `name` is for
 * messages.  The caller makes the file durable (flush, fsync, rename). */
int checkpoint_write(FILE *fp, const char *name, const train_config *cfg,
                     const corpus_id *id, const char *const *notes,
                     const model *m, const train_state *st, w2v_err *err);

/* Reads the checkpoint at path into ck, verifying everything (see above).
 * On failure ck is left empty. */
int checkpoint_read(const char *path, checkpoint *ck, w2v_err *err);

/* The value of note `key`, or NULL. */
const char *checkpoint_note(const checkpoint *ck, const char *key);

/* Frees what checkpoint_read allocated; safe on a zeroed checkpoint. */
void checkpoint_free(checkpoint *ck);

#endif
