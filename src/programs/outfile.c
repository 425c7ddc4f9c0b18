/* outfile.c - atomic output files (temporary file + rename). */
#include "outfile.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files still open, for outfile_remove_all_tmp() in a signal
 * handler: fixed slots, so the handler touches no heap state. */
#define MAX_OPEN_TMP 8
static char tmp_slots[MAX_OPEN_TMP][4096];
static volatile sig_atomic_t tmp_used[MAX_OPEN_TMP];

static void slot_add(const char *p)
{
    size_t n = strlen(p);
    for (int i = 0; i < MAX_OPEN_TMP; i++)
        if (!tmp_used[i] && n < sizeof tmp_slots[i]) {
            memcpy(tmp_slots[i], p, n + 1);
            tmp_used[i] = 1;
            return;
        }
}

static void slot_remove(const char *p)
{
    for (int i = 0; i < MAX_OPEN_TMP; i++)
        if (tmp_used[i] && strcmp(tmp_slots[i], p) == 0) {
            tmp_used[i] = 0;
            return;
        }
}

void outfile_remove_all_tmp(void)
{
    for (int i = 0; i < MAX_OPEN_TMP; i++)
        if (tmp_used[i]) {
            unlink(tmp_slots[i]);
            tmp_used[i] = 0;
        }
}

static char *dup_str(const char *s, w2v_err *err)
{
    char *d = w2v_malloc(strlen(s) + 1, err);
    if (d)
        strcpy(d, s);
    return d;
}

static int open_tmp(outfile *o, w2v_err *err)
{
    const char *slash = strrchr(o->path, '/');
    size_t dirlen = slash ? (size_t)(slash - o->path) + 1 : 0;
    const char *base = slash ? slash + 1 : o->path;
    size_t len = dirlen + strlen(base) + 16;
    o->tmp_path = w2v_malloc(len, err);
    if (!o->tmp_path)
        return -1;
    snprintf(o->tmp_path, len, "%.*s.%s.XXXXXX", (int)dirlen, o->path, base);
    int fd = mkstemp(o->tmp_path);
    if (fd < 0) {
        w2v_fail_errno(err, "%s: cannot create output file", o->path);
        free(o->tmp_path);
        o->tmp_path = NULL;
        return -1;
    }
    slot_add(o->tmp_path);
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        w2v_fail_errno(err, "%s: cannot open output file", o->path);
        close(fd);
        return -1; /* the caller's outfile_abort removes the file */
    }
    return 0;
}

int outfile_open(outfile *o, const char *path, w2v_err *err)
{
    memset(o, 0, sizeof *o);
    if (!(o->path = dup_str(path, err)))
        return -1;
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        w2v_fail(err, "%s: is a directory", path);
        outfile_abort(o);
        return -1;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (!(o->fp = fopen(path, "wb"))) {
            w2v_fail_errno(err, "%s: cannot open for writing", path);
            outfile_abort(o);
            return -1;
        }
        return 0;
    }
    if (open_tmp(o, err)) {
        outfile_abort(o);
        return -1;
    }
    return 0;
}

/* fsync of the folder holding path, so that a rename into it survives a
 * crash; 0 or -1 (errno set). */
static int sync_directory(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path),
                 path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int outfile_commit(outfile *o, w2v_err *err)
{
    int failed = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        w2v_fail_errno(err, "%s: write failed", o->path);
        failed = 1;
    }
    if (o->fp == stdout) {
        o->fp = NULL;
    } else {
        if (!failed && o->tmp_path && fsync(fileno(o->fp)) != 0) {
            w2v_fail_errno(err, "%s: write failed", o->path);
            failed = 1;
        }
        if (fclose(o->fp) != 0 && !failed) {
            w2v_fail_errno(err, "%s: write failed", o->path);
            failed = 1;
        }
        o->fp = NULL;
    }
    if (!failed && o->tmp_path) {
        if (rename(o->tmp_path, o->path) != 0) {
            w2v_fail_errno(err, "%s: cannot rename temporary file", o->path);
            failed = 1;
        } else {
            slot_remove(o->tmp_path);
            free(o->tmp_path);
            o->tmp_path = NULL;
            if (sync_directory(o->path)) {
                w2v_fail_errno(err, "%s: cannot sync its folder", o->path);
                failed = 1;
            }
        }
    }
    outfile_abort(o);
    return failed ? -1 : 0;
}

void outfile_abort(outfile *o)
{
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    o->fp = NULL;
    if (o->tmp_path) {
        unlink(o->tmp_path);
        slot_remove(o->tmp_path);
        free(o->tmp_path);
        o->tmp_path = NULL;
    }
    free(o->path);
    o->path = NULL;
}
