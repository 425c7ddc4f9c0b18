/* test_checkpoint.c - the CRC-32C and the checkpoint file: a round trip
 * keeps every value exactly, and damaged files are refused. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "crc32c.h"
#include "harness.h"

TEST(crc32c_known_values_and_continuation)
{
    CHECK(crc32c(0, "123456789", 9) == 0xE3069283u);
    CHECK(crc32c(0, "", 0) == 0);
    unsigned char zeros[32] = {0};
    CHECK(crc32c(0, zeros, 32) == 0x8A9136AAu);
    unsigned char buf[100];
    for (int i = 0; i < 100; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    uint32_t whole = crc32c(0, buf, sizeof buf);
    int ok = 1;
    for (size_t cut = 0; cut <= sizeof buf; cut++)
        ok &= crc32c(crc32c(0, buf, cut), buf + cut, sizeof buf - cut) ==
              whole;
    CHECK(ok);
}

/* A model of V words of dimension D with distinct values, and a state of
 * two ranks of two threads each over three epochs. */
enum { V = 5, D = 7, THREADS = 2, RANKS = 2, ITER = 3 };

static int make_run(model *m, train_state *st, train_config *cfg)
{
    static const char *const words[V] = {"the", "of", "a", "zebra", "ω"};
    w2v_err err;
    memset(m, 0, sizeof *m);
    train_config_defaults(cfg);
    cfg->dim = D;
    cfg->threads = THREADS;
    cfg->iter = ITER;
    cfg->window = 3;
    cfg->sample = 1e-4;
    if (train_config_check(cfg, &err) || vocab_init(&m->vocab, &err))
        return -1;
    for (int w = 0; w < V; w++)
        if (vocab_add(&m->vocab, words[w], (int)strlen(words[w]), 100 - w,
                      &err) < 0)
            return -1;
    if (vocab_finalize(&m->vocab, 1, &err) || model_init(m, D, 5, &err) ||
        train_state_init(st, THREADS * RANKS, ITER, &err))
        return -1;
    st->ranks = RANKS;
    for (int w = 0; w < V; w++)
        for (int j = 0; j < D; j++)
            model_out_row(m, w)[j] = (float)(w * 10 + j) / 3.0f;
    st->words_done = 12345;
    st->elapsed = 2.5;
    for (int t = 0; t < THREADS * RANKS; t++) {
        train_thread_state *s = &st->thread[t];
        s->epoch = t % ITER + 1;
        s->offset = 1000 * t + 7;
        s->skip_partial = t % 2;
        s->known = 999 + t;
        s->reported = 990 + t;
        for (int k = 0; k < 4; k++)
            s->rng[k] = 0x0123456789abcdefull * (uint64_t)(k + t + 1);
        s->alpha = 0.0123f + (float)t;
        s->loss = 3.25 * (t + 1);
        s->pairs = 77 + t;
        s->end = t % 2 ? 0 : 5000 * t + 11;
        for (int e = 0; e < ITER; e++) {
            s->epoch_loss[e] = 0.5 * e + t;
            s->epoch_pairs[e] = 10 * e + t;
            s->epoch_end[e] = 1.5 * e + t;
        }
    }
    return 0;
}

/* Writes (m, st, cfg) to a new temporary file; its name into path. */
static int write_run(char *path, const model *m, const train_state *st,
                     const train_config *cfg)
{
    FILE *fp = harness_temp_file(path, "test-ckpt");
    corpus_id id = {123456789, 0xdeadbeef, 0x01234567};
    const char *notes[] = {"input", "c.txt", "output", "", NULL};
    w2v_err err;
    int rc = checkpoint_write(fp, path, cfg, &id, notes, m, st, &err);
    return fclose(fp) || rc ? -1 : 0;
}

TEST(checkpoint_round_trip_keeps_every_value)
{
    model m;
    train_state st;
    train_config cfg;
    char path[HARNESS_PATH_MAX];
    REQUIRE(make_run(&m, &st, &cfg) == 0 && write_run(path, &m, &st, &cfg) == 0);
    checkpoint ck;
    w2v_err err;
    REQUIRE_MSG(checkpoint_read(path, &ck, &err) == 0, "%s", err.msg);
    CHECK(memcmp(&ck.cfg, &cfg, sizeof cfg) == 0);
    CHECK(ck.corpus.size == 123456789 && ck.corpus.head_crc == 0xdeadbeef &&
          ck.corpus.tail_crc == 0x01234567);
    CHECK(ck.n_notes == 2 && strcmp(checkpoint_note(&ck, "input"), "c.txt") == 0 &&
          strcmp(checkpoint_note(&ck, "output"), "") == 0 &&
          checkpoint_note(&ck, "nothing") == NULL);
    CHECK(ck.m.vocab.size == V && ck.m.vocab.total == m.vocab.total);
    for (int w = 0; w < V; w++) {
        CHECK(strcmp(ck.m.vocab.words[w], m.vocab.words[w]) == 0);
        CHECK(ck.m.vocab.counts[w] == m.vocab.counts[w]);
        CHECK(vocab_find(&ck.m.vocab, m.vocab.words[w], m.vocab.lens[w]) == w);
        CHECK(memcmp(model_in_row(&ck.m, w), model_in_row(&m, w),
                     sizeof(float) * (size_t)m.stride) == 0);
        CHECK(memcmp(model_out_row(&ck.m, w), model_out_row(&m, w),
                     sizeof(float) * (size_t)m.stride) == 0);
    }
    CHECK(ck.state.words_done == 12345 && ck.state.elapsed == 2.5 &&
          ck.state.threads == THREADS * RANKS && ck.state.ranks == RANKS &&
          ck.state.iter == ITER);
    for (int t = 0; t < THREADS * RANKS; t++) {
        const train_thread_state *a = &st.thread[t], *b = &ck.state.thread[t];
        CHECK(a->epoch == b->epoch && a->offset == b->offset &&
              a->skip_partial == b->skip_partial && a->known == b->known &&
              a->reported == b->reported && a->alpha == b->alpha &&
              a->loss == b->loss && a->pairs == b->pairs &&
              a->end == b->end && memcmp(a->rng, b->rng, sizeof a->rng) == 0);
        for (int e = 0; e < ITER; e++)
            CHECK(a->epoch_loss[e] == b->epoch_loss[e] &&
                  a->epoch_pairs[e] == b->epoch_pairs[e] &&
                  a->epoch_end[e] == b->epoch_end[e]);
    }
    checkpoint_free(&ck);
    model_free(&m);
    train_state_free(&st);
    unlink(path);
}

