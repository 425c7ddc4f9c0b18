#!/bin/sh
# bench-objectives.sh - issue 6: training speed of the objectives.
#
# Trains skip-gram on a slice of enwiki-100M with -loss softmax, hs and ns
# (same dim / window / epochs / threads / min-count / subsampling), and
# `fasttext skipgram -loss softmax` (no subwords) when fasttext is installed,
# then reports words/s and, when `w2v eval loglik` is available, the exact
# held-out log-likelihood of the softmax and ns models on the words that
# follow the slice.  It never fetches, builds or installs anything.
#
# Environment:
#   W2V                      the binary (default ./w2v)
#   W2V_BENCH_CORPUS         corpus, .txt or .xz (default
#                            $W2V_SHARED_DATA/enwiki-100M.txt.xz, with
#                            W2V_SHARED_DATA defaulting to ../shared/data)
#   W2V_BENCH_WORDS          training slice in words (default 200000)
#   W2V_BENCH_HELDOUT        held-out words after the slice (default 20000)
#   W2V_BENCH_THREADS        threads (default: nproc)
#   W2V_BENCH_FULL_VOCAB=1   w2v trains with the vocabulary of the whole
#                            corpus (min-count 5, ~68k words for enwiki-100M)
#                            through -read-vocab; fastText cannot be given a
#                            vocabulary, so it is then run on the whole corpus
#                            and cut by the timeout (its rate is taken from
#                            its last progress line)
#   W2V_BENCH_TIMEOUT        seconds one run may take (default 3600)
#   FASTTEXT                 the fasttext binary (default: fasttext on PATH)
#
# Words/s: w2v's own figure (training words processed / training seconds,
# printed by -debug 1); fastText's is its last "words/sec/thread" times the
# threads.  Both count every corpus token of the vocabulary, subsampled or
# not, so the figures compare.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
CORPUS=${W2V_BENCH_CORPUS:-$SHARED/enwiki-100M.txt.xz}
WORDS=${W2V_BENCH_WORDS:-200000}
HELDOUT=${W2V_BENCH_HELDOUT:-20000}
THREADS=${W2V_BENCH_THREADS:-$(nproc 2>/dev/null || echo 2)}
TIMEOUT=${W2V_BENCH_TIMEOUT:-3600}
FULL_VOCAB=${W2V_BENCH_FULL_VOCAB:-0}
FASTTEXT=${FASTTEXT:-$(command -v fasttext || true)}
DIM=100 WIN=5 EPOCH=1 MINCOUNT=5 SAMPLE=1e-3
LINE_WORDS=100      # words per line of the training and held-out slices

say() { echo "bench-objectives: $*"; }
die() { echo "bench-objectives: $*" >&2; exit 1; }
posint() { case $2 in ''|*[!0-9]*|0) die "$1 must be a positive integer" ;; esac; }
posint W2V_BENCH_WORDS "$WORDS"
posint W2V_BENCH_HELDOUT "$HELDOUT"
posint W2V_BENCH_THREADS "$THREADS"
posint W2V_BENCH_TIMEOUT "$TIMEOUT"
[ -x "$W2V" ] || die "$W2V is not built (run make)"
[ -r "$CORPUS" ] || die "cannot read the corpus $CORPUS"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-obj.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat_corpus() {
    case $CORPUS in *.xz) xz -dc "$CORPUS" ;; *) cat "$CORPUS" ;; esac
}

# words N H A B: the first N words of the corpus into file A and the next H
# into B (H = 0: all the rest), as lines of $LINE_WORDS words, so that both
# tools see the same sentences and fastText, which reports progress per
# line, reports early even when it is very slow.
words() {
    cat_corpus | tr -s ' \t\r\n' '[\n*]' |
        awk -v n="$1" -v h="$2" -v a="$3" -v b="$4" -v w="$LINE_WORDS" '
            NF == 0 { next }
            { f = (++i <= n) ? a : b; line[f] = line[f] (k[f]++ ? " " : "") $1
              if (k[f] == w) { print line[f] > f; line[f] = ""; k[f] = 0 }
              if (h > 0 && i >= n + h) exit }
            END { for (f in line) if (k[f]) print line[f] > f }'
}
words "$WORDS" "$HELDOUT" "$TMP/train.txt" "$TMP/heldout.txt"
[ -s "$TMP/heldout.txt" ] || die "the corpus has fewer than $WORDS words"

