/* train_internal.h - the state shared by the training loop (train.c) and
 * the per-sentence routines (train_steps.c); private to the library. */
#ifndef W2V_TRAIN_INTERNAL_H
#define W2V_TRAIN_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "batch.h"
#include "sentence.h"
#include "train.h"

typedef struct trainer trainer;

/* Context combining's scratch for one block of sentences (train_steps.c). */
typedef struct combine_scratch {
    int32_t *head;      /* [vocab] each word's first position in the block
                           whose window is untrained, -1 = none */
    int32_t *next;      /* [block words] the next position of its word */
    /* two groups, one trained while the next one's rows are fetched: */
    float **in_rows;    /* [2][combine * 2 * window] a group's context rows */
    int *labels;        /* [2][combine * 2 * window] each one's target, an
                           index into the group's output words */
    uint32_t *words;    /* [2][negative + 1] a group's output words */
    float **out_rows;   /* [2][negative + 1] their rows */
    int *weights;       /* [2][negative + 1] how often each was drawn as
                           noise */
    int n_in[2], n_out[2];
} combine_scratch;

/* One training thread.  The fields the monitor reads while the thread runs
 * are atomics; the struct is cache-line aligned so threads' hot state never
 * shares a line.  While the thread waits at a safe point (train.c) the
 * monitor may read every field. */
typedef struct worker {
    _Alignas(64) trainer *t;
    int index;
    rng rng;
    sentence_reader text;
    corpus_cache cache;  /* its range as word ids (when planned) */
    int32_t *sentence;   /* [block_words] word ids of the sentences trained
                            together (one, unless combining) */
    int *ends;           /* [block_sentences] where each of them ends */
    float *grad;         /* [stride] gradient step for the input vector */
    float *mean;         /* [stride] CBOW: mean of the context rows */
    int32_t *contexts;   /* [centers * 2 * window] context word ids */
    const float **ins;   /* softmax: [centers] input rows of one step */
    int *offsets;        /* softmax: [centers + 1] each center's contexts */
    float *grads;        /* softmax: [centers][stride] input steps */
    float **in_rows;     /* batch: [2 * window] context rows of one window */
    uint32_t *noise;     /* batch: [2 * negative] noise words, this window's
                            and the next one's */
    ns_batch nsb;        /* batch: scratch of the shared-negative step */
    combine_scratch comb;/* context combining */
    objective_ctx obj;
    int64_t epoch;       /* the epoch being trained (epochs finished) */
    int64_t reported;    /* text.known already added to the shared counter */
    float alpha;         /* learning rate since the last publish */
    double loss;         /* this thread's loss sum, all epochs */
    int64_t pairs;
    double *epoch_loss;  /* [iter] */
    int64_t *epoch_pairs;/* [iter] */
    double *epoch_end;   /* [iter] training seconds at each epoch's end */
    _Atomic double pub_loss; /* published copies of loss, pairs and the
                                hs part of the loss */
    _Atomic double pub_hs_loss;
    _Atomic int64_t pub_pairs;
    int64_t range_end;   /* where its range ends now: its share of the
                            corpus, moved while the last epoch's tail is
                            shared (under the trainer's range_lock, as is
                            text.tokens.end, which is range_end but while
                            claimed in pieces then) */
    int64_t events_end;  /* replaying a complete cache in the last epoch:
                            the events of it this thread trains, moved by
                            takes (under range_lock, as is text.replay_end,
                            claimed up to it in pieces); 0 otherwise */
    int idle;            /* done with its own work: waits for a tail to
                            take or has ended (counted in trainer.idle) */
    int failed;
    w2v_err err;
} worker;

/* Trains one sentence of word ids at learning rate alpha; returns the
 * summed loss of its predictions. */
typedef double (*sentence_fn)(worker *w, const int32_t *sent, int len,
                              float alpha);
/* Trains n_sent sentences together: sentence s is ids[ends[s - 1] ..
 * ends[s]) (from 0 for the first). */
typedef double (*block_fn)(worker *w, const int32_t *ids, const int *ends,
                           int n_sent, float alpha);

struct trainer {
    model *m;
    const corpus *c;
    const train_config *cfg;
    const kernel *k;
    objective obj;        /* what the loss needs: noise table, tree */
    uint64_t *keep;       /* subsampling thresholds, per word */
    train_cache_plan cache_plan; /* whether the workers keep a cache */
    sentence_fn train_sentence; /* chosen once for the configuration */
    block_fn train_block; /* or this, over a block of sentences */
    int block_sentences;  /* sentences a block holds at most */
    int block_words;      /* ... and words, at least SENTENCE_MAX */
    objective_fn objective;
    int targets_per_step; /* contexts given to one objective call */
    int centers_per_step; /* skip-gram softmax: centers per call */
    int64_t words_total;  /* iter * training words */
    int save_at_epochs;   /* ask for a snapshot at each epoch's start */
    int exact_epochs;     /* ... and wait there for it (no peers) */
    int64_t first_thread; /* streams of the threads' generators start here */
    double stale_limit;   /* with peers: seconds a thread may train past
                             the last sync before it waits for the next */
    _Atomic double synced_at; /* wall clock of the last sync (peers) */
    double start;         /* wall clock when this session's threads began */
    double elapsed_before;/* training seconds of earlier sessions */
    _Alignas(64) _Atomic int64_t words_done; /* this run's */
    _Atomic int64_t words_others; /* its peers', as of the last sync */
    _Alignas(64) _Atomic int stop;
    _Atomic int pause;    /* workers wait at their next safe point */
    _Atomic int64_t diverged_epoch; /* 1-based, 0 = finite so far */
    _Atomic int64_t epochs_saved;   /* epoch-end snapshots asked for */
    _Atomic int snapshot_asked;     /* a worker asks for a snapshot */
    pthread_mutex_t lock; /* with `moved`: safe points and ends */
    pthread_cond_t moved; /* a worker paused, resumed, ended or began to
                             share its tail */
    int paused, ended;    /* workers waiting at a safe point / finished */
    pthread_mutex_t range_lock; /* the workers' range ends (last epoch),
                                   idle and tail_takes */
    int idle;             /* workers done with their own work */
    int64_t tail_takes;   /* ranges taken over from another thread's tail */
};

/* The learning rate after `done` words of all epochs: linear decay from
 * alpha to alpha * min_alpha_ratio. */
static inline double learning_rate(const trainer *t, int64_t done)
{
    double frac = 1.0 - (double)done / ((double)t->words_total + 1.0);
    if (frac < t->cfg->min_alpha_ratio)
        frac = t->cfg->min_alpha_ratio;
    return t->cfg->alpha * frac;
}

/* The per-sentence routines (train_steps.c). */
double train_skipgram(worker *w, const int32_t *sent, int len, float alpha);
double train_skipgram_softmax(worker *w, const int32_t *sent, int len,
                              float alpha);
double train_skipgram_batched(worker *w, const int32_t *sent, int len,
                              float alpha);
double train_skipgram_combined(worker *w, const int32_t *ids,
                               const int *ends, int n_sent, float alpha);
double train_cbow(worker *w, const int32_t *sent, int len, float alpha);

#endif
