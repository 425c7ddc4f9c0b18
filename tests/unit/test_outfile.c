/* test_outfile.c - atomic output: commit renames, abort leaves no trace. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
