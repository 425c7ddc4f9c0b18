#!/bin/sh
# classes.sh - word classes: `w2v classes` on vectors with planted clusters
# (adjusted Rand index computed here), seeds, threads, bad values, and
# `w2v train -classes K` with the original's command line.
# shellcheck disable=SC2016,SC2034 # conditions are quoted for check; differs is read inside one
. "$ROOT/tests/cli/lib.sh"

SYN=$ROOT/data/synthetic.txt
HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1

# 8 directions in 12 dimensions, 40 words near each (noise 2% of the
# spread), with random lengths, listed in random order; truth.txt has
# each word's direction.
if [ "$HAVE_PY" -eq 1 ]; then
    python3 - "$T" <<'EOF'
import random, sys
r = random.Random(2)
dirs = [[r.uniform(-1, 1) for _ in range(12)] for _ in range(8)]
rows = [(g, i) for g in range(8) for i in range(40)]
r.shuffle(rows)
with open(sys.argv[1] + '/planted.txt', 'w') as v, open(sys.argv[1] + '/truth.txt', 'w') as t:
    v.write('%d 12\n' % len(rows))
    for g, i in rows:
        scale = r.uniform(0.5, 3)
        x = [scale * (d + r.uniform(-0.02, 0.02)) for d in dirs[g]]
        v.write('g%dw%d %s\n' % (g, i, ' '.join('%.6f' % c for c in x)))
        t.write('g%dw%d %d\n' % (g, i, g))
EOF
fi

# Adjusted Rand index of the classes in $1 against $2 (both "word class").
cat >"$T/ari.py" <<'EOF'
import sys
from collections import Counter
def read(p):
    return dict(l.split() for l in open(p) if l.strip())
a, b = read(sys.argv[1]), read(sys.argv[2])
words = sorted(b)
assert sorted(a) == words, 'not the same words'
c2 = lambda x: x * (x - 1) / 2
nij = sum(c2(v) for v in Counter((a[w], b[w]) for w in words).values())
ai = sum(c2(v) for v in Counter(a[w] for w in words).values())
bj = sum(c2(v) for v in Counter(b[w] for w in words).values())
expected = ai * bj / c2(len(words))
print('%.6f' % ((nij - expected) / ((ai + bj) / 2 - expected)))
EOF

if [ "$HAVE_PY" -eq 1 ]; then
    run "$W2V" classes -vectors "$T/planted.txt" -k 8 -output "$T/cl.txt"
    expect classes_planted_runs 0 "converged"
    ari=$(python3 "$T/ari.py" "$T/cl.txt" "$T/truth.txt" 2>&1)
    check classes_recover_planted_clusters '[ "$ari" = 1.000000 ]' \
        "adjusted Rand index $ari"
    # the index is not trivially 1: a wrong labelling scores low
    awk '{ print $1, NR % 8 }' "$T/truth.txt" >"$T/wrong.txt"
    ari=$(python3 "$T/ari.py" "$T/wrong.txt" "$T/truth.txt" 2>&1)
    check classes_ari_detects_wrong_classes \
        'awk -v a="$ari" "BEGIN { exit !(a < 0.5) }"' "index $ari"
    # the file's order, classes 0..7, every one used
    check classes_output_format '
        [ "$(cut -d" " -f1 "$T/cl.txt")" = "$(tail -n +2 "$T/planted.txt" | cut -d" " -f1)" ] &&
        [ "$(cut -d" " -f2 "$T/cl.txt" | sort -n | uniq | tr "\n" " ")" = "0 1 2 3 4 5 6 7 " ]'
else
    skip classes_planted "python3 is not installed"
fi

# Reproducible: the same seed (on any number of threads) writes the same
# bytes; other seeds seed other centroids.
run "$W2V" train -input "$SYN" -output "$T/syn.vec" -size 20 -iter 1 \
    -threads 2 -quiet
expect classes_vectors_trained 0
run "$W2V" classes -vectors "$T/syn.vec" -k 50 -seed 3 -threads 1 -quiet
cp "$T/out" "$T/a.txt"
expect classes_to_stdout 0
run "$W2V" classes -vectors "$T/syn.vec" -k 50 -seed 3 -threads 2 -quiet \
    -output "$T/b.txt"
expect classes_to_output 0
check classes_same_seed_same_bytes \
    '[ -s "$T/a.txt" ] && cmp -s "$T/a.txt" "$T/b.txt"'
differs=0
for seed in 4 5 6; do
    "$W2V" classes -vectors "$T/syn.vec" -k 50 -seed $seed -quiet \
        -output "$T/c.txt" 2>"$T/err"
    cmp -s "$T/a.txt" "$T/c.txt" || differs=1
done
check classes_other_seeds_differ '[ "$differs" -eq 1 ]'

# The summary: text, or one JSON object.
run "$W2V" classes -vectors "$T/syn.vec" -k 10 -output "$T/c.txt" -json
expect classes_json_runs 0 '"cost": '
if [ "$HAVE_PY" -eq 1 ]; then
    check classes_json_summary 'python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"classes\"] == 10 and d[\"cost\"] >= 0 and 1 <= d[\"rounds\"] <= 10
