/* train.h - configuration, model and the training loop.
 *
 * The whole training state is one `model` (vocabulary, both embedding
 * matrices, samplers) plus the progress counters of train_run(), so that a
 * checkpoint can write it out. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdint.h>

#include "corpus.h"
#include "huffman.h"
#include "kernel.h"
#include "noise.h"
#include "objective.h"
#include "vocab.h"
#include "w2v.h"

/* Every knob of `w2v train`; train_config_defaults() is the one place where
 * defaults live. */
typedef struct train_config {
    const char *input;        /* corpus path, "-" = stdin */
    const char *output;       /* word vectors (emb_in), "-" = stdout */
    const char *save_context; /* context vectors (emb_out), or NULL */
    const char *save_vocab;
    const char *read_vocab;
    const char *kernel;       /* kernel body name, NULL = auto */
    int64_t dim;              /* -size */
    int64_t window;
    int64_t negative;
    int64_t threads;
    int64_t iter;
    int64_t min_count;
    int64_t max_vocab;        /* 0 = no limit */
    int64_t seed;
    int64_t debug;
    int64_t binary;
    double sample;
    double alpha;
    double min_alpha_ratio;
    loss_kind loss;           /* -loss ns|softmax|hs */
    int64_t softmax_centers;  /* skip-gram softmax: centers per pass over
                                 emb_out (1 = strictly one after another) */
    int64_t batch;            /* skip-gram ns: 1 = shared negatives per window
                                 (HogBatch, batch.h), 0 = per pair */
    int cbow;                 /* 1 = CBOW, 0 = skip-gram */
    int quiet;
    double progress_every;    /* seconds between progress callbacks */
} train_config;

void train_config_defaults(train_config *cfg);

typedef struct model {
    vocab vocab;          /* finalized: ids in frequency order */
    int64_t dim, stride;  /* stride = w2v_row_stride(dim) floats */
    float *emb_in;        /* [V][stride] input (word) vectors */
    float *emb_out;       /* [V][stride] output (context) vectors */
    alias_table noise;    /* unigram^0.75 */
    uint64_t *keep;       /* subsampling thresholds, see noise.h */
    huffman_tree tree;    /* hierarchical softmax; built by train_run for hs */
} model;

/* Allocates and initializes the matrices and samplers for m->vocab (which
 * must be finalized and non-empty): emb_in uniform in [-0.5/d, 0.5/d] from
 * `seed`, emb_out zero. */
int model_init(model *m, int64_t dim, int64_t seed, double sample,
               w2v_err *err);

/* Builds m->tree from the vocabulary counts unless it is already built;
 * train_run() calls it for -loss hs. */
int model_build_tree(model *m, w2v_err *err);

/* Frees everything, the vocabulary included. */
void model_free(model *m);

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

typedef void (*train_progress_fn)(const train_stats *s, void *ctx);

/* Trains m on corpus c with cfg->threads Hogwild threads, each on its own
 * byte range of c.  Calls progress (may be NULL) from the calling thread
 * every cfg->progress_every seconds.  On success fills *final (free its
 * arrays with train_stats_free).  Fails on a read error, or when the loss
 * or the parameters become non-finite (the message names the epoch). */
int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, train_progress_fn progress, void *ctx,
              train_stats *final, w2v_err *err);

void train_stats_free(train_stats *s);

#endif
