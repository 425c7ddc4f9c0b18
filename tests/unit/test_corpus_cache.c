/* test_corpus_cache.c - the corpus kept as word ids: the encoding, its
 * marks and limits, readers that see the same sentences from the cache as from the
 * text (and say the same place in it), and training that gives the same
 * bytes with the cache and without, resumed from a cached epoch too. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus_cache.h"
#include "harness.h"
#include "noise.h"
#include "sentence.h"
#include "snapshot.h"
#include "train.h"
#include "vocab.h"

TEST(corpus_cache_encodes_every_id_width)
{
    static const int64_t events[] = {
        0, 125, 126, 127, CORPUS_CACHE_SENTENCE_END, 16381, 16382, 16383,
        (1 << 21) - 2, (1 << 21) - 1, CORPUS_CACHE_SENTENCE_END,
        INT32_MAX - 1, 7, CORPUS_CACHE_SENTENCE_END};
    static const int widths[] = {1, 1, 1, 2, 1, 2, 2, 3, 3, 4, 1, 5, 1, 1};
    enum { N = sizeof events / sizeof events[0] };
    corpus_cache k;
    w2v_err err;
    REQUIRE_MSG(corpus_cache_init(&k, 4, INT64_MAX, 1, &err) == 0, "%s",
                err.msg);
    corpus_cache_start(&k);
    int64_t bytes = 0;
    for (int i = 0; i < N; i++) {
        CHECK_MSG(corpus_cache_event_bytes(events[i]) == widths[i],
                  "event %lld: %d bytes", (long long)events[i],
                  corpus_cache_event_bytes(events[i]));
        bytes += widths[i];
        REQUIRE(corpus_cache_add(&k, events[i], 100 + i, &err) == 0);
    }
    corpus_cache_finish(&k, 999);
    CHECK(k.state == CORPUS_CACHE_COMPLETE && k.len == bytes &&
          k.events == N && k.words == N - 3 && k.end_offset == 999);
    int64_t pos = 0;
    for (int i = 0; i < N; i++) {
        int64_t got = corpus_cache_event(&k, &pos);
        CHECK_MSG(got == events[i], "event %d: %lld, not %lld", i,
                  (long long)got, (long long)events[i]);
    }
    CHECK(pos == k.len);
    /* the estimate: the counts times their widths, and the marks */
    int64_t counts[200];
    for (int i = 0; i < 200; i++)
        counts[i] = 50;
    CHECK(corpus_cache_estimate(counts, 200) ==
          127 * 50 + 73 * 50 * 2 +
              200 * 50 / CORPUS_CACHE_MARK_EVERY * (int64_t)sizeof(cache_mark));
    corpus_cache_free(&k);
}

TEST(corpus_cache_marks_where_the_text_reader_stood)
{
    corpus_cache k;
    w2v_err err;
    REQUIRE(corpus_cache_init(&k, 0, INT64_MAX, 1, &err) == 0);
    corpus_cache_start(&k);
    for (int64_t i = 0; i < 3 * CORPUS_CACHE_MARK_EVERY + 5; i++)
        REQUIRE(corpus_cache_add(&k, i % 9 == 8 ? CORPUS_CACHE_SENTENCE_END
                                                : i % 300,
                                 10 * (i + 1), &err) == 0);
    corpus_cache_finish(&k, 0);
    REQUIRE(k.n_marks == 3);
    for (int64_t j = 0; j < 3; j++) {
        int64_t last = (j + 1) * CORPUS_CACHE_MARK_EVERY - 1; /* its event */
        CHECK(k.marks[j].offset == 10 * (last + 1));
        CHECK(k.marks[j].after_word == (last % 9 != 8));
    }
    corpus_cache_free(&k);
}

