#!/bin/sh
# demo.sh - `make demo`: train on the best corpus at hand, then show nearest
# neighbours and an analogy score.  Builds nothing (make built ./w2v).
#
# Corpus, first found wins:
#   1. $W2V_DATA (any text file);
#   2. $W2V_SHARED_DATA/enwiki-100M.txt.xz (default ../shared/data), decompressed
#      once into data/cache/enwiki-100M.txt (git-ignored);
#   3. text8 via scripts/get-data.sh into data/cache/, when the network allows;
#   4. the bundled synthetic corpus data/synthetic.txt.
# Analogy questions: $W2V_QUESTIONS, else questions-words.txt from the shared
# folder for real corpora, data/synthetic-questions.txt for the synthetic one.
# Other knobs: W2V (binary, default ./w2v), W2V_THREADS (default: all cores),
# W2V_ITER (default 1 for real corpora, 5 for the synthetic one).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
CACHE=$ROOT/data/cache
say() { echo "demo: $*"; }
die() { echo "demo: $*" >&2; exit 1; }

[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"
"$W2V" train --help >/dev/null 2>&1 || die "this build has no 'w2v train' yet"

threads=${W2V_THREADS:-$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-demo.XXXXXX") || die "cannot make a temp dir"
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$ROOT/scripts/lib.sh"

kind=real
if [ -n "${W2V_DATA:-}" ]; then
    [ -r "$W2V_DATA" ] || die "W2V_DATA=$W2V_DATA is not readable"
    corpus=$W2V_DATA
    say "corpus: $corpus (from W2V_DATA)"
elif [ -r "$SHARED/enwiki-100M.txt.xz" ] && cached_xz "$SHARED/enwiki-100M.txt.xz" "$CACHE/enwiki-100M.txt"; then
    corpus=$CACHE/enwiki-100M.txt
    say "corpus: $corpus (enwiki-100M from $SHARED)"
elif sh "$ROOT/scripts/get-data.sh" "$CACHE" >"$tmp/get.log" 2>&1; then
    corpus=$CACHE/text8
    say "corpus: $corpus (text8, downloaded)"
else
    corpus=$ROOT/data/synthetic.txt
    kind=synthetic
    say "no enwiki-100M in $SHARED and no network for text8 ($(tail -n 1 "$tmp/get.log"))"
    say "corpus: the bundled synthetic corpus $corpus (see data/README.md)"
fi
case $corpus in */data/synthetic.txt) kind=synthetic ;; esac

if [ $kind = synthetic ]; then
    questions=${W2V_QUESTIONS:-$ROOT/data/synthetic-questions.txt}
    iter=${W2V_ITER:-5}
    opts="-size 50 -window 5 -negative 5 -sample 1e-3 -min-count 1"
else
    questions=${W2V_QUESTIONS:-$SHARED/questions-words.txt}
    iter=${W2V_ITER:-1}
    opts="-size 100 -window 5 -negative 5 -sample 1e-4 -min-count 5"
fi

vec=$tmp/vectors.bin
say "training: w2v train -input $corpus -output VECTORS -binary 1 $opts -iter $iter -threads $threads"
start=$(date +%s)
# shellcheck disable=SC2086
"$W2V" train -input "$corpus" -output "$vec" -binary 1 $opts -iter "$iter" -threads "$threads" \
    -debug 1 || die "training failed"
say "trained in $(( $(date +%s) - start )) s wall time ($threads threads)"

echo
if [ $kind = synthetic ]; then
    # a word of the first three planted groups
    words=$(awk -F '\t' 'NR <= 3 { split($2, w, " "); printf "%s ", w[1] }' "$ROOT/data/synthetic-groups.txt")
    # and the first planted question of each section
    examples=$(awk '/^:/ { s = 1; next } s { print $1, $2, $3, $4; s = 0 }' "$questions" 2>/dev/null || true)
else
    words="france king computer three january"
    examples="man king woman queen
france paris germany berlin
big bigger small smaller"
fi
if "$W2V" similar --help >/dev/null 2>&1; then
    for w in $words; do
        if [ $kind = synthetic ]; then
            mates=$(awk -F '\t' -v w="$w" '{ if ((" " $2 " ") ~ (" " w " ")) print $1 ": " $2 }' \
                "$ROOT/data/synthetic-groups.txt")
            say "nearest of '$w'${mates:+ (planted $mates)}:"
        else
            say "nearest of '$w':"
        fi
        "$W2V" similar -vectors "$vec" -n 8 "$w" | sed 's/^/    /' || say "  ('$w' is not in the vocabulary)"
    done
else
    say "this build has no 'w2v similar' yet: skipping neighbours"
fi
if "$W2V" analogy --help >/dev/null 2>&1; then
    echo "$examples" | while read -r a b c d; do
        [ -n "$a" ] || continue
        say "$a is to $b as $c is to ? (expected: $d)"
        "$W2V" analogy -vectors "$vec" -n 3 "$a" "$b" "$c" | sed 's/^/    /' ||
            say "  (a word is not in the vocabulary)"
    done
fi

echo
if [ ! -r "$questions" ]; then
    say "no analogy questions at $questions: skipping the analogy score"
elif "$W2V" eval analogy --help >/dev/null 2>&1; then
    say "analogies: w2v eval analogy -questions $questions -case-insensitive"
    "$W2V" eval analogy -vectors "$vec" -questions "$questions" -case-insensitive -threads "$threads" ||
        say "analogy evaluation failed"
else
    say "this build has no 'w2v eval analogy' yet: skipping the analogy score"
fi
