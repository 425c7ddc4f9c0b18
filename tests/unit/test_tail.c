/* test_tail.c - sharing the last epoch's tail: a range read in claimed
 * pieces reads as one, and threads that take over another's rest train
 * every word exactly once, in a run and in one resumed from a snapshot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "sentence.h"
#include "snapshot.h"
#include "train.h"

/* Writes `known` bytes or more of lines of the words w0..w49, then as many
 * of words that occur once each, to a new temporary file named in
 * path[HARNESS_PATH_MAX].  At -min-count 2 only the first half trains. */
static void write_halves(char *path, long known)
{
    FILE *fp = harness_temp_file(path, "test-tail");
    rng r;
    rng_seed(&r, 11, 0);
    long bytes = 0, once = 0;
    for (int half = 0; half < 2; half++)
        for (long start = bytes; bytes - start < known;) {
            int n = 1 + (int)rng_below(&r, 40);
            for (int i = 0; i < n; i++) {
                int len = half ? fprintf(fp, "%sonce%ld", i ? " " : "", once++)
                               : fprintf(fp, "%sw%u", i ? " " : "",
                                         rng_below(&r, 50));
                REQUIRE(len > 0);
                bytes += len;
            }
            REQUIRE(fputc('\n', fp) != EOF);
            bytes++;
        }
    REQUIRE(fclose(fp) == 0);
}

/* The extend callback of the readers below: `step` bytes (replaying,
 * events) more each time, up to `end`. */
typedef struct stepper {
    int64_t step, end;
    int calls;
} stepper;

static int step_on(void *arg, sentence_reader *sr)
{
    stepper *s = arg;
    int64_t *claimed = sr->replaying ? &sr->replay_end : &sr->tokens.end;
    if (*claimed >= s->end)
        return 0;
    *claimed = *claimed + s->step < s->end ? *claimed + s->step : s->end;
    s->calls++;
    return 1;
}

/* Opens the corpus at path into c and counts it into v at min-count
 * min_count.  Ends the test as failed when it cannot. */
static void open_counted(const char *path, int64_t min_count, corpus *c,
                         vocab *v)
{
    w2v_err err;
    vocab_stats vs;
    vocab_count_config one = {.threads = 1};
    REQUIRE_MSG(corpus_open(c, path, NULL, &err) == 0 &&
                    vocab_init(v, &err) == 0 &&
                    vocab_count(v, c, &one, &vs, &err) == 0 &&
                    vocab_finalize(v, min_count, &err) == 0,
                "%s", err.msg);
}

/* Reads sentences from x and y until x ends; returns how many differ
 * (or end apart), their number in *sentences. */
static int64_t sentences_differ(sentence_reader *x, sentence_reader *y,
                                int64_t *sentences)
{
    static int32_t a[SENTENCE_MAX], b[SENTENCE_MAX];
    w2v_err err;
    int64_t differ = 0;
    for (*sentences = 0; !x->at_end; ++*sentences) {
        int la = sentence_next(x, a, &err);
        int lb = sentence_next(y, b, &err);
        REQUIRE_MSG(la >= 0 && lb >= 0, "%s", err.msg);
        if (la != lb || memcmp(a, b, sizeof *a * (size_t)la) != 0 ||
            x->at_end != y->at_end)
            differ++;
    }
    return differ;
}