/* Rewrites byte `at` of the file with x (at < 0: from the end). */
static void poke(const char *path, long at, int x)
{
    FILE *fp = fopen(path, "r+b");
    if (!fp)
        return;
    fseek(fp, at, at < 0 ? SEEK_END : SEEK_SET);
    fputc(x, fp);
    fclose(fp);
}

TEST(checkpoint_damage_is_refused)
{
    model m;
    train_state st;
    train_config cfg;
    char path[HARNESS_PATH_MAX];
    REQUIRE(make_run(&m, &st, &cfg) == 0 && write_run(path, &m, &st, &cfg) == 0);
    FILE *fp = fopen(path, "rb");
    REQUIRE(fp != NULL);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    unsigned char *orig = malloc((size_t)size);
    rewind(fp);
    int whole = orig && fread(orig, 1, (size_t)size, fp) == (size_t)size;
    fclose(fp);
    REQUIRE(whole);
    /* every single byte flipped, one at a time: always refused */
    int refused = 0;
    for (long at = 0; at < size; at++) {
        poke(path, at, orig[at] ^ 0x20);
        checkpoint ck;
        w2v_err err;
        refused += checkpoint_read(path, &ck, &err) != 0;
        poke(path, at, orig[at]);
    }
    CHECK_MSG(refused == size, "%ld of %ld flipped bytes refused", (long)refused,
              size);
    checkpoint ck;
    w2v_err err;
    poke(path, 8, CHECKPOINT_VERSION + 1);
    CHECK(checkpoint_read(path, &ck, &err) == -1 && strstr(err.msg, "newer"));
    poke(path, 8, CHECKPOINT_VERSION);
    CHECK(truncate(path, size - 1) == 0);
    CHECK(checkpoint_read(path, &ck, &err) == -1 &&
          strstr(err.msg, "truncated"));
    poke(path, 0, 'X');
    CHECK(checkpoint_read(path, &ck, &err) == -1 &&
          strstr(err.msg, "not a w2v checkpoint"));
    free(orig);
    model_free(&m);
    train_state_free(&st);
    unlink(path);
}

/* Reads the checkpoint kept as fuzz seed `name` (one an older build
 * wrote) into ck; returns checkpoint_read's result, its message in err. */
static int read_seed(const char *name, checkpoint *ck, w2v_err *err)
{
    const char *root = getenv("ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fuzz/seeds/checkpoint/%s",
             root ? root : ".", name);
    return checkpoint_read(path, ck, err);
}

TEST(checkpoint_without_combine_reads_as_combine_1)
{
    /* a checkpoint written before -combine existed (build 6096baf, of a
     * 2-line corpus): its run trained without combining, whatever the
     * default is now */
    checkpoint ck;
    w2v_err err;
    REQUIRE_MSG(read_seed("before-combine", &ck, &err) == 0, "%s", err.msg);
    CHECK_MSG(ck.cfg.combine == 1, "combine %lld", (long long)ck.cfg.combine);
    /* format version 1 has no range ends: each thread's is its own share's */
    for (int64_t t = 0; t < ck.state.threads; t++)
        CHECK(ck.state.thread[t].end == 0);
    CHECK(ck.state.threads > 0);
    checkpoint_free(&ck);
}

TEST(checkpoint_without_combine_block_reads_as_its_old_block)
{
    /* written by build 40afdb8 (2 lines, 2 epochs, -combine 8), before
     * -combine-block: its run grouped windows in blocks of 2^17 words */
    checkpoint ck;
    w2v_err err;
    REQUIRE_MSG(read_seed("before-combine-block", &ck, &err) == 0, "%s",
                err.msg);
    CHECK_MSG(ck.cfg.combine == 8, "combine %lld", (long long)ck.cfg.combine);
    CHECK_MSG(ck.cfg.combine_block == TRAIN_COMBINE_BLOCK_V2,
              "combine_block %lld", (long long)ck.cfg.combine_block);
    checkpoint_free(&ck);
}
