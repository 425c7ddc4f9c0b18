/* snapshot.h - a train_monitor that keeps one snapshot of a run: the
 * first one after a given number of words. */
#ifndef W2V_TEST_SNAPSHOT_H
#define W2V_TEST_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "train.h"

/* What the snapshot took: the matrices and a copy of the state. */
typedef struct snapshot {
    int64_t seen;   /* words done, from the progress reports */
    int64_t after;  /* ask for the snapshot past this many words */
    int taken;
    size_t bytes;   /* of each matrix */
    float *in, *out;
    train_state st;
} snapshot;

/* A monitor that asks for one snapshot once sn->after words are done and
 * keeps it in *sn (sn->after and sn->bytes set, the rest zeroed). */
train_monitor snapshot_monitor(snapshot *sn);

/* Frees what sn took. */
void snapshot_free(snapshot *sn);

#endif