TEST(corpus_cache_over_its_limit_keeps_its_first_part)
{
    /* room for the first 64 marks and 40 bytes of events: the events
     * before the one that would leave less than 5 bytes, 12 three-byte
     * words or 36 one-byte sentence ends */
    const int64_t limit = 64 * (int64_t)sizeof(cache_mark) + 40;
    for (int ends = 0; ends < 2; ends++) {
        const int64_t kept = ends ? 36 : 12;
        corpus_cache k;
        w2v_err err = {""};
        REQUIRE(corpus_cache_init(&k, 16, limit, 0, &err) == 0);
        corpus_cache_start(&k);
        for (int i = 0; i < 1000; i++)
            REQUIRE(corpus_cache_add(&k, ends ? CORPUS_CACHE_SENTENCE_END
                                              : 20000 + i,
                                     100 + i, &err) == 0);
        CHECK_MSG(k.state == CORPUS_CACHE_PARTIAL && k.events == kept &&
                      k.len == 36 && k.cap == 36,
                  "state %d, %lld events in %lld of %lld bytes", (int)k.state,
                  (long long)k.events, (long long)k.len, (long long)k.cap);
        /* where the reader stood after the last event kept */
        CHECK(k.end_offset == 100 + kept - 1 && k.end_after_word == !ends);
        int64_t pos = 0, wrong = 0;
        for (int i = 0; i < kept && pos < k.len; i++)
            wrong += corpus_cache_event(&k, &pos) !=
                     (ends ? CORPUS_CACHE_SENTENCE_END : 20000 + i);
        CHECK(wrong == 0 && pos == k.len);
        corpus_cache_finish(&k, 5000); /* the pass ends: it stays partial */
        CHECK(k.state == CORPUS_CACHE_PARTIAL &&
              k.end_offset == 100 + kept - 1);
        corpus_cache_free(&k);
    }
}

TEST(corpus_cache_over_its_limit_is_dropped_or_refused)
{
    corpus_cache k;
    w2v_err err = {""};
    /* auto: with no room for one event the cache is dropped, and adding
     * goes on */
    REQUIRE(corpus_cache_init(&k, 16, 64, 0, &err) == 0);
    corpus_cache_start(&k);
    for (int i = 0; i < 1000; i++)
        REQUIRE(corpus_cache_add(&k, 20000 + i, i, &err) == 0);
    CHECK(k.state == CORPUS_CACHE_DROPPED && k.data == NULL &&
          corpus_cache_bytes(&k) == 0);
    corpus_cache_start(&k); /* stays dropped */
    CHECK(k.state == CORPUS_CACHE_DROPPED);
    corpus_cache_free(&k);
    /* on: memory that cannot be had is an error; auto drops it */
    CHECK(corpus_cache_init(&k, INT64_MAX / 2, INT64_MAX, 1, &err) == -1 &&
          strstr(err.msg, "does not fit in memory") != NULL);
    corpus_cache_free(&k);
    CHECK(corpus_cache_init(&k, INT64_MAX / 2, INT64_MAX, 0, &err) == 0 &&
          k.state == CORPUS_CACHE_DROPPED);
    corpus_cache_free(&k);
}

/* Writes a corpus to a new temporary file named in path[HARNESS_PATH_MAX]:
 * frequent words, about 20,000 rarer ones (ids past 16,383: three-byte
 * events) and words seen once (not in a -min-count 2 vocabulary), in lines
 * of every kind: empty, only unknown words, CRLF, runs of newlines, lines
 * longer than SENTENCE_MAX words, and a last line with no newline. */
static void write_mixed_corpus(char *path)
{
    FILE *fp = harness_temp_file(path, "test-cache");
    rng r;
    rng_seed(&r, 11, 0);
    for (int line = 0; line < 700; line++) {
        uint32_t kind = rng_below(&r, 10);
        if (kind == 0) {
            fputs(rng_below(&r, 2) ? "\n\n\n" : "\r\n", fp);
            continue;
        }
        if (kind == 1) {
            fprintf(fp, "once%d only%d\n", line, line);
            continue;
        }
        int n = kind == 2 ? 1000 + (int)rng_below(&r, 2500)
                          : 1 + (int)rng_below(&r, 60);
        for (int i = 0; i < n; i++) {
            uint32_t pick = rng_below(&r, 100);
            if (pick < 50)
                fprintf(fp, "f%u", rng_below(&r, 150));
            else if (pick < 97)
                fprintf(fp, "r%u", rng_below(&r, 20000));
            else
                fprintf(fp, "u%d_%d", line, i);
            fputs(i + 1 < n ? (rng_below(&r, 20) ? " " : " \t ") : "", fp);
        }
        fputs(line == 699 ? "" : kind == 3 ? "\r\n" : "\n", fp);
    }
    REQUIRE(fclose(fp) == 0);
}

