#!/bin/sh
# bench-eval.sh [W2V] - speed of `w2v eval analogy` on the full
# questions-words set over 30,000 x d vectors, against the original
# compute-accuracy when one is found.  Runs only what it finds and says what
# it skips.
#
#   W2V_BENCH_VECTORS          binary or text vectors with >= 30000 words
#                              (default: train 100-d vectors on the first
#                              30 MB of enwiki-100M, 1 iteration, in $TMPDIR)
#   W2V_REF_COMPUTE_ACCURACY   the original compute-accuracy binary (default:
#                              `compute-accuracy` on PATH)
#   W2V_SHARED_DATA            questions-words.txt and enwiki-100M.txt.xz
#                              (default: ROOT/../shared/data)
#   W2V_BENCH_RUNS             timed runs of w2v, the best is kept (default 3)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${1:-$ROOT/w2v}
DATA=${W2V_SHARED_DATA:-$ROOT/../shared/data}
QUESTIONS=$DATA/questions-words.txt
RUNS=${W2V_BENCH_RUNS:-3}
RESTRICT=30000
TRAIN_BYTES=30000000      # the slice of enwiki-100M trained on (30 MB)
TARGET_SECONDS=1          # the goal for one w2v eval analogy run
TARGET_SPEEDUP=20         # the goal against compute-accuracy

if [ ! -x "$W2V" ]; then
    echo "bench-eval: SKIP: no w2v binary at $W2V (run make)"
    exit 0
fi
if [ ! -f "$QUESTIONS" ]; then
    echo "bench-eval: SKIP: no $QUESTIONS"
    exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-eval.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

vectors=${W2V_BENCH_VECTORS:-}
if [ -z "$vectors" ]; then
    if [ ! -f "$DATA/enwiki-100M.txt.xz" ]; then
        echo "bench-eval: SKIP: set W2V_BENCH_VECTORS or provide $DATA/enwiki-100M.txt.xz"
        exit 0
    fi
    echo "bench-eval: training 100-d vectors on 30 MB of enwiki (1 iteration)..."
    xz -dc "$DATA/enwiki-100M.txt.xz" | head -c "$TRAIN_BYTES" >"$TMP/corpus.txt"
    if ! "$W2V" train -input "$TMP/corpus.txt" -output "$TMP/vectors.bin" \
        -binary 1 -size 100 -iter 1 -min-count 5 -quiet; then
        echo "bench-eval: SKIP: w2v train failed"
        exit 0
    fi
    vectors=$TMP/vectors.bin
fi
# compute-accuracy reads binary only: convert whatever we have
if ! "$W2V" convert -input "$vectors" -output "$TMP/bench.bin" -binary 1; then
    echo "bench-eval: FAIL: cannot read $vectors"
    exit 1
fi
read -r words dim <"$TMP/bench.bin"
echo "bench-eval: vectors $vectors: $words words x $dim, restrict $RESTRICT," \
     "$(grep -vc '^:' "$QUESTIONS") questions, $(getconf _NPROCESSORS_ONLN) CPUs"
[ "$words" -ge "$RESTRICT" ] ||
    echo "bench-eval: note: fewer than $RESTRICT words, the candidate matrix is smaller"

best=
i=0
while [ "$i" -lt "$RUNS" ]; do
    t0=$(now)
    "$W2V" eval analogy -vectors "$TMP/bench.bin" -questions "$QUESTIONS" \
        -restrict "$RESTRICT" >"$TMP/ours.txt" || exit 1
    t=$(elapsed "$t0" "$(now)")
    best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
    i=$((i + 1))
done
echo "w2v eval analogy:  $best s wall (best of $RUNS, loading included; target < $TARGET_SECONDS s)"
grep -E '^(total|coverage)' "$TMP/ours.txt" | sed 's/^/  /'

ref=${W2V_REF_COMPUTE_ACCURACY:-$(command -v compute-accuracy 2>/dev/null)}
if [ -z "$ref" ] || [ ! -x "$ref" ]; then
    echo "compute-accuracy:  SKIP (set W2V_REF_COMPUTE_ACCURACY or put compute-accuracy on PATH)"
    exit 0
fi
t0=$(now)
"$ref" "$TMP/bench.bin" "$RESTRICT" <"$QUESTIONS" >"$TMP/ref.txt" 2>&1
t=$(elapsed "$t0" "$(now)")
echo "compute-accuracy:  $t s wall ($ref)"
tail -2 "$TMP/ref.txt" | sed 's/^/  /'
awk -v r="$t" -v o="$best" -v goal="$TARGET_SPEEDUP" 'BEGIN {
    s = r / o; verdict = (s >= goal) ? "met" : "NOT met"
    printf "speedup: %.1fx (target >= %dx): %s\n", s, goal, verdict }'
