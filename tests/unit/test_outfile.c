/* test_outfile.c - atomic output: commit renames, abort leaves no trace. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "outfile.h"

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static void slurp(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    buf[0] = '\0';
    if (fp) {
        size_t got = fread(buf, 1, n - 1, fp);
        buf[got] = '\0';
        fclose(fp);
    }
}

TEST(outfile_commit_and_abort)
{
    char dir[HARNESS_PATH_MAX];
    harness_temp_dir(dir, "test-out");
    char path[HARNESS_PATH_MAX + 16], buf[64];
    snprintf(path, sizeof path, "%s/vec.txt", dir);
    outfile o;
    w2v_err err;

    /* commit creates the file, with nothing else left in the directory */
    REQUIRE_MSG(outfile_open(&o, path, &err) == 0, "%s", err.msg);
    fputs("first", o.fp);
    CHECK(outfile_commit(&o, &err) == 0);
    slurp(path, buf, sizeof buf);
    CHECK(strcmp(buf, "first") == 0);
    CHECK(count_entries(dir) == 1);

    /* abort keeps the old content and removes the temporary file */
    REQUIRE_MSG(outfile_open(&o, path, &err) == 0, "%s", err.msg);
    fputs("second", o.fp);
    CHECK(count_entries(dir) == 2);
    outfile_abort(&o);
    slurp(path, buf, sizeof buf);
    CHECK(strcmp(buf, "first") == 0);
    CHECK(count_entries(dir) == 1);

    /* a missing directory fails at open, naming the path */
    char bad[HARNESS_PATH_MAX + 16];
    snprintf(bad, sizeof bad, "%s/nodir/x", dir);
    CHECK(outfile_open(&o, bad, &err) == -1);
    CHECK(strstr(err.msg, "nodir/x") != NULL);
    CHECK(outfile_open(&o, dir, &err) == -1);
    CHECK(strstr(err.msg, "is a directory") != NULL);
    unlink(path);
    rmdir(dir);
}

TEST(outfile_full_device_fails_and_stays_a_device)
{
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        SKIP("no /dev/full");
    outfile o;
    w2v_err err;
    REQUIRE_MSG(outfile_open(&o, "/dev/full", &err) == 0, "%s", err.msg);
    CHECK(o.tmp_path == NULL); /* written directly, never renamed over */
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", o.fp);
    CHECK(outfile_commit(&o, &err) == -1);
    CHECK(strstr(err.msg, "/dev/full: write failed") != NULL);
    CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

/* The one temporary file of base in dir, named ".BASE.w2v-tmp.XXXXXX";
 * its name in name, or "" when there is none or more than one. */
static void find_tmp(const char *dir, const char *base, char *name, size_t n)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, ".%s%s", base, OUTFILE_TMP_TAG);
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    name[0] = '\0';
    while (d && (e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            found++;
            snprintf(name, n, "%s", e->d_name);
        }
    if (d)
        closedir(d);
    if (found != 1)
        name[0] = '\0';
}

TEST(outfile_symlink_is_written_through)
{
    char dir[] = "/tmp/w2v-test-link.XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char sub[128], target[160], link[160], buf[64], tmp[300];
    snprintf(sub, sizeof sub, "%s/far", dir);
    snprintf(target, sizeof target, "%s/far/real.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    CHECK(mkdir(sub, 0700) == 0);
    CHECK(symlink("far/real.txt", link) == 0); /* relative, dangling */
    outfile o;
    w2v_err err;
    REQUIRE(outfile_open(&o, link, &err) == 0);
    /* the temporary file is in the target's folder, named after it */
    find_tmp(sub, "real.txt", tmp, sizeof tmp);
    CHECK_MSG(tmp[0] != '\0', "no .real.txt.w2v-tmp.XXXXXX in %s", sub);
    CHECK(strcmp(o.target, target) == 0);
    fputs("new", o.fp);
    CHECK(outfile_commit(&o, &err) == 0);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    slurp(target, buf, sizeof buf);
    CHECK(strcmp(buf, "new") == 0);
    CHECK(count_entries(sub) == 1);
    CHECK(count_entries(dir) == 2);
    unlink(link);
    unlink(target);
    rmdir(sub);
    rmdir(dir);
}

TEST(outfile_keeps_permission_bits)
{
    char dir[] = "/tmp/w2v-test-mode.XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/secret.txt", dir);
    FILE *fp = fopen(path, "w");
    REQUIRE(fp != NULL);
    fclose(fp);
    CHECK(chmod(path, 0600) == 0);
    outfile o;
    w2v_err err;
    REQUIRE(outfile_open(&o, path, &err) == 0);
    fputs("x", o.fp);
    CHECK(outfile_commit(&o, &err) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0);
    CHECK_MSG((st.st_mode & 0777) == 0600, "mode %o", st.st_mode & 0777);
    unlink(path);
    rmdir(dir);
}

