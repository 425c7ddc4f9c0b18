/* sentence.c - reading the text as sentences of word ids, from the text or
 * from its corpus cache (sentence.h). */
#include "sentence.h"

#include <string.h>

/* What text_event and replay_event return besides word ids (>= 0) and
 * CORPUS_CACHE_SENTENCE_END. */
#define EVENT_END ((int64_t)-2)
#define EVENT_ERROR ((int64_t)-3)

int sentence_reader_init(sentence_reader *s, const corpus *c, int64_t begin,
                         int64_t end, int64_t buf_size,
                         const word_table *table, char *const *words,
                         const uint64_t *keep, rng *r, w2v_err *err)
{
    memset(s, 0, sizeof *s);
    s->table = table;
    s->words = words;
    s->keep = keep;
    s->rng = r;
    return reader_init(&s->tokens, c, begin, end, buf_size, err);
}

/* 1 when r stands where reader_rewind puts it. */
static int at_range_start(const token_reader *r)
{
    int skip;
    int64_t offset = reader_tell(r, &skip);
    return offset == r->begin && (skip || r->begin == 0);
}

void sentence_reader_use_cache(sentence_reader *s, corpus_cache *k)
{
    s->cache = k;
    if (at_range_start(&s->tokens))
        sentence_rewind(s);
}

void sentence_rewind(sentence_reader *s)
{
    reader_rewind(&s->tokens);
    s->at_end = 0;
    s->after_word = 0;
    s->recording = s->replaying = 0;
    if (!s->cache)
        return;
    if (s->cache->state == CORPUS_CACHE_COMPLETE ||
        s->cache->state == CORPUS_CACHE_PARTIAL) {
        s->replaying = 1;
        s->cache_pos = s->cache_events = 0;
        s->replay_end = INT64_MAX;
    } else if (s->cache->state != CORPUS_CACHE_DROPPED) {
        corpus_cache_start(s->cache);
        s->recording = 1;
    }
}

/* The next event of the text: a word of the table (its id) or a newline
 * after one (CORPUS_CACHE_SENTENCE_END; *after_word says whether a word
 * came since the last), EVENT_END or EVENT_ERROR.  Tokens read are added
 * to *tokens. */
static inline int64_t text_event(token_reader *r, const word_table *table,
                                 char *const *words, int *after_word,
                                 int64_t *tokens, w2v_err *err)
{
    char word[W2V_MAX_WORD + 1];
    int wlen;
    for (;;) {
        int got = reader_next(r, word, &wlen, err);
        if (got == READ_ERROR)
            return EVENT_ERROR;
        if (got == READ_END)
            return EVENT_END;
        if (got == READ_SENTENCE_END) {
            if (!*after_word)
                continue; /* meets an empty sentence: no event */
            *after_word = 0;
            return CORPUS_CACHE_SENTENCE_END;
        }
        ++*tokens;
        int64_t id = word_table_find(table, words, word, wlen);
        if (id >= 0) {
            *after_word = 1;
            return id;
        }
    }
}

/* The next event from the text, recorded in the cache when this pass
 * records it. */
static inline int64_t read_event(sentence_reader *s, w2v_err *err)
{
    int64_t ev;
    do
        ev = text_event(&s->tokens, s->table, s->words, &s->after_word,
                        &s->tokens_read, err);
    while (ev == EVENT_END && s->extend && s->extend(s->extend_arg, s));
    if (!s->recording || ev == EVENT_ERROR)
        return ev;
    int skip;
    int64_t offset = reader_tell(&s->tokens, &skip);
    if (ev == EVENT_END) {
        corpus_cache_finish(s->cache, offset);
        s->recording = 0;
    } else if (corpus_cache_add(s->cache, ev, offset, err)) {
        return EVENT_ERROR;
    } else if (s->cache->state != CORPUS_CACHE_RECORDING) {
        s->recording = 0; /* partial or dropped: the rest is not kept */
    }
    return ev;
}

/* The next event from the cache, and past the end of a partial one from
 * the text where it stopped. */
static inline int64_t replay_event(sentence_reader *s, w2v_err *err)
{
    const corpus_cache *k = s->cache;
    if (s->cache_pos < k->len &&
        (s->cache_events < s->replay_end ||
         (s->extend && s->extend(s->extend_arg, s)))) {
        s->cache_events++;
        return corpus_cache_event(k, &s->cache_pos);
    }
    if (s->cache_pos < k->len || k->state != CORPUS_CACHE_PARTIAL)
        return EVENT_END;
    reader_seek(&s->tokens, k->end_offset, 0);
    s->after_word = k->end_after_word;
    s->replaying = 0;
    return read_event(s, err);
}

int sentence_next(sentence_reader *s, int32_t *ids, w2v_err *err)
{
    const uint64_t always = (uint64_t)1 << 32;
    int len = 0;
    while (len < SENTENCE_MAX) {
        int64_t ev = s->replaying ? replay_event(s, err) : read_event(s, err);
        if (ev == EVENT_ERROR)
            return -1;
        if (ev == EVENT_END) {
            s->at_end = 1;
            break;
        }
        if (ev == CORPUS_CACHE_SENTENCE_END) {
            if (len > 0)
                break;
            continue;
        }
        s->known++;
        if (s->keep) {
            uint64_t keep = s->keep[ev];
            if (keep < always && (rng_next(s->rng) >> 32) >= keep)
                continue;
        }
        ids[len++] = (int32_t)ev;
    }
    return len;
}

int sentence_tell(sentence_reader *s, int64_t *offset, int *skip_partial,
                  w2v_err *err)
{
    token_reader *r = &s->tokens;
    if (!s->replaying) {
        *offset = reader_tell(r, skip_partial);
        return 0;
    }
    if (s->at_end && s->cache_pos == s->cache->len) {
        *offset = s->cache->end_offset;
        *skip_partial = 0;
        return 0;
    }
    /* from the last mark at or before the place, the text read again */
    int64_t mark = s->cache_events / CORPUS_CACHE_MARK_EVERY;
    int64_t left = s->cache_events - mark * CORPUS_CACHE_MARK_EVERY;
    int after_word = 0;
    int64_t tokens = 0;
    if (mark == 0) {
        reader_rewind(r);
    } else {
        const cache_mark *m = &s->cache->marks[mark - 1];
        reader_seek(r, m->offset, 0);
        after_word = m->after_word;
    }
    for (; left > 0; left--) {
        int64_t ev = text_event(r, s->table, s->words, &after_word, &tokens,
                                err);
        if (ev == EVENT_ERROR)
            return -1;
        if (ev == EVENT_END)
            return w2v_fail(err, "%s: changed while it was trained on (its "
                                 "text no longer has the words read from "
                                 "it)", r->c->name);
    }
    *offset = reader_tell(r, skip_partial);
    return 0;
}

void sentence_seek(sentence_reader *s, int64_t offset, int skip_partial)
{
    reader_seek(&s->tokens, offset, skip_partial);
    if (at_range_start(&s->tokens)) {
        sentence_rewind(s);
        return;
    }
    s->at_end = 0;
    s->after_word = 0;
    s->recording = s->replaying = 0;
}

void sentence_reader_free(sentence_reader *s)
{
    reader_free(&s->tokens);
}
