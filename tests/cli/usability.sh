#!/bin/sh
# usability.sh - the command line as a word2vec, gensim or fastText user
# expects it: GNU flag spellings and suggestions, help for every command
# and the manual page built from the same tables, '-' for every file read,
# the query tools (-json, -case-insensitive, negative words, words beyond
# -limit, EXIT, four-word analogies), -limit/-restrict everywhere,
# headerless text, eval loglik's threads and names, and case folding
# beyond ASCII.
# check's CONDITION is single-quoted on purpose: check evals it when it runs.
# shellcheck disable=SC2016
. "$ROOT/tests/cli/lib.sh"

# same FILE FILE: the two files have equal contents (and the first is not
# empty)
same() { [ -s "$1" ] && cmp -s "$1" "$2"; }

# ---- parser and help ----

cat >"$T/s.txt" <<'EOF'
4 2
q 1 0
b 2 1
b2 4 2
d 0 1
EOF
printf 'b\t0.894427\n' >"$T/want_b"
gnu_spellings() {
    for form in "-n 1" "--n 1" "--n=1" "-n=1"; do
        # shellcheck disable=SC2086
        "$W2V" similar --vectors="$T/s.txt" $form q >"$T/out" 2>"$T/err" &&
            same "$T/want_b" "$T/out" || return 1
    done
    "$W2V" train --input="$T/none" --size 0 >"$T/out" 2>"$T/err"
    [ $? -eq 2 ] && grep -q -- "-size: 0 is out of range" "$T/err"
}
check gnu_flag_spellings 'gnu_spellings'

run "$W2V" train -input x -szie 10
expect unknown_flag_suggests_close_one 2 "unknown option '-szie'; did you mean -size\?"
run "$W2V" similar -vectors "$T/s.txt" --limt=3 q
expect unknown_gnu_flag_suggests 2 "unknown option '--limt=3'; did you mean -limit\?"
run "$W2V" train -input x -frobnicate 1
expect unknown_flag_without_suggestion 2 "^w2v train: unknown option '-frobnicate'$"
run "$W2V" trian -input x
expect unknown_command_suggests 2 "unknown command 'trian'; did you mean 'train'\?"
run "$W2V" eval analgy
expect unknown_eval_kind_suggests 2 "did you mean 'analogy'\?"

COMMANDS="train vocab similar analogy convert phrases classes"
KINDS="analogy similarity loglik"
help_cmd_matches() {
    for c in $COMMANDS; do
        "$W2V" help "$c" >"$T/a" && "$W2V" "$c" --help >"$T/b" &&
            same "$T/a" "$T/b" && grep -q '^usage: w2v' "$T/a" || return 1
    done
    for k in $KINDS; do
        "$W2V" help eval "$k" >"$T/a" && "$W2V" eval "$k" --help >"$T/b" &&
            same "$T/a" "$T/b" && grep -q "^usage: w2v eval $k" "$T/a" ||
            return 1
    done
    "$W2V" help eval >"$T/a" && grep -q 'w2v eval loglik' "$T/a"
}
check help_command_prints_each_help 'help_cmd_matches'

help_placeholders() {
    "$W2V" train --help >"$T/h" || return 1
    grep -Eq '^  -size N +vector dimension, 1\.\.100000 \(default 100\)$' "$T/h" &&
        grep -Eq '^  -sample S +.*0\.\.1 \(default 0\.001\)$' "$T/h" &&
        grep -Eq '^  -output FILE ' "$T/h" &&
        grep -Eq '^  -loss ns\|softmax\|hs\|hs\+ns( |$)' "$T/h" &&
        grep -Eq '^  -kernel NAME ' "$T/h" &&
        grep -Eq '^  -threads N +training threads, 1\.\.1024 \(default: the CPUs this$' "$T/h" &&
        grep -Eq '^  -min-count N +drop rarer words, 0 or more \(default 5\)$' "$T/h" &&
        "$W2V" similar --help >"$T/h" &&
        grep -Eq '^  -vectors FILE ' "$T/h" && grep -Eq '^  -negative WORD ' "$T/h"
}
check help_shows_placeholders_and_ranges 'help_placeholders'

