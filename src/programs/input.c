/* input.c - opening a corpus, decompressing it in a child (input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

extern char **environ;

/* Spools fd (named name) into c, showing progress when asked. */
static int spool_fd(corpus *c, int fd, const char *name, const char *what,
                    const input_options *opt, w2v_err *err)
{
    progress_display pd;
    corpus_spool_monitor mon = {NULL, &pd, 0};
    progress_spool_init(&pd, what, &mon.interval);
    if (opt->progress)
        mon.progress = progress_spool_show;
    double start = w2v_now();
    int rc = corpus_open_fd(c, fd, name, cli_spool_dir(), &mon, err);
    if (rc == 0 && pd.drawn) /* the line on screen ends with the total */
        progress_spool_show(c->size, w2v_now() - start, &pd);
    progress_end(&pd);
    return rc;
}

/* Runs "TOOL -dc -- path" with its output into a pipe, and spools that. */
static int decompress(corpus *c, const char *path, corpus_compression k,
                      const input_options *opt, w2v_err *err)
{
    const char *tool = corpus_compression_name(k);
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return w2v_fail_errno(err, "%s: cannot make a pipe for %s", path,
                              tool);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    char *argv[] = {(char *)tool, "-dc", "--", (char *)path, NULL};
    pid_t pid;
    int spawned = posix_spawnp(&pid, tool, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipefd[1]);
    if (spawned != 0) {
        close(pipefd[0]);
        return w2v_fail(err, "%s: %s-compressed, and '%s' cannot be run to "
                             "decompress it: %s; install it, or decompress "
                             "the file first: %s -dc FILE | w2v %s -input -",
                        path, tool, tool, strerror(spawned), tool, opt->cmd);
    }
    if (opt->verbose)
        fprintf(stderr, "decompressing %s (%s data) with '%s -dc'\n", path,
                tool, tool);
    char what[512];
    snprintf(what, sizeof what, "decompressing %s", path);
    int rc = spool_fd(c, pipefd[0], path, what, opt, err);
    close(pipefd[0]);
    if (rc != 0)
        kill(pid, SIGTERM); /* the spool failed: the tool need not go on */
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = 0;
            break;
        }
    if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        corpus_close(c);
        if (WIFSIGNALED(status))
            return w2v_fail(err, "%s: '%s -dc' was killed by signal %d", path,
                            tool, WTERMSIG(status));
        return w2v_fail(err, "%s: '%s -dc' failed (exit status %d): the "
                             "file is damaged or not %s data",
                        path, tool, WEXITSTATUS(status), tool);
    }
    return rc;
}

int input_open(corpus *c, const char *path, const input_options *opt,
               w2v_err *err)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (strcmp(path, "-") == 0)
        return spool_fd(c, STDIN_FILENO, path, "reading standard input", opt,
                        err);
    corpus_compression k;
    if (corpus_file_compression(path, &k, err))
        return -1;
    if (k != CORPUS_PLAIN)
        return decompress(c, path, k, opt, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot open", path);
    char what[512];
    snprintf(what, sizeof what, "reading %s", path);
    int rc = spool_fd(c, fd, path, what, opt, err);
    close(fd);
    return rc;
}
