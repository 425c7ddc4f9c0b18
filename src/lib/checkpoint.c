/* checkpoint.c - writing and reading checkpoint files (checkpoint.h). */
#include "checkpoint.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"

static const char MAGIC[8] = {'W', '2', 'V', 'C', 'K', 'P', 'T', '\n'};
static const char END[4] = {'E', 'N', 'D', '\n'};
enum {
    BYTE_ORDER_MARK = 0x01020304,
    HEADER_BYTES = 8 + 4 + 4 + 8,
    SECTION_HEAD_BYTES = 4 + 4 + 8,
    TRAILER_BYTES = 4 + 4,
};

/* The training parameters a checkpoint holds, by name. */
typedef struct conf_field {
    const char *name;
    char type;     /* 'i': int64_t, 'f': double, 'b': int (a flag or enum) */
    size_t offset; /* in train_config */
} conf_field;

#define CONF_I64(f) {#f, 'i', offsetof(train_config, f)}
#define CONF_F64(f) {#f, 'f', offsetof(train_config, f)}
#define CONF_INT(f) {#f, 'b', offsetof(train_config, f)}
static const conf_field conf_fields[] = {
    CONF_I64(dim),       CONF_I64(window),          CONF_I64(negative),
    CONF_I64(threads),   CONF_I64(iter),            CONF_I64(min_count),
    CONF_I64(max_vocab), CONF_I64(seed),            CONF_F64(sample),
    CONF_F64(alpha),     CONF_F64(min_alpha_ratio), CONF_INT(loss_given),
    CONF_INT(loss),      CONF_INT(hs),              CONF_INT(cbow),
    CONF_I64(softmax_centers), CONF_I64(batch),     CONF_INT(keep_context),
    CONF_I64(combine),   CONF_I64(combine_block),
};
#define N_CONF ((int)(sizeof conf_fields / sizeof conf_fields[0]))

/* ---- writing: every byte goes through put(), which keeps the CRC ---- */

typedef struct out {
    FILE *fp;
    const char *name;
    uint32_t crc;
    uint64_t bytes;
    int failed;
} out;

static void put(out *o, const void *p, size_t n)
{
    if (o->failed)
        return;
    if (fwrite(p, 1, n, o->fp) != n) {
        o->failed = 1;
        return;
    }
    o->crc = crc32c(o->crc, p, n);
    o->bytes += n;
}

static void put_u32(out *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    put(o, b, 4);
}

static void put_u64(out *o, uint64_t v)
{
    put_u32(o, (uint32_t)v);
    put_u32(o, (uint32_t)(v >> 32));
}

static void put_i64(out *o, int64_t v)
{
    put_u64(o, (uint64_t)v);
}

static void put_f64(out *o, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64(o, u);
}

static void put_f32(out *o, float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    put_u32(o, u);
}

static void put_string(out *o, const char *s, size_t n)
{
    put_u32(o, (uint32_t)n);
    put(o, s, n);
}

static void put_section(out *o, const char tag[4], uint64_t bytes)
{
    put(o, tag, 4);
    put_u32(o, 0);
    put_u64(o, bytes);
}

/* The rows of a matrix without their padding, in little-endian floats. */
static void put_matrix(out *o, const float *a, int64_t rows, int64_t dim,
                       int64_t stride, float *buf)
{
    for (int64_t r = 0; r < rows; r++) {
        const float *row = a + r * stride;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        (void)buf;
        put(o, row, sizeof(float) * (size_t)dim);
#else
        for (int64_t j = 0; j < dim; j++) {
            uint32_t u;
            memcpy(&u, &row[j], sizeof u);
            unsigned char *b = (unsigned char *)&buf[j];
            b[0] = (unsigned char)u, b[1] = (unsigned char)(u >> 8);
            b[2] = (unsigned char)(u >> 16), b[3] = (unsigned char)(u >> 24);
        }
        put(o, buf, sizeof(float) * (size_t)dim);
#endif
    }
}

static uint64_t conf_bytes(void)
{
    uint64_t n = 4;
    for (int i = 0; i < N_CONF; i++)
        n += 4 + strlen(conf_fields[i].name) + 1 + 8;
    return n;
}

