/* train_job.h - what `w2v train` adds to the training parameters (files,
 * checkpoints, display), and the checkpointing of a run: the monitor
 * callbacks that write checkpoints, and continuing from one. */
#ifndef W2V_TRAIN_JOB_H
#define W2V_TRAIN_JOB_H

#include "checkpoint.h"
#include "cli.h"
#include "outfile.h"
#include "progress.h"
#include "train.h"

/* Seconds between checkpoints when -checkpoint is given alone. */
#define CHECKPOINT_EVERY_DEFAULT 600
/* A job of several ranks: seconds between syncs of the replicas, and the
 * most frequent rows averaged at each (more at some: cluster.h). */
#define SYNC_EVERY_DEFAULT 0.05
#define SYNC_ROWS_DEFAULT 1024

typedef struct train_job {
    train_config cfg;
    const char *input;        /* corpus, "-" = stdin */
    const char *output;       /* word vectors (emb_in), "-" = stdout */
    const char *save_context; /* context vectors (emb_out), or NULL */
    const char *save_vocab;
    const char *read_vocab;
    const char *kernel;       /* kernel body name, NULL = $W2V_KERNEL/auto */
    const char *checkpoint;   /* checkpoint file, or NULL */
    const char *resume;       /* checkpoint to continue, or NULL */
    const char *signal_checkpoint; /* signal name, or NULL */
    int64_t checkpoint_every; /* seconds; 0 = the default */
    double sync_every;        /* a job: seconds between model syncs */
    int64_t sync_rows;        /* ... and rows averaged at each */
    int64_t binary;
    int64_t classes;          /* > 0: write word classes instead of vectors;
                                 -1 until given or resumed */
    int64_t kmeans_iter;      /* -classes: k-means rounds; 0 until given or
                                 resumed */
    int64_t debug;            /* 0 = no statistics, 1+ = statistics */
    int quiet;                /* no progress line or statistics */
    checkpoint *resumed;      /* the -resume checkpoint once read */
} train_job;

/* The open files and checkpoint bookkeeping of a run. */
typedef struct train_session {
    const train_job *job;
    outfile out, context, vocab;
    corpus corpus;
    corpus_id corpus_id;
    progress_display progress;
    int verbose;              /* statistics (-debug 1 and more) */
    int progress_on;          /* the progress line (-debug 2 and more) */
    outfile ckpt;             /* the checkpoint being written */
    int ckpt_open;
    int64_t ckpt_written;     /* checkpoints made durable */
    double ckpt_pause_max;    /* longest wait of the threads for one */
    double ckpt_pause_sum, ckpt_sync_sum;
    int watch_stdout;         /* -output - into a pipe: notice its reader
                                 going away */
    int stdout_gone;
    double stdout_checked;
} train_session;

/* Takes what `-resume` continues from job->resumed: the parameters (a
 * given flag that changes one of them is refused, except those a resumed
 * run may change: -threads, -corpus-cache, -checkpoint, -checkpoint-every,
 * -signal-checkpoint, the output files, -binary, -classes, -kmeans-iter
 * and the display flags) and the files and output choices not given.
 * `opts` is the flag table, given[i] whether opts[i]
 * was on the command line.  Returns 0 or -1 with the message in err. */
int train_job_resume(train_job *job, const cli_opt *opts, const int *given,
                     w2v_err *err);

/* Checks the corpus is the one the resumed run was trained on. */
int train_session_check_corpus(train_session *s, w2v_err *err);

/* Fills mon for s: the progress line (unless -quiet), the requests of
 * signals and of a reader of stdout gone, and the checkpoints. */
void train_session_monitor(train_session *s, train_monitor *mon);

/* One line on stderr about the checkpoints written (when verbose). */
void train_session_report_checkpoints(const train_session *s);

#endif