/* The vocabulary of c at -min-count 2 and its subsampling thresholds. */
static void mixed_vocab(const corpus *c, vocab *v, uint64_t **keep)
{
    w2v_err err;
    vocab_stats vs;
    vocab_count_config one = {.threads = 1};
    REQUIRE_MSG(vocab_init(v, &err) == 0 && vocab_count(v, c, &one, &vs,
                                                        &err) == 0 &&
                    vocab_finalize(v, 2, &err) == 0,
                "%s", err.msg);
    REQUIRE(v->size > 16384 + 100);
    REQUIRE((*keep = malloc(sizeof **keep * (size_t)v->size)) != NULL);
    subsample_thresholds(v->counts, v->size, v->total, 1e-3, *keep);
}

/* Reads every range of an n-way split of c three times through a reader
 * of the text and through one with a cache, with the same subsampling
 * draws: the same sentences, counts and places throughout.  With bytes
 * NULL each cache is unlimited, and bytes[i] gets what range i's took;
 * else range i's cache is limited to half of bytes[i], and keeps only the
 * first part of the range. */
static void same_sentences_in(const corpus *c, const vocab *v,
                              const uint64_t *keep, int n, int64_t *bytes,
                              const int64_t *whole)
{
    static int32_t a[SENTENCE_MAX], b[SENTENCE_MAX];
    w2v_err err;
    for (int i = 0; i < n; i++) {
        rng ra, rb;
        rng_seed(&ra, 5, (uint64_t)i);
        rng_seed(&rb, 5, (uint64_t)i);
        sentence_reader text, cached;
        corpus_cache k;
        int64_t begin = corpus_range_start(c, i, n);
        int64_t end = corpus_range_start(c, i + 1, n);
        /* a small buffer: words straddle its refills */
        REQUIRE(sentence_reader_init(&text, c, begin, end, 97, &v->table,
                                     v->words, keep, &ra, &err) == 0 &&
                sentence_reader_init(&cached, c, begin, end, 97, &v->table,
                                     v->words, keep, &rb, &err) == 0 &&
                corpus_cache_init(&k, 0, whole ? whole[i] / 2 : INT64_MAX,
                                  !whole, &err) == 0);
        sentence_reader_use_cache(&cached, &k);
        int64_t sentences = 0, differ = 0, places = 0;
        for (int pass = 0; pass < 3; pass++) {
            CHECK(cached.replaying == (pass > 0));
            while (!text.at_end) {
                int la = sentence_next(&text, a, &err);
                int lb = sentence_next(&cached, b, &err);
                REQUIRE(la >= 0 && lb >= 0);
                sentences++;
                if (la != lb || memcmp(a, b, sizeof *a * (size_t)la) != 0 ||
                    text.at_end != cached.at_end)
                    differ++;
                int64_t oa, ob;
                int sa, sb;
                REQUIRE(sentence_tell(&text, &oa, &sa, &err) == 0);
                REQUIRE_MSG(sentence_tell(&cached, &ob, &sb, &err) == 0, "%s",
                            err.msg);
                if (oa != ob || sa != sb)
                    places++;
            }
            CHECK(cached.at_end && text.known == cached.known);
            sentence_rewind(&text);
            sentence_rewind(&cached);
        }
        CHECK_MSG(differ == 0 && places == 0,
                  "range %d of %d: %lld of %lld sentences differ, %lld places",
                  i + 1, n, (long long)differ, (long long)sentences,
                  (long long)places);
        if (whole)
            CHECK_MSG(k.state == CORPUS_CACHE_PARTIAL && k.words > 0 &&
                          k.words * 3 < text.known,
                      "range %d of %d: state %d, %lld of %lld words", i + 1,
                      n, (int)k.state, (long long)k.words,
                      (long long)text.known / 3);
        else
            CHECK(k.state == CORPUS_CACHE_COMPLETE &&
                  k.words * 3 == text.known);
        if (bytes)
            bytes[i] = corpus_cache_bytes(&k);
        sentence_reader_free(&text);
        sentence_reader_free(&cached);
        corpus_cache_free(&k);
    }
}

