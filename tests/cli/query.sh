#!/bin/sh
# query.sh - similar, analogy, eval analogy, eval similarity and convert on
# small vector files whose answers are known; bad files; usage errors; the
# train -> convert -> eval round trip and, with ../shared/data, an
# end-to-end accuracy check.
# check's CONDITION is single-quoted on purpose: check evals it when it runs.
# shellcheck disable=SC2016
. "$ROOT/tests/cli/lib.sh"

# a = e1, b = e2, c = e3; x1 has cosines (0, .7, -.5) with them, x2
# (0, .1, .05): 3CosAdd answers x1 (.2 > .15), 3CosMul x2 (.576 > .424).
# analogy prints cos(x, b - a + c): x1 is a unit vector and |b - a + c| is
# sqrt(3), so x1 scores .2 / sqrt(3) = .11547.
cat >"$T/v.txt" <<'EOF'
5 5
a 1 0 0 0 0
b 0 1 0 0 0
c 0 0 1 0 0
x1 0 0.7 -0.5 0.509901951 0
x2 0 0.1 0.05 0 0.993730346
EOF

# similar: cosines by hand; "b2" ties with "b" and comes after it
cat >"$T/s.txt" <<'EOF'
4 2
q 1 0
b 2 1
b2 4 2
d 0 1
EOF
run "$W2V" similar -vectors "$T/s.txt" -n 2 q
printf 'b\t0.894427\nb2\t0.894427\n' >"$T/want"
check similar_ties_in_row_order '[ "$rc" -eq 0 ] && cmp -s "$T/want" "$T/out"'

# the same answers when the vector file is a pipe, in either format
run "$W2V" convert -input "$T/s.txt" -output "$T/s.bin" -binary 1
expect similar_convert_to_binary 0
for f in s.txt s.bin; do
    # cat on purpose: with "<" stdin would be the regular file itself
    # shellcheck disable=SC2002
    cat "$T/$f" | "$W2V" similar -vectors /dev/stdin -n 2 q >"$T/out" 2>"$T/err"
    rc=$?
    check "similar_vectors_from_pipe_$f" \
        '[ "$rc" -eq 0 ] && cmp -s "$T/want" "$T/out"' \
        "exit $rc: $(cat "$T/out" "$T/err")"
done

printf 'q\nnosuch\n\nq d\n' >"$T/queries"
run "$W2V" similar -vectors "$T/s.txt" -n 1 <"$T/queries"
printf 'b\t0.894427\n\nb\t0.948683\n' >"$T/want"
unknown="'nosuch' is not in the vocabulary"
check similar_stdin_goes_on_after_unknown_word \
    '[ "$rc" -eq 1 ] && cmp -s "$T/want" "$T/out" && grep -qF "$unknown" "$T/err"' \
    "exit $rc, or stdout differs, or stderr lacks \"$unknown\": $(cat "$T/err")"

run "$W2V" analogy -vectors "$T/v.txt" -n 1 a b c
check analogy_add_answers_x1 '[ "$rc" -eq 0 ] && grep -q "^x1	0.115470\$" "$T/out"'
run "$W2V" analogy -vectors "$T/v.txt" -n 1 -method mul a b c
check analogy_mul_answers_x2 '[ "$rc" -eq 0 ] && grep -q "^x2	0.576347\$" "$T/out"'
printf 'a b c\na b\nb a c\n' | "$W2V" analogy -vectors "$T/v.txt" -n 1 \
    >"$T/out" 2>"$T/err"
rc=$?
check analogy_stdin_triples \
    '[ "$rc" -eq 1 ] && [ "$(grep -c . "$T/out")" -eq 2 ] &&
     grep -q "expected three words" "$T/err"'

# eval analogy: by hand.  Case-insensitively "Paris" is a variant of the
# frequent "paris" (row 2): q1 is right (its answer is PARIS), and q2 is
# right too because both variants of its input PARIS are passed over.
# Case-sensitively both are wrong.  -restrict 6 leaves "rome" out.
cat >"$T/cities.txt" <<'EOF'
7 3
the 1 1 1
paris 1 0 0
france 0 1 0
athens 1 0 0.1
greece 0 1 0.1
Paris 1 0 0.01
rome 0.9 0.1 0
EOF
printf ': capital-x\r\ngreece athens france Paris\r\n: gram-y\n' >"$T/q.txt"
printf 'greece france Paris rome\nno such words here\n' >>"$T/q.txt"
run "$W2V" eval analogy -vectors "$T/cities.txt" -questions "$T/q.txt"
check eval_analogy_case_insensitive_default \
    '[ "$rc" -eq 0 ] &&
     grep -Eq "^total +100.00%  \(2/2 correct, 3 questions\)" "$T/out" &&
     grep -Eq "^semantic +100.00%  \(1/1" "$T/out" &&
     grep -Eq "^syntactic +100.00%  \(1/1 correct, 2 questions" "$T/out" &&
     grep -q "^coverage: 2/3 questions" "$T/out"' "exit $rc: $(cat "$T/out")"
run "$W2V" eval analogy -vectors "$T/cities.txt" -questions "$T/q.txt" \
    -case-sensitive