top_help_lists_all() {
    "$W2V" --help >"$T/h" || return 1
    for c in train vocab similar analogy "eval analogy" "eval similarity" \
             "eval loglik" convert phrases classes; do
        grep -q "^  $c  " "$T/h" || return 1
    done
}
check top_help_lists_every_command 'top_help_lists_all'

# the manual page: its option lists are what the tables print, and every
# command has one
MAN=$ROOT/src/programs/w2v.1
man_in_sync() {
    sh "$ROOT/scripts/man-options.sh" "$W2V" "$MAN" >"$T/w2v.1" &&
        same "$T/w2v.1" "$MAN"
}
check man_page_options_match_the_tables 'man_in_sync'
man_has_every_command() {
    grep '^\.\\" BEGIN OPTIONS ' "$MAN" | sed 's/^\.\\" BEGIN OPTIONS //' |
        sort >"$T/blocks"
    printf '%s\n' train vocab similar analogy "eval analogy" \
        "eval similarity" "eval loglik" convert phrases classes |
        sort >"$T/want"
    same "$T/want" "$T/blocks" &&
        grep -q "^\.TH W2V 1 .*\"$("$W2V" --version)\"" "$MAN"
}
check man_page_has_every_command_and_version 'man_has_every_command'
man_installed() {
    make -s -C "$ROOT" -n install PREFIX=/p DESTDIR= >"$T/inst" 2>&1 &&
        grep -q 'src/programs/w2v.1 /p/share/man/man1/w2v.1' "$T/inst" &&
        make -s -C "$ROOT" -n uninstall PREFIX=/p DESTDIR= >"$T/uninst" 2>&1 &&
        grep -q 'rm -f .*/p/share/man/man1/w2v.1' "$T/uninst"
}
if command -v make >/dev/null 2>&1; then
    check make_install_puts_the_man_page 'man_installed'
else
    skip make_install_puts_the_man_page "no make"
fi

# ---- pipes ----

awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) {
    a = int(rand() * 40); printf "w%d w%d w%d x%d ", a, a + 1, a + 2, a % 5 }
    print "" }' >"$T/corpus.txt"
TRAIN="-size 16 -iter 2 -min-count 1 -threads 1 -quiet"
# shellcheck disable=SC2086
if ! { "$W2V" train -input "$T/corpus.txt" -output "$T/v.txt" $TRAIN -save-context "$T/c.txt" &&
    "$W2V" convert -input "$T/v.txt" -output "$T/v.bin" &&
    "$W2V" vocab -input "$T/corpus.txt" -output "$T/vocab.txt" -min-count 1; }; then
    fail pipes_setup "cannot train"
fi

train_pipe_similar() {
    for fmt in 0 1; do
        # shellcheck disable=SC2086
        "$W2V" train -input "$T/corpus.txt" -output - -binary $fmt $TRAIN |
            "$W2V" similar -vectors - -n 3 w5 >"$T/a" 2>"$T/err" &&
            "$W2V" similar -vectors "$T/v.txt" -n 3 w5 >"$T/b" &&
            same "$T/b" "$T/a" || return 1
    done
}
check train_pipe_to_similar_text_and_binary 'train_pipe_similar'

