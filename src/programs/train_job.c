/* train_job.c - checkpoints of `w2v train`: writing them from the monitor
 * callbacks, and continuing a run from one (train_job.h). */
#include "train_job.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "signals.h"

/* How often a pipe on stdout is looked at for a reader gone (seconds). */
#define STDOUT_CHECK_SECONDS 1.0

/* Flags a resumed run may change: they do not alter what is trained. */
static const char *const free_on_resume[] = {
    "-threads", "-checkpoint", "-checkpoint-every", "-signal-checkpoint",
    "-sync-every", "-sync-rows",
    "-resume", "-input", "-train", "-output", "-save-context", "-save-vocab",
    "-binary", "-classes", "-kmeans-iter", "-debug", "-quiet", "-kernel",
    "-corpus-cache", NULL,
};

static int free_flag(const char *name)
{
    for (int i = 0; free_on_resume[i]; i++)
        if (strcmp(free_on_resume[i], name) == 0)
            return 1;
    return 0;
}

/* The value a training flag gave, as text, from its destination. */
static void flag_value(const cli_opt *o, const void *dest, char *buf,
                       size_t n)
{
    if (o->type == CLI_INT)
        snprintf(buf, n, "%lld", (long long)*(const int64_t *)dest);
    else
        snprintf(buf, n, "%.17g", *(const double *)dest);
}

/* Where opts[i] stores into job->cfg, or -1 when it does not. */
static ptrdiff_t config_offset(const train_job *job, const cli_opt *o)
{
    const char *base = (const char *)&job->cfg, *dest = o->dest;
    if (dest < base || dest >= base + sizeof job->cfg)
        return -1;
    return dest - base;
}

int train_job_resume(train_job *job, const cli_opt *opts, const int *given,
                     w2v_err *err)
{
    const checkpoint *ck = job->resumed;
    const train_config *saved = &ck->cfg;
    for (int i = 0; opts[i].name; i++) {
        if (!given[i] || free_flag(opts[i].name))
            continue;
        if (strcmp(opts[i].name, "-read-vocab") == 0)
            return w2v_fail(err, "-read-vocab: a resumed run keeps the "
                                 "vocabulary of its checkpoint");
        ptrdiff_t at = config_offset(job, &opts[i]);
        int differs;
        char now[64], then[64];
        if (at >= 0) {
            const void *theirs = (const char *)saved + at;
            flag_value(&opts[i], opts[i].dest, now, sizeof now);
            flag_value(&opts[i], theirs, then, sizeof then);
            differs = strcmp(now, then) != 0;
        } else if (strcmp(opts[i].name, "-loss") == 0) {
            snprintf(now, sizeof now, "%s", loss_name(job->cfg.loss));
            snprintf(then, sizeof then, "%s", loss_name(saved->loss));
            differs = job->cfg.loss != saved->loss;
        } else if (strcmp(opts[i].name, "-hs") == 0 ||
                   strcmp(opts[i].name, "-cbow") == 0) {
            /* flags kept in the config as ints */
            int mine = strcmp(opts[i].name, "-hs") == 0 ? job->cfg.hs
                                                          : job->cfg.cbow;
            int theirs = strcmp(opts[i].name, "-hs") == 0 ? saved->hs
                                                            : saved->cbow;
            snprintf(now, sizeof now, "%d", mine);
            snprintf(then, sizeof then, "%d", theirs);
            differs = mine != theirs;
        } else { /* a flag outside the config missing from free_on_resume */
            return w2v_fail(err, "%s: a resumed run cannot compare it with "
                                 "the checkpoint's parameters",
                            opts[i].name);
        }
        if (differs)
            return w2v_fail(err, "%s %s differs from the checkpoint's %s: a "
                                 "resumed run keeps its training parameters "
                                 "(only -threads, -corpus-cache, the "
                                 "checkpoint flags, the output files, "
                                 "-binary, -classes, -kmeans-iter and the "
                                 "display flags may "
                                 "change)",
                            opts[i].name, now, then);
    }
    int64_t threads = job->cfg.threads;
    int threads_given = cli_was_given(opts, given, "-threads");
    /* the cache is this run's choice: no checkpoint keeps it */
    corpus_cache_mode cache = job->cfg.corpus_cache;
    job->cfg = *saved;
    job->cfg.corpus_cache = cache;
    if (threads_given)
        job->cfg.threads = threads;
    const char *note;
    if (!job->input)
        job->input = checkpoint_note(ck, "input");
    if (!job->output && (note = checkpoint_note(ck, "output")) && *note)
        job->output = note;
    if (!job->save_context && (note = checkpoint_note(ck, "save-context")) &&
        *note)
        job->save_context = note;
    if (!job->checkpoint)
        job->checkpoint = job->resume;
    if (!job->checkpoint_every &&
        (note = checkpoint_note(ck, "checkpoint-every")))
        job->checkpoint_every = strtoll(note, NULL, 10);
    if (job->binary < 0)
        job->binary = (note = checkpoint_note(ck, "binary")) && !strcmp(note, "1");
    if (job->classes < 0 && (note = checkpoint_note(ck, "classes")))
        job->classes = strtoll(note, NULL, 10);
    if (!job->kmeans_iter && (note = checkpoint_note(ck, "kmeans-iter")))
        job->kmeans_iter = strtoll(note, NULL, 10);
    if (job->classes > INT32_MAX || job->kmeans_iter < 0 ||
        job->kmeans_iter > 1000000)
        return w2v_fail(err, "%s: the checkpoint's -classes or -kmeans-iter "
                             "is out of range", job->resume);
    if (!job->input || !job->output)
        return w2v_fail(err, "%s: the checkpoint does not name its %s; give "
                             "it with %s", job->resume,
                        job->input ? "output" : "corpus",
                        job->input ? "-output" : "-input");
    return 0;
}

