#!/bin/sh
# cache.sh - -corpus-cache: the epochs after the first read the corpus as
# word ids kept in memory.  With one thread and a seed the vectors are the
# same bytes with the cache and without (a corpus of lines, one long line
# cut into sentences, a resumed run); -debug 1 says whether it is used and
# its size; auto caches the first part of a corpus over its budget (a fifth
# of the matrices) and nothing for one epoch, on refuses a cache it cannot
# allocate, and a word that is not a mode is a usage error.
# shellcheck disable=SC2016,SC2034,SC2086 # conditions are quoted for check; $words is read inside them; $opts is a list of flags
. "$ROOT/tests/cli/lib.sh"

corpus=$ROOT/data/synthetic.txt
# -combine 1: combining's blocks would hold all of auto's budget at this
# size (below)
opts="-size 12 -iter 3 -threads 1 -min-count 1 -seed 7 -binary 1 -combine 1"
words=260396 # training words of the synthetic corpus

for mode in on off auto; do
    run "$W2V" train -input "$corpus" -output "$T/$mode.bin" $opts \
        -corpus-cache $mode -debug 1
    expect "cache_${mode}_trains" 0
    cp "$T/err" "$T/$mode.err"
done
check cache_on_same_bytes_as_off 'cmp -s "$T/on.bin" "$T/off.bin"'
check cache_auto_same_bytes_as_off 'cmp -s "$T/auto.bin" "$T/off.bin"'
check cache_on_says_so \
    'grep -Eq "^corpus cache: on \(-corpus-cache on\), about [0-9.]+ MB estimated$" "$T/on.err"'
check cache_on_says_its_size \
    'grep -Eq "^corpus cache: [0-9.]+ MB for $words words \(1\.[0-9]+ bytes per word\), held by 1 of 1 thread$" "$T/on.err"'
# at -size 12 a fifth of the matrices holds about an eighth of the corpus
check cache_auto_over_budget_keeps_a_part \
    'grep -Eq "^corpus cache: on for about 1[0-9]% of the words, the budget of [0-9.]+ kB \(a fifth of the matrices\); all of them would take about 0\.4 MB \(-corpus-cache on\)$" "$T/auto.err" &&
     grep -Eq "^corpus cache: [0-9.]+ kB for [0-9]+ words \(1\.[0-9]+ bytes per word\), held by 1 of 1 thread$" "$T/auto.err" &&
     grep -q "^corpus cache: partial for 1 of 1 thread, at the budget (the rest of the text is read every epoch)$" "$T/auto.err"'
run "$W2V" train -input "$corpus" -output "$T/wide.bin" $opts -size 200 -debug 1
expect cache_auto_within_budget 0 \
    '^corpus cache: on, about 0\.4 MB estimated, within the budget of 0\.7 MB \(a fifth of the matrices\)$'
check cache_auto_within_budget_holds_all \
    'grep -q "^corpus cache: .* MB for $words words" "$T/err" &&
     ! grep -q "partial" "$T/err"'
# with combining, the thread's block holds the whole corpus (8.5 bytes a
# word), more than a fifth of these matrices
run "$W2V" train -input "$corpus" -output "$T/blocks.bin" -size 12 -iter 2 \
    -threads 1 -min-count 1 -debug 1
expect cache_auto_after_the_blocks 0 \
    '^corpus cache: off \(no budget left: a fifth of the matrices, less 2\.2 MB held by the combining blocks\)$'
check cache_off_says_so \
    'grep -q "^corpus cache: off (-corpus-cache off)$" "$T/off.err" &&
     [ "$(grep -c "^corpus cache" "$T/off.err")" -eq 1 ]'

# One line (text8-style): sentences are cut at 1000 words, from the cache
# exactly as from the text.
tr '\n' ' ' <"$corpus" >"$T/line.txt"
for mode in on off; do
    "$W2V" train -input "$T/line.txt" -output "$T/line-$mode.bin" $opts \
        -corpus-cache $mode -quiet
done
check cache_one_line_same_bytes \
    '[ -s "$T/line-on.bin" ] && cmp -s "$T/line-on.bin" "$T/line-off.bin"'

# Stopped mid-run with the cache (the checkpoint is written every second,
# in epochs that read it) and resumed without: the bytes of a run that was
# never stopped.
long="-size 16 -iter 12 -threads 1 -min-count 1 -seed 3 -binary 1"
"$W2V" train -input "$corpus" -output "$T/ref.bin" $long -corpus-cache off \
    -quiet
"$W2V" train -input "$corpus" -output "$T/r.bin" $long -corpus-cache on \
    -checkpoint "$T/r.ckpt" -checkpoint-every 1 -quiet 2>"$T/bg.err" &
bg=$!
n=0
while [ ! -e "$T/r.ckpt" ] && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 0.3
kill -TERM "$bg"
wait "$bg"
rc=$?
check cache_run_stopped '[ "$rc" -eq 143 ] && [ ! -e "$T/r.bin" ] &&
    grep -q "stopped by SIGTERM" "$T/bg.err"'
run "$W2V" train -resume "$T/r.ckpt" -corpus-cache off -debug 1
expect cache_resume_may_change_the_mode 0 'resuming'
check cache_resume_same_bytes 'cmp -s "$T/ref.bin" "$T/r.bin"'

# A vocabulary whose counts promise far more words than memory can hold:
# auto caches what its budget holds; on refuses (exit 1).
"$W2V" vocab -input "$corpus" -output "$T/v.txt" -min-count 1 2>/dev/null
awk '{ print $1, $2 "000000000000" }' "$T/v.txt" >"$T/huge.txt"
run "$W2V" train -input "$corpus" -read-vocab "$T/huge.txt" \
    -output "$T/h.bin" $opts -iter 2 -debug 1
expect cache_auto_huge_estimate_trains 0 \
    '^corpus cache: on for about 0% of the words, the budget of [0-9.]+ kB \(a fifth of the matrices\); all of them would take about [0-9.]+ MB \(-corpus-cache on\)$'
check cache_auto_huge_estimate_keeps_a_part \
    '[ -s "$T/h.bin" ] && grep -q "^corpus cache: partial for 1 of 1 thread" "$T/err"'
run "$W2V" train -input "$corpus" -read-vocab "$T/huge.txt" \
    -output "$T/g.bin" $opts -iter 1 -corpus-cache on
expect cache_on_cannot_allocate 1 \
    '^w2v train: -corpus-cache on: cannot allocate the [0-9.]+ MB the corpus cache of thread 1 is estimated to take \(use -corpus-cache auto or off\)$'
check cache_on_cannot_allocate_no_output '[ ! -e "$T/g.bin" ]'

# One epoch reads the text once: auto keeps no cache.
run "$W2V" train -input "$corpus" -output "$T/one.bin" $opts -iter 1 -debug 1
expect cache_auto_not_for_one_epoch 0 \
    '^corpus cache: off \(one epoch reads the text once\)$'
check cache_auto_one_epoch_one_line '[ "$(grep -c "^corpus cache" "$T/err")" -eq 1 ]'

run "$W2V" train -input "$corpus" -output "$T/x.bin" -corpus-cache maybe
expect cache_mode_checked 2 "-corpus-cache: 'maybe' is not auto, on or off"