# untimed: the output without the time it took
untimed() { sed 's/, [0-9.]* s$//; s/"seconds": [0-9.]*//' "$1" >"$1.untimed"; }
pipe_equals_file() { # CMD...: the same output with -vectors - as with a file
    "$W2V" "$@" -vectors - <"$T/v.bin" >"$T/a" 2>"$T/err" &&
        "$W2V" "$@" -vectors "$T/v.bin" >"$T/b" && untimed "$T/a" &&
        untimed "$T/b" && same "$T/b.untimed" "$T/a.untimed"
}
printf ': one\nw1 w2 w3 w4\nw5 w6 w7 w8\n: gram-two\nw2 w3 w4 w5\n' >"$T/q.txt"
printf 'w1 w2 3\nw1 w9 1\nw5 w6 2.5\nw3 x1 0.5\n' >"$T/pairs.txt"
check analogy_vectors_from_stdin 'pipe_equals_file analogy -n 3 w1 w2 w3'
check eval_analogy_vectors_from_stdin 'pipe_equals_file eval analogy -questions "$T/q.txt" -json'
check eval_similarity_vectors_from_stdin 'pipe_equals_file eval similarity -pairs "$T/pairs.txt"'
loglik_stdin() {
    for which in -vectors -context-vectors -input; do
        case $which in
        -vectors) src=$T/v.txt; args="-context-vectors $T/c.txt -input $T/corpus.txt" ;;
        -context-vectors) src=$T/c.txt; args="-vectors $T/v.txt -input $T/corpus.txt" ;;
        -input) src=$T/corpus.txt; args="-vectors $T/v.txt -context-vectors $T/c.txt" ;;
        esac
        # shellcheck disable=SC2086
        "$W2V" eval loglik $args $which - -quiet <"$src" >"$T/a" 2>"$T/err" &&
            "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
                -input "$T/corpus.txt" -quiet >"$T/b" &&
            grep -v '^seconds' "$T/a" >"$T/a2" && grep -v '^seconds' "$T/b" >"$T/b2" &&
            same "$T/b2" "$T/a2" || return 1
    done
}
check eval_loglik_each_file_from_stdin 'loglik_stdin'
convert_stdin() {
    "$W2V" convert -input - -output "$T/from_stdin.bin" <"$T/v.txt" 2>"$T/err" &&
        same "$T/v.bin" "$T/from_stdin.bin" &&
        "$W2V" convert -input - -output - -binary 0 <"$T/v.bin" >"$T/a" &&
        "$W2V" convert -input "$T/v.bin" -output "$T/b" -binary 0 &&
        same "$T/b" "$T/a"
}
check convert_input_from_stdin 'convert_stdin'
question_files_stdin() {
    "$W2V" eval analogy -vectors "$T/v.bin" -questions - <"$T/q.txt" >"$T/a" &&
        "$W2V" eval analogy -vectors "$T/v.bin" -questions "$T/q.txt" >"$T/b" &&
        grep -v '^coverage' "$T/a" >"$T/a2" && grep -v '^coverage' "$T/b" >"$T/b2" &&
        same "$T/b2" "$T/a2" &&
        "$W2V" eval similarity -vectors "$T/v.bin" -pairs - <"$T/pairs.txt" >"$T/a" &&
        "$W2V" eval similarity -vectors "$T/v.bin" -pairs "$T/pairs.txt" >"$T/b" &&
        same "$T/b" "$T/a"
}
check questions_and_pairs_from_stdin 'question_files_stdin'
read_vocab_stdin() {
    # shellcheck disable=SC2086
    "$W2V" train -input "$T/corpus.txt" -read-vocab - -output "$T/a" $TRAIN \
        <"$T/vocab.txt" 2>"$T/err" &&
        "$W2V" train -input "$T/corpus.txt" -read-vocab "$T/vocab.txt" \
            -output "$T/b" $TRAIN && same "$T/b" "$T/a"
}
check train_read_vocab_from_stdin 'read_vocab_stdin'

run "$W2V" eval analogy -vectors - -questions - </dev/null
expect two_stdin_readers_refused 2 "-vectors and -questions both read standard input"
run "$W2V" train -input - -read-vocab - -output "$T/x" </dev/null
expect two_stdin_readers_refused_train 2 "-input and -read-vocab both read standard input"
run "$W2V" eval loglik -vectors - -context-vectors - -input "$T/corpus.txt" </dev/null
expect two_stdin_readers_refused_loglik 2 "both read standard input"
run "$W2V" similar -vectors - </dev/null
expect similar_stdin_vectors_need_words 2 "give the words on the command line"
run "$W2V" analogy -vectors - </dev/null
expect analogy_stdin_vectors_need_words 2 "give the words on the command line"

# a reader that needs only the first rows still reads the pipe to its end,
# so the writer finishes well (vectors larger than a pipe's buffer)
writer_finishes() {
    # shellcheck disable=SC2086
    { "$W2V" train -input "$T/corpus.txt" -output - $TRAIN -size 400 -iter 1
      echo $? >"$T/train_rc"; } |
        "$W2V" eval analogy -vectors - -restrict 5 -questions "$T/q.txt" \
            >"$T/out" 2>"$T/err" && [ "$(cat "$T/train_rc")" = 0 ]
}
check pipe_writer_finishes_when_reader_stops_early 'writer_finishes'

# ---- the query tools ----

