# train.sh - command-line behaviour of `w2v train` and `w2v vocab`:
# flags, usage errors, runtime errors, formats, pipes, determinism.
. "$ROOT/tests/cli/lib.sh"

# a small deterministic corpus: 2000 lines of 10 words over 50 word types
awk 'BEGIN { s = 7; for (l = 0; l < 2000; l++) { line = "";
        for (i = 0; i < 10; i++) { s = (s * 1103515245 + 12345) % 2147483648;
            line = line (i ? " " : "") "w" int(s / 65536) % 50 }
        print line } }' >"$T/c.txt"
small="-size 8 -iter 1 -min-count 1 -threads 2 -quiet"

run "$W2V" --version
expect version 0
grep -Eq '^w2v [0-9]+\.[0-9]+' "$T/out" && pass version_text || fail version_text "$(cat "$T/out")"
run "$W2V" --help
expect help 0
run "$W2V" train --help
expect train_help 0
grep -q -- '-negative' "$T/out" && pass train_help_lists_flags || fail train_help_lists_flags "no -negative"
run "$W2V" frobnicate
expect unknown_command 2 "unknown command"

# usage errors: exit 2, one clear line and the hint
for args in "-bogus 1" "-size" "-size abc" "-size 0" "-window -1" "-sample -1" \
            "-threads 0" "-negative -3" "-alpha nan" "-iter 1x" "-binary 2" \
            "-size 99999999999999999999" "-batch 2" "-softmax-centers 0"; do
    run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" $args
    name=usage_$(echo "$args" | tr -c 'a-z0-9\n' '_')
    expect "$name" 2 "Try 'w2v train --help'"
done
run "$W2V" train -output "$T/o.txt"
expect usage_missing_input 2 "-input is required"
run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" -kernel nope
expect usage_bad_kernel 2 "unknown kernel"
[ ! -e "$T/o.txt" ] && pass usage_errors_write_nothing || fail usage_errors_write_nothing "output exists"

# runtime errors: exit 1, message names the file, no output created
run "$W2V" train -input "$T/missing.txt" -output "$T/o.txt" $small
expect missing_input 1 "missing.txt: cannot open"
run "$W2V" train -input "$T" -output "$T/o.txt" $small
expect directory_input 1 "is a directory"
: >"$T/empty.txt"
run "$W2V" train -input "$T/empty.txt" -output "$T/o.txt" $small
expect empty_corpus 1 "empty.txt: no words"
run "$W2V" train -input "$T/c.txt" -output "$T/o.txt" $small -min-count 1000000
expect no_word_reaches_min_count 1 "min-count"
run "$W2V" train -input "$T/c.txt" -output "$T/nodir/o.txt" $small
expect output_dir_missing 1 "nodir/o.txt"
[ ! -e "$T/o.txt" ] && pass runtime_errors_write_nothing || fail runtime_errors_write_nothing "output exists"
if [ -c /dev/full ]; then
    run "$W2V" train -input "$T/c.txt" -output /dev/full $small
    expect dev_full 1 "/dev/full: write failed"
    [ -c /dev/full ] && pass dev_full_still_device || fail dev_full_still_device "replaced"
else
    skip dev_full "no /dev/full here"
fi
echo precious >"$T/keep.txt"
run "$W2V" train -input "$T/missing.txt" -output "$T/keep.txt" $small
[ "$(cat "$T/keep.txt")" = precious ] && pass failed_run_keeps_old_output \
    || fail failed_run_keeps_old_output "clobbered"
ls -a "$T" | grep -q '^\.keep\.txt\.' && fail no_temp_left "temp file left" \
    || pass no_temp_left

# text format: header "V d", V lines of word + d values
run "$W2V" train -input "$T/c.txt" -output "$T/v.txt" $small
expect train_text 0
set -- $(head -n 1 "$T/v.txt")
V=$1 D=$2
[ "$V" = 50 ] && [ "$D" = 8 ] && pass text_header || fail text_header "$V $D"
awk -v d="$D" 'NR > 1 && NF != d + 1 { bad = 1 } END { exit bad }' "$T/v.txt" \
    && [ "$(wc -l <"$T/v.txt")" -eq $((V + 1)) ] && pass text_rows || fail text_rows "bad rows"

