/* cluster_single.c - a job of one process: the cluster.h functions for a
 * build without MPI. */
#include "cluster.h"

#include "crc32c.h"

int cluster_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void cluster_end(void)
{
}

int cluster_rank(void)
{
    return 0;
}

int cluster_size(void)
{
    return 1;
}

const char *cluster_description(void)
{
    return "MPI: not built in (make MPI=1 builds it)";
}

int cluster_all(int ok)
{
    return ok != 0;
}

int64_t cluster_sum(int64_t x)
{
    return x;
}

int cluster_merge_vocab(vocab *v, int64_t min_count, int64_t max_words,
                        int64_t *min_count_used, w2v_err *err)
{
    return vocab_finalize_at_most(v, min_count, max_words, min_count_used,
                                  err);
}

int cluster_same_vocab(const vocab *v, uint32_t *crc, w2v_err *err)
{
    (void)err;
    *crc = vocab_checksum(v);
    return 0;
}

int cluster_monitor(train_monitor *mon, const cluster_sync_config *cfg,
                    const model *m, loss_kind loss, w2v_err *err)
{
    (void)mon;
    (void)cfg;
    (void)m;
    (void)loss;
    (void)err;
    return 0;
}

int cluster_combine(model *m, w2v_err *err)
{
    (void)m;
    (void)err;
    return 0;
}

int cluster_gather_state(const train_state *mine, train_state *all,
                         w2v_err *err)
{
    (void)mine;
    (void)all;
    (void)err;
    return 0;
}

int cluster_sum_stats(train_stats *s, int64_t iter, w2v_err *err)
{
    (void)s;
    (void)iter;
    (void)err;
    return 0;
}

void cluster_abort(int status)
{
    (void)status;
}
