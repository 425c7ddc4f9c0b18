/* outfile.c - atomic output files (temporary file + rename). */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files still open, for outfile_remove_all_tmp() in a signal
 * handler: fixed slots, so the handler touches no heap state. */
#define MAX_OPEN_TMP 8
static char tmp_slots[MAX_OPEN_TMP][4096];
/* atomic, not only sig_atomic_t: a stop signal's handler may remove the
 * files on another thread while this one adds or removes a slot */
static _Atomic int tmp_used[MAX_OPEN_TMP];

/* Symbolic links followed before a target is called a loop. */
#define MAX_LINKS 40

/* Tries to create a temporary file this many times (another run's stale
 * file removal may take a name away between its creation and its lock). */
#define TMP_ATTEMPTS 8

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

char *outfile_target(const char *path, w2v_err *err)
{
    char *cur = dup_str(path, err);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        if (hops == MAX_LINKS) {
            w2v_fail(err, "%s: too many levels of symbolic links", path);
            break;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            w2v_fail_errno(err, "%s: cannot read the symbolic link", path);
            break;
        }
        link[n] = '\0';
        /* a relative link is read from the folder that holds it */
        const char *slash = strrchr(cur, '/');
        size_t dirlen = link[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
        char *next = w2v_malloc(dirlen + (size_t)n + 1, err);
        if (next) {
            memcpy(next, cur, dirlen);
            memcpy(next + dirlen, link, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
    free(cur);
    return NULL;
}

/* Splits a path into its folder ("" for none, else with its final '/')
 * and its file name, pointing into path. */
static void split_path(const char *path, size_t *dirlen, const char **base)
{
    const char *slash = strrchr(path, '/');
    *dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    *base = slash ? slash + 1 : path;
}

/* name is ".BASE" OUTFILE_TMP_TAG followed by mkstemp's six characters. */
static int is_tmp_name_of(const char *name, const char *base)
{
    size_t nb = strlen(base), nt = strlen(OUTFILE_TMP_TAG);
    return name[0] == '.' && strncmp(name + 1, base, nb) == 0 &&
           strncmp(name + 1 + nb, OUTFILE_TMP_TAG, nt) == 0 &&
           strlen(name + 1 + nb + nt) == 6;
}

/* Removes the temporary files of target that no living writer holds
 * locked; returns how many. */
static int remove_stale(const char *target)
{
    size_t dirlen;
    const char *base;
    split_path(target, &dirlen, &base);
    char dir[4096];
    if (dirlen >= sizeof dir)
        return 0;
    if (dirlen)
        snprintf(dir, sizeof dir, "%.*s", (int)dirlen, target);
    else
        strcpy(dir, ".");
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int dfd = dirfd(d), removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_tmp_name_of(e->d_name, base))
            continue;
        int fd = openat(dfd, e->d_name,
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat held, named;
        /* the lock is free: its writer is gone; the name must still be the
         * file we locked before it goes */
        if (fstat(fd, &held) == 0 && S_ISREG(held.st_mode) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dfd, e->d_name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            named.st_dev == held.st_dev && named.st_ino == held.st_ino &&
            unlinkat(dfd, e->d_name, 0) == 0)
            removed++;
        close(fd);
    }
    closedir(d);
    return removed;
}

/* Creates and locks the temporary file of o->target with mode bits
 * `mode`; on failure the caller's outfile_abort removes what is left. */
static int open_tmp(outfile *o, mode_t mode, w2v_err *err)
{
    size_t dirlen;
    const char *base;
    split_path(o->target, &dirlen, &base);
    size_t len = dirlen + strlen(base) + strlen(OUTFILE_TMP_TAG) + 8;
    if (!(o->tmp_path = w2v_malloc(len, err)))
        return -1;
    int fd = -1;
    for (int attempt = 0; attempt < TMP_ATTEMPTS && fd < 0; attempt++) {
        snprintf(o->tmp_path, len, "%.*s.%s" OUTFILE_TMP_TAG "XXXXXX",
                 (int)dirlen, o->target, base);
        fd = mkostemp(o->tmp_path, O_CLOEXEC);
        if (fd < 0) {
            w2v_fail_errno(err, "%s: cannot create output file", o->path);
            free(o->tmp_path);
            o->tmp_path = NULL;
            return -1;
        }
        struct stat held, named;
        int locked = flock(fd, LOCK_EX | LOCK_NB);
        if (locked != 0 && errno != EWOULDBLOCK)
            break; /* a file system without locks: the file stays unlocked,
                      and no run can remove it as stale */
        if (locked == 0 && fstat(fd, &held) == 0 &&
            stat(o->tmp_path, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino)
            break;
        /* another run's stale-file removal holds it or took it: it removes
         * the file; try a new name */
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        w2v_fail(err, "%s: cannot create output file", o->path);
        free(o->tmp_path);
        o->tmp_path = NULL;
        return -1;
    }
    slot_add(o->tmp_path);
    if (fchmod(fd, mode) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        w2v_fail_errno(err, "%s: cannot open output file", o->path);
        close(fd);
        return -1;
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
    if (!(o->target = outfile_target(path, err))) {
        outfile_abort(o);
        return -1;
    }
    struct stat st;
    int exists = stat(o->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        w2v_fail(err, "%s: is a directory", path);
        outfile_abort(o);
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        free(o->target);
        o->target = NULL;
        if (!(o->fp = fopen(path, "wb"))) {
            w2v_fail_errno(err, "%s: cannot open for writing", path);
            outfile_abort(o);
            return -1;
        }
        return 0;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 0777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    o->stale_removed = remove_stale(o->target);
    if (open_tmp(o, mode, err)) {
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
    } else if (!o->tmp_path) {
        if (fclose(o->fp) != 0 && !failed) {
            w2v_fail_errno(err, "%s: write failed", o->path);
            failed = 1;
        }
        o->fp = NULL;
    } else if (!failed) {
        /* renamed while still open, so the lock keeps other runs from
         * taking it for a stale file until it has its final name */
        if (fsync(fileno(o->fp)) != 0) {
            w2v_fail_errno(err, "%s: write failed", o->path);
            failed = 1;
        } else if (rename(o->tmp_path, o->target) != 0) {
            w2v_fail_errno(err, "%s: cannot rename temporary file", o->path);
            failed = 1;
        } else {
            slot_remove(o->tmp_path);
            free(o->tmp_path);
            o->tmp_path = NULL;
            int closed = fclose(o->fp);
            o->fp = NULL;
            if (closed != 0) {
                w2v_fail_errno(err, "%s: write failed", o->path);
                failed = 1;
            } else if (sync_directory(o->target)) {
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
    free(o->target);
    o->target = NULL;
    free(o->path);
    o->path = NULL;
}
