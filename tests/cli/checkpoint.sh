#!/bin/sh
# checkpoint.sh - batch jobs that survive: checkpoints, exact resume, what
# each signal does, refused resumes, and readers of stdout or stderr that go
# away.  Trains on the bundled synthetic corpus with one thread, where a
# resumed run must give the bytes of an uninterrupted one.
# shellcheck disable=SC2016,SC2034,SC2086 # conditions are quoted for check; bg_rc is read inside them; $opts is a list of flags
. "$ROOT/tests/cli/lib.sh"

corpus=$ROOT/data/synthetic.txt
opts="-size 16 -iter 12 -threads 1 -min-count 1 -seed 3 -binary 1"
words_per_epoch=260396 # training words of the synthetic corpus


# wait_for FILE: until FILE exists (at most about 60 s).
wait_for() {
    n=0
    while [ ! -e "$1" ] && [ $n -lt 600 ]; do
        sleep 0.1
        n=$((n + 1))
    done
}

# start OUT CKPT [FLAGS...]: a checkpointing run in the background; its
# stderr goes to $T/bg.err and its pid to $bg.
start() {
    out=$1 ck=$2
    shift 2
    rm -f "$T/bg.err" # so that nothing of an earlier run is read
    # shellcheck disable=SC2086 # $opts is a list of flags
    "$W2V" train -input "$corpus" -output "$out" $opts -checkpoint "$ck" \
        -debug 1 "$@" 2>"$T/bg.err" &
    bg=$!
}

# finish: waits for the background run; its status in $bg_rc.
finish() {
    wait "$bg" 2>/dev/null
    bg_rc=$?
}

# shellcheck disable=SC2086
"$W2V" train -input "$corpus" -output "$T/ref.bin" $opts -quiet
check reference_run '[ -s "$T/ref.bin" ]'

# Stopped by SIGTERM after the first checkpoint (mid-epoch: -checkpoint-every
# 1 writes one a second): exit 143, one line saying where the checkpoint is,
# no vectors and no temporary file; the resumed run writes the same bytes.
start "$T/a.bin" "$T/a.ckpt" -checkpoint-every 1
wait_for "$T/a.ckpt"
sleep 0.3
kill -TERM "$bg"
finish
check sigterm_exits_143 '[ "$bg_rc" -eq 143 ]'
check sigterm_says_where_the_checkpoint_is \
    'grep -q "stopped by SIGTERM at .*checkpoint written to $T/a.ckpt (continue with: w2v train -resume $T/a.ckpt)" "$T/bg.err"'
check sigterm_one_line \
    '[ "$(grep -c "^w2v train: " "$T/bg.err")" -eq 1 ]'
check stopped_run_writes_no_vectors '[ ! -e "$T/a.bin" ]'
check stopped_run_leaves_no_temp 'none_exist "$T"/*w2v-tmp* "$T"/.a.*'
run "$W2V" train -resume "$T/a.ckpt" -quiet
expect resume_mid_epoch 0
check resume_mid_epoch_identical 'cmp -s "$T/ref.bin" "$T/a.bin"'

# At an epoch boundary: only epoch-end checkpoints (-checkpoint-every
# huge), the job killed (-9) right after the first one; it holds exactly
# one epoch's words.
start "$T/b.bin" "$T/b.ckpt" -checkpoint-every 1000000
wait_for "$T/b.ckpt"
kill -KILL "$bg"
finish
run "$W2V" train -resume "$T/b.ckpt" -debug 1
expect resume_epoch_boundary 0
check epoch_checkpoint_at_the_boundary \
    'grep -Eq "resuming .*: [0-9]+ words, ($words_per_epoch|$((2 * words_per_epoch))) of [0-9]+ training words done" "$T/err"'
check resume_epoch_boundary_identical 'cmp -s "$T/ref.bin" "$T/b.bin"'

# Twice in one run: SIGINT (130), resume, SIGHUP (129), resume.
start "$T/c.bin" "$T/c.ckpt" -checkpoint-every 1
wait_for "$T/c.ckpt"
kill -INT "$bg"
finish
check sigint_exits_130 '[ "$bg_rc" -eq 130 ]'
rm -f "$T/c.ckpt.seen"
cp "$T/c.ckpt" "$T/c.first"
"$W2V" train -resume "$T/c.ckpt" -checkpoint-every 1 -debug 1 2>"$T/bg.err" &
bg=$!
# the resumed run writes its own checkpoint within a second
n=0
while cmp -s "$T/c.ckpt" "$T/c.first" && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
kill -HUP "$bg"
finish
check sighup_exits_129 '[ "$bg_rc" -eq 129 ]'
check interrupted_twice_no_vectors_yet '[ ! -e "$T/c.bin" ]'
run "$W2V" train -resume "$T/c.ckpt" -quiet
expect resume_twice 0
check resume_twice_identical 'cmp -s "$T/ref.bin" "$T/c.bin"'

