/* eval.c - nearest neighbours, analogies, the analogy benchmark in blocked
 * batches, and word-pair similarity (see eval.h). */
#include "eval.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Candidate rows per gemm call: the score tile of one block (distinct
 * question words x CANDIDATE_BLOCK floats, ~1 MB for the Google set) stays
 * in L2 while each question combines three of its rows. */
#define CANDIDATE_BLOCK 256
#define MAX_EVAL_THREADS 256

void eval_normalize(vectors *v, const kernel *kern)
{
    for (int64_t i = 0; i < v->n; i++) {
        float *row = v->data + i * v->stride;
        double norm = sqrt((double)kern->dot(row, row, v->dim));
        if (norm > 0.0) {
            float scale = (float)(1.0 / norm);
            for (int64_t j = 0; j < v->dim; j++)
                row[j] *= scale;
        }
    }
}

/* Offers (row, score) to hits[0..*n-1], kept best first.  Rows must be
 * offered in increasing order: an equal score never displaces a lower row. */
static void topk_offer(eval_hit *hits, int *n, int k, int64_t row, float score)
{
    if (*n == k && !(score > hits[k - 1].score))
        return;
    int i = *n < k ? (*n)++ : k - 1;
    while (i > 0 && hits[i - 1].score < score) {
        hits[i] = hits[i - 1];
        i--;
    }
    hits[i].row = row;
    hits[i].score = score;
}

static int is_excluded(int64_t row, const int64_t *exclude, int n_exclude)
{
    for (int i = 0; i < n_exclude; i++)
        if (exclude[i] == row)
            return 1;
    return 0;
}

/* 3CosMul from the three cosines of a candidate. */
static inline float cos_mul(float ca, float cb, float cc)
{
    return (cb + 1.0f) * 0.5f * ((cc + 1.0f) * 0.5f) /
           ((ca + 1.0f) * 0.5f + EVAL_MUL_EPSILON);
}

/* The score of row `row` of v for the query (eval_nearest). */
static float score_row(const kernel *kern, const vectors *v,
                       eval_method method, const float *query,
                       const float *row)
{
    if (method == EVAL_ADD)
        return kern->dot(query, row, v->dim);
    return cos_mul(kern->dot(query, row, v->dim),
                   kern->dot(query + v->dim, row, v->dim),
                   kern->dot(query + 2 * v->dim, row, v->dim));
}

int eval_nearest(const kernel *kern, const vectors *v, int64_t rows,
                 eval_method method, const float *query,
                 const int64_t *exclude, int n_exclude, int k, eval_hit *out)
{
    int n = 0;
    if (rows > v->n || rows <= 0)
        rows = v->n;
    for (int64_t r = 0; r < rows && k > 0; r++) {
        float score = score_row(kern, v, method, query, v->data + r * v->stride);
        if (n == k && !(score > out[k - 1].score))
            continue;
        if (!is_excluded(r, exclude, n_exclude))
            topk_offer(out, &n, k, r, score);
    }
    return n;
}

int64_t eval_rank(const kernel *kern, const vectors *v, int64_t rows,
                  eval_method method, const float *query,
                  const int64_t *exclude, int n_exclude, int64_t target)
{
    if (rows > v->n || rows <= 0)
        rows = v->n;
    if (target < 0 || target >= rows || is_excluded(target, exclude, n_exclude))
        return 0;
    float mine = score_row(kern, v, method, query, v->data + target * v->stride);
    int64_t ahead = 0;
    for (int64_t r = 0; r < rows; r++) {
        float score = score_row(kern, v, method, query, v->data + r * v->stride);
        if ((score > mine || (score == mine && r < target)) &&
            !is_excluded(r, exclude, n_exclude))
            ahead++;
    }
    return ahead + 1;
}

/* ---- vocabulary with optional case folding ---- */

/* Longest word eval_vocab_find folds; longer ones are not found. */
#define MAX_FOLDED_WORD 4096

