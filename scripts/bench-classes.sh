#!/bin/sh
# bench-classes.sh [CORPUS] - k-means word classes: 1,000 classes over the
# vocabulary of CORPUS (enwiki-100M: 67,889 words x 100 dimensions), w2v
# against the original word2vec's -classes.
#
# The original clusters inside its training run, so both trainers are run
# twice on the full vocabulary (-read-vocab) but only the first MB of text,
# once with -classes 1000 and once writing vectors: the difference is the
# time of the classes.  `w2v classes` is also timed alone on the original's
# vectors, and, with python3, the cost (sum of 1 - cos to the unit mean of
# the class) of both tools' classes of those same vectors is compared.
# Runs are interleaved; medians are reported.
#
# Corpus: $1, else $W2V_BENCH_CORPUS, else data/cache/enwiki-100M.txt (made
# from $W2V_SHARED_DATA/enwiki-100M.txt.xz when missing).
#
# Environment:
#   W2V                 the binary (default ./w2v)
#   W2V_REF_WORD2VEC    the original word2vec; skipped when unset.  This
#                       script never fetches or builds it.
#   W2V_BENCH_REPEAT    runs of each (default 3)
#   W2V_BENCH_THREADS   threads (default: all CPUs; the original's k-means
#                       uses one whatever -threads says)
#   W2V_BENCH_CLASSES   classes (default 1000)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
case $W2V in /*) ;; */*) W2V=$(pwd)/$W2V ;; esac
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
REPEAT=${W2V_BENCH_REPEAT:-3}
THREADS=${W2V_BENCH_THREADS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
K=${W2V_BENCH_CLASSES:-1000}
REF=${W2V_REF_WORD2VEC:-}
DIM=100

say() { echo "bench-classes: $*"; }
die() { echo "bench-classes: $*" >&2; exit 1; }
case $REPEAT in ''|*[!0-9]*|0) die "W2V_BENCH_REPEAT must be a positive integer" ;; esac
[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"
if [ -n "$REF" ] && [ ! -x "$REF" ]; then
    die "W2V_REF_WORD2VEC=$REF is not an executable"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-classes.XXXXXX") || die "cannot make a temp dir"
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$ROOT/scripts/lib.sh"
corpus=${1:-${W2V_BENCH_CORPUS:-}}
find_corpus "$SHARED" "$ROOT/data/cache" ||
    { say "SKIP: no corpus (give one, or provide $SHARED/enwiki-100M.txt.xz)"; exit 0; }

"$W2V" vocab -input "$corpus" -output "$tmp/vocab.txt" -min-count 5
head -c 1000000 "$corpus" >"$tmp/small.txt"
words=$(wc -l <"$tmp/vocab.txt")
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
say "$K classes of $words words x $DIM, $REPEAT runs each, interleaved," \
    "$THREADS threads"
say "CPU: ${cpu:-unknown}, $(getconf _NPROCESSORS_ONLN 2>/dev/null) online;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# seconds CMD...: runs CMD quietly and prints its wall seconds
seconds() {
    t0=$(date +%s.%N)
    "$@" >"$tmp/out.log" 2>&1 || die "failed: $* ($(tail -1 "$tmp/out.log"))"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
}

w2v_train() {
    "$W2V" train -input "$tmp/small.txt" -read-vocab "$tmp/vocab.txt" \
        -size $DIM -iter 1 -threads "$THREADS" -quiet "$@"
}
ref_train() {
    "$REF" -train "$tmp/small.txt" -read-vocab "$tmp/vocab.txt" -cbow 0 \
        -size $DIM -window 5 -negative 5 -hs 0 -iter 1 -min-count 5 \
        -threads "$THREADS" -binary 0 -debug 0 "$@"
}

i=1
while [ "$i" -le "$REPEAT" ]; do
    with=$(seconds w2v_train -output "$tmp/w2v-classes.txt" -classes "$K")
    without=$(seconds w2v_train -output "$tmp/w2v-vec.txt")
    echo "$with $without" >>"$tmp/w2v.times"
    say "run $i: w2v train: $with s with -classes, $without s without"
    if [ -n "$REF" ]; then
        with=$(seconds ref_train -output "$tmp/ref-classes.txt" -classes "$K")
        without=$(seconds ref_train -output "$tmp/ref-vec.txt")
        echo "$with $without" >>"$tmp/ref.times"
        say "run $i: word2vec: $with s with -classes, $without s without"
        alone=$(seconds "$W2V" classes -vectors "$tmp/ref-vec.txt" -k "$K" \
            -threads "$THREADS" -output "$tmp/w2v-on-ref.txt")
        cp "$tmp/out.log" "$tmp/w2v-on-ref.log"
        echo "$alone" >>"$tmp/alone.times"
        say "run $i: w2v classes on word2vec's vectors: $alone s"
    fi
    i=$((i + 1))
done

# median of column $2 of file $1 (for column 3: column 1 minus column 2)
median() {
    awk -v c="$2" '{ print (c == 3 ? $1 - $2 : $c) }' "$1" | sort -n |
        awk '{ s[NR] = $1 } END { printf "%.2f\n", (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }'
}
w2v_cost=$(median "$tmp/w2v.times" 3)
echo
echo "| $K classes of $words words x $DIM | wall s (median of $REPEAT) |"
echo "|---|---:|"
echo "| w2v train -classes, minus the same run writing vectors | $w2v_cost |"
if [ -z "$REF" ]; then
    say "word2vec: SKIP (set W2V_REF_WORD2VEC to the original's binary)"
    exit 0
fi
ref_cost=$(median "$tmp/ref.times" 3)
echo "| word2vec -classes, minus the same run writing vectors | $ref_cost |"
echo "| w2v classes alone on word2vec's vectors (loading the text included) | $(median "$tmp/alone.times" 1) |"
echo
awk -v r="$ref_cost" -v w="$w2v_cost" \
    'BEGIN { if (w > 0) printf "bench-classes: w2v is %.1fx faster\n", r / w }'

if command -v python3 >/dev/null 2>&1; then
    cat >"$tmp/cost.py" <<'EOF'
import math, sys
vec, classes = sys.argv[1], sys.argv[2]
cls = {}
for line in open(classes):
    w, c = line.split()
    cls[w] = c
sums, n = {}, 0
with open(vec) as f:
    next(f)
    for line in f:
        p = line.split()
        v = [float(x) for x in p[1:]]
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        s = sums.setdefault(cls[p[0]], [0.0] * len(v))
        for j, x in enumerate(v):
            s[j] += x / norm
        n += 1
print('%.2f' % (n - sum(math.sqrt(sum(x * x for x in s)) for s in sums.values())))
EOF
    say "cost (sum over words of 1 - cos to the unit mean of the class, lower" \
        "is better) on word2vec's vectors:"
    say "  word2vec -classes: $(python3 "$tmp/cost.py" "$tmp/ref-vec.txt" "$tmp/ref-classes.txt")"
    say "  w2v classes:       $(python3 "$tmp/cost.py" "$tmp/ref-vec.txt" "$tmp/w2v-on-ref.txt")" \
        "($(grep -o 'rounds ([^)]*)' "$tmp/w2v-on-ref.log"))"
fi