int train_session_check_corpus(train_session *s, w2v_err *err)
{
    const train_job *job = s->job;
    if (corpus_identify(&s->corpus, &s->corpus_id, err))
        return -1;
    if (!job->resumed)
        return 0;
    const corpus_id *want = &job->resumed->corpus;
    if (s->corpus_id.size != want->size)
        return w2v_fail(err, "%s is not the corpus %s was trained on: %lld "
                             "bytes, the checkpoint's had %lld",
                        job->input, job->resume,
                        (long long)s->corpus_id.size, (long long)want->size);
    if (s->corpus_id.head_crc != want->head_crc ||
        s->corpus_id.tail_crc != want->tail_crc)
        return w2v_fail(err, "%s is not the corpus %s was trained on: the "
                             "same size, but its first or last MiB differs",
                        job->input, job->resume);
    return 0;
}

/* The monitor's poll: a stop signal, a checkpoint signal, or the reader of
 * a piped stdout gone (no use training for nobody). */
static train_request poll_requests(void *ctx)
{
    train_session *s = ctx;
    if (signals_stop_requested())
        return TRAIN_STOP;
    if (s->watch_stdout && w2v_now() - s->stdout_checked >=
                               STDOUT_CHECK_SECONDS) {
        struct pollfd p = {STDOUT_FILENO, 0, 0};
        s->stdout_checked = w2v_now();
        if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP))) {
            s->stdout_gone = 1;
            return TRAIN_STOP;
        }
    }
    if (signals_checkpoint_requested())
        return TRAIN_SNAPSHOT;
    return TRAIN_GO_ON;
}

/* Monitor save: writes the checkpoint to its temporary file while the
 * threads wait.  A failure is a warning: the run goes on, the last good
 * checkpoint stays. */