# binary format: size = header + per word (word + space + 4d + newline)
run "$W2V" train -input "$T/c.txt" -output "$T/v.bin" -binary 1 $small
expect train_binary 0
expected=$(awk -v d="$D" 'NR > 1 { n += length($1) + 2 + 4 * d }
    END { print n + length("50 8") + 1 }' "$T/v.txt")
[ "$(wc -c <"$T/v.bin")" -eq "$expected" ] && pass binary_size || fail binary_size "$(wc -c <"$T/v.bin") != $expected"

# same seed, one thread: byte-identical; another seed: different
one="-size 16 -iter 2 -min-count 1 -threads 1 -quiet"
"$W2V" train -input "$T/c.txt" -output "$T/d1.bin" -binary 1 -seed 7 $one
"$W2V" train -input "$T/c.txt" -output "$T/d2.bin" -binary 1 -seed 7 $one
"$W2V" train -input "$T/c.txt" -output "$T/d3.bin" -binary 1 -seed 8 $one
cmp -s "$T/d1.bin" "$T/d2.bin" && pass deterministic_one_thread || fail deterministic_one_thread "differ"
cmp -s "$T/d1.bin" "$T/d3.bin" && fail seed_changes_output "same" || pass seed_changes_output

# stdin and stdout
cat "$T/c.txt" | "$W2V" train -input - -output - $small >"$T/pipe.txt" 2>"$T/err"
rc=$?
expect stdin_to_stdout 0
[ "$(head -n 1 "$T/pipe.txt")" = "50 8" ] && pass stdout_vectors || fail stdout_vectors "$(head -n 1 "$T/pipe.txt")"
cat "$T/c.txt" | "$W2V" train -input - -output "$T/p.bin" -size 8 -iter 1 -min-count 1 -debug 1 2>"$T/err"
grep -q "spooled" "$T/err" && pass stdin_spool_reported || fail stdin_spool_reported "$(cat "$T/err")"
ls "${TMPDIR:-/tmp}" | grep -q "^w2v-spool" && fail spool_removed "left in TMPDIR" || pass spool_removed

# vocabulary: save, read back gives the same training run
"$W2V" train -input "$T/c.txt" -output "$T/r1.bin" -binary 1 -seed 7 $one -save-vocab "$T/vocab.txt"
"$W2V" train -input "$T/c.txt" -output "$T/r2.bin" -binary 1 -seed 7 $one -read-vocab "$T/vocab.txt"
[ "$(wc -l <"$T/vocab.txt")" -eq 50 ] && pass save_vocab_lines || fail save_vocab_lines "$(wc -l <"$T/vocab.txt")"
cmp -s "$T/r1.bin" "$T/r2.bin" && pass read_vocab_same_run || fail read_vocab_same_run "differ"
"$W2V" vocab -input "$T/c.txt" -output "$T/vocab2.txt" -min-count 1
cmp -s "$T/vocab.txt" "$T/vocab2.txt" && pass vocab_command || fail vocab_command "differs from -save-vocab"
sort -k2,2nr -k1,1 "$T/vocab.txt" | cmp -s - "$T/vocab.txt" && pass vocab_order || fail vocab_order "not by count then bytes"

# both skip-gram ns update rules train and are deterministic on one thread
for b in 0 1; do
    "$W2V" train -input "$T/c.txt" -output "$T/b$b.1" -seed 3 -batch $b $one
    "$W2V" train -input "$T/c.txt" -output "$T/b$b.2" -seed 3 -batch $b $one
    cmp -s "$T/b$b.1" "$T/b$b.2" && pass "batch_${b}_deterministic" || fail "batch_${b}_deterministic" "differ"
done
cmp -s "$T/b0.1" "$T/b1.1" && fail batch_modes_differ "same output" || pass batch_modes_differ
run "$W2V" train -input "$T/c.txt" -output "$T/hs.txt" -loss hs -save-context "$T/hsc.txt" $small
expect hs_has_no_context_vectors 2 "inner nodes"

# context vectors
run "$W2V" train -input "$T/c.txt" -output "$T/w.txt" -save-context "$T/ctx.txt" $small
expect save_context 0
[ "$(head -n 1 "$T/ctx.txt")" = "50 8" ] && pass context_header || fail context_header "$(head -n 1 "$T/ctx.txt")"

# hostile input: binary garbage with NUL bytes, CRLF, invalid UTF-8, long words
head -c 300000 /dev/urandom >"$T/garbage.bin"
run "$W2V" train -input "$T/garbage.bin" -output "$T/g.txt" $small
expect binary_garbage 0
awk '{ printf "%s\r\n", $0 }' "$T/c.txt" >"$T/crlf.txt"
run "$W2V" train -input "$T/crlf.txt" -output "$T/crlf.vec" $small
expect crlf_text 0
[ "$(head -n 1 "$T/crlf.vec")" = "50 8" ] && pass crlf_same_vocab || fail crlf_same_vocab "$(head -n 1 "$T/crlf.vec")"
awk 'BEGIN { w = ""; for (i = 0; i < 300; i++) w = w "x"; for (i = 0; i < 50; i++) print w, "short" }' >"$T/long.txt"
run "$W2V" train -input "$T/long.txt" -output "$T/long.vec" $small
expect long_words 0 "50 words longer than 100 bytes were truncated"
tr '\n' ' ' <"$T/c.txt" >"$T/oneline.txt"
run "$W2V" train -input "$T/oneline.txt" -output "$T/one.vec" $small
expect no_newline_at_all 0

# -max-vocab pruning is reported
run "$W2V" train -input "$T/c.txt" -output "$T/mv.txt" -size 8 -iter 1 -min-count 1 -threads 1 -max-vocab 20
expect max_vocab_warning 0 "reached -max-vocab 20"

# divergence: a huge learning rate is caught, nothing written
run "$W2V" train -input "$T/c.txt" -output "$T/nan.txt" -size 8 -iter 3 -min-count 1 -threads 1 -quiet -alpha 1e5
expect diverged 1 "diverged.*lower -alpha"
[ ! -e "$T/nan.txt" ] && pass diverged_writes_nothing || fail diverged_writes_nothing "output written"