TEST(corpus_cache_reads_the_same_sentences_for_any_split)
{
    char path[HARNESS_PATH_MAX];
    write_mixed_corpus(path);
    corpus c;
    w2v_err err;
    REQUIRE_MSG(corpus_open(&c, path, NULL, &err) == 0, "%s", err.msg);
    vocab v;
    uint64_t *keep;
    mixed_vocab(&c, &v, &keep);
    int64_t bytes[7];
    for (int n = 1; n <= 7; n += 3) {
        same_sentences_in(&c, &v, keep, n, bytes, NULL);
        same_sentences_in(&c, &v, keep, n, NULL, bytes); /* partial caches */
    }
    free(keep);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_cache_partial_cut_before_a_newline)
{
    /* room for two events: the cache stops after "b", right before a
     * newline, and the text read from there still ends the sentence */
    char path[HARNESS_PATH_MAX];
    FILE *fp = harness_temp_file(path, "test-cut");
    fputs("a b\nc d e\n", fp);
    REQUIRE(fclose(fp) == 0);
    corpus c;
    w2v_err err;
    REQUIRE_MSG(corpus_open(&c, path, NULL, &err) == 0, "%s", err.msg);
    vocab v;
    vocab_stats vs;
    vocab_count_config one = {.threads = 1};
    REQUIRE_MSG(vocab_init(&v, &err) == 0 &&
                    vocab_count(&v, &c, &one, &vs, &err) == 0 &&
                    vocab_finalize(&v, 1, &err) == 0,
                "%s", err.msg);
    sentence_reader s;
    corpus_cache k;
    rng r;
    rng_seed(&r, 1, 0);
    REQUIRE(sentence_reader_init(&s, &c, 0, c.size, 64, &v.table, v.words,
                                 NULL, &r, &err) == 0 &&
            corpus_cache_init(&k, 0, 64 * (int64_t)sizeof(cache_mark) + 6,
                              0, &err) == 0);
    sentence_reader_use_cache(&s, &k);
    static int32_t ids[SENTENCE_MAX];
    int lens[2][3];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 3; i++)
            lens[pass][i] = sentence_next(&s, ids, &err);
        sentence_rewind(&s);
    }
    CHECK(k.state == CORPUS_CACHE_PARTIAL && k.events == 2 &&
          k.end_after_word);
    CHECK_MSG(lens[1][0] == 2 && lens[1][1] == 3 && lens[1][2] == 0 &&
                  memcmp(lens[0], lens[1], sizeof lens[0]) == 0,
              "sentences of %d, %d, %d words, from the text %d, %d, %d",
              lens[1][0], lens[1][1], lens[1][2], lens[0][0], lens[0][1],
              lens[0][2]);
    sentence_reader_free(&s);
    corpus_cache_free(&k);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_cache_places_resume_the_text_reader)
{
    /* from any place in a cached pass, a reader of the text seeking to the
     * place it names goes on with the same sentences */
    char path[HARNESS_PATH_MAX];
    write_mixed_corpus(path);
    corpus c;
    w2v_err err;
    REQUIRE_MSG(corpus_open(&c, path, NULL, &err) == 0, "%s", err.msg);
    vocab v;
    uint64_t *keep;
    mixed_vocab(&c, &v, &keep);
    static int32_t a[SENTENCE_MAX], b[SENTENCE_MAX];
    rng r;
    sentence_reader cached, text;
    corpus_cache k;
    REQUIRE(sentence_reader_init(&cached, &c, 0, c.size, 4096, &v.table,
                                 v.words, NULL, &r, &err) == 0 &&
            sentence_reader_init(&text, &c, 0, c.size, 4096, &v.table,
                                 v.words, NULL, &r, &err) == 0 &&
            corpus_cache_init(&k, 0, INT64_MAX, 1, &err) == 0);
    sentence_reader_use_cache(&cached, &k);
    while (!cached.at_end)
        REQUIRE(sentence_next(&cached, a, &err) >= 0);
    sentence_rewind(&cached);
    REQUIRE(cached.replaying && k.n_marks >= 3);
    int64_t tried = 0, wrong = 0;
    for (int64_t s = 0; !cached.at_end; s++) {
        REQUIRE(sentence_next(&cached, a, &err) >= 0);
        if (s % 7 != 0)
            continue;
        int64_t offset;
        int skip;
        REQUIRE_MSG(sentence_tell(&cached, &offset, &skip, &err) == 0, "%s",
                    err.msg);
        sentence_seek(&text, offset, skip);
        tried++;
        for (int j = 0; j < 5 && !cached.at_end; j++) {
            int la = sentence_next(&cached, a, &err);
            int lb = sentence_next(&text, b, &err);
            if (la != lb || memcmp(a, b, sizeof *a * (size_t)la) != 0) {
                wrong++;
                break;
            }
        }
    }
    CHECK_MSG(tried > 50 && wrong == 0, "%lld of %lld places wrong",
              (long long)wrong, (long long)tried);
    sentence_reader_free(&cached);
    sentence_reader_free(&text);
    corpus_cache_free(&k);
    free(keep);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
}

