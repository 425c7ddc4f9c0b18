/* train.h - the training parameters and the training loop.
 *
 * train_run() trains a model (model.h) on a corpus with Hogwild threads,
 * each over its own byte range of the corpus, all updating the shared
 * matrices without locks (README, "Theory"). */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdint.h>

#include "corpus.h"
#include "kernel.h"
#include "model.h"
#include "objective.h"
#include "w2v.h"

/* Whether the threads keep their part of the corpus as word ids after
 * reading it once (corpus_cache.h): the results are the same either way. */
typedef enum corpus_cache_mode {
    CORPUS_CACHE_AUTO, /* when it fits the budget (train_cache_plan) */
    CORPUS_CACHE_ON,   /* always: failing to allocate it is an error */
    CORPUS_CACHE_OFF,  /* never: every epoch reads the text */
} corpus_cache_mode;

/* "auto", "on" or "off". */
const char *corpus_cache_mode_name(corpus_cache_mode mode);

/* The parameters of training, and nothing else (no paths, no display):
 * train_config_defaults() is the one place where defaults live, and
 * train_config_check() validates a configuration before any work. */
typedef struct train_config {
    int64_t dim;              /* vector dimension */
    int64_t window;           /* maximum context distance */
    int64_t negative;         /* noise words per prediction (ns) */
    int64_t threads;
    int64_t iter;             /* epochs */
    int64_t min_count;        /* words seen fewer times are dropped */
    int64_t max_vocab;        /* words kept by counting (the most frequent,
                                 memory bounded: vocab_count), 0 = no limit */
    int64_t max_final_vocab;  /* words kept in the end, min_count raised as
                                 needed (vocab_finalize_at_most), 0 = off */
    int64_t seed;
    double sample;            /* subsampling threshold, 0 = off */
    double alpha;             /* starting learning rate; 0 = the model's
                                 default (TRAIN_ALPHA, TRAIN_ALPHA_CBOW) */
    double min_alpha_ratio;   /* the rate decays to alpha * this */
    int loss_given;           /* 1: `loss` was chosen; 0: from hs/negative */
    loss_kind loss;
    int hs;                   /* the original's -hs 1 */
    int cbow;                 /* 1 = CBOW, 0 = skip-gram */
    int64_t softmax_centers;  /* skip-gram softmax: centers per pass over
                                 emb_out (1 = strictly one after another) */
    int64_t batch;            /* skip-gram ns: 1 = shared negatives per
                                 window (HogBatch, batch.h), 0 = per pair */
    int64_t combine;          /* skip-gram ns with batch: windows sharing
                                 one set of output rows (context combining,
                                 train_skipgram_combined), 1 = none; the
                                 other modes leave it unused */
    int64_t combine_block;    /* context combining: words of the block whose
                                 windows are grouped (each thread holds 8.5
                                 bytes a word) */
    int keep_context;         /* the caller will save emb_out as context
                                 vectors (refused for hs, which has none) */
    corpus_cache_mode corpus_cache; /* epochs after the first read the
                                 corpus as ids (no checkpoint keeps it) */
    int64_t corpus_cache_budget; /* bytes -corpus-cache auto may take; 0 for
                                 its default (train_cache_plan_for) */
} train_config;

#define TRAIN_ALPHA 0.025      /* skip-gram's default learning rate */
#define TRAIN_ALPHA_CBOW 0.05  /* CBOW's, as in the original */
/* Context combining's block: the longer it is, the more windows find their
 * center among the output words of an earlier one (scripts/BENCHMARKS.md,
 * "Context combining's block"); TRAIN_COMBINE_BLOCK_V2 is what checkpoints
 * written before the block could be set trained with. */
#define TRAIN_COMBINE_BLOCK (1 << 19)
#define TRAIN_COMBINE_BLOCK_V2 (1 << 17)
#define TRAIN_COMBINE_BLOCK_MIN 1000 /* a sentence's most words */
#define TRAIN_COMBINE_BLOCK_MAX (1 << 24)

/* The defaults of every parameter (threads: w2v_allotted_cpus(), at most
 * 1024). */
void train_config_defaults(train_config *cfg);

/* Validates cfg and resolves what it leaves open: the loss (from hs and
 * negative, as the original's flags do, unless loss_given) and the default
 * learning rate.  Fails with a message naming the parameter on a value out
 * of range or a combination that cannot be trained. */
int train_config_check(train_config *cfg, w2v_err *err);

/* 1 when a checked cfg trains with context combining (skip-gram, loss ns,
 * batch, combine > 1), else 0. */
