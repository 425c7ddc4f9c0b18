/* cluster.h - the processes of one `w2v train` job.
 *
 * A plain build is a job of one process (cluster_single.c).  A build with
 * `make MPI=1` runs as the ranks of an MPI job (cluster_mpi.c): every rank
 * trains on its own part of the corpus with its own threads, the ranks
 * merge their vocabularies into one, and average their models now and then
 * (the most frequent rows often, all rows less often).  Every function here
 * that says "collective" must be called by every rank in the same order;
 * only the calling thread of train_run() talks to other ranks. */
#ifndef W2V_CLUSTER_H
#define W2V_CLUSTER_H

#include <stdint.h>

#include "checkpoint.h"
#include "model.h"
#include "train.h"

/* Starts the job (MPI_Init); returns 0, or -1 when MPI cannot start. */
int cluster_start(int *argc, char ***argv);

/* Ends it (MPI_Finalize); safe to call when it never started. */
void cluster_end(void);

/* This process's rank and the number of ranks (0 and 1 without MPI). */
int cluster_rank(void);
int cluster_size(void);

/* One line for --version: whether MPI is built in, and which. */
const char *cluster_description(void);

/* Collective: 1 when `ok` is non-zero on every rank. */
int cluster_all(int ok);

/* Collective: x added up over the ranks. */
int64_t cluster_sum(int64_t x);

/* Collective: merges the vocabularies counted by every rank (each over its
 * own part of the corpus) and finalizes the result with min_count and
 * max_words (vocab_finalize_at_most; *min_count_used gets the bound
 * applied), so that every rank holds the same words with the same ids and
 * counts.  Also checks that the ranks' vocabularies are identical (and
 * fails if not). */
int cluster_merge_vocab(vocab *v, int64_t min_count, int64_t max_words,
                        int64_t *min_count_used, w2v_err *err);

/* Collective: checks that every rank holds the same vocabulary; *crc gets
 * its checksum. */
int cluster_same_vocab(const vocab *v, uint32_t *crc, w2v_err *err);

/* How the ranks keep their models together. */
typedef struct cluster_sync_config {
    int64_t threads;   /* training threads of each rank */
    double every;      /* seconds between syncs */
    int64_t hot_rows;  /* rows averaged at every sync (the most frequent);
                          at sync n, hot_rows << (trailing zeros of n), so
                          rarer rows are averaged less often */
} cluster_sync_config;

/* Collective: fills the sync hook of mon for a job of several ranks
 * (nothing for one), which combines the replicas' rows as
 * cluster_sync_config says (the ranks' changes since the rows were last
 * agreed on, added up) and adds up the ranks' progress, requests and
 * failures.  m, the same on every rank, is the agreed model to start from;
 * each rank keeps a copy of it (the memory of both matrices again). */
int cluster_monitor(train_monitor *mon, const cluster_sync_config *cfg,
                    const model *m, loss_kind loss, w2v_err *err);

/* Collective: combines every row of both matrices, after which every rank
 * holds the same model (the threads must not be training). */
int cluster_combine(model *m, w2v_err *err);

/* Collective: the whole run's state at rank 0 (all ranks' threads, rank 0
 * first), from each rank's own `mine`; `all` is untouched elsewhere. */
int cluster_gather_state(const train_state *mine, train_state *all,
                         w2v_err *err);

/* Collective: adds up the ranks' final statistics at every rank. */
int cluster_sum_stats(train_stats *s, int64_t iter, w2v_err *err);

/* Ends every rank of the job with `status` after an error on this one. */
void cluster_abort(int status);

#endif
