# train.sh - command-line behaviour of `w2v train` and `w2v vocab`:
# flags, usage errors, runtime errors, formats, pipes, determinism.
# check's CONDITION is single-quoted on purpose: check evals it when it runs.
# shellcheck disable=SC2016
. "$ROOT/tests/cli/lib.sh"

# a small deterministic corpus: 2000 lines of 10 words over 50 word types
awk 'BEGIN { s = 7; for (l = 0; l < 2000; l++) { line = "";
        for (i = 0; i < 10; i++) { s = (s * 1103515245 + 12345) % 2147483648;
            line = line (i ? " " : "") "w" int(s / 65536) % 50 }
        print line } }' >"$T/c.txt"

# train_small ARGS...: `run w2v train` with small, fast settings on two
# threads, then ARGS (which may override them).
train_small() {
    run "$W2V" train -size 8 -iter 1 -min-count 1 -threads 2 -quiet "$@"
}

# train_one ARGS...: `run w2v train` on one thread (deterministic for a
# given -seed), then ARGS.
train_one() {
    run "$W2V" train -size 16 -iter 2 -min-count 1 -threads 1 -quiet "$@"
}

run "$W2V" --version
expect version 0
check version_text 'grep -Eq "^w2v [0-9]+\.[0-9]+" "$T/out"' "$(cat "$T/out")"
run "$W2V" --help
expect help 0
run "$W2V" train --help
expect train_help 0
check train_help_lists_flags 'grep -q -- -negative "$T/out"' "no -negative"
run "$W2V" frobnicate
expect unknown_command 2 "unknown command"

# usage errors: exit 2, one clear line and the hint
for args in "-bogus 1" "-size" "-size abc" "-size 0" "-window -1" "-sample -1" \
            "-threads 0" "-negative -3" "-alpha nan" "-iter 1x" "-binary 2" \
            "-size 99999999999999999999" "-batch 2" "-softmax-centers 0" \
            "-combine 0" "-combine 65" "-combine-block 999" \
            "-combine-block 16777217"; do
    # $args is a flag and its value, split on purpose
    # shellcheck disable=SC2086
    run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" $args
    name=usage_$(echo "$args" | tr -c 'a-z0-9\n' '_')
    expect "$name" 2 "Try 'w2v train --help'"
done
run "$W2V" train -output "$T/o.txt"
expect usage_missing_input 2 "-input is required"
run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" -kernel nope
expect usage_bad_kernel 2 "unknown kernel"
check usage_errors_write_nothing '[ ! -e "$T/o.txt" ]' "output exists"

# runtime errors: exit 1, message names the file, no output created
train_small -input "$T/missing.txt" -output "$T/o.txt"
expect missing_input 1 "missing.txt: cannot open"
train_small -input "$T" -output "$T/o.txt"
expect directory_input 1 "is a directory"
: >"$T/empty.txt"
train_small -input "$T/empty.txt" -output "$T/o.txt"
expect empty_corpus 1 "empty.txt: no words"
train_small -input "$T/c.txt" -output "$T/o.txt" -min-count 1000000
expect no_word_reaches_min_count 1 "min-count"
train_small -input "$T/c.txt" -output "$T/nodir/o.txt"
expect output_dir_missing 1 "nodir/o.txt"
check runtime_errors_write_nothing '[ ! -e "$T/o.txt" ]' "output exists"
if [ -c /dev/full ]; then
    train_small -input "$T/c.txt" -output /dev/full
    expect dev_full 1 "/dev/full: write failed"
    check dev_full_still_device '[ -c /dev/full ]' "replaced"
else
    skip dev_full "no /dev/full here"
fi
echo precious >"$T/keep.txt"
train_small -input "$T/missing.txt" -output "$T/keep.txt"
check failed_run_keeps_old_output '[ "$(cat "$T/keep.txt")" = precious ]' \
    "clobbered"
check no_temp_left 'none_exist "$T"/.keep.txt.*' "temp file left"

# text format: header "V d", V lines of word + d values
train_small -input "$T/c.txt" -output "$T/v.txt"
expect train_text 0
read -r V D <"$T/v.txt"
check text_header '[ "$V" = 50 ] && [ "$D" = 8 ]' "header '$V $D'"
check text_rows \
    'awk -v d="$D" "NR > 1 && NF != d + 1 { bad = 1 } END { exit bad }" "$T/v.txt" &&
     [ "$(wc -l <"$T/v.txt")" -eq $((V + 1)) ]' "bad rows"