json_ok() { # FILE: every line parses as JSON (when python3 is here)
    command -v python3 >/dev/null 2>&1 || return 0
    python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$1"
}
similar_json() {
    "$W2V" similar -vectors "$T/s.txt" -n 2 -json q >"$T/out" 2>"$T/err" &&
        grep -q '^{"positive": \["q"\], "negative": \[\], "results": \[{"word": "b", "cosine": 0.894427}, {"word": "b2", "cosine": 0.894427}\]}$' "$T/out" &&
        json_ok "$T/out" &&
        printf 'q\nnosuch\n' | "$W2V" similar -vectors "$T/s.txt" -json >"$T/out" 2>"$T/err"
    [ $? -eq 1 ] && [ "$(wc -l <"$T/out")" -eq 2 ] &&
        grep -q '^{"query": \["nosuch"\], "error": "'"'"'nosuch'"'"' is not in the vocabulary"}$' "$T/out" &&
        json_ok "$T/out"
}
check similar_json 'similar_json'

# a = e1, b = e2, c = e3; 3CosAdd answers x1 (.2 > .15 before the scaling
# by |b - a + c| = sqrt 3), then x2
cat >"$T/abc.txt" <<'EOF'
5 5
a 1 0 0 0 0
b 0 1 0 0 0
c 0 0 1 0 0
x1 0 0.7 -0.5 0.509901951 0
x2 0 0.1 0.05 0 0.993730346
EOF
analogy_json() {
    "$W2V" analogy -vectors "$T/abc.txt" -n 1 -json a b c x2 >"$T/out" 2>"$T/err" &&
        grep -q '^{"query": \["a", "b", "c"\], "method": "add", "results": \[{"word": "x1", "score": 0.115470}\], "expected": "x2", "rank": 2, "found": false}$' "$T/out" &&
        json_ok "$T/out"
}
check analogy_json_with_expected_word 'analogy_json'

analogy_four_words() {
    printf ': capital\na b c x1\n\na b c x2\na b c zz\n' |
        "$W2V" analogy -vectors "$T/abc.txt" -n 1 >"$T/out" 2>"$T/err" || return 1
    printf 'x1\t0.115470\nexpected %s: rank 1, in the top 1\n\nx1\t0.115470\nexpected %s: rank 2, not in the top 1\n\nx1\t0.115470\nexpected: %s is not in the vocabulary\n' \
        "'x1'" "'x2'" "'zz'" >"$T/want"
    same "$T/want" "$T/out" &&
        "$W2V" analogy -vectors "$T/abc.txt" -n 1 a b c a >"$T/out" &&
        grep -q "^expected 'a': one of the three inputs" "$T/out"
}
check analogy_four_word_lines_report_the_rank 'analogy_four_words'

cat >"$T/cities.txt" <<'EOF'
6 2
the 1 1
france 1 0
paris 0.9 0.1
France 0.95 0.05
rome 0 1
zebra -1 0
EOF
run "$W2V" similar -vectors "$T/cities.txt" France
check case_sensitive_by_default "[ $rc -eq 0 ] && ! grep -q '^France' '$T/out'"
run "$W2V" similar -vectors "$T/cities.txt" FRANCE
expect unknown_word_suggests_case_variant 1 "'FRANCE' is not in the vocabulary; did you mean 'france'\?"
case_insensitive() {
    "$W2V" similar -vectors "$T/cities.txt" -case-insensitive -n 5 FRANCE \
        >"$T/out" 2>"$T/err" &&
        # the variants of the query word are no answers
        ! grep -qi '^france' "$T/out" && head -n 1 "$T/out" | grep -q '^paris' &&
        "$W2V" analogy -vectors "$T/cities.txt" -case-insensitive -n 1 \
            PARIS FRANCE ROME >"$T/out" 2>"$T/err"
}
check similar_and_analogy_case_insensitive 'case_insensitive'
run "$W2V" similar -vectors "$T/cities.txt" -limit 3 zebra
expect word_beyond_limit_says_so 1 "'zebra' is beyond -limit 3 \(row 6\)$"
run "$W2V" similar -vectors "$T/cities.txt" -restrict 2 France
expect beyond_limit_with_case_variant 1 "'France' is beyond -limit 2 \(row 4\); did you mean 'france'\?"
run "$W2V" similar -vectors "$T/cities.txt" nosuch
expect unknown_word_plain 1 "^w2v similar: 'nosuch' is not in the vocabulary$"

