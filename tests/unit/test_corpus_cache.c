/* test_corpus_cache.c - the corpus kept as word ids: the encoding, its
 * marks and its limits. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus_cache.h"
#include "harness.h"

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

TEST(corpus_cache_over_its_limit_is_dropped_or_refused)
{
    corpus_cache k;
    w2v_err err = {""};
    /* auto: past the limit the cache is dropped, and adding goes on */
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
