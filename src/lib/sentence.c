/* sentence.c - reading the text as sentences of word ids (sentence.h). */
#include "sentence.h"

#include <string.h>

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

void sentence_rewind(sentence_reader *s)
{
    reader_rewind(&s->tokens);
    s->at_end = 0;
}

int sentence_next(sentence_reader *s, int32_t *ids, w2v_err *err)
{
    const uint64_t always = (uint64_t)1 << 32;
    char word[W2V_MAX_WORD + 1];
    int len = 0, wlen;
    while (len < SENTENCE_MAX) {
        int got = reader_next(&s->tokens, word, &wlen, err);
        if (got == READ_ERROR)
            return -1;
        if (got == READ_END) {
            s->at_end = 1;
            break;
        }
        if (got == READ_SENTENCE_END) {
            if (len > 0)
                break;
            continue;
        }
        s->tokens_read++;
        int64_t id = word_table_find(s->table, s->words, word, wlen);
        if (id < 0)
            continue;
        s->known++;
        if (s->keep) {
            uint64_t keep = s->keep[id];
            if (keep < always && (rng_next(s->rng) >> 32) >= keep)
                continue;
        }
        ids[len++] = (int32_t)id;
    }
    return len;
}

void sentence_reader_free(sentence_reader *s)
{
    reader_free(&s->tokens);
}