# negative words: q - d on (1,0) - (0,1) = (1,-1)/sqrt2; b: 1/sqrt10,
# b2 the same, the: 0; gensim's most_similar(positive, negative)
negative_words() {
    printf 'b\t0.316228\nb2\t0.316228\n' >"$T/want"
    "$W2V" similar -vectors "$T/s.txt" -n 2 -- q -d >"$T/a" 2>"$T/err" &&
        same "$T/want" "$T/a" &&
        "$W2V" similar -vectors "$T/s.txt" -n 2 -negative d q >"$T/b" &&
        same "$T/want" "$T/b" &&
        printf '+q -d\n' | "$W2V" similar -vectors "$T/s.txt" -n 2 >"$T/c" &&
        same "$T/want" "$T/c" &&
        "$W2V" similar -vectors "$T/s.txt" -n 1 -json -negative d q >"$T/d" &&
        grep -q '"positive": \["q"\], "negative": \["d"\]' "$T/d"
}
check similar_negative_words 'negative_words'
run "$W2V" similar -vectors "$T/s.txt" q -d
expect negative_word_needs_double_dash 2 "go after '--'"

exit_word() {
    printf 'q\nEXIT\nd\n' | "$W2V" similar -vectors "$T/s.txt" -n 1 >"$T/out" &&
        same "$T/want_b" "$T/out"
}
check interactive_exit_stops 'exit_word'
if command -v script >/dev/null 2>&1 &&
   printf 'q\n' | script -qec "true" /dev/null >/dev/null 2>&1; then
    eof_newline() {
        printf 'q\n' | script -qec "'$W2V' similar -vectors '$T/s.txt' -n 1" \
            /dev/null >"$T/tty" 2>&1 || return 1
        # the prompt after the last query ends its line at the end of input
        tail -c 9 "$T/tty" >"$T/end"
        printf 'query> \r\n' >"$T/want"
        same "$T/want" "$T/end"
    }
    check interactive_end_of_input_ends_the_line 'eof_newline'
else
    skip interactive_end_of_input_ends_the_line "no working script(1) for a terminal"
fi

limit_synonyms() {
    for c in "similar -n 5 w3" "analogy -n 5 w3 w4 w15"; do
        # shellcheck disable=SC2086
        "$W2V" $c -vectors "$T/v.bin" -limit 12 >"$T/a" 2>"$T/err" &&
            "$W2V" $c -vectors "$T/v.bin" -restrict 12 >"$T/b" &&
            "$W2V" $c -vectors "$T/v.bin" >"$T/all" &&
            same "$T/a" "$T/b" && ! cmp -s "$T/a" "$T/all" || return 1
    done
    "$W2V" convert -input "$T/s.txt" -output "$T/a" -binary 0 -restrict 2 &&
        "$W2V" convert -input "$T/s.txt" -output "$T/b" -binary 0 -limit 2 &&
        same "$T/a" "$T/b" && head -n 1 "$T/a" | grep -q '^2 2$' &&
        "$W2V" eval similarity -vectors "$T/v.bin" -pairs "$T/pairs.txt" -limit 20 >"$T/a" &&
        "$W2V" eval similarity -vectors "$T/v.bin" -pairs "$T/pairs.txt" -restrict 20 >"$T/b" &&
        same "$T/a" "$T/b" &&
        "$W2V" eval analogy -vectors "$T/v.bin" -questions "$T/q.txt" -limit 20 >"$T/a" &&
        "$W2V" eval analogy -vectors "$T/v.bin" -questions "$T/q.txt" -restrict 20 >"$T/b" &&
        grep -v '^coverage' "$T/a" >"$T/a2" && grep -v '^coverage' "$T/b" >"$T/b2" &&
        same "$T/a2" "$T/b2" &&
        "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
            -input "$T/corpus.txt" -limit 20 -quiet -json >"$T/a" &&
        "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
            -input "$T/corpus.txt" -restrict 20 -quiet -json >"$T/b" &&
        sed 's/"seconds.*//' "$T/a" >"$T/a2" && sed 's/"seconds.*//' "$T/b" >"$T/b2" &&
        same "$T/a2" "$T/b2" && grep -q '"skipped": [1-9]' "$T/a"
}
check limit_and_restrict_everywhere 'limit_synonyms'