/* The upper-case partner of a two-byte code point (U+0080..U+07FF) in the
 * Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic blocks, or cp
 * itself (see eval.h for the exact list).  Every partner is also two bytes
 * long, so folding never changes a word's length. */
static uint32_t upper_2byte(uint32_t cp)
{
    /* Latin-1 Supplement: a-grave..thorn (but the division sign), y-umlaut,
     * micro sign */
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 0x20;
    if (cp == 0xFF)
        return 0x178;
    if (cp == 0xB5)
        return 0x39C;
    /* Latin Extended-A: pairs, upper first; dotless i and long s fold to
     * one-byte ASCII letters and stay as they are */
    if ((cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) ||
        (cp >= 0x14A && cp <= 0x177))
        return cp & ~1u;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp & 1u ? cp : cp - 1;
    /* Greek: final sigma folds with sigma */
    if ((cp >= 0x3B1 && cp <= 0x3C1) || (cp >= 0x3C3 && cp <= 0x3CB))
        return cp - 0x20;
    if (cp == 0x3C2)
        return 0x3A3;
    if (cp == 0x3AC)
        return 0x386;
    if (cp >= 0x3AD && cp <= 0x3AF)
        return cp - 0x25;
    if (cp == 0x3CC)
        return 0x38C;
    if (cp == 0x3CD || cp == 0x3CE)
        return cp - 0x3F;
    if (cp >= 0x3D8 && cp <= 0x3EF)
        return cp & ~1u;
    /* Cyrillic */
    if (cp >= 0x430 && cp <= 0x44F)
        return cp - 0x20;
    if (cp >= 0x450 && cp <= 0x45F)
        return cp - 0x50;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x4FF))
        return cp & ~1u;
    if (cp >= 0x4C1 && cp <= 0x4CE)
        return cp & 1u ? cp : cp - 1;
    if (cp == 0x4CF)
        return 0x4C0;
    return cp;
}

void eval_fold_case(const char *word, size_t len, char *out)
{
    const unsigned char *w = (const unsigned char *)word;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = w[i];
        if (c >= 'a' && c <= 'z') {
            out[i] = (char)(c - 'a' + 'A');
        } else if (c >= 0xC2 && c <= 0xDF && i + 1 < len &&
                   (w[i + 1] & 0xC0) == 0x80) {
            /* a well-formed two-byte sequence; anything else is copied */
            uint32_t cp = upper_2byte((uint32_t)(c & 0x1F) << 6 |
                                      (w[i + 1] & 0x3F));
            out[i] = (char)(0xC0 | cp >> 6);
            out[i + 1] = (char)(0x80 | (cp & 0x3F));
            i++;
        } else {
            out[i] = (char)c;
        }
    }
    out[len] = '\0';
}

int eval_vocab_init(eval_vocab *ev, const vectors *v, int64_t rows,
                    int case_insensitive, w2v_err *err)
{
    memset(ev, 0, sizeof *ev);
    ev->v = v;
    ev->rows = rows <= 0 || rows > v->n ? v->n : rows;
    ev->case_insensitive = case_insensitive;
    ev->keys = v->words;
    ev->canon = w2v_malloc((size_t)(ev->rows + 1) * sizeof(int64_t), err);
    if (!ev->canon ||
        word_table_init(&ev->table, word_table_slots_for(ev->rows), err))
        goto fail;
    if (case_insensitive) {
        size_t bytes = 0;
        for (int64_t r = 0; r < ev->rows; r++)
            bytes += strlen(v->words[r]) + 1;
        ev->fold_pool = w2v_malloc(bytes + 1, err);
        ev->folded = w2v_malloc((size_t)(ev->rows + 1) * sizeof(char *), err);
        if (!ev->fold_pool || !ev->folded)
            goto fail;
        char *p = ev->fold_pool;
        for (int64_t r = 0; r < ev->rows; r++) {
            size_t len = strlen(v->words[r]);
            eval_fold_case(v->words[r], len, p);
            ev->folded[r] = p;
            p += len + 1;
        }
        ev->keys = ev->folded;
    }
    for (int64_t r = 0; r < ev->rows; r++) {
        const char *key = ev->keys[r];
        int len = (int)strlen(key);
        uint32_t h = word_hash(key, len);
        uint64_t slot = word_table_probe(&ev->table, ev->keys, key, len, h);
        int64_t first = word_table_id(&ev->table, slot);
        if (first < 0)
            word_table_set(&ev->table, slot, h, len, first = r);
        ev->canon[r] = first;
    }
    return 0;
fail:
    eval_vocab_free(ev);
    return -1;
}

