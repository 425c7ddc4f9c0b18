#!/bin/sh
# valgrind.sh W2V - runs w2v under valgrind memcheck: training (each
# objective, text and binary output, standard input, a saved vocabulary),
# a checkpoint and its resume, a run stopped by SIGINT with a last
# snapshot, every query command, phrases and classes, and a few runtime
# errors.  Each run must end with its usual exit status, no invalid access
# or use of undefined memory, and no memory definitely or indirectly lost
# (possibly lost and still reachable are not counted).  Prints PASS/FAIL
# lines, then "N passed, N failed".
W2V=${1:?usage: valgrind.sh W2V}
case $W2V in /*) ;; *) W2V=$(pwd)/$W2V ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/w2v-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
VG_ERROR=99
VG="valgrind -q --error-exitcode=$VG_ERROR --leak-check=full
    --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect"
passed=0 failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# verdict NAME RC EXPECTED: from a finished run's status and its log.
verdict() {
    if [ "$2" -eq $VG_ERROR ] || [ -s "$T/vg-$1.log" ]; then
        fail "$1" "valgrind reports (exit $2):"
        cat "$T/vg-$1.log"
    elif [ "$2" -ne "$3" ]; then
        fail "$1" "exit $2, expected $3; stderr: $(head -c 300 "$T/err")"
    else
        pass "$1"
    fi
}

# vg NAME EXPECTED_STATUS ARGS...: runs w2v ARGS under valgrind (stdout in
# $T/out, stderr in $T/err).
vg() {
    name=$1 want=$2
    shift 2
    # shellcheck disable=SC2086 # $VG is a command line
    $VG --log-file="$T/vg-$name.log" "$W2V" "$@" >"$T/out" 2>"$T/err"
    verdict "$name" $? "$want"
}

command -v valgrind >/dev/null 2>&1 || { echo "SKIP valgrind: not installed"; exit 1; }
head -n 2000 "$ROOT/data/synthetic.txt" >"$T/c.txt"   # 26k words
head -n 200 "$ROOT/data/synthetic.txt" >"$T/tiny.txt"
tail -n 200 "$ROOT/data/synthetic.txt" >"$T/held.txt"
small="-size 8 -iter 1 -min-count 1 -threads 2 -quiet"

# shellcheck disable=SC2086 # $small is a list of flags
vg train_ns 0 train -input "$T/c.txt" -output "$T/v.txt" \
    -save-context "$T/ctx.txt" -save-vocab "$T/voc.txt" $small
# shellcheck disable=SC2086
vg train_cbow_hs_binary 0 train -input "$T/c.txt" -output "$T/h.bin" \
    -binary 1 -cbow 1 -hs 1 -negative 0 $small
# shellcheck disable=SC2086
vg train_softmax 0 train -input "$T/tiny.txt" -output "$T/s.txt" \
    -loss softmax $small
# shellcheck disable=SC2086
vg train_read_vocab_per_pair 0 train -input "$T/c.txt" -output "$T/r.txt" \
    -read-vocab "$T/voc.txt" -batch 0 $small
$VG --log-file="$T/vg-train_stdin.log" "$W2V" train -input - \
    -output "$T/i.txt" -size 8 -iter 1 -min-count 1 -threads 2 -quiet \
    <"$T/c.txt" >"$T/out" 2>"$T/err"
verdict train_stdin $? 0

# A checkpoint at the end of epoch 1 of 2, then the resumed run.
# shellcheck disable=SC2086
vg checkpoint_write 0 train -input "$T/c.txt" -output "$T/k.txt" -size 8 \
    -iter 2 -min-count 1 -threads 2 -quiet -checkpoint "$T/k.ckpt"
vg checkpoint_resume 0 train -resume "$T/k.ckpt" -output "$T/k2.txt" -quiet

# A run that would go on for long, stopped by SIGINT once it has written a
# checkpoint: it saves a last one and exits 130.
$VG --log-file="$T/vg-stopped_by_sigint.log" "$W2V" train -input "$T/c.txt" \
    -output "$T/x.txt" -size 8 -iter 1000 -min-count 1 -threads 2 \
    -checkpoint "$T/x.ckpt" -checkpoint-every 1 >"$T/out" 2>"$T/err" &
bg=$!
n=0
while [ ! -e "$T/x.ckpt" ] && [ $n -lt 1800 ]; do
    sleep 0.1
    n=$((n + 1))
done
kill -INT "$bg"
wait "$bg"
verdict stopped_by_sigint $? 130

vg vocab 0 vocab -input "$T/c.txt" -output "$T/vv.txt" -threads 2
# shellcheck disable=SC2046 # three words, split on purpose
set -- $(head -n 3 "$T/voc.txt" | cut -d ' ' -f 1)
vg similar 0 similar -vectors "$T/v.txt" -n 3 "$1"
vg analogy 0 analogy -vectors "$T/v.txt" -n 3 "$1" "$2" "$3"
vg eval_analogy 0 eval analogy -vectors "$T/v.txt" \
    -questions "$ROOT/data/synthetic-questions.txt" -threads 2
vg eval_similarity 0 eval similarity -vectors "$T/h.bin" \
    -pairs "$ROOT/data/synthetic-pairs.tsv"
vg eval_loglik 0 eval loglik -vectors "$T/v.txt" -context-vectors "$T/ctx.txt" \
    -input "$T/held.txt"
vg convert_to_binary 0 convert -input "$T/v.txt" -output "$T/v.bin" -binary 1
vg convert_checkpoint 0 convert -checkpoint "$T/x.ckpt" -output "$T/x2.txt"
vg phrases_two_passes 0 phrases -input "$T/c.txt" -output "$T/p.txt" \
    -passes 2 -threads 2 -quiet
vg classes 0 classes -vectors "$T/v.txt" -k 5 -threads 2 -quiet \
    -output "$T/cl.txt"
# shellcheck disable=SC2086
vg train_classes 0 train -input "$T/c.txt" -output "$T/tc.txt" -classes 5 \
    $small

# Runtime errors leave nothing behind either.
vg missing_vectors 1 similar -vectors "$T/none.txt" "$1"
printf '3 2\na 1 2\nb 1\n' >"$T/bad.txt"
vg malformed_vectors 1 eval analogy -vectors "$T/bad.txt" \
    -questions "$ROOT/data/synthetic-questions.txt"
# shellcheck disable=SC2086
vg output_folder_missing 1 train -input "$T/c.txt" -output "$T/no/v.txt" $small
head -c 2000 "$T/k.ckpt" >"$T/short.ckpt"
vg truncated_checkpoint 1 train -resume "$T/short.ckpt" -quiet

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