check eval_analogy_case_sensitive \
    '[ "$rc" -eq 0 ] && grep -Eq "^total +0.00%  \(0/2" "$T/out"'
run "$W2V" eval analogy -vectors "$T/cities.txt" -questions "$T/q.txt" \
    -restrict 6 -json -output "$T/r.json"
check eval_analogy_restrict_json \
    '[ "$rc" -eq 0 ] && [ ! -s "$T/out" ] &&
     grep -q "\"total\": {\"accuracy\": 1.000000, \"correct\": 1, \"answered\": 1, \"questions\": 3}" "$T/r.json" &&
     grep -q "\"coverage\": 0.333333" "$T/r.json"'
if command -v python3 >/dev/null 2>&1; then
    check eval_analogy_json_parses \
        'python3 -c "import json, sys; assert json.load(open(sys.argv[1]))[\"restrict\"] == 6" "$T/r.json"'
else
    skip eval_analogy_json_parses "python3 is not installed"
fi
run "$W2V" eval analogy -vectors "$T/v.txt" -questions "$T/q.txt" -method mul \
    -case-sensitive -case-insensitive
expect eval_analogy_contradicting_flags 2 "contradict"
check eval_analogy_contradicting_flags_hint \
    'grep -q "^Try .w2v eval analogy --help." "$T/err"' "$(cat "$T/err")"

# eval similarity: cosines a-b .707, a-c 0, a-D -1 against gold 9 5 1 9
printf '4 2\na 1 0\nb 1 1\nc 0 1\nD -1 0\n' >"$T/sim.txt"
printf 'w1\tw2\tgold\r\n# comment\na\tb\t9\r\nA c 5\na\td\t1\nx\ta\t3\na b 9' \
    >"$T/pairs.txt"
run "$W2V" eval similarity -vectors "$T/sim.txt" -pairs "$T/pairs.txt"
check eval_similarity_spearman \
    '[ "$rc" -eq 0 ] && grep -q "^spearman: 1.0000" "$T/out" &&
     grep -q "^pairs: 4 of 5 used, OOV 20.00%" "$T/out"'
run "$W2V" eval similarity -vectors "$T/sim.txt" -pairs "$T/pairs.txt" \
    -delimiter TAB -json
check eval_similarity_tab_delimiter \
    '[ "$rc" -eq 1 ] && grep -q "line 4: expected 3 fields" "$T/err"'
printf 'a b 1\na c 2\n' >"$T/p2.txt"
run "$W2V" eval similarity -vectors "$T/sim.txt" -pairs "$T/p2.txt" -json
check eval_similarity_json \
    '[ "$rc" -eq 0 ] && grep -q "\"spearman\": -1.000000, \"pairs\": 2, \"used\": 2, \"oov_ratio\": 0.000000" "$T/out"'

# convert: text -> binary -> text -> binary is exact
"$W2V" convert -input "$T/v.txt" -output "$T/v.bin" &&
    "$W2V" convert -input "$T/v.bin" -output "$T/v2.txt" &&
    "$W2V" convert -input "$T/v2.txt" -output "$T/v2.bin" -binary 1
rc=$?
check convert_round_trip_exact \
    '[ "$rc" -eq 0 ] && cmp -s "$T/v.bin" "$T/v2.bin" &&
     head -n 1 "$T/v2.txt" | grep -q "^5 5\$" &&
     ! cmp -s "$T/v.bin" "$T/v2.txt"'
run "$W2V" convert -input "$T/v.txt" -output "$T/nodir/x.bin"
expect convert_output_dir_missing 1 "nodir"
printf '2 2\na 1 2\nb 3\n' >"$T/bad.txt"
run "$W2V" convert -input "$T/bad.txt" -output "$T/never.bin"
check convert_bad_input_writes_nothing \
    '[ "$rc" -eq 1 ] && none_exist "$T"/*never* "$T"/.*never*'

# bad vector files: one line naming the file and the problem, exit 1
# bad NAME CONTENT PATTERN: CONTENT (with printf's backslash escapes) as a
# vector file fails to load with one line matching PATTERN.
bad() {
    printf '%b' "$2" >"$T/bad"
    run "$W2V" similar -vectors "$T/bad" a
    expect "bad_file_$1" 1 "$T/bad: .*$3"
    check "bad_file_${1}_one_line" '[ "$(wc -l <"$T/err")" -eq 1 ]' "$(cat "$T/err")"
}
bad header_one_number '3\na 1\n' 'header'
bad header_not_numbers 'x y\na 1\n' 'header'
bad fewer_rows '3 1\na 1\nb 2\n' 'truncated'
bad more_rows '1 1\na 1\nb 2\n' 'more rows'
bad wrong_count '2 2\na 1 2\nb 1\n' 'line 3 \(word .b.\): 1 values'
bad not_a_number '1 2\na 1 zz\n' "value 2 'zz' is not a number"
bad nan '1 2\na 1 nan\n' 'NaN or infinite'
bad inf '1 2\na -inf 1\n' 'NaN or infinite'
printf '2 1\na 1\na 2\n' >"$T/dup.txt"
run "$W2V" similar -vectors "$T/dup.txt" a
expect duplicate_word_warns 0 "warning: .*1 duplicate word ignored.*'a'"
printf '2 2\na\t1 2\nb 3 4\n' >"$T/tab.txt"
run "$W2V" similar -vectors "$T/tab.txt" -n 1 a
check text_with_tab_after_word '[ "$rc" -eq 0 ] && grep -q "^b	0.98387" "$T/out"'
run "$W2V" similar -vectors "$T/tab.txt" -format binary a
expect format_flag_overrides_detection 1 "tab.txt: truncated"
run "$W2V" similar -vectors "$T/s.txt" -limit 2 -n 5 q
check limit_loads_first_rows '[ "$rc" -eq 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ]'
run "$W2V" similar -vectors "$T/missing.txt" a
expect missing_vector_file 1 "missing.txt: cannot open"