/* A model over the vocabulary of c, ready to train with cfg (checked). */
static void new_model(model *m, const corpus *c, train_config *cfg)
{
    w2v_err err;
    vocab_stats vs;
    vocab_count_config one = {.threads = 1};
    memset(m, 0, sizeof *m);
    REQUIRE_MSG(train_config_check(cfg, &err) == 0 &&
                    vocab_init(&m->vocab, &err) == 0 &&
                    vocab_count(&m->vocab, c, &one, &vs, &err) == 0 &&
                    vocab_finalize(&m->vocab, cfg->min_count, &err) == 0 &&
                    model_init(m, cfg->dim, cfg->seed, &err) == 0,
                "%s", err.msg);
}

/* Trains m on c with cfg (its cache set), taking a snapshot past `after`
 * words, then a model resumed from it: both must give off's bytes. */
static void same_bytes_as(const model *off, const train_stats *s_off,
                          const corpus *c, train_config *cfg, int64_t after,
                          train_stats *s)
{
    w2v_err err;
    model on, resumed;
    train_stats s_resumed;
    new_model(&on, c, cfg);
    size_t bytes = sizeof(float) * (size_t)(on.vocab.size * on.stride);
    snapshot sn = {.after = after, .bytes = bytes};
    train_monitor mon = snapshot_monitor(&sn);
    REQUIRE_MSG(train_run(&on, c, cfg, &kernel_scalar, &mon, NULL, s,
                          &err) == 0, "%s", err.msg);
    CHECK(memcmp(on.emb_in, off->emb_in, bytes) == 0);
    CHECK(memcmp(on.emb_out, off->emb_out, bytes) == 0);
    CHECK(s->loss_total == s_off->loss_total);
    /* resumed from a snapshot in an epoch that read the cache: the text
     * from the place it names, then a cache again */
    REQUIRE(sn.taken);
    CHECK_MSG(sn.st.thread[0].epoch >= 1 && sn.st.thread[0].epoch < cfg->iter,
              "snapshot in epoch %lld", (long long)sn.st.thread[0].epoch + 1);
    new_model(&resumed, c, cfg);
    memcpy(resumed.emb_in, sn.in, bytes);
    memcpy(resumed.emb_out, sn.out, bytes);
    REQUIRE_MSG(train_run(&resumed, c, cfg, &kernel_scalar, NULL, &sn.st,
                          &s_resumed, &err) == 0, "%s", err.msg);
    CHECK(memcmp(resumed.emb_in, off->emb_in, bytes) == 0);
    CHECK(memcmp(resumed.emb_out, off->emb_out, bytes) == 0);
    train_stats_free(&s_resumed);
    snapshot_free(&sn);
    model_free(&on);
    model_free(&resumed);
}

