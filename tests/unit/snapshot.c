/* snapshot.c - a train_monitor that keeps one snapshot (snapshot.h). */
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

static void note_progress(const train_stats *s, void *ctx)
{
    ((snapshot *)ctx)->seen = s->words_done;
}

static train_request ask_once(void *ctx)
{
    snapshot *sn = ctx;
    return !sn->taken && sn->seen > sn->after ? TRAIN_SNAPSHOT : TRAIN_GO_ON;
}

static int keep_snapshot(model *m, const train_state *st, void *ctx,
                         w2v_err *err)
{
    snapshot *sn = ctx;
    if (sn->taken)
        return 0;
    if (!(sn->in = malloc(sn->bytes)) || !(sn->out = malloc(sn->bytes)) ||
        train_state_copy(&sn->st, st, err))
        return -1;
    memcpy(sn->in, m->emb_in, sn->bytes);
    memcpy(sn->out, m->emb_out, sn->bytes);
    sn->taken = 1;
    return 0;
}

train_monitor snapshot_monitor(snapshot *sn)
{
    return (train_monitor){.ctx = sn, .progress = note_progress,
                           .interval = 0, .poll = ask_once,
                           .save = keep_snapshot};
}

void snapshot_free(snapshot *sn)
{
    train_state_free(&sn->st);
    free(sn->in);
    free(sn->out);
    sn->in = sn->out = NULL;
}