static void put_conf(out *o, const train_config *cfg)
{
    put_section(o, "CONF", conf_bytes());
    put_u32(o, N_CONF);
    for (int i = 0; i < N_CONF; i++) {
        const conf_field *f = &conf_fields[i];
        const char *base = (const char *)cfg + f->offset;
        put_string(o, f->name, strlen(f->name));
        put(o, f->type == 'f' ? "f" : "i", 1);
        if (f->type == 'f')
            put_f64(o, *(const double *)base);
        else if (f->type == 'i')
            put_i64(o, *(const int64_t *)base);
        else
            put_i64(o, *(const int *)base);
    }
}

/* The STAT section's payload bytes in format `version` (1 had no range
 * ends). */
static uint64_t state_bytes(const train_state *st, uint32_t version)
{
    uint64_t per_thread = 5 * 8 + 4 * 8 + 4 + 8 + 8 + 8 +
                          (version >= 2 ? 8 : 0) + (uint64_t)st->iter * 24;
    return 5 * 8 + (uint64_t)st->threads * per_thread;
}

static void put_state(out *o, const train_state *st)
{
    put_section(o, "STAT", state_bytes(st, CHECKPOINT_VERSION));
    put_i64(o, st->threads);
    put_i64(o, st->ranks);
    put_i64(o, st->iter);
    put_i64(o, st->words_done);
    put_f64(o, st->elapsed);
    for (int64_t i = 0; i < st->threads; i++) {
        const train_thread_state *t = &st->thread[i];
        put_i64(o, t->epoch);
        put_i64(o, t->offset);
        put_i64(o, t->skip_partial);
        put_i64(o, t->known);
        put_i64(o, t->reported);
        for (int k = 0; k < 4; k++)
            put_u64(o, t->rng[k]);
        put_f32(o, t->alpha);
        put_f64(o, t->loss);
        put_f64(o, t->hs_loss);
        put_i64(o, t->pairs);
        put_i64(o, t->end);
        for (int64_t e = 0; e < st->iter; e++) {
            put_f64(o, t->epoch_loss[e]);
            put_i64(o, t->epoch_pairs[e]);
            put_f64(o, t->epoch_end[e]);
        }
    }
}

int checkpoint_write(FILE *fp, const char *name, const train_config *cfg,
                     const corpus_id *id, const char *const *notes,
                     const model *m, const train_state *st, w2v_err *err)
{
    const vocab *v = &m->vocab;
    const uint64_t matrix = (uint64_t)v->size * (uint64_t)m->dim * 4;
    uint64_t vocab_bytes = 8, note_bytes = 4;
    uint32_t n_notes = 0;
    for (int64_t w = 0; w < v->size; w++)
        vocab_bytes += 4 + (uint64_t)v->lens[w] + 8;
    for (; notes && notes[2 * n_notes]; n_notes++)
        note_bytes += 8 + strlen(notes[2 * n_notes]) +
                      strlen(notes[2 * n_notes + 1]);
    const int tree = m->emb_hs != NULL;
    const uint64_t total = HEADER_BYTES + (7 + tree) * SECTION_HEAD_BYTES +
                           conf_bytes() + 16 + note_bytes + vocab_bytes +
                           state_bytes(st, CHECKPOINT_VERSION) +
                           (2 + tree) * matrix + TRAILER_BYTES;
    float *buf = w2v_malloc(sizeof(float) * (size_t)m->dim, err);
    if (!buf)
        return -1;
    out o = {fp, name, 0, 0, 0};
    put(&o, MAGIC, sizeof MAGIC);
    put_u32(&o, CHECKPOINT_VERSION);
    put_u32(&o, BYTE_ORDER_MARK);
    put_u64(&o, total);
    put_conf(&o, cfg);
    put_section(&o, "CORP", 16);
    put_i64(&o, id->size);
    put_u32(&o, id->head_crc);
    put_u32(&o, id->tail_crc);
    put_section(&o, "NOTE", note_bytes);
    put_u32(&o, n_notes);
    for (uint32_t i = 0; i < 2 * n_notes; i++)
        put_string(&o, notes[i], strlen(notes[i]));
    put_section(&o, "VOCB", vocab_bytes);
    put_u64(&o, (uint64_t)v->size);
    for (int64_t w = 0; w < v->size; w++) {
        put_string(&o, v->words[w], (size_t)v->lens[w]);
        put_i64(&o, v->counts[w]);
    }
    put_state(&o, st);
    put_section(&o, "EMBI", matrix);
    put_matrix(&o, m->emb_in, v->size, m->dim, m->stride, buf);
    put_section(&o, "EMBO", matrix);
    put_matrix(&o, m->emb_out, v->size, m->dim, m->stride, buf);
    if (tree) {
        put_section(&o, "EMBH", matrix);
        put_matrix(&o, m->emb_hs, v->size, m->dim, m->stride, buf);
    }
    put_u32(&o, o.crc);
    put(&o, END, sizeof END);
    free(buf);
    if (o.failed || ferror(fp))
        return w2v_fail_errno(err, "%s: write failed", name);
    if (o.bytes != total)
        return w2v_fail(err, "%s: internal error: %llu bytes written, %llu "
                             "planned", name, (unsigned long long)o.bytes,
                        (unsigned long long)total);
    return 0;
}

