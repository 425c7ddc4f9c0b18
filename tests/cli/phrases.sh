#!/bin/sh
# phrases.sh - `w2v phrases`: the output against an independent Python
# reimplementation of word2phrase's rules (the bundled synthetic corpus and
# a planted one), threshold and min-count edges, two passes, npmi, pipes,
# threads, pruning, bad flags, and phrase analogies in `w2v eval analogy`.
# shellcheck disable=SC2016,SC2002 # conditions are quoted for check; cat makes the pipes that stdin is tested with
. "$ROOT/tests/cli/lib.sh"

SYN=$ROOT/data/synthetic.txt
HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1

# The rules of word2phrase, written from its description, not from our C:
# count every word and every pair of adjacent tokens (across line breaks,
# as its counting pass does); on output a token joins the previous one on
# its line when both words and the pair reach min-count, the previous token
# was not itself joined, and the score beats the threshold (default score
# in single precision, in the original's order of operations).
cat >"$T/ref.py" <<'EOF'
import math, re, struct, sys
from collections import Counter

def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]

path, min_count, threshold, scoring = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
lines = open(path, 'rb').read().split(b'\n')
token = re.compile(rb'[^ \t\r\n\v\f\x00]+')
sentences = [token.findall(l) for l in lines]
flat = [t for s in sentences for t in s]
uni = Counter(flat)
pairs = Counter(zip(flat, flat[1:]))
n = len(flat)

def joins(a, b):
    na, nb, nab = uni[a], uni[b], pairs[(a, b)]
    if na < min_count or nb < min_count or nab < min_count:
        return False
    if scoring == 'npmi':
        return math.log((nab / n) / ((na / n) * (nb / n))) / -math.log(nab / n) > threshold
    s = f32(f32(f32(float(nab - min_count)) / f32(float(na))) / f32(float(nb)))
    return f32(s * f32(float(n))) > f32(threshold)

out = []
for s in sentences:
    words, free = [], False
    for i, t in enumerate(s):
        if i > 0 and free and joins(s[i - 1], t):
            words[-1] += b'_' + t
            free = False
        else:
            words.append(t)
            free = True
    out.append(b' '.join(words))
sys.stdout.buffer.write(b'\n'.join(out))
EOF

# matches NAME W2V_OUTPUT CORPUS MIN_COUNT THRESHOLD SCORING
matches() {
    if [ "$HAVE_PY" -eq 0 ]; then
        skip "$1" "python3 is not installed"
        return
    fi
    python3 "$T/ref.py" "$3" "$4" "$5" "$6" >"$T/ref.out"
    got=$2
    check "$1" 'cmp -s "$got" "$T/ref.out"' "$got differs from the reference"
}

run "$W2V" phrases --help
expect phrases_help 0
check phrases_help_lists_flags \
    'grep -q -- -threshold "$T/out" && grep -q npmi "$T/out"'
run "$W2V" help phrases
check phrases_help_command '[ "$rc" -eq 0 ] && grep -q -- -threshold "$T/out"'

# The bundled corpus with the original's defaults.
run "$W2V" phrases -input "$SYN" -output "$T/syn.txt"
expect phrases_synthetic_runs 0 '^pass 1: '
check phrases_synthetic_joins 'grep -q _ "$T/syn.txt"'
matches phrases_synthetic_matches_reference "$T/syn.txt" "$SYN" 5 100 default

# A planted phrase ("new york", always together, 1 word in 250) and a
# frequent pair of independent words ("aa bb": each 1 word in 12).
if [ "$HAVE_PY" -eq 1 ]; then
    python3 - "$T/planted.txt" <<'EOF'
import random, sys
r = random.Random(4)
with open(sys.argv[1], 'w') as f:
    for line in range(3000):
        words = []
        for i in range(r.randint(3, 15)):
            x = r.random()
            if x < 0.004:
                words.append('new york')
            elif x < 0.12:
                words.append('aa')
            elif x < 0.20:
                words.append('bb')
            else:
                words.append('w%d' % int(r.paretovariate(1.2)))
        f.write(' '.join(words) + '\n')
EOF
    run "$W2V" phrases -input "$T/planted.txt" -output "$T/planted.out"
    expect phrases_planted_runs 0
    check phrases_planted_pair_joined '
        [ "$(grep -o new_york "$T/planted.out" | wc -l)" -gt 50 ] &&
        ! grep -qw new "$T/planted.out"'
    check phrases_independent_pair_not_joined '
        grep -q "aa bb" "$T/planted.out" &&
        ! grep -Eq "aa_bb|bb_aa" "$T/planted.out"'
    matches phrases_planted_matches_reference "$T/planted.out" \
        "$T/planted.txt" 5 100 default
    run "$W2V" phrases -input "$T/planted.txt" -output "$T/npmi.out" \
        -scoring npmi -threshold 0.3
    expect phrases_npmi_runs 0
    check phrases_npmi_joins_planted '
        grep -q new_york "$T/npmi.out" &&
        ! grep -Eq "aa_bb|bb_aa" "$T/npmi.out"'
    matches phrases_npmi_matches_reference "$T/npmi.out" "$T/planted.txt" \
        5 0.3 npmi