int64_t eval_vocab_find(const eval_vocab *ev, const char *word)
{
    size_t len = strlen(word);
    if (!ev->case_insensitive)
        return word_table_find(&ev->table, ev->keys, word, (int)len);
    char folded[MAX_FOLDED_WORD + 1];
    if (len > MAX_FOLDED_WORD)
        return -1;
    eval_fold_case(word, len, folded);
    return word_table_find(&ev->table, ev->keys, folded, (int)len);
}

void eval_vocab_free(eval_vocab *ev)
{
    free(ev->canon);
    free(ev->folded);
    free(ev->fold_pool);
    word_table_free(&ev->table);
    memset(ev, 0, sizeof *ev);
}

/* ---- reading line files ---- */

/* Opens a line file for reading ("-": standard input); *name gets what
 * messages call it. */
static FILE *open_lines(const char *path, const char **name, w2v_err *err)
{
    if (strcmp(path, "-") == 0) {
        *name = "standard input";
        return stdin;
    }
    *name = path;
    FILE *fp = fopen(path, "r");
    if (!fp)
        w2v_fail_errno(err, "%s: cannot open", path);
    return fp;
}

static void close_lines(FILE *fp)
{
    if (fp != stdin)
        fclose(fp);
}

/* Strips the line end (LF or CRLF) in place; returns the new length. */
static size_t chomp(char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    return len;
}

/* Splits line in place into at most max fields; returns how many there are
 * (possibly more than max, which are then not stored). */
static int split_fields(char *line, char delimiter, char **field, int max)
{
    int n = 0;
    if (delimiter) {
        for (char *p = line;; p++) {
            char *end = strchr(p, delimiter);
            if (n < max)
                field[n] = p;
            n++;
            if (!end)
                break;
            *end = '\0';
            p = end;
        }
        return n;
    }
    char *save = NULL;
    for (char *tok = strtok_r(line, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save)) {
        if (n < max)
            field[n] = tok;
        n++;
    }
    return n;
}

