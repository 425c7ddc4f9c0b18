# safety.sh - no lost data: outputs that are inputs or other outputs,
# two outputs to one stream, binary vectors for a terminal, outputs that
# are symbolic links, permission bits, temporary files (named, and removed
# when stale after a kill -9), compressed corpora, a spool out of room.
# shellcheck disable=SC2086 # $small is a list of flags
. "$ROOT/tests/cli/lib.sh"

awk 'BEGIN { s = 11; for (l = 0; l < 3000; l++) { line = "";
        for (i = 0; i < 10; i++) { s = (s * 1103515245 + 12345) % 2147483648;
            line = line (i ? " " : "") "w" int(s / 65536) % 60 }
        print line } }' >"$T/c.txt"
cp "$T/c.txt" "$T/orig.txt"
small="-size 8 -iter 1 -min-count 1 -threads 1 -seed 5 -quiet"
PTY="$ROOT/tests/cli/pty_run.py"
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# corpus_intact NAME: the corpus is what it was
corpus_intact() {
    if cmp -s "$T/c.txt" "$T/orig.txt"; then pass "$1"; else fail "$1" "c.txt changed"; fi
}

# ---- an output that is an input, or another output: exit 2 before any work
cd "$T" || exit 1
ln -s c.txt link.txt
ln c.txt hard.txt
run "$W2V" train -input c.txt -output c.txt $small
expect output_is_input 2 "-output 'c.txt' and -input 'c.txt' are the same file"
corpus_intact output_is_input_keeps_corpus
run "$W2V" train -input c.txt -output ./c.txt $small
expect output_dot_slash_input 2 "-output './c.txt' and -input 'c.txt' are the same file"
run "$W2V" train -input "$T/c.txt" -output c.txt $small
expect output_relative_vs_absolute 2 "-output 'c.txt' and -input '$T/c.txt'"
run "$W2V" train -input c.txt -output link.txt $small
expect output_symlink_to_input 2 "-output 'link.txt' and -input 'c.txt' are the same file"
run "$W2V" train -input hard.txt -output c.txt $small
expect output_hard_link_of_input 2 "-output 'c.txt' and -input 'hard.txt' are the same file"
run "$W2V" train -input c.txt -output v.txt -save-context c.txt $small
expect save_context_is_input 2 "-save-context 'c.txt' and -input 'c.txt'"
run "$W2V" train -input c.txt -output v.txt -save-vocab ./link.txt $small
expect save_vocab_is_input 2 "-save-vocab './link.txt' and -input 'c.txt'"
"$W2V" vocab -input c.txt -output voc.txt -min-count 1
run "$W2V" train -input c.txt -output v.txt -read-vocab voc.txt -save-vocab ./voc.txt $small
expect save_vocab_is_read_vocab 2 "-save-vocab './voc.txt' and -read-vocab 'voc.txt'"
# outputs that do not exist yet: compared by their resolved path
run "$W2V" train -input c.txt -output new.txt -save-context nodir/../new.txt $small
expect two_outputs_same_new_path 2 "-output 'new.txt' and -save-context 'nodir/../new.txt' are the same file: give each output its own"
ln -s new.txt dangling
run "$W2V" train -input c.txt -output new.txt -save-vocab dangling $small
expect output_and_dangling_link_to_it 2 "-output 'new.txt' and -save-vocab 'dangling'"
check refused_runs_write_nothing '[ ! -e new.txt ] && [ ! -e v.txt ]'
# standard input and output are files too
run sh -c "'$W2V' vocab -input - -output c.txt <c.txt"
expect vocab_output_is_redirected_stdin 2 "-output 'c.txt' and -input - \(standard input\)"
run sh -c "'$W2V' train -input c.txt -output - $small >>c.txt"
expect stdout_appended_to_input 2 "-output - \(standard output\) and -input 'c.txt'"
corpus_intact stdio_refusals_keep_corpus
run "$W2V" vocab -input c.txt -output ./c.txt
expect vocab_output_is_input 2 "Try 'w2v vocab --help'"
"$W2V" train -input c.txt -output vec.txt $small
cp vec.txt vec.orig
run "$W2V" convert -input vec.txt -output vec.txt -binary 1
expect convert_onto_itself 2 "-output 'vec.txt' and -input 'vec.txt' are the same file"
ln -s vec.txt veclink
run "$W2V" convert -input vec.txt -output veclink
expect convert_onto_itself_through_link 2 "are the same file"
run "$W2V" similar -vectors vec.txt -output vec.txt w1
expect similar_output_is_vectors 2 "-output 'vec.txt' and -vectors 'vec.txt'"
check refused_convert_keeps_vectors 'cmp -s vec.txt vec.orig'
# character devices are no clash: both outputs to /dev/null is fine
run "$W2V" train -input c.txt -output /dev/null -save-context /dev/null $small
expect two_outputs_to_dev_null 0