static int save_checkpoint(model *m, const train_state *st, void *ctx,
                           w2v_err *err)
{
    train_session *s = ctx;
    const train_job *job = s->job;
    double start = w2v_now();
    /* a job's checkpoint: the combined model and every rank's threads, at
     * rank 0; the others are done once they have sent theirs */
    train_state all = {0};
    if (cluster_size() > 1) {
        if (cluster_combine(m, err) || cluster_gather_state(st, &all, err))
            return -1;
        st = &all;
        if (cluster_rank() != 0)
            return 0;
    }
    char binary[2] = {job->binary ? '1' : '0', '\0'}, every[32];
    char classes[32], kmeans_iter[32];
    snprintf(every, sizeof every, "%lld", (long long)job->checkpoint_every);
    snprintf(classes, sizeof classes, "%lld", (long long)job->classes);
    snprintf(kmeans_iter, sizeof kmeans_iter, "%lld",
             (long long)job->kmeans_iter);
    const char *notes[] = {"input", job->input,
                           "output", job->output ? job->output : "",
                           "save-context",
                           job->save_context ? job->save_context : "",
                           "binary", binary,
                           "classes", classes,
                           "kmeans-iter", kmeans_iter,
                           "checkpoint-every", every,
                           "w2v", W2V_VERSION,
                           NULL};
    w2v_err why;
    int failed = outfile_open(&s->ckpt, job->checkpoint, &why) ||
                 checkpoint_write(s->ckpt.fp, job->checkpoint, &job->cfg,
                                  &s->corpus_id, notes, m, st, &why) ||
                 fflush(s->ckpt.fp) != 0;
    train_state_free(&all);
    if (failed) {
        progress_end(&s->progress);
        fprintf(stderr, "w2v train: warning: checkpoint not written: %s\n",
                why.msg);
        outfile_abort(&s->ckpt);
        return 0;
    }
    s->ckpt_open = 1;
    double pause = w2v_now() - start;
    s->ckpt_pause_sum += pause;
    if (pause > s->ckpt_pause_max)
        s->ckpt_pause_max = pause;
    return 0;
}

/* Monitor saved: fsync, rename over the last checkpoint, fsync the folder,
 * while the threads train again. */
static int checkpoint_saved(void *ctx, w2v_err *err)
{
    (void)err;
    train_session *s = ctx;
    if (!s->ckpt_open)
        return 0;
    s->ckpt_open = 0;
    double start = w2v_now();
    w2v_err why;
    if (outfile_commit(&s->ckpt, &why)) {
        progress_end(&s->progress);
        fprintf(stderr, "w2v train: warning: checkpoint not written: %s\n",
                why.msg);
        return 0;
    }
    s->ckpt_sync_sum += w2v_now() - start;
    s->ckpt_written++;
    return 0;
}

/* Monitor progress: the progress line. */
static void show_progress(const train_stats *st, void *ctx)
{
    train_session *s = ctx;
    progress_show(st, &s->progress);
}

void train_session_monitor(train_session *s, train_monitor *mon)
{
    const train_job *job = s->job;
    struct stat st;
    mon->ctx = s;
    progress_init(&s->progress, job->cfg.iter, &mon->interval);
    mon->progress = s->progress_on ? show_progress : NULL;
    mon->poll = poll_requests;
    s->watch_stdout = job->output && strcmp(job->output, "-") == 0 &&
                      fstat(STDOUT_FILENO, &st) == 0 &&
                      (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
    if (!job->checkpoint)
        return;
    mon->save = save_checkpoint;
    mon->saved = checkpoint_saved;
    mon->save_every = (double)job->checkpoint_every;
    mon->save_at_epochs = 1;
}

void train_session_report_checkpoints(const train_session *s)
{
    if (!s->verbose || !s->ckpt_written)
        return;
    fprintf(stderr, "checkpoints: %lld written to %s; threads waited %.3f s "
                    "each on average (at most %.3f s), syncing took %.3f s "
                    "each in the background\n",
            (long long)s->ckpt_written, s->job->checkpoint,
            s->ckpt_pause_sum / (double)s->ckpt_written, s->ckpt_pause_max,
            s->ckpt_sync_sum / (double)s->ckpt_written);
}