" "$T/err"' "$(head -c 300 "$T/err")"
else
    skip classes_json_summary "python3 is not installed"
fi

# Usage errors exit 2 with a hint and write nothing; more classes than
# words is one too.
usage() {
    name=$1
    shift
    run "$W2V" classes "$@"
    expect "$name" 2 "Try 'w2v classes --help'"
}
usage classes_needs_k -vectors "$T/syn.vec" -output "$T/never.txt"
usage classes_needs_vectors -k 5 -output "$T/never.txt"
usage classes_k_zero -vectors "$T/syn.vec" -k 0 -output "$T/never.txt"
usage classes_iter_zero -vectors "$T/syn.vec" -k 5 -kmeans-iter 0 \
    -output "$T/never.txt"
usage classes_k_not_a_number -vectors "$T/syn.vec" -k 5x -output "$T/never.txt"
words=$(head -1 "$T/syn.vec" | cut -d' ' -f1)
usage classes_more_than_words -vectors "$T/syn.vec" -k $((words + 1)) \
    -output "$T/never.txt"
check classes_more_than_words_message \
    'grep -q "more than the $words words" "$T/err"' "$(cat "$T/err")"
check classes_usage_errors_write_nothing '[ ! -e "$T/never.txt" ]'
run "$W2V" classes -vectors "$T/missing.vec" -k 5
expect classes_missing_file 1 "missing\.vec"
check classes_missing_file_one_line '[ "$(wc -l <"$T/err")" -eq 1 ]' \
    "$(cat "$T/err")"

# The original's command line, unchanged: classes instead of vectors, in
# vocabulary order, with the context vectors still written on request.
run "$W2V" train -train "$SYN" -output "$T/classes.txt" -cbow 0 -size 50 \
    -window 5 -negative 5 -hs 0 -sample 1e-4 -threads 2 -binary 0 -iter 1 \
    -min-count 5 -classes 20 -save-vocab "$T/vocab.txt" \
    -save-context "$T/ctx.txt"
expect train_classes_flag 0 '^classes: 20 classes of'
check train_classes_in_vocabulary_order \
    '[ "$(cut -d" " -f1 "$T/classes.txt")" = "$(cut -d" " -f1 "$T/vocab.txt")" ]'
check train_classes_lines \
    'awk "NF != 2 || \$2 !~ /^[0-9]+\$/ || \$2 >= 20 { exit 1 }" "$T/classes.txt" &&
     [ "$(cut -d" " -f2 "$T/classes.txt" | sort -u | wc -l)" -eq 20 ]'
check train_classes_context_vectors \
    '[ "$(head -1 "$T/ctx.txt" | cut -d" " -f2)" = 50 ]'
# -binary 1 still writes classes as text, as the original does
run "$W2V" train -train "$SYN" -output "$T/classes.bin" -size 10 -iter 1 \
    -threads 2 -binary 1 -classes 5 -quiet
expect train_classes_with_binary 0
check train_classes_text_with_binary \
    'awk "NF != 2 { exit 1 }" "$T/classes.bin" && [ ! -s "$T/err" ]' \
    "$(head -c 300 "$T/err")"
# too many classes: refused before the training, nothing written
run "$W2V" train -train "$SYN" -output "$T/never.txt" -size 10 -iter 1 \
    -threads 2 -classes 100000 -quiet
expect train_classes_more_than_words 1 'more classes than words'
check train_classes_more_than_words_writes_nothing '[ ! -e "$T/never.txt" ]'
run "$W2V" train -train "$SYN" -output "$T/never.txt" -classes -1
expect train_classes_negative 2 "Try 'w2v train --help'"
run "$W2V" train -train "$SYN" -output "$T/never.txt" -classes 5 \
    -kmeans-iter 0
expect train_kmeans_iter_zero 2 "Try 'w2v train --help'"
check train_classes_usage_errors_write_nothing '[ ! -e "$T/never.txt" ]'

# A resumed run writes the classes the interrupted one was asked for, and
# the same ones as a run that was never stopped.
run "$W2V" train -input "$SYN" -output "$T/whole.txt" -size 10 -iter 2 \
    -threads 1 -classes 7 -quiet
expect train_classes_whole_run 0
run "$W2V" train -input "$SYN" -output "$T/resumed.txt" -size 10 -iter 2 \
    -threads 1 -classes 7 -quiet -checkpoint "$T/run.ckpt"
expect train_classes_checkpointed_run 0
rm -f "$T/resumed.txt"
run "$W2V" train -resume "$T/run.ckpt" -quiet
expect train_classes_resume 0
check train_classes_resume_keeps_classes \
    'cmp -s "$T/whole.txt" "$T/resumed.txt"' "other classes after -resume"
run "$W2V" train -resume "$T/run.ckpt" -output "$T/resumed-vec.txt" \
    -classes 0 -quiet
expect train_classes_resume_as_vectors 0
check train_classes_resume_can_write_vectors \
    '[ "$(head -1 "$T/resumed-vec.txt" | cut -d" " -f2)" = 10 ]'
