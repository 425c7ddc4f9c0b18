/* target_checkpoint.c - checkpoint_read (checkpoint.h) under arbitrary
 * bytes.
 *
 * Each input is read twice: as it is, and "repaired" (the size in the
 * header and the trailer's checksum and end mark set to fit), so that the
 * parser is exercised past the checksum that would otherwise refuse almost
 * every mutation.  Checked for a file it accepts: the model and state have
 * the shapes of the parameters, and what checkpoint_write makes of it reads
 * back and writes again the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "crc32c.h"
#include "fuzz.h"

enum { HEADER = 24, TRAILER = 8 };

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes ck to scratch slot `slot`; returns its path or NULL (reported). */
static const char *write_copy(const checkpoint *ck, int slot)
{
    const char *path = fuzz_file_put(slot, NULL, 0);
    FILE *fp = path ? fopen(path, "wb") : NULL;
    w2v_err err;
    int rc = fp ? checkpoint_write(fp, path, &ck->cfg, &ck->corpus,
                                   (const char *const *)ck->notes, &ck->m,
                                   &ck->state, &err)
                : -1;
    if (fp && fclose(fp))
        rc = -1;
    if (rc) {
        fuzz_fail("checkpoint", "cannot write a copy");
        return NULL;
    }
    return path;
}

static int check_read(const checkpoint *ck)
{
    const model *m = &ck->m;
    const train_state *st = &ck->state;
    if (m->dim != ck->cfg.dim || m->vocab.size < 1 ||
        st->threads != ck->cfg.threads || st->iter != ck->cfg.iter ||
        !st->thread || !m->emb_in || !m->emb_out)
        return fuzz_fail("checkpoint", "shapes do not match the parameters");
    for (int i = 0; i < ck->n_notes; i++)
        if (!ck->notes[2 * i] || !ck->notes[2 * i + 1])
            return fuzz_fail("checkpoint", "note %d is missing", i);
    if (ck->notes[2 * ck->n_notes])
        return fuzz_fail("checkpoint", "the notes do not end with NULL");
    return 0;
}

/* Reads the file at path; for one it accepts, checks it and the copies. */
static int read_and_copy(const char *path)
{
    checkpoint ck, back;
    w2v_err err;
    if (checkpoint_read(path, &ck, &err))
        return 0;
    int rc = check_read(&ck);
    const char *copy = rc ? NULL : write_copy(&ck, 2);
    if (!rc && !copy)
        rc = 1;
    if (!rc && checkpoint_read(copy, &back, &err))
        rc = fuzz_fail("checkpoint", "a written copy does not read back: %s",
                       err.msg);
    else if (!rc) {
        const char *again = write_copy(&back, 3);
        size_t n1 = 0, n2 = 0;
        unsigned char *b1 = again ? fuzz_file_get(copy, &n1) : NULL;
        unsigned char *b2 = b1 ? fuzz_file_get(again, &n2) : NULL;
        if (!b2)
            rc = fuzz_fail("checkpoint", "cannot read the copies");
        else if (n1 != n2 || memcmp(b1, b2, n1) != 0)
            rc = fuzz_fail("checkpoint", "writing what was read back gives "
                                         "other bytes");
        free(b1);
        free(b2);
        checkpoint_free(&back);
    }
    checkpoint_free(&ck);
    return rc;
}

int fuzz_checkpoint(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_put(0, data, size);
    if (!path)
        return fuzz_fail("checkpoint", "cannot write the scratch file");
    if (read_and_copy(path))
        return 1;
    if (size < HEADER + TRAILER)
        return 0;
    unsigned char *fixed = malloc(size);
    if (!fixed)
        return fuzz_fail("checkpoint", "out of memory");
    memcpy(fixed, data, size);
    put_le(fixed + 16, size, 8);
    put_le(fixed + size - TRAILER, crc32c(0, fixed, size - TRAILER), 4);
    memcpy(fixed + size - 4, "END\n", 4);
    path = fuzz_file_put(1, fixed, size);
    free(fixed);
    if (!path)
        return fuzz_fail("checkpoint", "cannot write the scratch file");
    return read_and_copy(path);
}
