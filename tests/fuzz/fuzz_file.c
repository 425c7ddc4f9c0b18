/* fuzz_file.c - the in-memory scratch files and helpers of the fuzz
 * targets (fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

const fuzz_target fuzz_targets[] = {
    {"corpus", fuzz_corpus},
    {"vocab", fuzz_vocab},
    {"vectors", fuzz_vectors},
    {"checkpoint", fuzz_checkpoint},
};
const int fuzz_n_targets = sizeof fuzz_targets / sizeof fuzz_targets[0];

static int slot_fd[FUZZ_SLOTS] = {-1, -1, -1, -1};
static char slot_path[FUZZ_SLOTS][64];

const char *fuzz_file_path(int slot)
{
    if (slot < 0 || slot >= FUZZ_SLOTS)
        return NULL;
    if (slot_fd[slot] < 0) {
        int fd = memfd_create("w2v-fuzz", 0);
        if (fd < 0)
            return NULL;
        slot_fd[slot] = fd;
        snprintf(slot_path[slot], sizeof slot_path[slot], "/proc/self/fd/%d",
                 fd);
    }
    return slot_path[slot];
}

const char *fuzz_file_put(int slot, const void *data, size_t size)
{
    const char *path = fuzz_file_path(slot);
    if (!path || ftruncate(slot_fd[slot], 0) != 0)
        return NULL;
    const unsigned char *p = data;
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(slot_fd[slot], p + done, size - done,
                           (off_t)done);
        if (n <= 0)
            return NULL;
        done += (size_t)n;
    }
    return path;
}

unsigned char *fuzz_file_get(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, fp);
        if (len < cap)
            break;
        unsigned char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *size = len;
    return buf;
}

int fuzz_fail(const char *target, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz_%s: ", target);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}