# ---- headerless text (GloVe) ----

printf 'the 0.5 0.25\nof -1 2.5\nand 0.125 -0.75\n' >"$T/glove.txt"
headerless() {
    "$W2V" convert -input "$T/glove.txt" -output "$T/g.bin" 2>"$T/err" &&
        "$W2V" convert -input "$T/g.bin" -output - -binary 0 >"$T/g.txt" &&
        printf '3 2\nthe 0.5 0.25\nof -1 2.5\nand 0.125 -0.75\n' >"$T/want" &&
        same "$T/want" "$T/g.txt" &&
        "$W2V" similar -vectors - -n 1 the <"$T/glove.txt" >"$T/out" &&
        grep -q '^of	' "$T/out" &&
        printf 'a 1 2\nb 3 4\n' >"$T/ints.txt" &&
        ! "$W2V" convert -input "$T/ints.txt" -output "$T/x.bin" 2>/dev/null &&
        "$W2V" convert -input "$T/ints.txt" -format text-noheader \
            -output - -binary 0 >"$T/out" && head -n 1 "$T/out" | grep -q '^2 2$'
}
check headerless_text_vectors 'headerless'
run "$W2V" similar -vectors "$T/glove.txt" -format glove the
expect format_names_text_noheader 2 "text-noheader"

# ---- eval loglik ----

loglik_threads_and_names() {
    for t in 1 2 3; do
        "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
            -input "$T/corpus.txt" -threads $t -json -quiet >"$T/j$t" 2>"$T/err" ||
            return 1
        sed 's/, "threads".*//' "$T/j$t" >"$T/k$t"
    done
    same "$T/k1" "$T/k2" && same "$T/k1" "$T/k3" && json_ok "$T/j1" &&
        "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
            -input "$T/corpus.txt" -quiet >"$T/text" &&
        sed 's/: .*//' "$T/text" | tr '\n' ' ' >"$T/names_text" &&
        tr -d '{}"' <"$T/j1" | tr ',' '\n' | sed 's/^ //; s/: .*//' |
            tr '\n' ' ' >"$T/names_json" &&
        same "$T/names_text" "$T/names_json" &&
        grep -q '^pairs: [1-9]' "$T/text" && grep -q '^loglik: -' "$T/text"
}
check eval_loglik_threads_agree_and_names_match 'loglik_threads_and_names'
loglik_progress() {
    "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
        -input "$T/corpus.txt" >"$T/out" 2>"$T/err" &&
        grep -q '^loglik: 100.0% of [0-9]* bytes' "$T/err" &&
        "$W2V" eval loglik -vectors "$T/v.txt" -context-vectors "$T/c.txt" \
            -input "$T/corpus.txt" -quiet >"$T/out" 2>"$T/err" && [ ! -s "$T/err" ]
}
check eval_loglik_progress_on_stderr 'loglik_progress'

# ---- case folding beyond ASCII ----

cat >"$T/intl.txt" <<'EOF'
5 2
ångström 1 0
café 0.8 0.6
αθηνα 0.6 0.8
москва 0 1
the 1 1
EOF
printf 'Ångström café 5\nΑΘΗΝΑ МОСКВА 3\nÅNGSTRÖM CAFÉ 5\nATHENS moskva 1\n' >"$T/ipairs.txt"
folding() {
    "$W2V" eval similarity -vectors "$T/intl.txt" -pairs "$T/ipairs.txt" \
        >"$T/out" 2>"$T/err" &&
        grep -q '^pairs: 3 of 4 used' "$T/out" &&
        "$W2V" eval similarity -vectors "$T/intl.txt" -pairs "$T/ipairs.txt" \
            -case-sensitive >"$T/out" && grep -q '^pairs: 0 of 4 used' "$T/out" &&
        "$W2V" similar -vectors "$T/intl.txt" -n 1 ÅNGSTRÖM >"$T/out" 2>"$T/err"
    [ $? -eq 1 ] && grep -q "did you mean 'ångström'" "$T/err"
}
check case_folding_beyond_ascii 'folding'