# binary format: size = header + per word (word + space + 4d + newline)
train_small -input "$T/c.txt" -output "$T/v.bin" -binary 1
expect train_binary 0
expected=$(awk -v d="$D" 'NR > 1 { n += length($1) + 2 + 4 * d }
    END { print n + length("50 8") + 1 }' "$T/v.txt")
check binary_size '[ "$(wc -c <"$T/v.bin")" -eq "$expected" ]' \
    "$(wc -c <"$T/v.bin") bytes, expected $expected"

# same seed, one thread: byte-identical; another seed: different
train_one -input "$T/c.txt" -output "$T/d1.bin" -binary 1 -seed 7
rc1=$rc
train_one -input "$T/c.txt" -output "$T/d2.bin" -binary 1 -seed 7
rc2=$rc
train_one -input "$T/c.txt" -output "$T/d3.bin" -binary 1 -seed 8
rc3=$rc
check deterministic_one_thread \
    '[ "$rc1$rc2" = 00 ] && [ -s "$T/d1.bin" ] && cmp -s "$T/d1.bin" "$T/d2.bin"' \
    "exit $rc1 and $rc2, or the files differ"
check seed_changes_output \
    '[ "$rc1$rc3" = 00 ] && [ -s "$T/d3.bin" ] && ! cmp -s "$T/d1.bin" "$T/d3.bin"' \
    "exit $rc1 and $rc3, or the same file"

# stdin and stdout; cat on purpose: with "<" stdin would be a regular file
# shellcheck disable=SC2002
cat "$T/c.txt" | "$W2V" train -input - -output - -size 8 -iter 1 \
    -min-count 1 -threads 2 -quiet >"$T/pipe.txt" 2>"$T/err"
rc=$?
expect stdin_to_stdout 0
check stdout_vectors '[ "$(head -n 1 "$T/pipe.txt")" = "50 8" ]' \
    "$(head -n 1 "$T/pipe.txt")"
# shellcheck disable=SC2002
cat "$T/c.txt" | "$W2V" train -input - -output "$T/p.bin" -size 8 -iter 1 \
    -min-count 1 -debug 1 2>"$T/err"
check stdin_spool_reported 'grep -q spooled "$T/err"' "$(cat "$T/err")"
check spool_removed 'none_exist "${TMPDIR:-/tmp}"/w2v-spool*' "left in TMPDIR"

# vocabulary: save, read back gives the same training run
train_one -input "$T/c.txt" -output "$T/r1.bin" -binary 1 -seed 7 \
    -save-vocab "$T/vocab.txt"
rc1=$rc
train_one -input "$T/c.txt" -output "$T/r2.bin" -binary 1 -seed 7 \
    -read-vocab "$T/vocab.txt"
rc2=$rc
check save_vocab_lines '[ "$rc1" = 0 ] && [ "$(wc -l <"$T/vocab.txt")" -eq 50 ]' \
    "exit $rc1, $(wc -l <"$T/vocab.txt") lines"
check read_vocab_same_run \
    '[ "$rc1$rc2" = 00 ] && [ -s "$T/r1.bin" ] && cmp -s "$T/r1.bin" "$T/r2.bin"' \
    "exit $rc1 and $rc2, or the files differ"
run "$W2V" vocab -input "$T/c.txt" -output "$T/vocab2.txt" -min-count 1
check vocab_command '[ "$rc" = 0 ] && cmp -s "$T/vocab.txt" "$T/vocab2.txt"' \
    "exit $rc, or it differs from -save-vocab"
check vocab_order \
    '[ -s "$T/vocab.txt" ] &&
     LC_ALL=C sort -k2,2nr -k1,1 "$T/vocab.txt" | cmp -s - "$T/vocab.txt"' \
    "not by count then bytes"

# the skip-gram ns update rules (per pair, per window, combined windows:
# the default) train and are deterministic on one thread
for b in "0 -combine 1" "1 -combine 1" 1; do
    f=$(echo "$b" | tr -c 'a-z0-9\n' '_')
    # $b is -batch's value and maybe -combine, split on purpose
    # shellcheck disable=SC2086
    train_one -input "$T/c.txt" -output "$T/b$f.1" -seed 3 -batch $b
    rc1=$rc
    # shellcheck disable=SC2086
    train_one -input "$T/c.txt" -output "$T/b$f.2" -seed 3 -batch $b
    rc2=$rc
    check "batch_${f}_deterministic" \
        '[ "$rc1$rc2" = 00 ] && [ -s "$T/b$f.1" ] && cmp -s "$T/b$f.1" "$T/b$f.2"' \
        "exit $rc1 and $rc2, or the files differ"
done
check batch_modes_differ \
    '[ -s "$T/b0__combine_1.1" ] && [ -s "$T/b1__combine_1.1" ] && [ -s "$T/b1.1" ] &&
     ! cmp -s "$T/b0__combine_1.1" "$T/b1__combine_1.1" &&
     ! cmp -s "$T/b1__combine_1.1" "$T/b1.1"' \
    "the same output (or none)"
# combining is for skip-gram ns with -batch 1: asked for elsewhere, refused
for args in "-cbow 1" "-loss softmax" "-loss hs" "-batch 0"; do
    # shellcheck disable=SC2086
    train_small -input "$T/c.txt" -output "$T/o.txt" -combine 4 $args
    expect "combine_refused_with_$(echo "$args" | tr -c 'a-z0-9\n' '_')" 2 \
        "-combine 4: context combining is for skip-gram"
done
train_small -input "$T/c.txt" -output "$T/o.txt" -combine 1 -cbow 1
expect combine_1_with_cbow 0
# the block of combining: the default's value changes nothing, a block of
# one sentence changes the order of training; given without combining, it
# is refused
train_one -input "$T/c.txt" -output "$T/blk_default.txt" -seed 5
train_one -input "$T/c.txt" -output "$T/blk_given.txt" -seed 5 -combine-block 524288
train_one -input "$T/c.txt" -output "$T/blk_1000.txt" -seed 5 -combine-block 1000
check combine_block_default_is_524288_and_is_used \
    '[ -s "$T/blk_default.txt" ] && cmp -s "$T/blk_default.txt" "$T/blk_given.txt" &&
     [ -s "$T/blk_1000.txt" ] && ! cmp -s "$T/blk_default.txt" "$T/blk_1000.txt"' \
    "the same output (or none)"
for args in "-combine 1" "-cbow 1" "-batch 0"; do
    # shellcheck disable=SC2086
    train_small -input "$T/c.txt" -output "$T/o.txt" -combine-block 4000 $args
    expect "combine_block_refused_with_$(echo "$args" | tr -c 'a-z0-9\n' '_')" 2 \
        "-combine-block 4000: no context combining"
done
train_small -input "$T/c.txt" -output "$T/hs.txt" -loss hs \
    -save-context "$T/hsc.txt"
expect hs_has_no_context_vectors 2 "inner nodes"

# context vectors
train_small -input "$T/c.txt" -output "$T/w.txt" -save-context "$T/ctx.txt"
expect save_context 0
check context_header '[ "$(head -n 1 "$T/ctx.txt")" = "50 8" ]' \
    "$(head -n 1 "$T/ctx.txt")"

# hostile input: binary garbage with NUL bytes, CRLF, invalid UTF-8, long words
head -c 300000 /dev/urandom >"$T/garbage.bin"
train_small -input "$T/garbage.bin" -output "$T/g.txt"
expect binary_garbage 0
awk '{ printf "%s\r\n", $0 }' "$T/c.txt" >"$T/crlf.txt"
train_small -input "$T/crlf.txt" -output "$T/crlf.vec"
expect crlf_text 0
check crlf_same_vocab '[ "$(head -n 1 "$T/crlf.vec")" = "50 8" ]' \
    "$(head -n 1 "$T/crlf.vec")"
awk 'BEGIN { w = ""; for (i = 0; i < 300; i++) w = w "x"; for (i = 0; i < 50; i++) print w, "short" }' >"$T/long.txt"
train_small -input "$T/long.txt" -output "$T/long.vec"
expect long_words 0 "50 words longer than 100 bytes were truncated"
tr '\n' ' ' <"$T/c.txt" >"$T/oneline.txt"
train_small -input "$T/oneline.txt" -output "$T/one.vec"
expect no_newline_at_all 0

# -max-vocab pruning is reported
run "$W2V" train -input "$T/c.txt" -output "$T/mv.txt" -size 8 -iter 1 -min-count 1 -threads 1 -max-vocab 20
expect max_vocab_warning 0 "reached -max-vocab 20"

# divergence: a huge learning rate is caught, nothing written
run "$W2V" train -input "$T/c.txt" -output "$T/nan.txt" -size 8 -iter 3 -min-count 1 -threads 1 -quiet -alpha 1e5
expect diverged 1 "diverged.*lower -alpha"
check diverged_writes_nothing '[ ! -e "$T/nan.txt" ]' "output written"