/* ---- reading: every byte comes through get(), which keeps the CRC ---- */

typedef struct in {
    FILE *fp;
    const char *path;
    uint32_t crc;
    uint64_t pos, size; /* bytes read, the file's size */
    w2v_err *err;
    int failed;
    uint32_t version;   /* the file's format version */
} in;

/* Reads n bytes; on a short read marks the file truncated. */
static int get(in *r, void *p, size_t n)
{
    if (r->failed)
        return -1;
    if (n > r->size - r->pos || fread(p, 1, n, r->fp) != n) {
        r->failed = 1;
        if (ferror(r->fp))
            return w2v_fail_errno(r->err, "%s: read error", r->path);
        return w2v_fail(r->err, "%s: truncated checkpoint (ends at byte "
                                "%llu)", r->path,
                        (unsigned long long)r->pos);
    }
    r->crc = crc32c(r->crc, p, n);
    r->pos += n;
    return 0;
}

static uint32_t get_u32(in *r)
{
    unsigned char b[4] = {0};
    get(r, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

static uint64_t get_u64(in *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static int64_t get_i64(in *r)
{
    return (int64_t)get_u64(r);
}

static double get_f64(in *r)
{
    uint64_t u = get_u64(r);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static float get_f32(in *r)
{
    uint32_t u = get_u32(r);
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Fails as a damaged file: a value that a checkpoint we wrote never has. */
static int corrupt(in *r, const char *what)
{
    r->failed = 1;
    return w2v_fail(r->err, "%s: corrupted checkpoint (%s at byte %llu)",
                    r->path, what, (unsigned long long)r->pos);
}

/* A string of at most max bytes, NUL-terminated, into a new allocation. */
static char *get_string(in *r, uint32_t max)
{
    uint32_t n = get_u32(r);
    if (r->failed)
        return NULL;
    if (n > max || n > r->size - r->pos) {
        corrupt(r, "a string too long");
        return NULL;
    }
    char *s = w2v_malloc(n + 1, r->err);
    if (!s) {
        r->failed = 1;
        return NULL;
    }
    if (get(r, s, n)) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

/* Reads a section head and checks it is `tag` with `bytes` of payload (0:
 * any length, returned in *bytes). */
static int get_section(in *r, const char tag[4], uint64_t *bytes)
{
    char got[4] = {0};
    get(r, got, 4);
    uint32_t zero = get_u32(r);
    uint64_t n = get_u64(r);
    if (r->failed)
        return -1;
    if (memcmp(got, tag, 4) != 0 || zero != 0)
        return corrupt(r, "a section out of place");
    if (n > r->size - r->pos)
        return corrupt(r, "a section longer than the file");
    *bytes = n;
    return 0;
}

static int get_conf(in *r, train_config *cfg)
{
    uint64_t bytes;
    if (get_section(r, "CONF", &bytes))
        return -1;
    uint64_t end = r->pos + bytes;
    train_config_defaults(cfg);
    /* what checkpoints written before these parameters existed trained */
    cfg->combine = 1;
    cfg->combine_block = TRAIN_COMBINE_BLOCK_V2;
    uint32_t n = get_u32(r);
    for (uint32_t k = 0; k < n && !r->failed; k++) {
        char *name = get_string(r, 64);
        char type = 0;
        get(r, &type, 1);
        uint64_t raw = get_u64(r);
        if (r->failed) {
            free(name);
            return -1;
        }
        int i = 0;
        while (i < N_CONF && strcmp(conf_fields[i].name, name) != 0)
            i++;
        free(name);
        if (i == N_CONF)
            return w2v_fail(r->err, "%s: the checkpoint has a parameter this "
                                    "w2v does not know (a newer w2v wrote "
                                    "it)", r->path);
        const conf_field *f = &conf_fields[i];
        char *base = (char *)cfg + f->offset;
        if (type != (f->type == 'f' ? 'f' : 'i'))
            return corrupt(r, "a parameter of the wrong type");
        if (f->type == 'f')
            memcpy(base, &raw, sizeof(double));
        else if (f->type == 'i')
            *(int64_t *)base = (int64_t)raw;
        else
            *(int *)base = (int)(int64_t)raw;
    }
    if (!r->failed && r->pos != end)
        return corrupt(r, "a parameter section of the wrong length");
    return r->failed ? -1 : 0;
}

static int get_notes(in *r, checkpoint *ck)
{
    uint64_t bytes;
    if (get_section(r, "NOTE", &bytes))
        return -1;
    uint32_t n = get_u32(r);
    if (r->failed)
        return -1;
    if ((uint64_t)n * 8 > bytes)
        return corrupt(r, "too many notes");
    if (!(ck->notes = w2v_calloc(2 * (size_t)n + 1, sizeof(char *), r->err)))
        return -1;
    for (uint32_t i = 0; i < 2 * n; i++)
        if (!(ck->notes[i] = get_string(r, 1 << 16)))
            return -1;
    ck->n_notes = (int)n;
    return 0;
}

static int get_vocab(in *r, vocab *v, w2v_err *err)
{
    uint64_t bytes;
    if (get_section(r, "VOCB", &bytes) || vocab_init(v, err))
        return -1;
    uint64_t n = get_u64(r);
    if (r->failed)
        return -1;
    if (n == 0 || n > bytes / 12)
        return corrupt(r, "a vocabulary of the wrong size");
    v->total = 0;
    for (uint64_t w = 0; w < n; w++) {
        char *word = get_string(r, 1 << 16);
        int64_t count = get_i64(r);
        if (!word)
            return -1;
        /* the counts are checked first: none can then overflow */
        int bad = !r->failed && (count < 0 || count > INT64_MAX - v->total);
        int64_t id = r->failed || bad ? -1
                                      : vocab_add(v, word, (int)strlen(word),
                                                  count, err);
        free(word);
        if (r->failed)
            return -1;
        if (bad || id != (int64_t)w)
            return corrupt(r, "a repeated word or a count out of range");
        v->total += count;
    }
    return 0;
}

static int get_state(in *r, train_state *st, int64_t threads, int64_t iter,
                     w2v_err *err)
{
    uint64_t bytes;
    if (get_section(r, "STAT", &bytes))
        return -1;
    int64_t n = get_i64(r), ranks = get_i64(r), epochs = get_i64(r);
    if (r->failed)
        return -1;
    /* every thread takes 100 bytes or more of the section: that bounds n
     * before anything is multiplied by it */
    if (n < 1 || (uint64_t)n > bytes / 100 || ranks < 1 || n % ranks != 0 ||
        n / ranks != threads || epochs != iter)
        return corrupt(r, "a state that does not match the parameters");
    /* the length before allocating: a damaged iter cannot size it (the
     * section fits in the file, so bytes / 24 bounds iter) */
    const train_state shape = {.threads = n, .iter = iter};
    if ((uint64_t)iter > bytes / 24 ||
        bytes != state_bytes(&shape, r->version))
        return corrupt(r, "a state section of the wrong length");
    if (train_state_init(st, n, iter, err))
        return -1;
    st->ranks = ranks;
    st->words_done = get_i64(r);
    st->elapsed = get_f64(r);
    for (int64_t i = 0; i < n; i++) {
        train_thread_state *t = &st->thread[i];
        t->epoch = get_i64(r);
        t->offset = get_i64(r);
        t->skip_partial = get_i64(r) != 0;
        t->known = get_i64(r);
        t->reported = get_i64(r);
        for (int k = 0; k < 4; k++)
            t->rng[k] = get_u64(r);
        t->alpha = get_f32(r);
        t->loss = get_f64(r);
        t->hs_loss = get_f64(r);
        t->pairs = get_i64(r);
        t->end = r->version >= 2 ? get_i64(r) : 0;
        for (int64_t e = 0; e < iter; e++) {
            t->epoch_loss[e] = get_f64(r);
            t->epoch_pairs[e] = get_i64(r);
            t->epoch_end[e] = get_f64(r);
        }
        if (!r->failed && (t->epoch < 0 || t->epoch > iter || t->offset < 0 ||
                           t->end < 0))
            return corrupt(r, "a thread state out of range");
    }
    return r->failed ? -1 : 0;
}

static int get_matrix(in *r, const char tag[4], float *a, int64_t rows,
                      int64_t dim, int64_t stride)
{
    uint64_t bytes;
    if (get_section(r, tag, &bytes))
        return -1;
    if (bytes != (uint64_t)rows * (uint64_t)dim * 4)
        return corrupt(r, "a matrix of the wrong size");
    for (int64_t w = 0; w < rows; w++) {
        float *row = a + w * stride;
        if (get(r, row, sizeof(float) * (size_t)dim))
            return -1;
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
        for (int64_t j = 0; j < dim; j++) {
            unsigned char *b = (unsigned char *)&row[j];
            uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                         (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
            memcpy(&row[j], &u, sizeof u);
        }
#endif
        memset(row + dim, 0, sizeof(float) * (size_t)(stride - dim));
    }
    return 0;
}

/* Reads the header; fails on what is not a checkpoint of a version this
 * code reads, or whose size is not the one it states. */
static int get_header(in *r)
{
    char magic[sizeof MAGIC];
    if (r->size < sizeof MAGIC || fread(magic, 1, sizeof MAGIC, r->fp) !=
                                      sizeof MAGIC ||
        memcmp(magic, MAGIC, sizeof MAGIC) != 0)
        return w2v_fail(r->err, "%s: not a w2v checkpoint", r->path);
    r->crc = crc32c(0, magic, sizeof magic);
    r->pos = sizeof magic;
    uint32_t version = get_u32(r), order = get_u32(r);
    uint64_t bytes = get_u64(r);
    if (r->failed)
        return -1;
    if (version > CHECKPOINT_VERSION)
        return w2v_fail(r->err, "%s: checkpoint format version %u is newer "
                                "than this w2v's (%d): use a newer w2v",
                        r->path, version, CHECKPOINT_VERSION);
    if (version == 0 || order != BYTE_ORDER_MARK)
        return corrupt(r, "a bad version or byte order mark");
    r->version = version;
    if (bytes != r->size)
        return w2v_fail(r->err, "%s: %s checkpoint: the header says %llu "
                                "bytes, the file has %llu",
                        r->path, bytes > r->size ? "truncated" : "damaged",
                        (unsigned long long)bytes,
                        (unsigned long long)r->size);
    return 0;
}

int checkpoint_read(const char *path, checkpoint *ck, w2v_err *err)
{
    memset(ck, 0, sizeof *ck);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return w2v_fail_errno(err, "%s: cannot open", path);
    struct stat sb;
    in r = {fp, path, 0, 0, 0, err, 0, 0};
    if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(fp);
        return w2v_fail(err, "%s: not a regular file", path);
    }
    r.size = (uint64_t)sb.st_size;
    int rc = -1;
    uint64_t bytes;
    if (get_header(&r) || get_conf(&r, &ck->cfg) ||
        get_section(&r, "CORP", &bytes))
        goto out;
    if (bytes != 16) {
        corrupt(&r, "a corpus section of the wrong length");
        goto out;
    }
    ck->corpus.size = get_i64(&r);
    ck->corpus.head_crc = get_u32(&r);
    ck->corpus.tail_crc = get_u32(&r);
    const train_config *cfg = &ck->cfg;
    if (get_notes(&r, ck) || get_vocab(&r, &ck->m.vocab, err))
        goto out;
    if (cfg->dim < 1 || cfg->dim > 100000 || cfg->threads < 1 ||
        cfg->threads > 1024 || cfg->iter < 1) {
        corrupt(&r, "parameters out of range");
        goto out;
    }
    if (get_state(&r, &ck->state, cfg->threads, cfg->iter, err))
        goto out;
    /* the matrices must fit in the rest of the file before they are
     * allocated: a damaged dim or vocabulary cannot size them */
    const uint64_t matrix = (uint64_t)ck->m.vocab.size * (uint64_t)cfg->dim * 4;
    if (r.size - r.pos < 2 * (SECTION_HEAD_BYTES + matrix)) {
        corrupt(&r, "matrices longer than the file");
        goto out;
    }
    if (model_init(&ck->m, cfg->dim, 0, err) ||
        get_matrix(&r, "EMBI", ck->m.emb_in, ck->m.vocab.size, cfg->dim,
                   ck->m.stride) ||
        get_matrix(&r, "EMBO", ck->m.emb_out, ck->m.vocab.size, cfg->dim,
                   ck->m.stride))
        goto out;
    if (cfg->loss == LOSS_HS_NS &&
        (model_init_tree_rows(&ck->m, err) ||
         get_matrix(&r, "EMBH", ck->m.emb_hs, ck->m.vocab.size, cfg->dim,
                    ck->m.stride)))
        goto out;
    uint32_t want = r.crc, got = get_u32(&r);
    char end[sizeof END];
    if (get(&r, end, sizeof end))
        goto out;
    if (got != want || memcmp(end, END, sizeof END) != 0) {
        w2v_fail(err, "%s: corrupted checkpoint (checksum mismatch)", path);
        goto out;
    }
    rc = 0;
out:
    fclose(fp);
    if (rc)
        checkpoint_free(ck);
    return rc;
}

const char *checkpoint_note(const checkpoint *ck, const char *key)
{
    for (int i = 0; i < ck->n_notes; i++)
        if (strcmp(ck->notes[2 * i], key) == 0)
            return ck->notes[2 * i + 1];
    return NULL;
}

void checkpoint_free(checkpoint *ck)
{
    for (int i = 0; ck->notes && ck->notes[i]; i++)
        free(ck->notes[i]);
    free(ck->notes);
    model_free(&ck->m);
    train_state_free(&ck->state);
    memset(ck, 0, sizeof *ck);
}

/* The CRC-32C of n bytes of c at offset. */
static int crc_range(const corpus *c, int64_t offset, int64_t n, uint32_t *crc,
                     w2v_err *err)
{
    enum { CHUNK = 1 << 16 };
    unsigned char *buf = w2v_malloc(CHUNK, err);
    if (!buf)
        return -1;
    *crc = 0;
    while (n > 0) {
        ssize_t got = pread(c->fd, buf, (size_t)(n < CHUNK ? n : CHUNK),
                            (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            free(buf);
            return got < 0 ? w2v_fail_errno(err, "%s: read error", c->name)
                           : w2v_fail(err, "%s: shorter than its size",
                                      c->name);
        }
        *crc = crc32c(*crc, buf, (size_t)got);
        offset += got;
        n -= got;
    }
    free(buf);
    return 0;
}

int corpus_identify(const corpus *c, corpus_id *id, w2v_err *err)
{
    int64_t n = c->size < CHECKPOINT_ID_BYTES ? c->size : CHECKPOINT_ID_BYTES;
    id->size = c->size;
    return crc_range(c, 0, n, &id->head_crc, err) ||
                   crc_range(c, c->size - n, n, &id->tail_crc, err)
               ? -1
               : 0;
}