TEST(train_corpus_cache_gives_the_same_bytes)
{
    char path[HARNESS_PATH_MAX];
    write_mixed_corpus(path);
    corpus c;
    w2v_err err;
    REQUIRE_MSG(corpus_open(&c, path, NULL, &err) == 0, "%s", err.msg);
    train_config cfg;
    train_config_defaults(&cfg);
    cfg.dim = 8;
    cfg.iter = 4;
    cfg.window = 2;
    cfg.negative = 1;
    cfg.threads = 1;
    cfg.seed = 9;
    cfg.min_count = 2;
    model off;
    train_stats s_off, s_on, s_part;
    cfg.corpus_cache = CORPUS_CACHE_OFF;
    new_model(&off, &c, &cfg);
    REQUIRE_MSG(train_run(&off, &c, &cfg, &kernel_scalar, NULL, NULL, &s_off,
                          &err) == 0, "%s", err.msg);
    CHECK(s_off.cache_threads == 0 && s_off.cache_bytes == 0);
    const int64_t total = off.vocab.total;
    /* the whole corpus cached; the snapshot early in epoch 2 */
    cfg.corpus_cache = CORPUS_CACHE_ON;
    same_bytes_as(&off, &s_off, &c, &cfg, total * 13 / 10, &s_on);
    CHECK_MSG(s_on.cache_threads == 1 && s_on.cache_partial == 0 &&
                  s_on.cache_words == total && s_on.cache_bytes > 0 &&
                  s_on.cache_bytes < total * 3,
              "%lld threads, %lld words of %lld, %lld bytes",
              (long long)s_on.cache_threads, (long long)s_on.cache_words,
              (long long)total, (long long)s_on.cache_bytes);
    /* auto with a budget of half of it: the first part cached, the rest
     * read from the text; the snapshot late in epoch 2, in the text */
    cfg.corpus_cache = CORPUS_CACHE_AUTO;
    cfg.corpus_cache_budget = s_on.cache_bytes / 2;
    same_bytes_as(&off, &s_off, &c, &cfg, total * 18 / 10, &s_part);
    CHECK_MSG(s_part.cache_threads == 1 && s_part.cache_partial == 1 &&
                  s_part.cache_words > total / 3 &&
                  s_part.cache_words < total * 2 / 3 &&
                  s_part.cache_bytes <= cfg.corpus_cache_budget,
              "%lld threads, %lld partial, %lld words of %lld, %lld bytes",
              (long long)s_part.cache_threads,
              (long long)s_part.cache_partial, (long long)s_part.cache_words,
              (long long)total, (long long)s_part.cache_bytes);
    train_stats_free(&s_on);
    train_stats_free(&s_off);
    train_stats_free(&s_part);
    model_free(&off);
    corpus_close(&c);
    unlink(path);
}

