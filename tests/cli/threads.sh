#!/bin/sh
# threads.sh - the threaded paths with several threads at once: training
# with snapshots (timer, signal, epoch ends) taken while 3 or 4 threads
# wait at their safe points, a stop with a snapshot, resuming with another
# thread count, and the threaded vocabulary count and analogy benchmark,
# which must agree with one thread.  `make tsan` runs this under
# ThreadSanitizer too.
# shellcheck disable=SC2016,SC2034 # conditions are quoted for check; rc is read inside them
. "$ROOT/tests/cli/lib.sh"

corpus=$ROOT/data/synthetic.txt
opts="-size 8 -window 3 -negative 3 -min-count 1 -seed 5"

# wait_until CONDITION: until the shell condition holds (at most ~60 s).
wait_until() {
    n=0
    while ! eval "$1" && [ $n -lt 600 ]; do
        sleep 0.1
        n=$((n + 1))
    done
}

# Four threads to the end, a snapshot every second and at every epoch end.
# shellcheck disable=SC2086 # $opts is a list of flags
run "$W2V" train -input "$corpus" -output "$T/a.txt" $opts -iter 3 \
    -threads 4 -checkpoint "$T/a.ckpt" -checkpoint-every 1 -quiet
expect four_threads_with_snapshots 0
check four_threads_vectors '[ "$(head -n 1 "$T/a.txt")" = "2304 8" ]'
check four_threads_checkpoint_converts \
    '"$W2V" convert -checkpoint "$T/a.ckpt" -output "$T/a2.txt" &&
     [ "$(head -n 1 "$T/a2.txt")" = "2304 8" ]'

# Three threads that would train 1000 epochs: snapshots asked by SIGUSR1,
# by the timer and by every epoch end while they run, then SIGINT stops
# them with a last snapshot.
# shellcheck disable=SC2086
"$W2V" train -input "$corpus" -output "$T/b.txt" $opts -iter 1000 \
    -threads 3 -checkpoint "$T/b.ckpt" -checkpoint-every 1 \
    -signal-checkpoint USR1 -debug 1 2>"$T/b.err" &
bg=$!
wait_until 'grep -qs "^training:" "$T/b.err"'
for i in 1 2 3; do
    kill -USR1 "$bg"
    sleep 0.3
done
wait_until '[ -e "$T/b.ckpt" ]'
sleep 1.2
kill -INT "$bg"
wait "$bg"
rc=$?
check three_threads_sigint_130 '[ "$rc" -eq 130 ]'
check three_threads_stop_line \
    'grep -q "stopped by SIGINT at .*checkpoint written to $T/b.ckpt" "$T/b.err"'
check three_threads_no_vectors '[ ! -e "$T/b.txt" ]'

# Resumed with two threads (the corpus split anew), stopped again once it
# has written a checkpoint of its own; the snapshot converts.
cp "$T/b.ckpt" "$T/b.first"
"$W2V" train -resume "$T/b.ckpt" -threads 2 -checkpoint-every 1 -debug 1 \
    2>"$T/c.err" &
bg=$!
wait_until '! cmp -s "$T/b.ckpt" "$T/b.first"'
kill -TERM "$bg"
wait "$bg"
rc=$?
check resumed_with_two_threads_143 '[ "$rc" -eq 143 ]'
check resumed_with_two_threads_says_so \
    'grep -q "resuming $T/b.ckpt" "$T/c.err" &&
     grep -q "stopped by SIGTERM at .*checkpoint written to $T/b.ckpt" "$T/c.err"'
check resumed_snapshot_converts \
    '"$W2V" convert -checkpoint "$T/b.ckpt" -output "$T/b2.txt" &&
     [ "$(head -n 1 "$T/b2.txt")" = "2304 8" ]'

# Counting threads (one per 4 MB range): the same vocabulary as one thread.
for i in 1 2 3 4 5 6 7; do cat "$corpus"; done >"$T/big.txt"
run "$W2V" vocab -input "$T/big.txt" -output "$T/v1.txt" -threads 1
expect vocab_one_thread 0
run "$W2V" vocab -input "$T/big.txt" -output "$T/v3.txt" -threads 3
expect vocab_three_threads 0
check vocab_threads_agree \
    '[ -s "$T/v1.txt" ] && cmp -s "$T/v1.txt" "$T/v3.txt"'

# The analogy benchmark over 2304 rows (9 blocks of candidates) with three
# threads gives the report of one thread (but for the time it took).
q=$ROOT/data/synthetic-questions.txt
untimed() { sed 's/, [0-9.]* s$//' "$T/out"; }
run "$W2V" eval analogy -vectors "$T/a.txt" -questions "$q" -threads 1
expect analogy_one_thread 0
untimed >"$T/q1.out"
run "$W2V" eval analogy -vectors "$T/a.txt" -questions "$q" -threads 3
expect analogy_three_threads 0
untimed >"$T/q3.out"
check analogy_threads_agree \
    'grep -q "^coverage: 396/396" "$T/q1.out" && cmp -s "$T/q1.out" "$T/q3.out"'