TEST(tail_range_read_in_pieces_reads_as_one)
{
    char path[HARNESS_PATH_MAX];
    write_halves(path, 20000);
    corpus c;
    vocab v;
    w2v_err err;
    open_counted(path, 1, &c, &v);
    uint64_t *keep = malloc(sizeof *keep * (size_t)v.size);
    REQUIRE(keep != NULL);
    subsample_thresholds(v.counts, v.size, v.total, 1e-2, keep);
    /* pieces that end inside words, on separators and on newlines */
    const int64_t steps[] = {1, 3, 7, 64, 997};
    const int64_t begin = 5, end = c.size - 9; /* partial words at both */
    for (size_t p = 0; p < sizeof steps / sizeof *steps; p++) {
        rng ra, rb;
        rng_seed(&ra, 5, 0);
        rng_seed(&rb, 5, 0);
        sentence_reader whole, pieces;
        stepper st = {steps[p], end, 0};
        REQUIRE(sentence_reader_init(&whole, &c, begin, end, 97, &v.table,
                                     v.words, keep, &ra, &err) == 0 &&
                sentence_reader_init(&pieces, &c, begin, begin + steps[p],
                                     97, &v.table, v.words, keep, &rb,
                                     &err) == 0);
        pieces.extend = step_on;
        pieces.extend_arg = &st;
        int64_t sentences, differ = sentences_differ(&whole, &pieces,
                                                     &sentences);
        CHECK_MSG(differ == 0 && whole.known == pieces.known &&
                      whole.known > 1000 && st.calls > 10,
                  "pieces of %lld bytes: %lld of %lld sentences differ, "
                  "%lld words against %lld, %d pieces",
                  (long long)steps[p], (long long)differ,
                  (long long)sentences, (long long)pieces.known,
                  (long long)whole.known, st.calls);
        sentence_reader_free(&whole);
        sentence_reader_free(&pieces);
    }
    free(keep);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

/* A partial cache replayed, then the text after it read in claimed
 * pieces (as a thread's last epoch shares that text): the same as with the
 * rest of the range read at once. */
TEST(tail_text_after_a_partial_cache_read_in_pieces_reads_as_one)
{
    char path[HARNESS_PATH_MAX];
    write_halves(path, 150000);
    corpus c;
    vocab v;
    w2v_err err;
    open_counted(path, 2, &c, &v);
    static int32_t a[SENTENCE_MAX], b[SENTENCE_MAX];
    corpus_cache ka, kb;
    sentence_reader whole, pieces;
    REQUIRE(corpus_cache_init(&ka, 0, 20000, 0, &err) == 0 &&
            corpus_cache_init(&kb, 0, 20000, 0, &err) == 0 &&
            sentence_reader_init(&whole, &c, 0, c.size, 97, &v.table,
                                 v.words, NULL, NULL, &err) == 0 &&
            sentence_reader_init(&pieces, &c, 0, c.size, 97, &v.table,
                                 v.words, NULL, NULL, &err) == 0);
    sentence_reader_use_cache(&whole, &ka);
    sentence_reader_use_cache(&pieces, &kb);
    while (!whole.at_end) /* the first pass records the first part */
        REQUIRE(sentence_next(&whole, a, &err) >= 0 &&
                sentence_next(&pieces, b, &err) >= 0);
    REQUIRE(ka.state == CORPUS_CACHE_PARTIAL && kb.state == ka.state &&
            ka.end_offset > 0 && ka.end_offset < c.size / 4);
    for (int64_t step = 1; step <= 1001; step += 500) {
        sentence_rewind(&whole);
        sentence_rewind(&pieces);
        REQUIRE(pieces.replaying);
        stepper st = {step, c.size, 0};
        pieces.tokens.end = ka.end_offset + step;
        pieces.extend = step_on;
        pieces.extend_arg = &st;
        int64_t known = pieces.known, sentences;
        int64_t differ = sentences_differ(&whole, &pieces, &sentences);
        CHECK_MSG(differ == 0 && pieces.known - known > 2 * ka.words &&
                      st.calls > 10,
                  "pieces of %lld bytes: %lld of %lld sentences differ, "
                  "%lld words (%lld cached), %d pieces",
                  (long long)step, (long long)differ, (long long)sentences,
                  (long long)(pieces.known - known), (long long)ka.words,
                  st.calls);
    }
    sentence_reader_free(&whole);
    sentence_reader_free(&pieces);
    corpus_cache_free(&ka);
    corpus_cache_free(&kb);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

/* Appends the words x reads until it ends to ids[*n ..] (room for max),
 * with *n moved on. */
static void read_words(sentence_reader *x, int32_t *ids, int64_t *n,
                       int64_t max)
{
    w2v_err err;
    while (!x->at_end) {
        REQUIRE(*n + SENTENCE_MAX <= max);
        int got = sentence_next(x, ids + *n, &err);
        REQUIRE_MSG(got >= 0, "%s", err.msg);
        *n += got;
    }
}

/* A complete cache replayed in claimed pieces up to a mark, and the text
 * after the mark read from its offset (as a thread's last epoch is split
 * when another takes over its rest): the words of the whole replay, in
 * order, and the piece's reader says it stands at the mark. */
TEST(tail_cache_replayed_in_pieces_up_to_a_mark_reads_as_one)
{
    char path[HARNESS_PATH_MAX];
    write_halves(path, 100000);
    corpus c;
    vocab v;
    w2v_err err;
    open_counted(path, 1, &c, &v);
    const int64_t max = 200000;
    int32_t *whole_ids = malloc(sizeof(int32_t) * (size_t)max);
    int32_t *split_ids = malloc(sizeof(int32_t) * (size_t)max);
    corpus_cache k;
    sentence_reader whole, rest;
    REQUIRE(whole_ids && split_ids &&
            corpus_cache_init(&k, 0, INT64_MAX, 1, &err) == 0 &&
            sentence_reader_init(&whole, &c, 0, c.size, 97, &v.table,
                                 v.words, NULL, NULL, &err) == 0 &&
            sentence_reader_init(&rest, &c, 0, c.size, 97, &v.table, v.words,
                                 NULL, NULL, &err) == 0);
    sentence_reader_use_cache(&whole, &k);
    int64_t n_whole = 0;
    read_words(&whole, whole_ids, &n_whole, max); /* records the cache */
    REQUIRE(k.state == CORPUS_CACHE_COMPLETE && k.n_marks > 8);
    const int64_t every = CORPUS_CACHE_MARK_EVERY;
    const int64_t marks[] = {1, k.n_marks / 2, k.n_marks - 1};
    const int64_t steps[] = {1, 777, 5000};
    for (size_t p = 0; p < sizeof marks / sizeof *marks; p++) {
        sentence_rewind(&whole);
        REQUIRE(whole.replaying);
        stepper st = {steps[p], marks[p] * every, 0};
        whole.replay_end = steps[p];
        whole.extend = step_on;
        whole.extend_arg = &st;
        int64_t n_split = 0, offset;
        int skip;
        read_words(&whole, split_ids, &n_split, max);
        REQUIRE_MSG(sentence_tell(&whole, &offset, &skip, &err) == 0, "%s",
                    err.msg);
        int64_t mark = k.marks[marks[p] - 1].offset;
        sentence_seek(&rest, mark, 0);
        read_words(&rest, split_ids, &n_split, max);
        CHECK_MSG(n_split == n_whole &&
                      memcmp(split_ids, whole_ids,
                             sizeof(int32_t) * (size_t)n_whole) == 0 &&
                      offset == mark && !skip && st.calls > 0,
                  "cut at mark %lld: %lld words against %lld, %s; stands "
                  "at %lld (skip %d), the mark at %lld",
                  (long long)marks[p], (long long)n_split,
                  (long long)n_whole,
                  n_split == n_whole &&
                          memcmp(split_ids, whole_ids,
                                 sizeof(int32_t) * (size_t)n_whole) == 0
                      ? "the same" : "different",
                  (long long)offset, skip, (long long)mark);
        whole.extend = NULL;
    }
    sentence_reader_free(&whole);
    sentence_reader_free(&rest);
    corpus_cache_free(&k);
    free(whole_ids);
    free(split_ids);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

/* The model of the halves' first half: 2 threads, `iter` epochs, the
 * corpus cache as `cache` says.  Thread 2's half has no word to train: it
 * is done at once and waits for thread 1's last epoch, while thread 1 has
 * megabytes of its range left (of text, or replayed from a complete
 * cache after the first epoch). */
static void tail_setup(int64_t iter, corpus_cache_mode cache, corpus *c,
                       char *path, model *m, train_config *cfg)
{
    w2v_err err;
    vocab_stats vs;
    vocab_count_config one = {.threads = 1};
    write_halves(path, 3L << 20);
    train_config_defaults(cfg);
    cfg->dim = 8;
    cfg->window = 2;
    cfg->negative = 1;
    cfg->threads = 2;
    cfg->iter = iter;
    cfg->min_count = 2;
    cfg->corpus_cache = cache;
    memset(m, 0, sizeof *m);
    REQUIRE_MSG(corpus_open(c, path, NULL, &err) == 0 &&
                    train_config_check(cfg, &err) == 0 &&
                    vocab_init(&m->vocab, &err) == 0 &&
                    vocab_count(&m->vocab, c, &one, &vs, &err) == 0 &&
                    vocab_finalize(&m->vocab, cfg->min_count, &err) == 0 &&
                    model_init(m, cfg->dim, cfg->seed, &err) == 0,
                "%s", err.msg);
    REQUIRE(m->vocab.size == 50);
}

/* A run as tail_setup sets up: thread 2 takes over part of thread 1's
 * last epoch, and every word of every epoch is trained once. */
static void check_taken_over_once(int64_t iter, corpus_cache_mode cache)
{
    char path[HARNESS_PATH_MAX];
    corpus c;
    model m;
    train_config cfg;
    train_stats st;
    w2v_err err;
    tail_setup(iter, cache, &c, path, &m, &cfg);
    REQUIRE_MSG(train_run(&m, &c, &cfg, &kernel_scalar, NULL, NULL, &st,
                          &err) == 0, "%s", err.msg);
    int64_t caches = cache == CORPUS_CACHE_ON ? 2 : 0;
    CHECK_MSG(st.tail_takes > 0 && st.cache_threads == caches &&
                  st.cache_partial == 0 &&
                  st.words_done == iter * m.vocab.total,
              "%lld takes, %lld caches (%lld partial), %lld words done of "
              "%lld", (long long)st.tail_takes, (long long)st.cache_threads,
              (long long)st.cache_partial, (long long)st.words_done,
              (long long)(iter * m.vocab.total));
    train_stats_free(&st);
    model_free(&m);
    corpus_close(&c);
    unlink(path);
}

/* The same run, with a snapshot a quarter into the last epoch, while
 * thread 1 trains the first part of its range and thread 2 the part it
 * took over; resumed from it, every word not yet done is trained once. */
static void check_taken_over_resumes(int64_t iter, corpus_cache_mode cache)
{
    char path[HARNESS_PATH_MAX];
    corpus c;
    model m;
    train_config cfg;
    train_stats st, resumed;
    w2v_err err;
    tail_setup(iter, cache, &c, path, &m, &cfg);
    cfg.combine = 1; /* a safe point after every sentence */
    const int64_t total = iter * m.vocab.total;
    snapshot sn = {.after = total - m.vocab.total + m.vocab.total / 4,
                   .bytes = sizeof(float) * (size_t)(m.vocab.size * m.stride)};
    train_monitor mon = snapshot_monitor(&sn);
    REQUIRE_MSG(train_run(&m, &c, &cfg, &kernel_scalar, &mon, NULL, &st,
                          &err) == 0, "%s", err.msg);
    REQUIRE(sn.taken);
    const train_thread_state *t1 = &sn.st.thread[0], *t2 = &sn.st.thread[1];
    const int64_t half = corpus_range_start(&c, 1, 2);
    REQUIRE_MSG(st.tail_takes > 0 && t1->epoch == iter - 1 &&
                    t2->epoch == iter - 1 && t1->offset < t1->end &&
                    t1->end < half && t2->offset >= t1->end &&
                    t2->end == half,
                "%lld takes; thread 1 in epoch %lld at %lld of [.., %lld), "
                "thread 2 in epoch %lld at %lld of [.., %lld), half %lld",
                (long long)st.tail_takes, (long long)t1->epoch + 1,
                (long long)t1->offset, (long long)t1->end,
                (long long)t2->epoch + 1, (long long)t2->offset,
                (long long)t2->end, (long long)half);
    REQUIRE_MSG(train_run(&m, &c, &cfg, &kernel_scalar, NULL, &sn.st,
                          &resumed, &err) == 0, "%s", err.msg);
    CHECK_MSG(resumed.words_done == total,
              "resumed at %lld: %lld words done of %lld",
              (long long)sn.st.words_done, (long long)resumed.words_done,
              (long long)total);
    snapshot_free(&sn);
    train_stats_free(&resumed);
    train_stats_free(&st);
    model_free(&m);
    corpus_close(&c);
    unlink(path);
}

/* 1 epoch of text */
TEST(tail_taken_over_trains_every_word_once)
{
    check_taken_over_once(1, CORPUS_CACHE_OFF);
}

TEST(tail_taken_over_resumes_exactly)
{
    check_taken_over_resumes(1, CORPUS_CACHE_OFF);
}

/* 2 epochs, the second replayed from a complete cache */
TEST(tail_of_a_replayed_cache_taken_over_trains_every_word_once)
{
    check_taken_over_once(2, CORPUS_CACHE_ON);
}

TEST(tail_of_a_replayed_cache_taken_over_resumes_exactly)
{
    check_taken_over_resumes(2, CORPUS_CACHE_ON);
}