# ---- two outputs to one stream
run "$W2V" train -input c.txt -output - -save-context - $small
expect two_outputs_to_stdout 2 "-output and -save-context both write to standard output"
run "$W2V" train -input c.txt -output - -save-vocab - $small
expect vectors_and_vocab_to_stdout 2 "-output and -save-vocab both write to standard output"
"$W2V" train -input c.txt -output - -save-context - $small >/dev/null 2>"$T/err"
rc=$?
expect two_outputs_to_stdout_on_a_device 2 "-output and -save-context both write to standard output"

# ---- binary vectors for a terminal: refused with a hint; pipes still work
if [ "$have_python" = 1 ]; then
    python3 "$PTY" 80 "$T/tty" -- "$W2V" train -input c.txt -output - -binary 1 $small
    rc=$?
    check binary_to_terminal_refused "[ $rc -eq 2 ] && grep -q -- '-binary 0' '$T/tty' && grep -q 'terminal' '$T/tty'"
    python3 "$PTY" 80 "$T/tty" -- "$W2V" convert -input vec.txt -output -
    rc=$?
    check convert_to_binary_on_terminal_refused "[ $rc -eq 2 ] && grep -q 'not written to a terminal' '$T/tty'"
    python3 "$PTY" 80 "$T/tty" -- "$W2V" convert -input vec.txt -output - -binary 1
    rc=$?
    check convert_binary_1_on_terminal_refused "[ $rc -eq 2 ] && ! grep -q \"$(head -n 1 vec.txt)\" '$T/tty'"
    python3 "$PTY" 80 "$T/tty" -- "$W2V" train -input c.txt -output - -binary 0 $small
    rc=$?
    check text_to_terminal_works "[ $rc -eq 0 ] && grep -q '^60 8' '$T/tty'"
else
    skip binary_to_terminal "no python3 for a pseudo-terminal"
fi
"$W2V" train -input c.txt -output - -binary 1 $small 2>"$T/err" | cat >pipe.bin
check binary_to_pipe_works "[ -s pipe.bin ] && [ ! -s '$T/err' ] && head -n 1 pipe.bin | grep -q '^60 8'"

# ---- an output that is a symbolic link is written through it
mkdir far
echo old >far/target.txt
chmod 600 far/target.txt
ln -s far/target.txt out.txt
run "$W2V" train -input c.txt -output out.txt $small
expect train_through_symlink 0
check symlink_stays_a_link '[ -L out.txt ]'
check symlink_target_replaced "[ \"\$(readlink out.txt)\" = far/target.txt ] && head -n 1 far/target.txt | grep -q '^60 8'"
check target_keeps_mode_0600 "ls -l far/target.txt | grep -q '^-rw-------'"
cp far/target.txt target.before
run "$W2V" train -input c.txt -output out.txt $small -min-count 1000000
check failed_run_through_symlink_leaves_nothing "[ $rc -eq 1 ] && cmp -s far/target.txt target.before && [ \$(ls -A far | wc -l) -eq 1 ] && ! ls -A . | grep -q w2v-tmp"
echo old >private.txt
chmod 640 private.txt
run "$W2V" vocab -input c.txt -output private.txt
check existing_output_keeps_mode "[ $rc -eq 0 ] && ls -l private.txt | grep -q '^-rw-r-----' && ! grep -q old private.txt"

# ---- temporary files: named after the output, removed when stale
"$W2V" train -input "$ROOT/data/synthetic.txt" -output vec.bin -binary 1 \
    -size 20 -iter 200 -threads 1 -quiet 2>/dev/null &
pid=$!
i=0
while [ $i -lt 100 ] && none_exist .vec.bin.w2v-tmp.*; do
    sleep 0.1
    i=$((i + 1))
done
kill -9 $pid
wait $pid 2>/dev/null
stale=$(for f in .vec.bin.w2v-tmp.*; do [ -e "$f" ] && echo "$f" && break; done)
check kill9_leaves_named_temporary "echo '$stale' | grep -Eq '^\.vec\.bin\.w2v-tmp\.[A-Za-z0-9]{6}\$'"
check kill9_leaves_no_output '[ ! -e vec.bin ]'
if command -v flock >/dev/null 2>&1; then
    # a temporary file whose writer still runs (it holds the lock) stays
    : >.vec.bin.w2v-tmp.LIVE01
    flock .vec.bin.w2v-tmp.LIVE01 sleep 30 &
    holder=$!
    sleep 0.3