TEST(train_corpus_cache_plan)
{
    char path[HARNESS_PATH_MAX];
    write_mixed_corpus(path);
    corpus c;
    w2v_err err;
    REQUIRE_MSG(corpus_open(&c, path, NULL, &err) == 0, "%s", err.msg);
    train_config cfg;
    train_config_defaults(&cfg);
    cfg.min_count = 2;
    CHECK(cfg.corpus_cache == CORPUS_CACHE_AUTO);
    model m;
    new_model(&m, &c, &cfg);
    train_cache_plan plan;
    train_cache_plan_for(&m, &c, &cfg, &plan);
    CHECK(plan.estimate ==
          corpus_cache_estimate(m.vocab.counts, m.vocab.size));
    /* with combining, the threads' blocks take their part of auto's
     * budget first: here the whole corpus, 8.5 bytes a word */
    int64_t fifth = 2 * m.vocab.size * m.dim * (int64_t)sizeof(float) / 5;
    int64_t blocks = (m.vocab.total + cfg.threads) * 17 / 2;
    CHECK_MSG(plan.blocks >= blocks - 4 * cfg.threads &&
                  plan.blocks <= blocks + 4 * cfg.threads,
              "blocks %lld, expected about %lld", (long long)plan.blocks,
              (long long)blocks);
    CHECK(plan.budget == (fifth > plan.blocks ? fifth - plan.blocks : 0) &&
          plan.use == (plan.budget > 0));
    cfg.combine_block = 1000; /* blocks of 1000 words a thread */
    train_cache_plan short_blocks;
    train_cache_plan_for(&m, &c, &cfg, &short_blocks);
    CHECK(short_blocks.blocks == cfg.threads * (8000 + 500));
    cfg.combine_block = TRAIN_COMBINE_BLOCK;
    /* without: a fifth of the matrices, at most a quarter of the memory */
    cfg.combine = 1;
    train_cache_plan_for(&m, &c, &cfg, &plan);
    if (w2v_memory_bytes() > 0 && fifth > w2v_memory_bytes() / 4)
        fifth = w2v_memory_bytes() / 4;
    CHECK(plan.blocks == 0);
    CHECK(plan.budget == fifth && plan.budget > 0 && plan.use);
    CHECK(plan.by_memory == (fifth < 2 * m.vocab.size * m.dim *
                                         (int64_t)sizeof(float) / 5));
    CHECK(plan.whole == (plan.estimate <= plan.budget));
    /* a budget given */
    cfg.corpus_cache_budget = plan.estimate / 3;
    train_cache_plan given;
    train_cache_plan_for(&m, &c, &cfg, &given);
    CHECK(given.use && !given.whole && given.budget == plan.estimate / 3);
    cfg.corpus_cache_budget = plan.estimate;
    train_cache_plan_for(&m, &c, &cfg, &given);
    CHECK(given.use && given.whole);
    cfg.corpus_cache_budget = -1;
    CHECK(train_config_check(&cfg, &err) == -1 &&
          strstr(err.msg, "negative") != NULL);
    cfg.corpus_cache_budget = 0;
    /* one epoch reads the text once: nothing for a cache to save */
    cfg.iter = 1;
    train_cache_plan one_epoch;
    train_cache_plan_for(&m, &c, &cfg, &one_epoch);
    CHECK(!one_epoch.use);
    cfg.iter = 5;
    /* a part of the corpus (an MPI rank's): its share of the estimate */
    corpus_set_window(&c, 1, 2);
    train_cache_plan half;
    train_cache_plan_for(&m, &c, &cfg, &half);
    CHECK_NEAR((double)half.estimate, (double)plan.estimate / 2.0, 2.0);
    cfg.corpus_cache = CORPUS_CACHE_OFF;
    train_cache_plan_for(&m, &c, &cfg, &plan);
    CHECK(!plan.use);
    cfg.corpus_cache = CORPUS_CACHE_ON;
    train_cache_plan_for(&m, &c, &cfg, &plan);
    CHECK(plan.use && plan.whole);
    CHECK(strcmp(corpus_cache_mode_name(CORPUS_CACHE_AUTO), "auto") == 0 &&
          strcmp(corpus_cache_mode_name(CORPUS_CACHE_ON), "on") == 0 &&
          strcmp(corpus_cache_mode_name(CORPUS_CACHE_OFF), "off") == 0);
    cfg.corpus_cache = (corpus_cache_mode)7;
    CHECK(train_config_check(&cfg, &err) == -1 &&
          strstr(err.msg, "-corpus-cache") != NULL);
    model_free(&m);
    corpus_close(&c);
    unlink(path);
}