# usage errors: exit 2 with the hint
run "$W2V" similar a
expect similar_needs_vectors 2 "-vectors is required"
run "$W2V" similar -vectors "$T/v.txt" -n 0 a
expect similar_n_range 2 "Try 'w2v similar --help'"
run "$W2V" analogy -vectors "$T/v.txt" -method div a b c
expect analogy_bad_method 2 "add or mul"
run "$W2V" eval frobnicate
expect eval_unknown_kind 2 "Try 'w2v eval --help'"
run "$W2V" convert -input "$T/v.txt" -output "$T/o" -binary 2
expect convert_binary_flag 2 "-binary must be 0 or 1"
for c in similar analogy convert "eval analogy" "eval similarity"; do
    # $c is split on purpose: "eval analogy" is a command and a kind
    # shellcheck disable=SC2086
    run "$W2V" $c --help
    check "help_$(echo "$c" | tr ' ' _)" '[ "$rc" -eq 0 ] && grep -q usage "$T/out"'
done

# train -> convert -> eval round trip
awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) {
    a = int(rand() * 40); printf "w%d w%d w%d x%d ", a, a + 1, a + 2, a % 5 }
    print "" }' >"$T/corpus.txt"
if "$W2V" train -input "$T/corpus.txt" -output "$T/tv.txt" -size 16 \
    -iter 2 -min-count 1 -threads 1 -quiet >"$T/out" 2>"$T/err" &&
   "$W2V" convert -input "$T/tv.txt" -output "$T/tv.bin" 2>"$T/err" &&
   "$W2V" convert -input "$T/tv.bin" -output "$T/tv2.txt" -binary 0 2>"$T/err" &&
   "$W2V" convert -input "$T/tv2.txt" -output "$T/tv2.bin" -binary 1 2>"$T/err" &&
   cmp -s "$T/tv.bin" "$T/tv2.bin"; then
    printf ': one\nw1 w2 w3 w4\nw5 w6 w7 w8\n' >"$T/tq.txt"
    run "$W2V" eval analogy -vectors "$T/tv2.bin" -questions "$T/tq.txt"
    check train_convert_eval_round_trip \
        '[ "$rc" -eq 0 ] && grep -q "^coverage: 2/2" "$T/out"'
else
    fail train_convert_eval_round_trip "$(head -c 300 "$T/err")"
fi

# end to end on real text: clearly above chance (1 in 10,000) after one
# iteration over 20 MB.  No subsampling and a wide window get there fastest
# on these 3.4M words: about 7.5% over the 10,000 most frequent words
# (about 1% with the original word2vec's defaults).
E2E_OPTS=${W2V_E2E_TRAIN_OPTS:--size 100 -sample 0 -window 10 -negative 5 -iter 1 -min-count 5}
if [ ! -f "$SHARED_DATA/enwiki-100M.txt.xz" ] ||
   [ ! -f "$SHARED_DATA/questions-words.txt" ]; then
    skip enwiki_20M_analogy_above_chance "no $SHARED_DATA/enwiki-100M.txt.xz or questions-words.txt"
elif ! command -v xz >/dev/null 2>&1; then
    skip enwiki_20M_analogy_above_chance "xz is not installed"
else
    xz -dc "$SHARED_DATA/enwiki-100M.txt.xz" 2>/dev/null | head -c 20000000 \
        >"$T/enwiki20.txt"
    # shellcheck disable=SC2086
    if "$W2V" train -input "$T/enwiki20.txt" -output "$T/e.bin" -binary 1 \
        $E2E_OPTS -threads 2 -quiet >/dev/null 2>"$T/err"; then
        run "$W2V" eval analogy -vectors "$T/e.bin" -restrict 10000 \
            -questions "$SHARED_DATA/questions-words.txt" -json
        acc=$(sed -n 's/.*"total": {"accuracy": \([0-9.]*\).*/\1/p' "$T/out")
        check enwiki_20M_analogy_above_chance \
            '[ "$rc" -eq 0 ] && awk -v a="${acc:-0}" "BEGIN { exit !(a > 0.05) }"' \
            "exit $rc, accuracy '$acc'"
        echo "# enwiki 20 MB, 1 iteration: total analogy accuracy $acc"
    else
        fail enwiki_20M_analogy_above_chance "train: $(head -c 300 "$T/err")"
    fi
fi