else
    skip phrases_planted "python3 is not installed"
fi

# Threshold edge: p and q, 16 times each and always together, among 3200
# words, with -min-count 8: score (16 - 8) / 16 / 16 * 3200 = 100 exactly.
awk 'BEGIN {
    for (i = 0; i < 16; i++) print "p q"
    for (l = 0; l < 288; l++) {
        s = ""
        for (i = 0; i < 11; i++) s = s (i ? " " : "") "f" (l * 11 + i)
        print s
    }
}' >"$T/edge.txt"
run "$W2V" phrases -input "$T/edge.txt" -output "$T/edge.out" -min-count 8
check phrases_score_at_threshold_not_joined '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "^p q\$" "$T/edge.out")" -eq 16 ] &&
    ! grep -q p_q "$T/edge.out"'
run "$W2V" phrases -input "$T/edge.txt" -output "$T/edge.out" -min-count 8 \
    -threshold 99.999
check phrases_score_above_threshold_joined '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "^p_q\$" "$T/edge.out")" -eq 16 ]'
# min-count edge: counts of exactly min-count qualify (score 0 > -1) ...
run "$W2V" phrases -input "$T/edge.txt" -output "$T/edge.out" -min-count 16 \
    -threshold -1
check phrases_min_count_reached_joins '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "^p_q\$" "$T/edge.out")" -eq 16 ]'
# ... one more and they do not
run "$W2V" phrases -input "$T/edge.txt" -output "$T/edge.out" -min-count 17 \
    -threshold -1
check phrases_min_count_missed_no_join '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "^p q\$" "$T/edge.out")" -eq 16 ]'
check phrases_nothing_joined_is_the_input 'cmp -s "$T/edge.txt" "$T/edge.out"'

# Two passes: "new york" joins in the first, "new_york times" in the
# second (its threshold halved); "york times" never, york being taken.
awk 'BEGIN {
    srand(3)
    for (l = 0; l < 500; l++) {
        s = ""
        for (i = 0; i < 9; i++) s = s (i ? " " : "") "w" int(rand() * 200)
        if (l % 10 == 0) s = s " new york times"
        else if (l % 10 == 1) s = s " new york"
        print s
    }
}' >"$T/tri.txt"
run "$W2V" phrases -input "$T/tri.txt" -output "$T/tri1.out" -threshold 20
check phrases_one_pass_bigram '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "new_york times\$" "$T/tri1.out")" -eq 50 ] &&
    ! grep -q new_york_times "$T/tri1.out"'
run "$W2V" phrases -input "$T/tri.txt" -output "$T/tri2.out" -threshold 20 \
    -passes 2
check phrases_two_passes_trigram '[ "$rc" -eq 0 ] &&
    [ "$(grep -c "new_york_times\$" "$T/tri2.out")" -eq 50 ] &&
    [ "$(grep -c "new_york\$" "$T/tri2.out")" -eq 50 ] &&
    grep -q "^pass 2: .*scoring > 10 " "$T/err"'
# the same as running the first pass's output through a pass at 10
run "$W2V" phrases -input "$T/tri1.out" -output "$T/tri12.out" \
    -threshold 10 -quiet
check phrases_passes_are_repeated_runs '[ "$rc" -eq 0 ] &&
    cmp -s "$T/tri2.out" "$T/tri12.out"'

# Pipes: standard input and output, and a pipeline into training.
cat "$SYN" | "$W2V" phrases -input - -output - >"$T/pipe.out" 2>"$T/err"
rc=$?
check phrases_stdin_to_stdout '[ "$rc" -eq 0 ] &&
    cmp -s "$T/pipe.out" "$T/syn.txt"'
cat "$SYN" | "$W2V" phrases -input - -output - -quiet |
    "$W2V" train -input - -output "$T/vec.txt" -size 10 -iter 1 -threads 2 \
        -quiet 2>"$T/err"
rc=$?
check phrases_pipeline_into_train '[ "$rc" -eq 0 ] &&
    grep -q "^[a-z]*_[a-z]* " "$T/vec.txt"'
# a compressed corpus is read through its tool, as train reads it
if command -v gzip >/dev/null 2>&1; then
    gzip -c "$SYN" >"$T/syn.txt.gz"
    run "$W2V" phrases -input "$T/syn.txt.gz" -output "$T/gz.out" -quiet
    check phrases_gzip_input '[ "$rc" -eq 0 ] && cmp -s "$T/gz.out" "$T/syn.txt"' \
        "exit $rc: $(head -c 300 "$T/err")"