TEST(outfile_removes_stale_temporary_files_only)
{
    char dir[] = "/tmp/w2v-test-stale.XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[128], stale[160], live[160], other[160], tmp[300];
    snprintf(path, sizeof path, "%s/vec.bin", dir);
    /* left by a killed run: nobody holds its lock */
    snprintf(stale, sizeof stale, "%s/.vec.bin" OUTFILE_TMP_TAG "AAAAAA", dir);
    /* of a run still writing: locked */
    snprintf(live, sizeof live, "%s/.vec.bin" OUTFILE_TMP_TAG "BBBBBB", dir);
    /* of another output: not ours to remove */
    snprintf(other, sizeof other, "%s/.vec.bin2" OUTFILE_TMP_TAG "CCCCCC",
             dir);
    int fd_stale = open(stale, O_CREAT | O_WRONLY, 0600);
    int fd_live = open(live, O_CREAT | O_WRONLY, 0600);
    int fd_other = open(other, O_CREAT | O_WRONLY, 0600);
    CHECK(fd_stale >= 0 && fd_live >= 0 && fd_other >= 0);
    CHECK(flock(fd_live, LOCK_EX) == 0);
    close(fd_stale);
    close(fd_other);
    outfile o;
    w2v_err err;
    REQUIRE(outfile_open(&o, path, &err) == 0);
    CHECK(o.stale_removed == 1);
    CHECK(access(stale, F_OK) != 0);
    CHECK(access(live, F_OK) == 0);
    CHECK(access(other, F_OK) == 0);
    /* a second writer of the same output leaves this one's file alone */
    outfile o2;
    CHECK(outfile_open(&o2, path, &err) == 0);
    CHECK(o2.stale_removed == 0);
    CHECK(access(o.tmp_path, F_OK) == 0);
    outfile_abort(&o2);
    fputs("v", o.fp);
    CHECK(outfile_commit(&o, &err) == 0);
    find_tmp(dir, "vec.bin", tmp, sizeof tmp);
    CHECK(strcmp(tmp, ".vec.bin" OUTFILE_TMP_TAG "BBBBBB") == 0);
    close(fd_live);
    unlink(live);
    unlink(other);
    unlink(path);
    rmdir(dir);
}

TEST(outfile_temporary_file_is_named_after_the_output)
{
    char dir[] = "/tmp/w2v-test-name.XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[128], tmp[300];
    snprintf(path, sizeof path, "%s/vec.bin", dir);
    outfile o;
    w2v_err err;
    REQUIRE(outfile_open(&o, path, &err) == 0);
    find_tmp(dir, "vec.bin", tmp, sizeof tmp);
    CHECK_MSG(tmp[0] != '\0', "no .vec.bin.w2v-tmp.XXXXXX in %s", dir);
    CHECK(strlen(tmp) == strlen(".vec.bin" OUTFILE_TMP_TAG "XXXXXX"));
    /* the signal handler's removal still finds it */
    outfile_remove_all_tmp();
    CHECK(count_entries(dir) == 0);
    outfile_abort(&o);
    rmdir(dir);
}