int train_config_combines(const train_config *cfg);

/* What train_run() does about the corpus cache, decided before training
 * (train_cache_plan). */
typedef struct train_cache_plan {
    int use;          /* 1: each thread records its range in its first
                         epoch, and its later epochs read that */
    int64_t estimate; /* bytes the cache should take: from the vocabulary's
                         counts, for this process's part of the corpus */
    int64_t budget;   /* what -corpus-cache auto allows: cfg's
                         corpus_cache_budget, or by default a fifth of
                         the two matrices (2 x V x dim floats) less
                         `blocks`, and at most a quarter of the memory this
                         process may use (w2v_memory_bytes) */
    int64_t blocks;   /* for that default: the bytes of the corpus that the
                         threads' combining blocks hold (0 without) */
    int by_memory;    /* 1: that default is the memory's quarter */
    int whole;        /* 1: all of it is to be cached (on, or the estimate
                         within the budget); 0: up to the budget, the rest
                         read from the text every epoch */
} train_cache_plan;

/* The corpus cache of training m (vocabulary finalized) on corpus c with
 * cfg: off for CORPUS_CACHE_OFF, on for CORPUS_CACHE_ON, and for
 * CORPUS_CACHE_AUTO on when there is more than one epoch and a budget
 * left: whole when the estimate is within it, else the part of each
 * thread's range that fits its share of it. */
void train_cache_plan_for(const model *m, const corpus *c,
                          const train_config *cfg, train_cache_plan *plan);

/* What train_run() reports while it runs and when it ends. */
typedef struct train_stats {
    int64_t threads;
    int64_t words_done;   /* corpus words processed, all epochs */
    int64_t words_total;  /* iter * train words */
    int64_t epoch;        /* the epoch under way, 1..iter, from words_done */
    int64_t pairs;        /* predictions trained: (center, context) pairs
                             for skip-gram, windows for CBOW */
    double loss;          /* average loss per pair since the last report */
    double loss_total;    /* average loss per pair over the whole run */
    double hs_loss_total; /* hs+ns: the hs part of loss_total */
    double alpha;         /* current learning rate */
    double elapsed;       /* seconds of training, earlier sessions too */
    /* per epoch, filled at the end (iter entries each) */
    double *epoch_loss;   /* average loss per pair */
    int64_t *epoch_pairs; /* pairs trained */
    double *epoch_seconds;/* wall-clock duration of the epoch */
    double *epoch_alpha;  /* learning rate at the epoch's end */
    /* the corpus cache, filled at the end */
    int64_t cache_threads;/* threads that hold theirs, whole or partial */
    int64_t cache_partial;/* of which hold only the first part of their
                             range (over auto's budget there) */
    int64_t cache_dropped;/* threads that could not cache one word */
    int64_t cache_bytes;  /* the memory the caches hold */
    int64_t cache_words;  /* the words they hold */
    int64_t tail_takes;   /* times a thread that had finished its last
                             epoch took over half of another's rest */
} train_stats;

/* Where one training thread stands between two sentences.  With the model
 * and the configuration this is everything needed to continue a run
 * exactly where it was. */
typedef struct train_thread_state {
    int64_t epoch;        /* the epoch it is in (epochs it has finished) */
    int64_t offset;       /* corpus offset of the next byte it reads */
    int skip_partial;     /* ... still skipping a token begun before it */
    int64_t end;          /* where its range ends (moved when the last
                             epoch's tail is shared); 0: its own share's */
    int64_t known;        /* words it has read that are in the vocabulary,
                             all epochs (what the schedule counts) */
    int64_t reported;     /* of those, added to the shared counter */
    uint64_t rng[4];      /* its generator (rng.h) */
    float alpha;          /* its current learning rate */
    double loss;          /* loss summed over its predictions, all epochs */
    double hs_loss;       /* hs+ns: the hs part of loss */
    int64_t pairs;        /* its predictions, all epochs */
    double *epoch_loss;   /* [iter] loss summed per epoch */
    int64_t *epoch_pairs; /* [iter] predictions per epoch */
    double *epoch_end;    /* [iter] training seconds when it ended each */
} train_thread_state;

/* The whole progress of a run (besides the model).  A run of several
 * processes (a job of `ranks` ranks, each with the same number of threads)
 * is one state: the threads of rank 0, then of rank 1, and so on. */
