/* pathcheck.c - refusing outputs that would destroy data (pathcheck.h). */
#include "pathcheck.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* What a path names, for telling whether two are the same file. */
typedef struct path_id {
    int exists;        /* dev and ino are set */
    dev_t dev;
    ino_t ino;
    int is_device;     /* a character device: never a clash */
    int is_stdout;     /* "-" written */
    char *absolute;    /* a path that does not exist: resolved, absolute */
} path_id;

/* path made absolute from the working folder, with ".", ".." and repeated
 * slashes taken out without looking at the file system. */
static char *lexical_absolute(const char *path, w2v_err *err)
{
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    size_t cap = strlen(cwd) + strlen(path) + 3;
    char *joined = w2v_malloc(cap, err), *out = w2v_malloc(cap, err);
    if (!joined || !out) {
        free(joined);
        free(out);
        return NULL;
    }
    snprintf(joined, cap, "%s/%s", cwd, path);
    size_t len = 0;
    for (const char *p = joined; *p;) {
        while (*p == '/')
            p++;
        const char *q = p;
        while (*q && *q != '/')
            q++;
        size_t n = (size_t)(q - p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            out[len++] = '/';
            memcpy(out + len, p, n);
            len += n;
        }
        p = q;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    free(joined);
    return out;
}

/* The absolute name of a path that does not exist: its links followed,
 * its folder resolved by realpath when that exists. */
static char *absolute_name(const char *path, w2v_err *err)
{
    char *target = outfile_target(path, err);
    if (!target)
        return NULL;
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    char dir[PATH_MAX];
    if (slash == target)
        strcpy(dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - target) : 1,
                 slash ? target : ".");
    char real[PATH_MAX];
    char *out;
    if (realpath(dir, real)) {
        size_t cap = strlen(real) + strlen(base) + 2;
        if ((out = w2v_malloc(cap, err)))
            snprintf(out, cap, "%s%s%s", real,
                     real[strlen(real) - 1] == '/' ? "" : "/", base);
    } else {
        out = lexical_absolute(target, err);
    }
    free(target);
    return out;
}

static int identify(const path_use *u, path_id *id, w2v_err *err)
{
    memset(id, 0, sizeof *id);
    struct stat st;
    int found;
    if (strcmp(u->path, "-") == 0) {
        id->is_stdout = u->writes;
        found = fstat(u->writes ? STDOUT_FILENO : STDIN_FILENO, &st) == 0;
    } else {
        found = stat(u->path, &st) == 0;
        if (!found && !(id->absolute = absolute_name(u->path, err)))
            return -1;
    }
    if (found) {
        id->exists = 1;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->is_device = S_ISCHR(st.st_mode);
    }
    return 0;
}

static int same_file(const path_id *a, const path_id *b)
{
    if (a->is_stdout && b->is_stdout)
        return 1;
    if (a->exists && b->exists)
        return a->dev == b->dev && a->ino == b->ino && !a->is_device;
    return a->absolute && b->absolute && strcmp(a->absolute, b->absolute) == 0;
}

/* "-output 'vec.txt'" or "-output - (standard output)". */
static void describe(char *buf, size_t n, const path_use *u)
{
    if (strcmp(u->path, "-") == 0)
        snprintf(buf, n, "%s - (standard %s)", u->flag,
                 u->writes ? "output" : "input");
    else
        snprintf(buf, n, "%s '%s'", u->flag, u->path);
}

static int clash(const path_use *w, const path_use *other,
                 const path_id *wid, const path_id *oid, w2v_err *err)
{
    if (wid->is_stdout && oid->is_stdout)
        return w2v_fail(err, "%s and %s both write to standard output: give "
                             "one of them a file", w->flag, other->flag);
    char a[200], b[200];
    describe(a, sizeof a, w);
    describe(b, sizeof b, other);
    if (other->writes)
        return w2v_fail(err, "%s and %s are the same file: give each output "
                             "its own", a, b);
    return w2v_fail(err, "%s and %s are the same file: w2v does not write "
                         "over its input", a, b);
}

int paths_check_distinct(const path_use *uses, int n, w2v_err *err)
{
    path_id *ids = w2v_calloc((size_t)n, sizeof *ids, err);
    if (!ids)
        return -1;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (uses[i].path)
            rc = identify(&uses[i], &ids[i], err);
    for (int i = 0; i < n && rc == 0; i++)
        for (int j = i + 1; j < n && rc == 0; j++) {
            if (!uses[i].path || !uses[j].path ||
                !(uses[i].writes || uses[j].writes) ||
                !same_file(&ids[i], &ids[j]))
                continue;
            /* the output first: "-output X and -input Y" */
            int wi = uses[i].writes ? i : j, oi = wi == i ? j : i;
            rc = clash(&uses[wi], &uses[oi], &ids[wi], &ids[oi], err);
        }
    for (int i = 0; i < n; i++)
        free(ids[i].absolute);
    free(ids);
    return rc;
}

int paths_check_binary_output(const char *flag, const char *path,
                              w2v_err *err)
{
    if (!path || strcmp(path, "-") != 0 || !isatty(STDOUT_FILENO))
        return 0;
    return w2v_fail(err, "%s -: binary vectors are not written to a terminal: "
                         "use -binary 0 for text, or redirect standard output "
                         "to a file or a pipe", flag);
}