# Without -checkpoint a signal still stops cleanly and says nothing was kept.
# shellcheck disable=SC2086
"$W2V" train -input "$corpus" -output "$T/d.bin" $opts -iter 200 2>"$T/bg.err" &
bg=$!
# once training has begun (counting the words may take a while, under a
# sanitizer above all)
n=0
while ! grep -qs '^training:' "$T/bg.err" && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 0.5
kill -TERM "$bg"
finish
check no_checkpoint_sigterm_143 '[ "$bg_rc" -eq 143 ]'
check no_checkpoint_says_so \
    'grep -q "no checkpoint written (no -checkpoint given), no vectors written" "$T/bg.err"'
check no_checkpoint_no_vectors '[ ! -e "$T/d.bin" ]'

# A second signal ends the run at once: no stop line, nothing written, and
# the last checkpoint still resumes.  The run is held (SIGSTOP) while both
# arrive, so they come one right after the other when it goes on: SIGINT
# first (the lower number), which asks for the stop, then SIGTERM.
start "$T/e.bin" "$T/e.ckpt" -checkpoint-every 1 -iter 200
wait_for "$T/e.ckpt"
kill -STOP "$bg"
kill -TERM "$bg"
kill -INT "$bg"
kill -CONT "$bg"
finish
if [ -n "${W2V_UNDER_TSAN:-}" ]; then
    # a worker thread that takes the second signal in its compute loop runs
    # the handler only at its next libc call, after the stop may be done
    skip second_signal_kills "ThreadSanitizer delays signal handlers"
else
    check second_signal_kills '{ [ "$bg_rc" -eq 130 ] || [ "$bg_rc" -eq 143 ]; } && ! grep -q "stopped by" "$T/bg.err"'
fi
check second_signal_no_output '[ ! -e "$T/e.bin" ] && none_exist "$T"/*w2v-tmp* "$T"/.e.*'
# (read whole and its checksum checked, as a resume would: not trained on,
# which would take the run's 200 epochs)
run "$W2V" convert -checkpoint "$T/e.ckpt" -output "$T/e2.bin"
expect second_signal_checkpoint_still_good 0

# -signal-checkpoint USR1: a checkpoint on the signal, and the run goes on
# to the same end: 11 epoch-end checkpoints and the signal's make 12.
start "$T/f.bin" "$T/f.ckpt" -checkpoint-every 1000000 -signal-checkpoint USR1
# the handler is there once training begins (USR1 would end it before)
n=0
while ! grep -q "^training:" "$T/bg.err" && [ $n -lt 600 ]; do
    sleep 0.05
    n=$((n + 1))
done
kill -USR1 "$bg"
finish
check usr1_checkpoint_and_go_on '[ "$bg_rc" -eq 0 ] && grep -q "^checkpoints: 12 written" "$T/bg.err" && cmp -s "$T/ref.bin" "$T/f.bin"'
run "$W2V" train -input "$corpus" -output "$T/x.bin" $opts -signal-checkpoint TERM
expect signal_checkpoint_bad_name 2 "USR1, USR2, ALRM or XCPU"

# More threads on resume: allowed, trains to the end with them.
run "$W2V" train -resume "$T/c.ckpt" -threads 2 -output "$T/g.bin" -debug 1
expect resume_more_threads 0 "^training: .*, 2 threads,"
check resume_more_threads_output '[ "$(head -n 1 "$T/g.bin")" = "2304 16" ]'

# Refused resumes: exit 1, a message, the existing output untouched.
echo precious >"$T/keep.bin"
refused() { # NAME PATTERN ARGS...
    name=$1 pattern=$2
    shift 2
    run "$W2V" train -output "$T/keep.bin" "$@"
    expect "refuse_$name" 1 "$pattern"
    check "refuse_${name}_keeps_output" '[ "$(cat "$T/keep.bin")" = precious ]'
}
refused changed_window "-window 8 differs from the checkpoint's 5" \
    -resume "$T/b.ckpt" -window 8
refused changed_loss "-loss softmax differs from the checkpoint's ns" \
    -resume "$T/b.ckpt" -loss softmax
head -c 1000000 "$corpus" >"$T/other.txt"
refused other_corpus "other.txt is not the corpus .* was trained on: 1000000 bytes" \
    -resume "$T/b.ckpt" -input "$T/other.txt"
