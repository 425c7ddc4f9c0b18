#!/bin/sh
# bench-phrases.sh [CORPUS] - `w2v phrases` against the original
# word2phrase on the same corpus with the same settings (-min-count 5
# -threshold 100, its defaults), runs interleaved, medians reported; then
# whether the two outputs agree token for token.
#
# Corpus: $1, else $W2V_BENCH_CORPUS, else enwiki-100M decompressed once into
# data/cache/enwiki-100M.txt (the cache `make demo` uses) from
# $W2V_SHARED_DATA (default ../shared/data).
#
# Environment:
#   W2V                   the binary (default ./w2v)
#   W2V_REF_WORD2PHRASE   the original word2phrase; skipped when unset.
#                         This script never fetches or builds it.
#   W2V_BENCH_REPEAT      runs of each tool (default 3)
#   W2V_BENCH_THREADS     w2v's threads (default: all CPUs; the original
#                         has one)
# shellcheck disable=SC2046 # summary prints four numbers, split on purpose
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
case $W2V in /*) ;; */*) W2V=$(pwd)/$W2V ;; esac
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
REPEAT=${W2V_BENCH_REPEAT:-3}
THREADS=${W2V_BENCH_THREADS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
REF=${W2V_REF_WORD2PHRASE:-}
MINCOUNT=5 THRESHOLD=100

say() { echo "bench-phrases: $*"; }
die() { echo "bench-phrases: $*" >&2; exit 1; }
case $REPEAT in ''|*[!0-9]*|0) die "W2V_BENCH_REPEAT must be a positive integer" ;; esac
[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-phrases.XXXXXX") || die "cannot make a temp dir"
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$ROOT/scripts/lib.sh"
corpus=${1:-${W2V_BENCH_CORPUS:-}}
find_corpus "$SHARED" "$ROOT/data/cache" ||
    { say "SKIP: no corpus (give one, or provide $SHARED/enwiki-100M.txt.xz)"; exit 0; }

if [ -n "$REF" ] && [ ! -x "$REF" ]; then
    die "W2V_REF_WORD2PHRASE=$REF is not an executable"
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
say "corpus $corpus ($(wc -c <"$corpus") bytes), -min-count $MINCOUNT" \
    "-threshold $THRESHOLD, $REPEAT runs each, interleaved"
say "CPU: ${cpu:-unknown}, $(getconf _NPROCESSORS_ONLN 2>/dev/null) online;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

GNU_TIME=
/usr/bin/time -f %M true >/dev/null 2>&1 && GNU_TIME=/usr/bin/time

# timed NAME CMD...: runs CMD, appends "seconds peak_kib" to $tmp/NAME.times
timed() {
    name=$1
    shift
    t0=$(date +%s.%N)
    if [ -n "$GNU_TIME" ]; then
        "$GNU_TIME" -f %M -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/$name.err" ||
            die "$name failed: $(tail -1 "$tmp/$name.err")"
        rss=$(tail -1 "$tmp/rss")
    else
        "$@" >/dev/null 2>"$tmp/$name.err" ||
            die "$name failed: $(tail -1 "$tmp/$name.err")"
        rss=0
    fi
    t1=$(date +%s.%N)
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $rss" \
        >>"$tmp/$name.times"
}

i=1
while [ "$i" -le "$REPEAT" ]; do
    timed w2v "$W2V" phrases -input "$corpus" -output "$tmp/w2v.out" \
        -min-count $MINCOUNT -threshold $THRESHOLD -threads "$THREADS"
    say "run $i: w2v phrases $(tail -1 "$tmp/w2v.times" | cut -d' ' -f1) s"
    if [ -n "$REF" ]; then
        timed word2phrase "$REF" -train "$corpus" -output "$tmp/ref.out" \
            -min-count $MINCOUNT -threshold $THRESHOLD -debug 0
        say "run $i: word2phrase $(tail -1 "$tmp/word2phrase.times" | cut -d' ' -f1) s"
    fi
    i=$((i + 1))
done

# median and range of the seconds, and the largest peak RSS
summary() {
    sort -n "$tmp/$1.times" | awk '{ s[NR] = $1; if ($2 > m) m = $2 }
        END { med = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
              printf "%.2f %.2f %.2f %.0f\n", med, s[1], s[NR], m / 1024 }'
}
set -- $(summary w2v)
w2v_med=$1
echo
echo "| tool | runs | wall s, median (range) | peak RSS | speed vs word2phrase |"
echo "|---|---:|---:|---:|---:|"
if [ -n "$REF" ]; then
    set -- $(summary word2phrase)
    ref_med=$1
    ratio=$(awk -v r="$ref_med" -v w="$w2v_med" 'BEGIN { printf "%.2f", r / w }')
    set -- $(summary w2v)
    echo "| w2v phrases ($THREADS threads) | $REPEAT | $1 ($2-$3) | $4 MB | ${ratio}x |"
    set -- $(summary word2phrase)
    echo "| word2phrase (1 thread) | $REPEAT | $1 ($2-$3) | $4 MB | 1.00x |"
else
    echo "| w2v phrases ($THREADS threads) | $REPEAT | $1 ($2-$3) | $4 MB | |"
    say "word2phrase: SKIP (set W2V_REF_WORD2PHRASE to the original's binary)"
    exit 0
fi
echo
awk -v r="$ratio" 'BEGIN { printf "bench-phrases: speedup %.2fx (target >= 3x): %s\n", r, (r >= 3 ? "met" : "NOT met") }'

# The original writes a space before every word that it does not join,
# lines included; compare the tokens.
sed 's/^ *//' "$tmp/ref.out" | tr ' ' '\n' >"$tmp/ref.tok"
tr ' ' '\n' <"$tmp/w2v.out" >"$tmp/w2v.tok"
if cmp -s "$tmp/ref.tok" "$tmp/w2v.tok"; then
    say "outputs: identical (apart from the original's leading spaces)"
else
    differ=$(diff "$tmp/ref.tok" "$tmp/w2v.tok" | grep -c '^[<>]' || true)
    say "outputs: $differ token lines differ (diff of one token per line); first:"
    diff "$tmp/ref.tok" "$tmp/w2v.tok" | head -6 | cut -c1-120 | sed 's/^/    /'
    say "(known: the original cuts words to 59 bytes and drops the last word" \
        "of a file that does not end in a separator)"
fi
