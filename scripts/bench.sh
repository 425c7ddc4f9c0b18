#!/bin/sh
# bench.sh [CORPUS] - `make bench`: training speed and memory of w2v against
# the reference implementations that happen to be installed (issue 3).
#
# Every tool trains skip-gram with negative sampling on the same corpus with
# the same settings: 100 dims, window 5, 5 negatives, sample 1e-4, 1 epoch,
# min-count 5, N threads.  Runs are interleaved (w2v, ref1, ref2, w2v, ...)
# and repeated, and medians are reported, because this kind of machine drifts
# by up to 40% over minutes.
#
# Corpus: $1, else $W2V_BENCH_CORPUS, else enwiki-100M decompressed once into
# data/cache/enwiki-100M.txt (the same cache as `make demo`) from
# $W2V_SHARED_DATA (default ../shared/data), else data/cache/text8 when
# scripts/get-data.sh fetched it earlier.
#
# Environment:
#   W2V                  the binary (default ./w2v)
#   W2V_BENCH_REPEAT     runs per tool (default 3)
#   W2V_BENCH_THREADS    threads (default: all cores, nproc)
#   W2V_REF_WORD2VEC     the original word2vec binary (default: `word2vec` on PATH)
#   W2V_REF_PWORD2VEC    pWord2Vec binary (default: `pWord2Vec` on PATH)
#   W2V_REF_FASTTEXT     fastText binary (default: `fasttext` on PATH)
#   W2V_REF_GENSIM_PYTHON  the Python that runs gensim (default: the first of
#                        /usr/bin/python3 and python3 on PATH that imports it)
#   W2V_BENCH_NO_REFS=1  w2v only
# References that are not found are skipped, with the reason; gensim trains
# through scripts/gensim-train.py on the corpus cut into lines of 10,000
# words.  Nothing is ever downloaded or built here.
#
# Words/sec = training words (corpus tokens of words with count >= 5, counted
# by w2v's -save-vocab) x epochs / wall seconds of the whole command (counting
# + training + writing), the same yardstick for every tool.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
CACHE=$ROOT/data/cache
REPEAT=${W2V_BENCH_REPEAT:-3}
THREADS=${W2V_BENCH_THREADS:-$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
DIM=100 WIN=5 NEG=5 SAMPLE=1e-4 EPOCH=1 MINCOUNT=5 LR=0.025
# the model's size: bytes per matrix element (float), and the estimated
# bytes a vocabulary word takes beyond its text and terminating NUL
FLOAT_BYTES=4 WORD_OVERHEAD_BYTES=24

say() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"
"$W2V" train --help >/dev/null 2>&1 || die "this build has no 'w2v train' yet"
case $REPEAT in ''|*[!0-9]*|0) die "W2V_BENCH_REPEAT must be a positive integer" ;; esac
case $THREADS in ''|*[!0-9]*|0) die "W2V_BENCH_THREADS must be a positive integer" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench.XXXXXX") || die "cannot make a temp dir"
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- corpus --------------------------------------------------------------
. "$ROOT/scripts/lib.sh"
corpus=${1:-${W2V_BENCH_CORPUS:-}}
find_corpus "$SHARED" "$CACHE" ||
    die "no corpus: give one as \$1 or W2V_BENCH_CORPUS, put enwiki-100M.txt.xz in $SHARED, or run scripts/get-data.sh $CACHE"

# ---- measuring -----------------------------------------------------------
# measure LOG CMD...: runs the command CMD... (output to LOG), prints
# "WALL_S RSS_KB"; fails when the command does
if /usr/bin/time -f '%e %M' -o "$tmp/probe" true 2>/dev/null; then
    rss_how="GNU time (/usr/bin/time)"
    measure() {
        log=$1; shift
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$log" 2>&1 || return 1
        tail -n 1 "$tmp/time"
    }
elif command -v python3 >/dev/null 2>&1; then
    rss_how="python3 resource.getrusage (install 'time' for GNU time)"
    measure() {
        log=$1; shift
        python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "wb") as log:
    rc = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
w = time.monotonic() - t
print("%.2f %d" % (w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)' "$log" "$@"
    }
else
    rss_how="none: install 'time' (apt-get install time) for peak RSS"
    measure() {
        log=$1; shift
        s=$(date +%s)
        "$@" >"$log" 2>&1 || return 1
        echo "$(( $(date +%s) - s )) 0"
    }
fi