else
    skip phrases_gzip_input "gzip is not installed"
fi

# Threads: several counting ranges and written chunks (8 MiB) give the
# one-thread text.
for _ in 1 2 3 4 5 6 7 8; do cat "$SYN"; done >"$T/big.txt"
run "$W2V" phrases -input "$T/big.txt" -output "$T/big1.out" -threads 1 -quiet
expect phrases_one_thread 0
run "$W2V" phrases -input "$T/big.txt" -output "$T/big2.out" -threads 2
expect phrases_two_threads 0 '2 threads'
check phrases_threads_same_text 'cmp -s "$T/big1.out" "$T/big2.out"'

# A bounded pair table prunes and says so.
run "$W2V" phrases -input "$SYN" -output "$T/pruned.out" -max-vocab 2000
expect phrases_max_vocab_warns 0 'warning: .*pairs reached -max-vocab 2000'
# and the words: kept exactly, the most frequent
run "$W2V" phrases -input "$SYN" -output "$T/pruned.out" -max-vocab 20
expect phrases_max_vocab_words_warns 0 \
    'warning: .*words reached -max-vocab 20: kept exactly the 20 most frequent'

# Usage errors: one line and a hint, exit 2, no output file.
usage() {
    name=$1
    shift
    run "$W2V" phrases "$@"
    expect "$name" 2 "Try 'w2v phrases --help'"
}
usage phrases_unknown_flag -input "$SYN" -output "$T/never.txt" -bogus 1
usage phrases_needs_input -output "$T/never.txt"
usage phrases_needs_output -input "$SYN"
usage phrases_bad_scoring -input "$SYN" -output "$T/never.txt" -scoring pmi
usage phrases_npmi_needs_threshold_in_range -input "$SYN" \
    -output "$T/never.txt" -scoring npmi
usage phrases_npmi_threshold_above_1 -input "$SYN" -output "$T/never.txt" \
    -scoring npmi -threshold 1.5
usage phrases_passes_zero -input "$SYN" -output "$T/never.txt" -passes 0
usage phrases_negative_min_count -input "$SYN" -output "$T/never.txt" \
    -min-count -1
usage phrases_threshold_not_a_number -input "$SYN" -output "$T/never.txt" \
    -threshold 1e
usage phrases_threads_zero -input "$SYN" -output "$T/never.txt" -threads 0
usage phrases_output_is_input -input "$T/syn.txt" -output "$T/syn.txt"
check phrases_usage_errors_write_nothing '[ ! -e "$T/never.txt" ]'
check phrases_output_is_input_kept 'cmp -s "$T/syn.txt" "$T/pipe.out"'

# Runtime errors: exit 1, nothing written, an existing output untouched.
echo keep >"$T/kept.txt"
run "$W2V" phrases -input "$T/missing.txt" -output "$T/kept.txt"
expect phrases_missing_input 1 'missing\.txt: cannot open'
check phrases_missing_input_one_line '[ "$(wc -l <"$T/err")" -eq 1 ]' \
    "$(cat "$T/err")"
check phrases_failed_run_keeps_old_output '[ "$(cat "$T/kept.txt")" = keep ]'
check phrases_no_temp_left 'none_exist "$T"/.kept.txt.*' "temp file left"
if [ -c /dev/full ]; then
    run "$W2V" phrases -input "$SYN" -output /dev/full
    expect phrases_disk_full 1 '/dev/full: write failed'
else
    skip phrases_disk_full "no /dev/full here"
fi
run "$W2V" phrases -input "$SYN" -output "$T/nodir/out.txt"
expect phrases_missing_output_dir 1 'nodir/out\.txt'
check phrases_missing_output_dir_not_made '[ ! -e "$T/nodir" ]'

# The phrase analogy format (questions-phrases.txt): joined words load and
# are answered in `w2v eval analogy`.
cat >"$T/pv.txt" <<'EOF'
6 3
new_york 1 0 0
new_york_times 1 1 0
baltimore 0 0 1
baltimore_sun 0 1 1
boston 1 0 1
boston_globe 0.2 0.1 0.9
EOF
printf ': newspapers\nnew_york new_york_times baltimore baltimore_sun\n' \
    >"$T/pq.txt"
run "$W2V" eval analogy -vectors "$T/pv.txt" -questions "$T/pq.txt" \
    -restrict 0
expect phrases_analogy_runs 0
check phrases_analogy_format_loads '
    grep -q "^total .*(1/1 correct" "$T/out" &&
    grep -q "^coverage: 1/1 questions" "$T/out"' "$(cat "$T/out")"