fi
run "$W2V" train -input c.txt -output vec.bin -binary 1 $small
expect train_after_kill9 0
check stale_temporary_removed "[ -n '$stale' ] && [ ! -e '$stale' ] && [ -s vec.bin ]"
if [ -n "${holder:-}" ]; then
    check locked_temporary_kept '[ -e .vec.bin.w2v-tmp.LIVE01 ]'
    kill $holder 2>/dev/null
    wait $holder 2>/dev/null
    rm -f .vec.bin.w2v-tmp.LIVE01
else
    skip locked_temporary_kept "no flock command"
fi

# ---- compressed corpora are decompressed by the system's tools
"$W2V" train -input c.txt -output plain.bin -binary 1 $small
"$W2V" vocab -input c.txt -output plain.voc -min-count 1
for tool in gzip xz bzip2 zstd; do
    if ! command -v $tool >/dev/null 2>&1; then
        skip "${tool}_corpus" "no $tool here"
        continue
    fi
    case $tool in gzip) ext=gz ;; xz) ext=xz ;; bzip2) ext=bz2 ;; zstd) ext=zst ;; esac
    $tool -c c.txt >c.txt.$ext 2>/dev/null
    run "$W2V" train -input c.txt.$ext -output z.bin -binary 1 $small
    check "${tool}_corpus_trains_as_text" "[ $rc -eq 0 ] && cmp -s z.bin plain.bin"
    run "$W2V" vocab -input c.txt.$ext -output z.voc -min-count 1
    check "${tool}_corpus_vocab" "[ $rc -eq 0 ] && cmp -s z.voc plain.voc"
done
run "$W2V" train -input c.txt.xz -output z.bin -size 8 -iter 1 -min-count 1 -threads 1 -debug 1
expect decompression_said_in_debug 0 "decompressing c.txt.xz \(xz data\) with 'xz -dc'"
"$W2V" train -input c.txt -output ctx-w.txt -save-context ctx-o.txt -loss softmax $small
# (all but the seconds it took)
"$W2V" eval loglik -vectors ctx-w.txt -context-vectors ctx-o.txt -input c.txt -quiet |
    grep -v '^seconds:' >ll.plain
run "$W2V" eval loglik -vectors ctx-w.txt -context-vectors ctx-o.txt -input c.txt.gz -quiet
check loglik_reads_gzip "[ $rc -eq 0 ] && grep -v '^seconds:' '$T/out' | cmp -s - ll.plain && [ -s ll.plain ]"
nopath=$T/nopath
mkdir "$nopath"
run env PATH="$nopath" "$W2V" train -input c.txt.xz -output z.bin $small
expect missing_decompressor 1 "c.txt.xz: xz-compressed, and 'xz' cannot be run.*xz -dc FILE \| w2v train -input -"
head -c 2000 c.txt.gz >cut.gz
run "$W2V" train -input cut.gz -output z.bin $small
expect truncated_gzip_fails 1 "cut.gz: 'gzip -dc' failed"
run sh -c "'$W2V' train -input - -output z.bin $small <c.txt.gz"
expect compressed_stdin_refused 1 "standard input: gzip-compressed data, not text.*gzip -dc FILE \|"
run sh -c "cat c.txt.xz | '$W2V' vocab -input - -output z.voc"
expect compressed_pipe_refused 1 "standard input: xz-compressed"
{ printf x; head -c 20000 /dev/urandom; } >g.bin
run "$W2V" vocab -input g.bin -output g.voc
expect binary_garbage_is_still_text 0

if mkfifo fifo 2>/dev/null; then
    cat c.txt >fifo &
    run "$W2V" vocab -input fifo -output fifo.voc -min-count 1
    check fifo_corpus_read_once "[ $rc -eq 0 ] && cmp -s fifo.voc plain.voc"
    wait
    gzip -c c.txt >fifo &
    run "$W2V" vocab -input fifo -output fifo.voc
    expect compressed_fifo_refused 1 "fifo: gzip-compressed data, not text"
    wait
else
    skip fifo_corpus_read_once "cannot make a FIFO here"
fi

# ---- the spool runs out of room: the error names the folder and $TMPDIR
awk '{ for (i = 0; i < 20; i++) print }' c.txt >big.txt
run sh -c "ulimit -f 100; cat big.txt | '$W2V' train -input - -output spool.bin $small"
expect spool_out_of_room 1 "standard input: cannot spool to .*\\\$TMPDIR.*File too large"
check spool_failure_writes_nothing "[ ! -e spool.bin ] && ! ls -A | grep -q 'spool.bin.w2v-tmp'"
cd "$ROOT" || exit 1