# ---- tools: add a reference with NAME_available / NAME_cmd ---------------
# NAME_available: returns 0 when the tool can run here, else prints why not.
# NAME_cmd: prints a shell command (run by sh -c) that trains on "$corpus"
# with the settings above, writing its files under "$OUT"; the variables
# below are exported for it.  The commands are printed unexpanded (single
# quotes), for that shell to expand.
export W2V corpus THREADS DIM WIN NEG SAMPLE EPOCH MINCOUNT LR
w2v_available() { return 0; }
# shellcheck disable=SC2016  # unexpanded on purpose, see above
w2v_cmd() {
    echo '"$W2V" train -input "$corpus" -output "$OUT/vec.bin" -binary 1 -size $DIM -window $WIN' \
         '-negative $NEG -sample $SAMPLE -iter $EPOCH -min-count $MINCOUNT -alpha $LR' \
         '-threads $THREADS -save-vocab "$OUT/vocab" -debug 2'
}

FASTTEXT=$(find_ref "${W2V_REF_FASTTEXT:-}" fasttext)
WORD2VEC=$(find_ref "${W2V_REF_WORD2VEC:-}" word2vec)
PWORD2VEC=$(find_ref "${W2V_REF_PWORD2VEC:-}" pWord2Vec)
GPY=$(gensim_python "${W2V_REF_GENSIM_PYTHON:-}")
GENSIM_CORPUS=$tmp/corpus.lines
export FASTTEXT WORD2VEC PWORD2VEC GPY GENSIM_CORPUS

fasttext_available() {
    [ -n "$FASTTEXT" ] && return 0
    echo "fasttext is not on PATH (Debian: apt-get install fasttext, or set W2V_REF_FASTTEXT)"; return 1
}
# shellcheck disable=SC2016  # unexpanded on purpose, see above
fasttext_cmd() {
    echo '"$FASTTEXT" skipgram -input "$corpus" -output "$OUT/ft" -dim $DIM -ws $WIN -neg $NEG' \
         '-minn 0 -maxn 0 -lr $LR -t $SAMPLE -epoch $EPOCH -minCount $MINCOUNT -thread $THREADS'
}

word2vec_available() {
    [ -n "$WORD2VEC" ] && return 0
    echo "the original word2vec was not found (set W2V_REF_WORD2VEC=/path/to/word2vec)"; return 1
}
# shellcheck disable=SC2016  # unexpanded on purpose, see above
word2vec_cmd() {
    echo '"$WORD2VEC" -train "$corpus" -output "$OUT/vec.bin" -cbow 0 -hs 0 -size $DIM -window $WIN' \
         '-negative $NEG -sample $SAMPLE -iter $EPOCH -min-count $MINCOUNT -alpha $LR' \
         '-threads $THREADS -binary 1'
}

pword2vec_available() {
    [ -n "$PWORD2VEC" ] && return 0
    echo "pWord2Vec was not found (set W2V_REF_PWORD2VEC=/path/to/pWord2Vec)"; return 1
}
# shellcheck disable=SC2016  # unexpanded on purpose, see above
pword2vec_cmd() {
    echo '"$PWORD2VEC" -train "$corpus" -output "$OUT/vec.bin" -size $DIM -window $WIN' \
         '-negative $NEG -sample $SAMPLE -iter $EPOCH -min-count $MINCOUNT -alpha $LR' \
         '-threads $THREADS -binary 1'
}

gensim_available() {
    [ -n "$GPY" ] && return 0
    echo "$(gensim_missing "${W2V_REF_GENSIM_PYTHON:-}") (pip install gensim, or set W2V_REF_GENSIM_PYTHON)"; return 1
}
# shellcheck disable=SC2016  # unexpanded on purpose, see above
gensim_cmd() {
    echo '"$GPY" "$GENSIM_DRIVER" "$GENSIM_CORPUS" "$OUT/vec.bin" --dim $DIM --window $WIN' \
         '--negative $NEG --sample $SAMPLE --alpha $LR --min-count $MINCOUNT --epochs $EPOCH' \
         '--threads $THREADS'
}

ALL_REFS="fasttext word2vec pword2vec gensim"
tools=w2v
skipped=
if [ "${W2V_BENCH_NO_REFS:-0}" = 1 ]; then
    skipped="all references (W2V_BENCH_NO_REFS=1)"
else
    for t in $ALL_REFS; do
        if why=$("${t}_available"); then tools="$tools $t"
        else skipped="$skipped
  $t: $why"; fi
    done
fi

case " $tools " in *" gensim "*)
    # the same tokens, cut for gensim (prepared once, not timed)
    gensim_lines "$corpus" "$GENSIM_CORPUS" ;;
esac