static int is_blank_line(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* ---- analogy questions ---- */

static int add_section(analogy_set *set, const char *name, w2v_err *err)
{
    analogy_section *grown = realloc(
        set->sections, (size_t)(set->n_sections + 1) * sizeof *grown);
    if (!grown)
        return w2v_fail(err, "out of memory reading questions");
    set->sections = grown;
    analogy_section *s = &set->sections[set->n_sections];
    memset(s, 0, sizeof *s);
    if (!(s->name = strdup(name)))
        return w2v_fail(err, "out of memory reading questions");
    set->n_sections++;
    s->syntactic = strncmp(name, "gram", 4) == 0;
    return 0;
}

static int add_question(analogy_set *set, int64_t *cap,
                        const analogy_question *q, w2v_err *err)
{
    if (set->n_questions == *cap) {
        int64_t bigger = *cap ? 2 * *cap : 1024;
        analogy_question *grown =
            realloc(set->questions, (size_t)bigger * sizeof *grown);
        if (!grown)
            return w2v_fail(err, "out of memory reading questions");
        set->questions = grown;
        *cap = bigger;
    }
    set->questions[set->n_questions++] = *q;
    return 0;
}

/* Parses one line of a question file. */
static int analogy_line(const char *path, long long line_no, char *line,
                        const eval_vocab *ev, analogy_set *set, int64_t *cap,
                        w2v_err *err)
{
    if (line[0] == ':') {
        char *name = line + 1;
        while (*name == ' ' || *name == '\t')
            name++;
        size_t len = strlen(name);
        while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
            name[--len] = '\0';
        if (!len)
            return w2v_fail(err, "%s: line %lld: section without a name",
                            path, line_no);
        return add_section(set, name, err);
    }
    char *word[4];
    int n = split_fields(line, 0, word, 4);
    if (n != 4)
        return w2v_fail(err, "%s: line %lld: expected 4 words, found %d",
                        path, line_no, n);
    if (!set->n_sections)
        return w2v_fail(err, "%s: line %lld: question before the first "
                        "': section' line", path, line_no);
    analogy_question q = {-1, -1, -1, -1, -1, set->n_sections - 1, 0};
    int64_t rows[4];
    int covered = 1;
    for (int i = 0; i < 4; i++)
        covered &= (rows[i] = eval_vocab_find(ev, word[i])) >= 0;
    if (covered) {
        q.a = rows[0];
        q.b = rows[1];
        q.c = rows[2];
        q.expected = rows[3];
    }
    set->sections[q.section].total++;
    return add_question(set, cap, &q, err);
}

int analogy_read(const char *path, const eval_vocab *ev, analogy_set *set,
                 w2v_err *err)
{
    memset(set, 0, sizeof *set);
    FILE *fp = open_lines(path, &path, err);
    if (!fp)
        return -1;
    char *line = NULL;
    size_t line_cap = 0;
    int64_t cap = 0;
    long long line_no = 0;
    int rc = 0;
    ssize_t len;
    while (rc == 0 && (len = getline(&line, &line_cap, fp)) >= 0) {
        line_no++;
        chomp(line, (size_t)len);
        if (!is_blank_line(line))
            rc = analogy_line(path, line_no, line, ev, set, &cap, err);
    }
    if (rc == 0 && ferror(fp))
        rc = w2v_fail_errno(err, "%s: read failed", path);
    if (rc == 0 && set->n_questions == 0)
        rc = w2v_fail(err, "%s: no questions", path);
    free(line);
    close_lines(fp);
    if (rc)
        analogy_free(set);
    return rc;
}

void analogy_free(analogy_set *set)
{
    for (int i = 0; i < set->n_sections; i++)
        free(set->sections[i].name);
    free(set->sections);
    free(set->questions);
    memset(set, 0, sizeof *set);
}

/* ---- batched analogy evaluation ----
 *
 * The Google set asks ~20,000 questions about fewer than 1,000 distinct
 * words.  So instead of one query vector per question, the candidate matrix
 * is multiplied once, block by block, with the matrix W of the distinct
 * question words (kernel->gemm_nt: S = W M_block^T), and each question's
 * scores are combined from three rows of S: cos(x,b) - cos(x,a) + cos(x,c)
 * for 3CosAdd (the dot product of x with b - a + c), or 3CosMul.  Threads
 * take interleaved candidate blocks and keep their own top lists, merged at
 * the end. */

typedef struct analogy_plan {
    const kernel *kern;
    const eval_vocab *ev;
    eval_method method;
    const float *words;      /* n_words rows (stride floats) */
    int64_t n_words;
    const int64_t *todo;     /* indices of the covered questions */
    const int64_t *slot;     /* 3 per covered question: rows of S */
    int64_t n_todo;
    const analogy_question *questions;
} analogy_plan;

typedef struct analogy_job {
    const analogy_plan *plan;
    int64_t first_block, block_step;
    float *scores;   /* n_words x CANDIDATE_BLOCK */
    float *combined; /* CANDIDATE_BLOCK */
    eval_hit *hits;  /* n_todo x EVAL_ANALOGY_TOPN */
    int *n_hits;     /* n_todo */
} analogy_job;

/* Offers scores s[0..count) of candidates first.. to one question's top
 * list.  Groups of SCAN_GROUP scores are first tested against the current
 * threshold with a branch-free loop the compiler vectorizes; almost every
 * group is then skipped whole. */
#define SCAN_GROUP 16
static void scan_scores(const float *s, int64_t first, int64_t count,
                        const analogy_question *q, eval_hit *hits, int *n)
{
    const int k = EVAL_ANALOGY_TOPN;
    float threshold = *n == k ? hits[k - 1].score : -INFINITY;
    for (int64_t g = 0; g < count; g += SCAN_GROUP) {
        if (g + SCAN_GROUP <= count) {
            int above = 0;
            for (int t = 0; t < SCAN_GROUP; t++)
                above |= s[g + t] > threshold;
            if (!above)
                continue;
        }
        int64_t end = g + SCAN_GROUP < count ? g + SCAN_GROUP : count;
        for (int64_t j = g; j < end; j++) {
            int64_t row = first + j;
            if (s[j] > threshold && row != q->a && row != q->b &&
                row != q->c) {
                topk_offer(hits, n, k, row, s[j]);
                threshold = *n == k ? hits[k - 1].score : -INFINITY;
            }
        }
    }
}

/* out = b - a + c and out = 3CosMul(a, b, c) over one whole block: a
 * constant trip count and no aliasing, so the compiler vectorizes them. */
static void combine_add(const float *restrict a, const float *restrict b,
                        const float *restrict c, float *restrict out)
{
    for (int j = 0; j < CANDIDATE_BLOCK; j++)
        out[j] = b[j] - a[j] + c[j];
}

static void combine_mul(const float *restrict a, const float *restrict b,
                        const float *restrict c, float *restrict out)
{
    for (int j = 0; j < CANDIDATE_BLOCK; j++)
        out[j] = cos_mul(a[j], b[j], c[j]);
}

static void *analogy_worker(void *arg)
{
    analogy_job *job = arg;
    const analogy_plan *p = job->plan;
    const vectors *v = p->ev->v;
    int64_t n_blocks = (p->ev->rows + CANDIDATE_BLOCK - 1) / CANDIDATE_BLOCK;
    for (int64_t blk = job->first_block; blk < n_blocks;
         blk += job->block_step) {
        int64_t first = blk * CANDIDATE_BLOCK;
        int64_t count = p->ev->rows - first < CANDIDATE_BLOCK
                            ? p->ev->rows - first
                            : CANDIDATE_BLOCK;
        p->kern->gemm_nt(p->words, v->stride, v->data + first * v->stride,
                         v->stride, job->scores, CANDIDATE_BLOCK, p->n_words,
                         count, v->dim);
        float *out = job->combined;
        for (int64_t i = 0; i < p->n_todo; i++) {
            const float *sa = job->scores + p->slot[3 * i] * CANDIDATE_BLOCK;
            const float *sb =
                job->scores + p->slot[3 * i + 1] * CANDIDATE_BLOCK;
            const float *sc =
                job->scores + p->slot[3 * i + 2] * CANDIDATE_BLOCK;
            /* whole blocks: entries past `count` are stale, never scanned */
            if (p->method == EVAL_ADD)
                combine_add(sa, sb, sc, out);
            else
                combine_mul(sa, sb, sc, out);
            scan_scores(out, first, count, &p->questions[p->todo[i]],
                        job->hits + i * EVAL_ANALOGY_TOPN, &job->n_hits[i]);
        }
    }
    return NULL;
}

/* The prediction rule of eval.h applied to a question's top list: the
 * canonical row predicted, -1 when there is no candidate. */
static int64_t predict(const eval_vocab *ev, const analogy_question *q,
                       const eval_hit *hits, int n)
{
    int64_t predicted = -1;
    for (int h = 0; h < n; h++) {
        predicted = ev->canon[hits[h].row];
        if (predicted != q->a && predicted != q->b && predicted != q->c)
            break;
    }
    return predicted;
}

/* Better: higher score, then lower row (the order one pass would give). */
static int hit_before(eval_hit x, eval_hit y)
{
    return x.score > y.score || (x.score == y.score && x.row < y.row);
}

/* Merges question i's top lists of all jobs into merged[]; returns its
 * length. */
static int merge_hits(const analogy_job *jobs, int n_jobs, int64_t i,
                      eval_hit *merged)
{
    int n = 0;
    for (int t = 0; t < n_jobs; t++)
        for (int h = 0; h < jobs[t].n_hits[i]; h++) {
            eval_hit x = jobs[t].hits[i * EVAL_ANALOGY_TOPN + h];
            if (n == EVAL_ANALOGY_TOPN &&
                !hit_before(x, merged[EVAL_ANALOGY_TOPN - 1]))
                continue;
            int pos = n < EVAL_ANALOGY_TOPN ? n++ : EVAL_ANALOGY_TOPN - 1;
            while (pos > 0 && hit_before(x, merged[pos - 1])) {
                merged[pos] = merged[pos - 1];
                pos--;
            }
            merged[pos] = x;
        }
    return n;
}

static void free_jobs(analogy_job *jobs, int n)
{
    for (int t = 0; t < n; t++) {
        free(jobs[t].scores);
        free(jobs[t].combined);
        free(jobs[t].hits);
        free(jobs[t].n_hits);
    }
    free(jobs);
}

/* Lists the covered questions and their distinct words: fills plan's todo,
 * slot, words and n_words (caller frees the three arrays). */
static int plan_questions(analogy_plan *p, const analogy_set *set,
                          w2v_err *err)
{
    const vectors *v = p->ev->v;
    int64_t *todo = w2v_malloc((size_t)(set->n_questions + 1) * 8, err);
    int64_t *slot = w2v_malloc((size_t)(3 * set->n_questions + 1) * 8, err);
    int64_t *slot_of_row = w2v_malloc((size_t)(p->ev->rows + 1) * 8, err);
    float *words = NULL;
    if (!todo || !slot || !slot_of_row)
        goto fail;
    memset(slot_of_row, 0xff, (size_t)(p->ev->rows + 1) * 8);
    int64_t n_todo = 0, n_words = 0;
    for (int64_t i = 0; i < set->n_questions; i++) {
        const analogy_question *q = &set->questions[i];
        if (q->a < 0)
            continue;
        const int64_t rows[3] = {q->a, q->b, q->c};
        for (int t = 0; t < 3; t++) {
            if (slot_of_row[rows[t]] < 0)
                slot_of_row[rows[t]] = n_words++;
            slot[3 * n_todo + t] = slot_of_row[rows[t]];
        }
        todo[n_todo++] = i;
    }
    words = w2v_alloc_aligned((size_t)((n_words + 1) * v->stride) * 4, err);
    if (!words)
        goto fail;
    for (int64_t r = 0; r < p->ev->rows; r++)
        if (slot_of_row[r] >= 0)
            memcpy(words + slot_of_row[r] * v->stride, v->data + r * v->stride,
                   (size_t)v->stride * 4);
    free(slot_of_row);
    p->todo = todo;
    p->slot = slot;
    p->n_todo = n_todo;
    p->words = words;
    p->n_words = n_words;
    return 0;
fail:
    free(todo);
    free(slot);
    free(slot_of_row);
    return -1;
}

int analogy_evaluate(const kernel *kern, const eval_vocab *ev, analogy_set *set,
                     eval_method method, int threads, w2v_err *err)
{
    analogy_plan plan = {kern, ev, method, NULL, 0, NULL, NULL, 0,
                         set->questions};
    if (plan_questions(&plan, set, err))
        return -1;
    int64_t n_blocks = (ev->rows + CANDIDATE_BLOCK - 1) / CANDIDATE_BLOCK;
    if (threads > n_blocks)
        threads = (int)n_blocks;
    if (threads > MAX_EVAL_THREADS)
        threads = MAX_EVAL_THREADS;
    if (threads < 1)
        threads = 1;
    int rc = 0, started = 1;
    analogy_job *jobs = w2v_calloc((size_t)threads, sizeof *jobs, err);
    if (!jobs)
        rc = -1;
    size_t score_bytes = (size_t)((plan.n_words + 1) * CANDIDATE_BLOCK) * 4;
    size_t todo = (size_t)plan.n_todo + 1;
    for (int t = 0; rc == 0 && t < threads; t++) {
        analogy_job *job = &jobs[t];
        job->plan = &plan;
        job->first_block = t;
        job->block_step = threads;
        if (!(job->scores = w2v_alloc_aligned(score_bytes, err)) ||
            !(job->combined = w2v_alloc_aligned(CANDIDATE_BLOCK * 4, err)) ||
            !(job->hits = w2v_malloc(todo * EVAL_ANALOGY_TOPN *
                                         sizeof(eval_hit), err)) ||
            !(job->n_hits = w2v_calloc(todo, sizeof(int), err)))
            rc = -1;
        else /* defined values in the lanes past a short last block */
            memset(job->scores, 0, score_bytes);
    }
    pthread_t tid[MAX_EVAL_THREADS];
    for (int t = 1; rc == 0 && t < threads; t++, started++)
        if ((errno = pthread_create(&tid[t], NULL, analogy_worker, &jobs[t])))
            rc = w2v_fail_errno(err, "cannot start a thread");
    if (rc == 0)
        analogy_worker(&jobs[0]);
    for (int t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    if (rc == 0) {
        for (int s = 0; s < set->n_sections; s++)
            set->sections[s].answered = set->sections[s].correct = 0;
        for (int64_t i = 0; i < plan.n_todo; i++) {
            analogy_question *q = &set->questions[plan.todo[i]];
            eval_hit merged[EVAL_ANALOGY_TOPN];
            int n = merge_hits(jobs, threads, i, merged);
            q->predicted = predict(ev, q, merged, n);
            q->correct = q->predicted >= 0 && q->predicted == q->expected;
            set->sections[q->section].answered++;
            set->sections[q->section].correct += q->correct;
        }
    }
    if (jobs)
        free_jobs(jobs, threads);
    free((void *)plan.todo);
    free((void *)plan.slot);
    free((void *)plan.words);
    return rc;
}

/* ---- similarity ---- */

typedef struct ranked {
    double value;
    int64_t index;
} ranked;

static int by_value(const void *x, const void *y)
{
    double a = ((const ranked *)x)->value, b = ((const ranked *)y)->value;
    return (a > b) - (a < b);
}

/* rank[i] = average 1-based rank of x[i]; -1 on allocation failure. */
static int average_ranks(const double *x, int64_t n, double *rank)
{
    ranked *r = malloc((size_t)n * sizeof *r);
    if (!r)
        return -1;
    for (int64_t i = 0; i < n; i++)
        r[i] = (ranked){x[i], i};
    qsort(r, (size_t)n, sizeof *r, by_value);
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j + 1 < n && r[j + 1].value == r[i].value)
            j++;
        double avg = (double)(i + j) / 2.0 + 1.0;
        for (int64_t t = i; t <= j; t++)
            rank[r[t].index] = avg;
        i = j + 1;
    }
    free(r);
    return 0;
}