# same size, one byte changed at the end
size=$(wc -c <"$corpus")
{ head -c $((size - 2)) "$corpus"; printf 'X\n'; } >"$T/edited.txt"
refused edited_corpus "edited.txt is not the corpus .* first or last MiB differs" \
    -resume "$T/b.ckpt" -input "$T/edited.txt"
ck_size=$(wc -c <"$T/b.ckpt")
head -c $((ck_size - 100)) "$T/b.ckpt" >"$T/short.ckpt"
refused truncated "short.ckpt: truncated checkpoint" -resume "$T/short.ckpt"
cp "$T/b.ckpt" "$T/bad.ckpt"
printf 'Z' | dd of="$T/bad.ckpt" bs=1 seek=$((ck_size / 2)) conv=notrunc 2>/dev/null
refused corrupted "bad.ckpt: corrupted checkpoint" -resume "$T/bad.ckpt"
cp "$T/b.ckpt" "$T/future.ckpt"
printf '\011' | dd of="$T/future.ckpt" bs=1 seek=8 conv=notrunc 2>/dev/null
refused future_version "future.ckpt: checkpoint format version 9 is newer" \
    -resume "$T/future.ckpt"
refused not_a_checkpoint "synthetic.txt: not a w2v checkpoint" -resume "$corpus"
refused missing "nope.ckpt: cannot open" -resume "$T/nope.ckpt"
run "$W2V" train -resume "$T/b.ckpt" -read-vocab "$T/v.txt"
expect refuse_read_vocab 2 "keeps the vocabulary"

# A checkpoint turned into vectors without training.
run "$W2V" convert -checkpoint "$T/b.ckpt" -output "$T/conv.txt" -binary 0
expect convert_checkpoint 0
check convert_checkpoint_rows '[ "$(head -n 1 "$T/conv.txt")" = "2304 16" ] && [ "$(wc -l <"$T/conv.txt")" -eq 2305 ]'

# A reader of stderr that goes away does not stop the run.
( "$W2V" train -input "$corpus" -output "$T/h.bin" -size 16 -iter 2 \
      -threads 1 -min-count 1 -debug 1 2>&1; echo $? >"$T/h.rc" ) | head -n 1 >/dev/null
check dead_stderr_reader_run_goes_on '[ "$(cat "$T/h.rc")" -eq 0 ] && [ "$(head -n 1 "$T/h.bin")" = "2304 16" ]'
# A reader of -output - that goes away ends the run: status 141 (SIGPIPE),
# a message, no hang.
( "$W2V" train -input "$corpus" -output - -size 16 -iter 5 -threads 1 \
      -min-count 1 -quiet 2>"$T/i.err"; echo $? >"$T/i.rc" ) | true
check dead_stdout_reader_ends_run '[ "$(cat "$T/i.rc")" -eq 141 ] && grep -q "reader of standard output is gone" "$T/i.err"'
( "$W2V" train -input "$corpus" -output - -size 16 -iter 1 -threads 1 \
      -min-count 1 -quiet 2>"$T/j.err"; echo $? >"$T/j.rc" ) | head -c 10 >/dev/null
check stdout_epipe_ends_run '[ "$(cat "$T/j.rc")" -eq 141 ] && grep -q "write failed: Broken pipe" "$T/j.err"'

# Written atomically: the temporary file is synced, renamed over the
# checkpoint, then its folder is synced (strace shows the calls in order).
if command -v strace >/dev/null 2>&1; then
    strace -f -e trace=fsync,rename,openat -o "$T/trace" "$W2V" train \
        -input "$corpus" -output "$T/k.bin" -size 8 -iter 2 -threads 1 \
        -min-count 1 -quiet -checkpoint "$T/k.ckpt" >/dev/null 2>&1
    # steps: 1 temporary opened (its fd), 2 that fd synced, 3 renamed over
    # k.ckpt, 4 the folder opened (its fd), 5 that fd synced
    check checkpoint_synced_renamed_folder_synced 'awk -v ck="$T/k.ckpt" "
        step == 0 && index(\$0, \".k.ckpt.\") && /openat/ { fd = \$NF; step = 1; next }
        step == 1 && index(\$0, \"fsync(\" fd \")\") { step = 2; next }
        step == 2 && /rename\\(/ && index(\$0, \"\\\"\" ck \"\\\")\") { step = 3; next }
        step == 3 && /O_DIRECTORY/ { dir = \$NF; step = 4; next }
        step == 4 && index(\$0, \"fsync(\" dir \")\") { step = 5; exit }
        END { exit step != 5 }" "$T/trace"'
else
    skip checkpoint_synced_renamed_folder_synced "strace is not installed"
fi
