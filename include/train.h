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
    int keep_context;         /* the caller will save emb_out as context
                                 vectors (refused for hs, which has none) */
} train_config;

#define TRAIN_ALPHA 0.025      /* skip-gram's default learning rate */
#define TRAIN_ALPHA_CBOW 0.05  /* CBOW's, as in the original */

/* The defaults of every parameter (threads: the CPUs online). */
void train_config_defaults(train_config *cfg);

/* Validates cfg and resolves what it leaves open: the loss (from hs and
 * negative, as the original's flags do, unless loss_given) and the default
 * learning rate.  Fails with a message naming the parameter on a value out
 * of range or a combination that cannot be trained. */
int train_config_check(train_config *cfg, w2v_err *err);

/* What train_run() reports while it runs and when it ends. */
typedef struct train_stats {
    int64_t threads;
    int64_t words_done;   /* corpus words processed, all epochs */
    int64_t words_total;  /* iter * train words */
    int64_t pairs;        /* predictions trained: (center, context) pairs
                             for skip-gram, windows for CBOW */
    double loss;          /* average loss per pair since the last report */
    double loss_total;    /* average loss per pair over the whole run */
    double alpha;         /* current learning rate */
    double elapsed;       /* wall-clock seconds */
    /* per epoch, filled at the end (iter entries each) */
    double *epoch_loss;   /* average loss per pair */
    double *epoch_seconds;/* wall-clock duration of the epoch */
    double *epoch_alpha;  /* learning rate at the epoch's end */
} train_stats;

/* How the caller watches a run: `progress` (may be NULL) is called from the
 * calling thread every `interval` seconds with the statistics so far. */
typedef struct train_monitor {
    void (*progress)(const train_stats *s, void *ctx);
    void *ctx;
    double interval;
} train_monitor;

/* Trains m (vocabulary finalized, matrices initialized by model_init) on
 * corpus c with cfg (checked) using kernel k.  On success fills *final
 * (free its arrays with train_stats_free).  Fails on a read error, or when
 * the loss or the parameters become non-finite (the message names the
 * epoch). */
int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, const train_monitor *monitor,
              train_stats *final, w2v_err *err);

void train_stats_free(train_stats *s);

#endif