int eval_spearman(const double *x, const double *y, int64_t n, double *rho,
                  w2v_err *err)
{
    *rho = NAN;
    if (n < 2)
        return 0;
    double *rx = malloc((size_t)n * sizeof *rx);
    double *ry = malloc((size_t)n * sizeof *ry);
    if (!rx || !ry || average_ranks(x, n, rx) || average_ranks(y, n, ry)) {
        free(rx);
        free(ry);
        return w2v_fail(err, "out of memory ranking %lld pairs", (long long)n);
    }
    double mean = (double)(n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (int64_t i = 0; i < n; i++) {
        double dx = rx[i] - mean, dy = ry[i] - mean;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx > 0 && syy > 0)
        *rho = sxy / sqrt(sxx * syy);
    free(rx);
    free(ry);
    return 0;
}

typedef struct pair_scores {
    double *gold, *cosine;
    int64_t n, cap;
} pair_scores;

static int add_pair(pair_scores *ps, double gold, double cosine, w2v_err *err)
{
    if (ps->n == ps->cap) {
        int64_t bigger = ps->cap ? 2 * ps->cap : 256;
        double *g = realloc(ps->gold, (size_t)bigger * sizeof *g);
        if (g)
            ps->gold = g;
        double *c = g ? realloc(ps->cosine, (size_t)bigger * sizeof *c) : NULL;
        if (!c)
            return w2v_fail(err, "out of memory reading word pairs");
        ps->cosine = c;
        ps->cap = bigger;
    }
    ps->gold[ps->n] = gold;
    ps->cosine[ps->n] = cosine;
    ps->n++;
    return 0;
}

/* Parses one non-blank, non-comment line of a pair file. */
static int pair_line(const kernel *kern, const eval_vocab *ev,
                     const char *path, long long line_no, char *line,
                     char delimiter, int first, pair_scores *ps,
                     similarity_result *res, w2v_err *err)
{
    char *field[3];
    int n = split_fields(line, delimiter, field, 3);
    if (n != 3)
        return w2v_fail(err, "%s: line %lld: expected 3 fields 'word word "
                        "score', found %d", path, line_no, n);
    char *end;
    errno = 0;
    double gold = strtod(field[2], &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == field[2] || *end || errno == ERANGE || !isfinite(gold)) {
        if (first)
            return 0; /* a header line */
        return w2v_fail(err, "%s: line %lld: score '%s' is not a number",
                        path, line_no, field[2]);
    }
    res->pairs++;
    int64_t r1 = eval_vocab_find(ev, field[0]);
    int64_t r2 = eval_vocab_find(ev, field[1]);
    if (r1 < 0 || r2 < 0)
        return 0;
    const vectors *v = ev->v;
    double cosine = kern->dot(v->data + r1 * v->stride,
                              v->data + r2 * v->stride, v->dim);
    res->used++;
    return add_pair(ps, gold, cosine, err);
}

int eval_similarity(const kernel *kern, const eval_vocab *ev, const char *path,
                    char delimiter, similarity_result *res, w2v_err *err)
{
    memset(res, 0, sizeof *res);
    res->spearman = NAN;
    FILE *fp = open_lines(path, &path, err);
    if (!fp)
        return -1;
    pair_scores ps = {NULL, NULL, 0, 0};
    char *line = NULL;
    size_t line_cap = 0;
    long long line_no = 0;
    int rc = 0, first = 1;
    ssize_t len;
    while (rc == 0 && (len = getline(&line, &line_cap, fp)) >= 0) {
        line_no++;
        chomp(line, (size_t)len);
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || is_blank_line(s))
            continue;
        rc = pair_line(kern, ev, path, line_no, line, delimiter, first, &ps,
                       res, err);
        first = 0;
    }
    if (rc == 0 && ferror(fp))
        rc = w2v_fail_errno(err, "%s: read failed", path);
    if (rc == 0 && res->pairs == 0)
        rc = w2v_fail(err, "%s: no word pairs", path);
    if (rc == 0)
        rc = eval_spearman(ps.gold, ps.cosine, ps.n, &res->spearman, err);
    free(line);
    free(ps.gold);
    free(ps.cosine);
    close_lines(fp);
    return rc;
}