vocab_file=""
ft_input=$TMP/train.txt
if [ "$FULL_VOCAB" = 1 ]; then
    words "$WORDS" 0 "$TMP/full.txt" "$TMP/full.txt"
    "$W2V" vocab -input "$TMP/full.txt" -output "$TMP/full.vocab" \
        -min-count $MINCOUNT 2>/dev/null || die "w2v vocab failed"
    vocab_file=$TMP/full.vocab
    ft_input=$TMP/full.txt
fi

say "corpus $CORPUS: $WORDS training words, $HELDOUT held out; dim $DIM," \
    "window $WIN, $EPOCH epoch(s), $THREADS threads, min-count $MINCOUNT," \
    "sample $SAMPLE"
say "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"

results=$TMP/results
: >"$results"
# Runs are cut after $TIMEOUT seconds; --foreground keeps the trainer in this
# script's process group, so that an interrupt (Ctrl-C) reaches it too.
for loss in softmax hs ns; do
    log=$TMP/$loss.log
    # the context rows, for the held-out log-likelihood (hs has none: its
    # output rows are inner nodes of the Huffman tree)
    case $loss in hs) context= ;; *) context=$TMP/$loss.out ;; esac
    if timeout --foreground "$TIMEOUT" "$W2V" train -input "$TMP/train.txt" ${vocab_file:+-read-vocab "$vocab_file"} \
        -output "$TMP/$loss.in" ${context:+-save-context "$context"} -loss $loss \
        -size $DIM -window $WIN -iter $EPOCH -threads "$THREADS" \
        -min-count $MINCOUNT -sample $SAMPLE -debug 1 2>"$log"; then
        vocab=$(sed -n 's/^vocabulary: \([0-9]*\) words.*/\1/p' "$log")
        wps=$(sed -n 's/^trained .* s: \([0-9]*\) words\/s .*/\1/p' "$log")
        say "w2v -loss $loss: $wps words/s (vocabulary $vocab words)"
        echo "w2v-$loss $wps" >>"$results"
    else
        say "w2v -loss $loss: failed or timed out: $(tail -n 1 "$log")"
    fi
done

if [ -n "$FASTTEXT" ]; then
    log=$TMP/fasttext.log
    rc=0
    timeout --foreground "$TIMEOUT" "$FASTTEXT" skipgram -input "$ft_input" \
        -output "$TMP/ft" -loss softmax -dim $DIM -ws $WIN -epoch $EPOCH \
        -thread "$THREADS" -minCount $MINCOUNT -t $SAMPLE -minn 0 -maxn 0 \
        -verbose 2 >"$log" 2>&1 || rc=$?
    per_thread=$(tr '\r' '\n' <"$log" |
        sed -n 's/.*words\/sec\/thread: *\([0-9]*\).*/\1/p' | tail -n 1)
    vocab=$(sed -n 's/^Number of words: *\([0-9]*\).*/\1/p' "$log")
    if [ -n "$per_thread" ]; then
        wps=$((per_thread * THREADS))
        note=""
        [ $rc -ne 0 ] && note=" (cut at ${TIMEOUT}s: rate from its last progress line)"
        say "fasttext skipgram -loss softmax: $wps words/s (vocabulary $vocab words)$note"
        echo "fasttext-softmax $wps" >>"$results"
    else
        say "fasttext skipgram -loss softmax: no rate (exit $rc; raise W2V_BENCH_TIMEOUT)"
    fi
else
    say "fasttext: not installed, skipped"
fi

awk '{ r[$1] = $2 } END {
    if (r["w2v-softmax"] && r["fasttext-softmax"])
        printf "bench-objectives: softmax speed-up over fastText: %.1fx\n",
               r["w2v-softmax"] / r["fasttext-softmax"] }' "$results"

if "$W2V" eval loglik --help >/dev/null 2>&1; then
    # (not hs: its context rows are inner tree nodes, not words)
    for loss in softmax ns; do
        [ -s "$TMP/$loss.out" ] || continue
        if out=$("$W2V" eval loglik -vectors "$TMP/$loss.in" \
                 -context-vectors "$TMP/$loss.out" -input "$TMP/heldout.txt" \
                 -window $WIN -json); then
            say "held-out, model trained with -loss $loss: $out"
        fi
    done
else
    say "w2v eval loglik is not available in this build: held-out" \
        "log-likelihood skipped"
fi