say "corpus $corpus ($(wc -c <"$corpus" | tr -d ' ') bytes), $THREADS threads, $REPEAT runs per tool"
say "settings: skip-gram, dim $DIM, window $WIN, negative $NEG, sample $SAMPLE, epochs $EPOCH, min-count $MINCOUNT, alpha $LR"
say "tools: $tools"
[ -z "$skipped" ] || say "skipped references:$skipped"
say "peak RSS via $rss_how"

# ---- runs, interleaved -----------------------------------------------------
r=1
while [ "$r" -le "$REPEAT" ]; do
    for t in $tools; do
        out=$tmp/$t.out
        rm -rf "$out"; mkdir -p "$out"
        if res=$(OUT=$out; export OUT; measure "$tmp/$t.$r.log" sh -c "$("${t}_cmd")") &&
           [ -n "$(ls -A "$out")" ]; then
            echo "$res" >>"$tmp/$t.results"
            say "run $r/$REPEAT $t: $(echo "$res" | awk '{ printf "%.2f s, peak RSS %.0f MB", $1, $2 / 1024 }')"
        else
            say "run $r/$REPEAT $t FAILED (or wrote nothing); last lines of its log:"
            tail -n 5 "$tmp/$t.$r.log" | sed 's/^/    /'
        fi
        if [ "$t" = w2v ] && [ ! -s "$tmp/vocab" ] && [ -s "$out/vocab" ]; then
            cp "$out/vocab" "$tmp/vocab"
            head -n 1 "$out/vec.bin" >"$tmp/header"
        fi
        rm -rf "$out"
    done
    r=$((r + 1))
done
[ -s "$tmp/w2v.results" ] || die "w2v failed every run (see above)"

# ---- report ----------------------------------------------------------------
# training words = tokens of vocabulary words (count >= min-count) x epochs
words=$(awk -v m=$MINCOUNT '$2 >= m { s += $2 } END { printf "%d", s }' "$tmp/vocab")
V=$(awk -v m=$MINCOUNT '$2 >= m { n++ } END { print n + 0 }' "$tmp/vocab")
vocab_bytes=$(awk -v m=$MINCOUNT -v o=$WORD_OVERHEAD_BYTES '$2 >= m { s += length($1) + 1 + o } END { printf "%d", s }' "$tmp/vocab")
mat_bytes=$((2 * V * DIM * FLOAT_BYTES))

echo
say "vocabulary $V words, $words training words x $EPOCH epoch(s); matrices 2 x V x d x 4 = $(awk -v b="$mat_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB, vocabulary ~$(awk -v b="$vocab_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB"
printf '%-10s %5s %10s %12s %14s %9s %9s %10s\n' tool runs "wall s" "words/s" "words/s/thr" "w2v/this" "RSS MB" "RSS/model"
w2v_wps=
for t in $tools; do
    f=$tmp/$t.results
    if [ ! -s "$f" ]; then
        printf '%-10s %5s %10s\n' "$t" 0 failed
        continue
    fi
    n=$(wc -l <"$f" | tr -d ' ')
    wall=$(median 1 "$f")
    rss=$(median 2 "$f")
    wps=$(awk -v w="$words" -v e=$EPOCH -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? w * e / s : 0) }')
    [ -n "$w2v_wps" ] || w2v_wps=$wps
    awk -v t="$t" -v n="$n" -v s="$wall" -v wps="$wps" -v th="$THREADS" -v base="$w2v_wps" \
        -v rss="$rss" -v model=$((mat_bytes + vocab_bytes)) 'BEGIN {
        printf "%-10s %5d %10.2f %12.0f %14.0f %9s %9.1f %10s\n", t, n, s, wps, wps / th,
            (t == "w2v" ? "1.00" : (wps > 0 ? sprintf("%.2f", base / wps) : "-")),
            rss / 1024, (rss > 0 ? sprintf("%.2f", rss * 1024 / model) : "n/a") }'
done
echo "(medians of $REPEAT interleaved runs; w2v/this = w2v words/s / this tool's words/s,"
echo " so > 1 means w2v is faster; RSS/model = peak RSS / (matrices + vocabulary))"
f=$tmp/fasttext.results
if [ -s "$f" ]; then
    say "w2v/fasttext words/s ratio: $(awk -v a="$w2v_wps" -v s="$(median 1 "$f")" \
        -v w="$words" 'BEGIN { if (s > 0 && w > 0) printf "%.2f", a / (w / s); else printf "n/a" }')"
fi
[ -z "$skipped" ] || say "references skipped:$skipped"
