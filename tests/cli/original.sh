#!/bin/sh
# original.sh - command lines written for the original word2vec mean what
# they meant there: -hs 1 with the default -negative 5 trains both
# objectives at once, and -debug 0/1/2 choose what is printed.
# shellcheck disable=SC2016,SC2034,SC2086 # conditions are quoted for check (bg_rc is read there); $one and $long are lists of flags
. "$ROOT/tests/cli/lib.sh"

corpus=$ROOT/data/synthetic.txt
one="-size 16 -iter 1 -min-count 1 -threads 1 -seed 4"

# -hs 1 alone: hs and ns at once, the loss of each in the summary, the
# vectors usable, -save-context the ns output vectors (and it says so).
run "$W2V" train -input "$corpus" -output "$T/b.txt" -save-context "$T/bc.txt" $one -hs 1 -debug 1
check hs_with_default_negative_trains_both '[ $rc -eq 0 ] && grep -q "^training: skip-gram, loss hs+ns" "$T/err"'
check hs_ns_loss_per_objective_and_summed 'grep -Eq "average loss ([0-9.]+) \(hs ([0-9.]+) \+ ns ([0-9.]+)\)$" "$T/err" &&
    awk "/average loss/ { t = \$(NF-5); h = \$(NF-3); n = \$NF; gsub(/[()]/, \"\", h); gsub(/[()]/, \"\", n);
        exit !(h > 0 && n > 0 && (h + n - t) < 0.001 && (t - h - n) < 0.001) }" "$T/err"'
check hs_ns_save_context_says_which 'grep -q "^-save-context: writes the negative-sampling output vectors" "$T/err" &&
    [ "$(head -n 1 "$T/bc.txt")" = "2304 16" ]'
check hs_ns_vectors_loadable '[ "$(head -n 1 "$T/b.txt")" = "2304 16" ] && [ "$(awk "NF == 17" "$T/b.txt" | wc -l)" -eq 2304 ]'
# the same run as -loss hs+ns (one thread: the same bytes)
"$W2V" train -input "$corpus" -output "$T/b2.txt" $one -loss hs+ns -quiet
check hs_1_is_loss_hs_ns 'cmp -s "$T/b.txt" "$T/b2.txt"'
# and unlike -loss hs alone, which has no context vectors
"$W2V" train -input "$corpus" -output "$T/h.txt" $one -loss hs -quiet
check hs_ns_differs_from_hs '! cmp -s "$T/b.txt" "$T/h.txt"'

# -negative with a loss that does not use it: a warning, not silence
run "$W2V" train -input "$corpus" -output "$T/w.txt" $one -loss hs -negative 10 -quiet
check negative_unused_by_hs_warns '[ $rc -eq 0 ] && grep -q "warning: -negative 10 is not used by -loss hs" "$T/err"'
run "$W2V" train -input "$corpus" -output "$T/w.txt" $one -loss hs -quiet
check loss_hs_alone_no_warning '[ $rc -eq 0 ] && [ ! -s "$T/err" ]'

# -debug 0: nothing but warnings and errors; 1: statistics and the summary,
# no progress line; 2 (the default): the progress line too.
run "$W2V" train -input "$corpus" -output "$T/d.txt" $one -debug 0
check debug_0_silent '[ $rc -eq 0 ] && [ ! -s "$T/err" ]'
run "$W2V" train -input "$corpus" -output "$T/d.txt" $one -quiet
check quiet_is_debug_0 '[ $rc -eq 0 ] && [ ! -s "$T/err" ]'
run "$W2V" train -input "$corpus" -output "$T/d.txt" $one -debug 1
check debug_1_statistics 'grep -q "^vocabulary: 2304 words" "$T/err" && grep -q "^epoch  loss" "$T/err" && grep -q "^trained [0-9]* words" "$T/err"'
check debug_1_no_progress '! grep -q "%" "$T/err"'
run "$W2V" train -input "$corpus" -output "$T/d.txt" $one
check debug_2_default_progress 'grep -Eq "100\.0%" "$T/err" && grep -q "^trained [0-9]* words" "$T/err"'

# A checkpoint of an hs+ns run keeps both output matrices: interrupted and
# resumed, the same bytes as uninterrupted.
long="-size 16 -iter 4 -min-count 1 -threads 1 -seed 4 -binary 1 -hs 1"
"$W2V" train -input "$corpus" -output "$T/ref.bin" $long -quiet
"$W2V" train -input "$corpus" -output "$T/r.bin" $long -checkpoint "$T/r.ckpt" \
    -checkpoint-every 1 -quiet 2>"$T/bg.err" &
bg=$!
n=0
while [ ! -e "$T/r.ckpt" ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
kill -TERM "$bg"
wait "$bg"
bg_rc=$?
check hs_ns_checkpoint_stops '[ "$bg_rc" -eq 143 ] && [ -s "$T/r.ckpt" ]'
run "$W2V" train -resume "$T/r.ckpt" -quiet
check hs_ns_resume_identical '[ $rc -eq 0 ] && cmp -s "$T/ref.bin" "$T/r.bin"'
