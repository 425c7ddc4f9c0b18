# objectives.sh - command-line behaviour of the objectives: -loss softmax,
# -loss hs (and the original's -hs 1), -cbow 1, the per-epoch table, the
# divergence guard, and `w2v eval loglik` (softmax beats ns held out).
# check's CONDITION is single-quoted on purpose: check evals it when it runs.
# shellcheck disable=SC2016
. "$ROOT/tests/cli/lib.sh"

# 2000 lines of 10 words; line l uses only the 8 words of group l % 5,
# word i with probability (sqrt((i+1)/8) - sqrt(i/8)) (skewed, so that the
# unigram^0.75 noise of NS shows in its held-out likelihood).  p(c | w) is
# this distribution over w's group: the best possible softmax loss is its
# entropy, 1.88; a uniform model's is log 40 = 3.69.
gen() { # gen SEED LINES
    awk -v s="$1" -v n="$2" 'BEGIN { for (l = 0; l < n; l++) { line = "";
        g = l % 5;
        for (i = 0; i < 10; i++) { s = (s * 1103515245 + 12345) % 2147483648;
            u = s / 2147483648
            line = line (i ? " " : "") "g" g "w" int(u * u * 8) }
        print line } }'
}
gen 7 2000 >"$T/c.txt"
gen 99 400 >"$T/heldout.txt"
# train_small ARGS...: `run w2v train` with small, fast settings on two
# threads, then ARGS (which may override them).
train_small() {
    run "$W2V" train -size 8 -iter 2 -min-count 1 -threads 2 -quiet "$@"
}

# a vector file: header "40 8" and 40 rows of a word and 8 numbers
loadable() {
    [ "$(head -n 1 "$1")" = "40 8" ] &&
        [ "$(awk 'NR > 1 && NF == 9' "$1" | wc -l)" -eq 40 ]
}

for args in "-loss softmax" "-loss hs" "-hs 1 -negative 0" "-cbow 1 -loss ns" \
            "-cbow 1 -loss softmax" "-cbow 1 -loss hs"; do
    name=$(echo "$args" | tr -c 'a-z0-9\n' '_')
    rm -f "$T/o.txt"
    # $args is a list of flags and values, split on purpose
    # shellcheck disable=SC2086
    train_small -input "$T/c.txt" -output "$T/o.txt" $args
    expect "train$name" 0
    check "train${name}_output_loadable" 'loadable "$T/o.txt"' \
        "$(head -n 2 "$T/o.txt")"
done

# -hs 1 is -loss hs: the same run (one thread: deterministic)
train_small -input "$T/c.txt" -output "$T/h1.txt" -threads 1 -hs 1 -negative 0
rc1=$rc
train_small -input "$T/c.txt" -output "$T/h2.txt" -threads 1 -loss hs
rc2=$rc
check hs_flag_is_loss_hs \
    '[ "$rc1$rc2" = 00 ] && [ -s "$T/h1.txt" ] && cmp -s "$T/h1.txt" "$T/h2.txt"' \
    "exit $rc1 and $rc2, or the files differ"

# -debug 1: one row per epoch; the softmax loss starts at most at the
# uniform model's log 40 = 3.69 and ends near the optimum 1.88
run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" -size 8 -iter 3 \
    -min-count 1 -threads 2 -debug 1 -loss softmax
expect debug_table_runs 0
rows=$(awk '/^epoch +loss/ { t = 1; next } t && /^ *[0-9]+ +[0-9.]+ +[0-9]+ +[0-9.]+$/ { n++ } END { print n + 0 }' "$T/err")
check debug_table_one_row_per_epoch '[ "$rows" -eq 3 ]' \
    "$rows rows: $(cat "$T/err")"
if awk '/^epoch +loss/ { t = 1; next }
        t && $1 == 1 { first = $2 } t && $1 == 3 { last = $2 }
        END { exit !(first < 3.69 && last < first && last > 1.85 && last < 2.2) }' "$T/err"
then pass softmax_loss_is_the_true_loss
else fail softmax_loss_is_the_true_loss "$(cat "$T/err")"
fi

# divergence: exit 1, the epoch and a lower -alpha named, nothing written
for loss in softmax hs; do
    rm -f "$T/d.txt"
    train_small -input "$T/c.txt" -output "$T/d.txt" -loss "$loss" -alpha 50
    expect "diverges_$loss" 1 "diverged.*epoch [0-9]+.*lower -alpha"
    check "diverged_${loss}_writes_nothing" '[ ! -e "$T/d.txt" ]' "output written"
done

# eval loglik: softmax beats ns on held-out text
for loss in softmax ns; do
    run "$W2V" train -input "$T/c.txt" -output "$T/$loss.in" \
        -save-context "$T/$loss.out" -size 16 -iter 5 -min-count 1 \
        -threads 1 -quiet -loss "$loss"
    expect "eval_loglik_train_$loss" 0
done
run "$W2V" eval loglik -vectors "$T/softmax.in" \
    -context-vectors "$T/softmax.out" -input "$T/heldout.txt" -window 5 -json
expect eval_loglik_softmax 0
soft=$(sed -n 's/.*"loglik": \([-0-9.e]*\).*/\1/p' "$T/out")
pairs=$(sed -n 's/.*"pairs": \([0-9]*\).*/\1/p' "$T/out")
run "$W2V" eval loglik -vectors "$T/ns.in" -context-vectors "$T/ns.out" \
    -input "$T/heldout.txt" -window 5 -json
expect eval_loglik_ns 0
ns=$(sed -n 's/.*"loglik": \([-0-9.e]*\).*/\1/p' "$T/out")
# 400 lines of 10 words, window 5: sum over positions of the pairs
check eval_loglik_counts_every_pair '[ "$pairs" = 28000 ]' "pairs '$pairs'"
# measured on the training text: softmax -1.94, ns -2.18 (optimum -1.88)
check softmax_beats_ns_heldout \
    'awk -v s="${soft:-x}" -v n="${ns:-x}" "BEGIN { exit !(s + 0 == s && n + 0 == n && s > n + 0.1 && s > -2.1) }"' \
    "softmax '$soft', ns '$ns'"
run "$W2V" eval loglik -vectors "$T/softmax.in" \
    -context-vectors "$T/o.txt" -input "$T/heldout.txt"
expect eval_loglik_mismatched_files 1 "differ"
run "$W2V" eval loglik -vectors "$T/softmax.in"
expect eval_loglik_usage 2 "required"