typedef struct train_state {
    int64_t threads;           /* all of them, every rank's */
    int64_t ranks;             /* processes of the run (1 but for a job) */
    int64_t iter;              /* epochs of the run (arrays above) */
    int64_t words_done;        /* the counter of the schedule: every
                                  thread's `reported` words added up */
    double elapsed;            /* seconds of training so far, all sessions */
    train_thread_state *thread; /* [threads] */
} train_state;

/* Allocates st for `threads` threads and `iter` epochs, zeroed (1 rank). */
int train_state_init(train_state *st, int64_t threads, int64_t iter,
                     w2v_err *err);

/* Frees it; safe on a zeroed state. */
void train_state_free(train_state *st);

/* Makes dst (uninitialized) a copy of src with arrays of its own, as a
 * monitor's save callback keeps the state it is given. */
int train_state_copy(train_state *dst, const train_state *src, w2v_err *err);

/* What the caller wants, answered every few milliseconds. */
typedef enum train_request {
    TRAIN_GO_ON,    /* keep training */
    TRAIN_SNAPSHOT, /* save a snapshot now, then go on */
    TRAIN_STOP,     /* stop at the next safe point (saving a snapshot first
                       when `save` is set) */
} train_request;

/* What a run exchanges with its peers (the other processes of a job) at a
 * sync: each field is this run's on the way in, and what holds for all of
 * them on the way out. */
typedef struct train_sync {
    int64_t words_done;    /* words trained: this run's / all runs' */
    int done;              /* this run's threads have ended / everyone's */
    train_request request; /* what this run asks for / what all runs do:
                              the most urgent of the requests */
    int failed;            /* this run failed / some run failed */
} train_sync;

/* How the caller watches and steers a run.  Every callback runs on the
 * thread that called train_run(); each may be NULL. */
typedef struct train_monitor {
    void *ctx;
    /* every `interval` seconds: the statistics so far */
    void (*progress)(const train_stats *s, void *ctx);
    double interval;
    /* every few ms: what to do next */
    train_request (*poll)(void *ctx);
    /* while every thread waits at a safe point: save (m, st); m may be
     * changed (averaged with peers first).  Returns 0, or -1 to end the run
     * with err.  `save_every` seconds apart (0 = not
     * on a timer), at the end of every epoch but the last when
     * save_at_epochs, on TRAIN_SNAPSHOT, and before stopping on TRAIN_STOP. */
    int (*save)(model *m, const train_state *st, void *ctx, w2v_err *err);
    /* right after the threads went on again: finish a save (make it
     * durable) while they train.  Returns 0, or -1 to end the run. */
    int (*saved)(void *ctx, w2v_err *err);
    double save_every;
    int save_at_epochs;
    /* with peers: every `sync_every` seconds while training, and then
     * until every peer is done, exchange a train_sync (all peers call it
     * the same number of times) and combine the models.  While it is set,
     * requests (poll's, epoch ends) and failures take effect only through
     * it, on every peer at once.  Returns 0, or -1 to end the run. */
    int (*sync)(model *m, train_sync *s, void *ctx, w2v_err *err);
    double sync_every;
    /* with peers: the number of this run's first thread among all the
     * peers' (rank * threads), so that no two threads of a job draw the same
     * random numbers (thread i's generator is stream first_thread + i) */
    int64_t first_thread;
} train_monitor;

/* train_run()'s result when a TRAIN_STOP request ended the run early. */
#define TRAIN_STOPPED 1

/* Trains m (vocabulary finalized, matrices initialized by model_init or
 * restored from a snapshot) on corpus c with cfg (checked) using kernel k.
 * `resume`, when not NULL, is where an earlier run stood (the matrices of
 * m being its snapshot's): the run goes on from there to the same end.
 * With as many threads as the snapshot, it continues exactly (one thread:
 * byte-identical results); with a different count the corpus is split
 * anew and every thread starts at the same point of the schedule.
 * cfg->corpus_cache says whether epochs after a thread's first read its
 * range from a corpus cache (train_cache_plan_for); the results are the
 * same, and a resumed thread records its cache in its first epoch read
 * from the start.  Returns 0 when every epoch is done, filling *final
 * (free its arrays with train_stats_free); TRAIN_STOPPED after a
 * TRAIN_STOP request; -1 on a read error, a failed save, a cache that
 * CORPUS_CACHE_ON cannot allocate, or when the loss or the parameters
 * become non-finite (the message names the epoch). */
int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, const train_monitor *monitor,
              const train_state *resume, train_stats *final, w2v_err *err);

void train_stats_free(train_stats *s);

#endif
