#!/bin/sh
# bench-train.sh [CORPUS] - w2v's training speed and vector quality
# against the reference word2vec implementations, in one interleaved run.
#
# Variants (each trains skip-gram with negative sampling on the same corpus
# with the same settings, all threads, and writes vectors that are then
# scored with `w2v eval analogy` and `w2v eval similarity`):
#   w2v-<kernel>   every kernel of `w2v train -kernel` that this CPU runs
#                  (scalar only with W2V_BENCH_SCALAR=1: it is very slow)
#   w2v-batch0/1   `w2v train -kernel auto -batch 0|1` (classic per-pair
#                  update / shared-negative HogBatch, with context combining
#                  when the build has it), when the build has -batch
#   w2v-combine1   `w2v train -combine 1` (HogBatch without context
#                  combining), when the build has -combine
#   w2v-nocache    `w2v train -corpus-cache off` (every epoch re-reads the
#                  text), when the build has -corpus-cache
#   w2v-cacheall   `w2v train -corpus-cache on` (the whole corpus kept as
#                  ids, past auto's budget), when the build has -corpus-cache
#   w2v-base       another w2v build, default settings    W2V_BASE
#                  (e.g. the commit before a change)
#   word2vec       the original C tool        W2V_REF_WORD2VEC, else `word2vec` on PATH
#   w2v-mpi-npN    the MPI build ($W2V_MPI, default build/mpi/w2v, `make
#                  MPI=1`) as `mpirun -np N` with THREADS / N threads per
#                  rank, for each N of W2V_BENCH_RANKS (default "1 2"),
#                  when that binary and mpirun exist
#   pWord2Vec      Intel's HogBatch version   W2V_REF_PWORD2VEC, else `pWord2Vec` on PATH
#   pSGNScc        context combining, -C 8 -T 500000
#                                             W2V_REF_PSGNSCC, else `pSGNScc` on PATH
#   fasttext       skipgram, no subwords      W2V_REF_FASTTEXT, else `fasttext` on PATH
#   gensim         scripts/gensim-train.py    W2V_REF_GENSIM_PYTHON, else the first of
#                                             /usr/bin/python3 and python3 on PATH that
#                                             can import gensim
# References that are not found are skipped, with the reason.  This script
# never fetches, builds or installs anything.
#
# Runs are interleaved: each repeat runs every variant once (round-robin,
# the starting variant rotating from repeat to repeat), because this kind of
# machine drifts by up to 40% over minutes; medians are reported.
#
# Corpus: $1, else $W2V_BENCH_CORPUS, else enwiki-100M decompressed once into
# data/cache/enwiki-100M.txt (the cache `make demo` uses) from
# $W2V_SHARED_DATA (default ../shared/data), else data/cache/text8.
#
# Environment:
#   W2V                    the binary (default ./w2v)
#   W2V_BENCH_ITER         epochs (default 5)
#   W2V_BENCH_REPEAT       runs per variant (default 3)
#   W2V_BENCH_THREADS      threads (default: nproc)
#   W2V_BENCH_SCALAR=1     also time the scalar kernel
#   W2V_BENCH_ONLY         run only these variants (names as listed above,
#                          space-separated), e.g. "w2v-batch1 pWord2Vec"
#   W2V_BENCH_TIMEOUT      seconds one training run may take (default 7200)
#   W2V_BENCH_QUESTIONS    analogy questions (default $W2V_SHARED_DATA/questions-words.txt)
#   W2V_BENCH_PAIRS        similarity pairs (default $W2V_SHARED_DATA/wordsim353.tsv)
#
# Words/s = training tokens x epochs / whole-run wall seconds (counting,
# training and writing the vectors), one token count for every variant: the
# corpus tokens of words with count >= min-count, counted once by `w2v vocab`.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
case $W2V in /*) ;; */*) W2V=$(pwd)/$W2V ;; esac
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
CACHE=$ROOT/data/cache
ITER=${W2V_BENCH_ITER:-5}
REPEAT=${W2V_BENCH_REPEAT:-3}
THREADS=${W2V_BENCH_THREADS:-$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
TIMEOUT=${W2V_BENCH_TIMEOUT:-7200}
QUESTIONS=${W2V_BENCH_QUESTIONS:-$SHARED/questions-words.txt}
PAIRS=${W2V_BENCH_PAIRS:-$SHARED/wordsim353.tsv}
DIM=100 WIN=5 NEG=5 SAMPLE=1e-4 LR=0.025 MINCOUNT=5 RESTRICT=30000
TINY_LINES=200      # lines of the corpus that tries each kernel

say() { echo "bench-train: $*"; }
die() { echo "bench-train: $*" >&2; exit 1; }
posint() { case $2 in ''|*[!0-9]*|0) die "$1 must be a positive integer (got '$2')" ;; esac; }

posint W2V_BENCH_ITER "$ITER"
posint W2V_BENCH_REPEAT "$REPEAT"
posint W2V_BENCH_THREADS "$THREADS"
posint W2V_BENCH_TIMEOUT "$TIMEOUT"
[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"
"$W2V" train --help >/dev/null 2>&1 || die "$W2V has no 'train' command"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-train.XXXXXX") || die "cannot make a temp dir"
case $tmp in /*) ;; *) tmp=$(pwd)/$tmp ;; esac
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- corpus ------------------------------------------------------------------
. "$ROOT/scripts/lib.sh"
corpus=${1:-${W2V_BENCH_CORPUS:-}}
find_corpus "$SHARED" "$CACHE" ||
    die "no corpus: give one as \$1 or W2V_BENCH_CORPUS, or put enwiki-100M.txt.xz in $SHARED"

# ---- measuring: measure LOG CMD... prints "WALL_S RSS_KB CPU_S" (user + sys
# seconds; '-' when unknown); output of CMD goes to LOG; fails when CMD fails --
# $limit prefixes each training command: it cuts the run after $TIMEOUT
# seconds when `timeout` exists; --foreground keeps the trainer in this
# script's process group, so that an interrupt (Ctrl-C) reaches it too.
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout --foreground $TIMEOUT"
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$tmp/probe" true >/dev/null 2>&1; then
    rss_how="GNU /usr/bin/time (%M)"
    measure() {
        log=$1; shift
        rc=0; /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$log" 2>&1 || rc=$?
        [ "$rc" = 0 ] || { echo "exit status $rc" >>"$log"; return 1; }
        tail -n 1 "$tmp/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
    }
elif [ -x /usr/bin/time ] && /usr/bin/time -l true >/dev/null 2>&1; then
    # BSD / macOS: -l reports "maximum resident set size", in bytes on macOS
    rss_how="BSD /usr/bin/time -l"
    case $(uname -s) in Darwin) rss_div=1024 ;; *) rss_div=1 ;; esac
    measure() {
        log=$1; shift
        rc=0; /usr/bin/time -l "$@" >"$log" 2>"$tmp/time" || rc=$?
        cat "$tmp/time" >>"$log"
        [ "$rc" = 0 ] || { echo "exit status $rc" >>"$log"; return 1; }
        awk -v d="$rss_div" '$2 == "real" { w = $1; c = $3 + $5 } /maximum resident set size/ { r = $1 / d }
            END { printf "%s %.0f %.2f\n", w, r, c }' "$tmp/time"
    }
else
    rss_how="unavailable (no /usr/bin/time; Debian: apt-get install time)"
    measure() {
        log=$1; shift
        s=$(date +%s)
        rc=0; "$@" >"$log" 2>&1 || rc=$?
        [ "$rc" = 0 ] || { echo "exit status $rc" >>"$log"; return 1; }
        echo "$(( $(date +%s) - s )) - -"
    }
fi

# ---- variants: NAME_cmd prints a command line (run by sh -c) that trains
# on "$corpus" and writes its vectors to "$VEC"; VEC_EXT_NAME is the file
# name ending the tool writes --------------------------------------------------
export W2V corpus THREADS DIM WIN NEG SAMPLE LR MINCOUNT ITER
COMMON="-size $DIM -window $WIN -negative $NEG -sample $SAMPLE -alpha $LR -min-count $MINCOUNT -iter $ITER -threads $THREADS"
variants=
skipped=
skip() { skipped="$skipped
  $1: $2"; }

# w2v kernels: those `train --help` names, kept when a tiny run accepts them
help=$("$W2V" train --help 2>&1 || true)
kernels=$(printf '%s\n' "$help" | awk '$1 == "-kernel" { for (i = 2; i <= NF; i++) {
    w = $i; if (w ~ /^\(/) break; gsub(/,/, "", w); if (w ~ /^[a-z0-9]+$/ && w != "auto" && w != "or") print w } }')
[ -n "$kernels" ] || kernels="scalar avx2 avx512 neon"
i=0
while [ $i -lt $TINY_LINES ]; do printf 'the cat sat on the mat a dog ate my homework\n'; i=$((i + 1)); done >"$tmp/tiny.txt"
for k in $kernels; do
    if [ "$k" = scalar ] && [ "${W2V_BENCH_SCALAR:-0}" != 1 ]; then
        skip "w2v-scalar" "slow; set W2V_BENCH_SCALAR=1 to include it"; continue
    fi
    if why=$("$W2V" train -input "$tmp/tiny.txt" -output "$tmp/tiny.vec" -min-count 1 -iter 1 \
             -threads 1 -quiet -kernel "$k" 2>&1); then
        variants="$variants w2v-$k"
    else
        skip "w2v-$k" "$(printf '%s\n' "$why" | head -n 1)"
    fi
done
for k in scalar avx2 avx512 neon; do
    eval "w2v_${k}_cmd() { echo '\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel $k'; }"
done
if printf '%s\n' "$help" | grep -q '^ *-batch[ 	]'; then
    variants="$variants w2v-batch0 w2v-batch1"
else
    skip "w2v-batch0/1" "this w2v build has no -batch option yet (not in 'w2v train --help')"
fi
if printf '%s\n' "$help" | grep -q '^ *-corpus-cache[ 	]'; then
    variants="$variants w2v-nocache w2v-cacheall"
else
    skip "w2v-nocache/cacheall" "this w2v build has no -corpus-cache option"
fi
if printf '%s\n' "$help" | grep -q '^ *-combine[ 	]'; then
    variants="$variants w2v-combine1"
else
    skip "w2v-combine1" "this w2v build has no -combine option"
fi
# another build of w2v (say the commit before a change), default settings
W2V_BASE=${W2V_BASE:-}
case $W2V_BASE in /* | '') ;; *) W2V_BASE=$(pwd)/$W2V_BASE ;; esac
export W2V_BASE
if [ -n "$W2V_BASE" ] && [ -x "$W2V_BASE" ]; then variants="$variants w2v-base"
else skip w2v-base "${W2V_BASE:+$W2V_BASE is not executable; }set W2V_BASE=/path/to/another/w2v"; fi
w2v_base_cmd() { echo "\"\$W2V_BASE\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto"; }
w2v_combine1_cmd() { echo "\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto -combine 1"; }
w2v_cacheall_cmd() { echo "\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto -corpus-cache on"; }
w2v_nocache_cmd() { echo "\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto -corpus-cache off"; }
w2v_batch0_cmd() { echo "\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto -batch 0"; }
w2v_batch1_cmd() { echo "\"\$W2V\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -kernel auto -batch 1"; }

WORD2VEC=$(find_ref "${W2V_REF_WORD2VEC:-}" word2vec)
PWORD2VEC=$(find_ref "${W2V_REF_PWORD2VEC:-}" pWord2Vec)
FASTTEXT=$(find_ref "${W2V_REF_FASTTEXT:-}" fasttext)
export WORD2VEC PWORD2VEC FASTTEXT

if [ -n "$WORD2VEC" ]; then variants="$variants word2vec"
else skip word2vec "not found (${W2V_REF_WORD2VEC:+W2V_REF_WORD2VEC=$W2V_REF_WORD2VEC is not executable; }set W2V_REF_WORD2VEC=/path/to/word2vec)"; fi
# -cbow 0 matters: the original defaults to CBOW
word2vec_cmd() { echo "\"\$WORD2VEC\" -train \"\$corpus\" -output \"\$VEC\" -binary 1 -cbow 0 -hs 0 $COMMON"; }

if [ -n "$PWORD2VEC" ]; then variants="$variants pWord2Vec"
else skip pWord2Vec "not found (${W2V_REF_PWORD2VEC:+W2V_REF_PWORD2VEC=$W2V_REF_PWORD2VEC is not executable; }set W2V_REF_PWORD2VEC=/path/to/pWord2Vec)"; fi
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, halve its speed; its
# default -batch-size is 11 = 2 x window + 1, HogBatch
pWord2Vec_cmd() { echo "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \"\$PWORD2VEC\" -train \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON"; }

if [ -n "$FASTTEXT" ]; then variants="$variants fasttext"
else skip fasttext "not found (${W2V_REF_FASTTEXT:+W2V_REF_FASTTEXT=$W2V_REF_FASTTEXT is not executable; }Debian: apt-get install fasttext, or set W2V_REF_FASTTEXT)"; fi
# -minn 0 -maxn 0: plain word vectors, no character n-grams; writes $VEC.vec
fasttext_cmd() {
    echo "\"\$FASTTEXT\" skipgram -input \"\$corpus\" -output \"\$VEC\" -dim $DIM -ws $WIN -neg $NEG" \
         "-t $SAMPLE -lr $LR -minCount $MINCOUNT -epoch $ITER -thread $THREADS -minn 0 -maxn 0 -verbose 1"
}
# shellcheck disable=SC2034  # read through eval below
VEC_EXT_fasttext=.vec

GENSIM_CORPUS=$tmp/corpus.lines
GPY=$(gensim_python "${W2V_REF_GENSIM_PYTHON:-}")
export GPY GENSIM_CORPUS
if [ -n "$GPY" ] && gv=$("$GPY" -c 'import gensim; print(gensim.__version__)' 2>/dev/null); then
    variants="$variants gensim"
else
    skip gensim "$(gensim_missing "${W2V_REF_GENSIM_PYTHON:-}") (Debian: apt-get install python3-gensim, or set W2V_REF_GENSIM_PYTHON)"
fi
gensim_cmd() {
    echo "\"\$GPY\" \"\$GENSIM_DRIVER\" \"\$GENSIM_CORPUS\" \"\$VEC\" --dim $DIM --window $WIN --negative $NEG" \
         "--sample $SAMPLE --alpha $LR --min-count $MINCOUNT --epochs $ITER --threads $THREADS"
}

PSGNSCC=$(find_ref "${W2V_REF_PSGNSCC:-}" pSGNScc)
export PSGNSCC
if [ -n "$PSGNSCC" ]; then variants="$variants pSGNScc"
else skip pSGNScc "not found (${W2V_REF_PSGNSCC:+W2V_REF_PSGNSCC=$W2V_REF_PSGNSCC is not executable; }set W2V_REF_PSGNSCC=/path/to/pSGNScc)"; fi
# context combining: 8 windows share one noise set; -T: words per batch
pSGNScc_cmd() { echo "\"\$PSGNSCC\" -train \"\$corpus\" -output \"\$VEC\" -binary 1 $COMMON -C 8 -T 500000"; }

# the MPI build as a job of N ranks on this machine, THREADS in all
W2V_MPI=${W2V_MPI:-$ROOT/build/mpi/w2v}
case $W2V_MPI in /*) ;; *) W2V_MPI=$(pwd)/$W2V_MPI ;; esac
export W2V_MPI
for n in ${W2V_BENCH_RANKS:-1 2}; do
    posint W2V_BENCH_RANKS "$n"
    if [ ! -x "$W2V_MPI" ] || ! command -v mpirun >/dev/null 2>&1; then
        skip "w2v-mpi-np$n" "no MPI build at $W2V_MPI or no mpirun (make MPI=1 BUILD=build/mpi BIN=build/mpi/w2v build/mpi/w2v; Open MPI)"
        continue
    fi
    per=$((THREADS / n))
    [ "$per" -ge 1 ] || { skip "w2v-mpi-np$n" "fewer threads ($THREADS) than ranks"; continue; }
    variants="$variants w2v-mpi-np$n"
    mpi_common=$(echo "$COMMON" | sed "s/-threads $THREADS/-threads $per/")
    # --bind-to none: Open MPI binds each rank of a small job to one core,
    # which would put a rank's threads on one core
    eval "w2v_mpi_np${n}_cmd() { echo 'mpirun --allow-run-as-root --oversubscribe --bind-to none -np $n \"\$W2V_MPI\" train -input \"\$corpus\" -output \"\$VEC\" -binary 1 $mpi_common -kernel auto'; }"
done

REFS="word2vec pWord2Vec pSGNScc fasttext gensim"
if [ -n "${W2V_BENCH_ONLY:-}" ]; then
    for v in $W2V_BENCH_ONLY; do
        case " $variants " in *" $v "*) ;; *) die "W2V_BENCH_ONLY: no variant '$v' here (have:$variants)" ;; esac
    done
    kept=
    for v in $variants; do
        case " $W2V_BENCH_ONLY " in *" $v "*) kept="$kept $v" ;; *) skip "$v" "not in W2V_BENCH_ONLY" ;; esac
    done
    variants=$kept
fi
load1() { uptime | sed 's/.*load average[s]*: *//; s/,.*//'; }
is_ref() { case " $REFS " in *" $1 "*) return 0 ;; esac; return 1; }
fn() { echo "$1" | tr '-' '_'; }   # variant name -> shell function prefix

# ---- machine, corpus, settings ------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu" ] || cpu=$(uname -m)
say "machine: $(nproc 2>/dev/null || echo '?') CPUs ($cpu), $(uname -sr)"
say "load average at start: $(uptime | sed 's/.*load average[s]*: *//')"
say "corpus: $corpus ($(wc -c <"$corpus" | tr -d ' ') bytes)"
say "settings: skip-gram, negative sampling, -size $DIM -window $WIN -negative $NEG -sample $SAMPLE -alpha $LR -min-count $MINCOUNT, $ITER epoch(s), $THREADS threads, $REPEAT run(s) per variant"
say "variants:$variants"
[ -z "$skipped" ] || say "skipped:$skipped"
say "peak RSS: $rss_how"
[ -n "$limit" ] || say "note: no 'timeout' command; runs are not time-limited"

# one token count for every variant
"$W2V" vocab -input "$corpus" -output "$tmp/vocab" -min-count 1 -threads "$THREADS" >/dev/null 2>"$tmp/vocab.log" ||
    { cat "$tmp/vocab.log" >&2; die "'w2v vocab' failed on $corpus"; }
all_tokens=$(awk '{ s += $2 } END { printf "%d", s }' "$tmp/vocab")
tokens=$(awk -v m=$MINCOUNT '$2 >= m { s += $2; n++ } END { printf "%d", s }' "$tmp/vocab")
vsize=$(awk -v m=$MINCOUNT '$2 >= m { n++ } END { printf "%d", n }' "$tmp/vocab")
[ "$tokens" -gt 0 ] || die "the corpus has no word with count >= $MINCOUNT"
say "tokens: $all_tokens in the corpus, $tokens of the $vsize words with count >= $MINCOUNT (counted by 'w2v vocab'); words/s below = $tokens x $ITER / wall s"

case " $variants " in *" gensim "*)
    # the same tokens, cut for gensim (prepared once, not timed)
    gensim_lines "$corpus" "$GENSIM_CORPUS"
    say "gensim ($gv, $GPY) reads a copy of the corpus in lines of $GENSIM_LINE_WORDS words" ;;
esac

have_q=1; [ -r "$QUESTIONS" ] || { have_q=0; say "no analogy questions at $QUESTIONS: analogy column skipped (set W2V_BENCH_QUESTIONS)"; }
have_p=1; [ -r "$PAIRS" ] || { have_p=0; say "no similarity pairs at $PAIRS: WS-353 column skipped (set W2V_BENCH_PAIRS)"; }

echo
say "commands:"
for v in $variants; do echo "  $v: $("$(fn "$v")_cmd")"; done
echo

# ---- runs, interleaved --------------------------------------------------------
r=1
while [ "$r" -le "$REPEAT" ]; do
    # rotate the starting variant: repeat r starts at variant (r-1) mod n
    order=$(echo "$variants" | awk -v r="$r" \
        '{ s = (r - 1) % NF; for (i = 0; i < NF; i++) printf "%s ", $((i + s) % NF + 1) }')
    for v in $order; do
        f=$(fn "$v")
        out=$tmp/out.$f
        rm -rf "$out"; mkdir -p "$out"
        VEC=$out/vec
        ext=''
        eval "ext=\${VEC_EXT_$f:-}"
        log=$tmp/$f.$r.log
        load=$(load1)
        if (cd "$out" && export VEC && measure "$log" sh -c "exec $limit $("${f}_cmd")") >"$tmp/measured" && [ -s "$VEC$ext" ]; then
            read -r wall rss cpu_s <"$tmp/measured"
            train=$(tr '\r' '\n' <"$log" | sed -n 's/^trained [0-9]* words in \([0-9.]*\) s.*/\1/p' | tail -n 1)
            acc=- rho=-
            if [ $have_q = 1 ]; then
                acc=$("$W2V" eval analogy -vectors "$VEC$ext" -questions "$QUESTIONS" -restrict $RESTRICT \
                        -threads "$THREADS" -json 2>>"$log" |
                      sed -n 's/.*"total": *{ *"accuracy": *\([-0-9.eE+]*\).*/\1/p' | head -n 1)
                [ -n "$acc" ] || acc=-
            fi
            if [ $have_p = 1 ]; then
                rho=$("$W2V" eval similarity -vectors "$VEC$ext" -pairs "$PAIRS" -json 2>>"$log" |
                      sed -n 's/.*"spearman": *\([-0-9.eE+]*\).*/\1/p' | head -n 1)
                [ -n "$rho" ] || rho=-
            fi
            echo "$wall $rss ${train:--} $acc $rho $cpu_s" >>"$tmp/$f.results"
            say "run $r/$REPEAT $v: $wall s${train:+ (training $train s)}, CPU $cpu_s s, load $load, peak RSS $(
                awk -v k="$rss" 'BEGIN { if (k == "-") print "n/a"; else printf "%.0f MiB", k / 1024 }'), analogy $acc, WS-353 $rho"
        else
            say "run $r/$REPEAT $v FAILED (or wrote no vectors); last lines of its log:"
            tr '\r' '\n' <"$log" | tail -n 5 | sed 's/^/    /'
        fi
        rm -rf "$out"
    done
    r=$((r + 1))
done
say "load average at end: $(uptime | sed 's/.*load average[s]*: *//')"

# ---- report -------------------------------------------------------------------
for v in $variants; do
    f=$(fn "$v")
    [ -s "$tmp/$f.results" ] || continue
    echo "$v $(median 1 "$tmp/$f.results")" >>"$tmp/walls"
done
[ -s "$tmp/walls" ] || die "every run failed (see above)"
fastest_ref='' fastest_wall=''
for v in $REFS; do
    w=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/walls")
    [ -n "$w" ] || continue
    if [ -z "$fastest_wall" ] || awk -v a="$w" -v b="$fastest_wall" 'BEGIN { exit !(a < b) }'; then
        fastest_ref=$v fastest_wall=$w
    fi
done
w2v_wall=$(awk '$1 == "word2vec" { print $2 }' "$tmp/walls")

echo
echo "### Training speed and quality ($ITER epoch(s), $THREADS threads, median of $REPEAT)"
echo
echo "| variant | runs | wall s | train s | CPU s | M words/s | vs fastest ref${fastest_ref:+ ($fastest_ref)} | vs word2vec | analogy % | WS-353 ρ | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for v in $variants; do
    f=$(fn "$v")
    if [ ! -s "$tmp/$f.results" ]; then
        echo "| $v | 0 | failed | | | | | | | | |"
        continue
    fi
    n=$(wc -l <"$tmp/$f.results" | tr -d ' ')
    awk -v v="$v" -v n="$n" -v wall="$(median 1 "$tmp/$f.results")" -v rss="$(median 2 "$tmp/$f.results")" \
        -v train="$(median 3 "$tmp/$f.results")" -v acc="$(median 4 "$tmp/$f.results")" \
        -v rho="$(median 5 "$tmp/$f.results")" -v cpu="$(median 6 "$tmp/$f.results")" -v tok="$tokens" -v it="$ITER" \
        -v fw="$fastest_wall" -v ow="$w2v_wall" 'BEGIN {
        wps = (wall > 0 ? tok * it / wall : 0)
        printf "| %s | %d | %.2f | %s | %s | %.3f | %s | %s | %s | %s | %s |\n", v, n, wall,
            (train == "-" ? "-" : sprintf("%.2f", train)), (cpu == "-" ? "-" : sprintf("%.2f", cpu)), wps / 1e6,
            (fw == "" || wall <= 0 ? "-" : sprintf("%.2fx", fw / wall)),
            (ow == "" || wall <= 0 ? "-" : sprintf("%.2fx", ow / wall)),
            (acc == "-" ? "-" : sprintf("%.2f", acc * 100)),
            (rho == "-" ? "-" : sprintf("%.3f", rho)),
            (rss == "-" ? "-" : sprintf("%.0f", rss / 1024)) }'
done
echo
echo "- machine: $(nproc 2>/dev/null || echo '?') CPUs, $cpu; load average at end $(uptime | sed 's/.*load average[s]*: *//')"
echo "- corpus: $(basename "$corpus"), $tokens training tokens (words with count >= $MINCOUNT, by 'w2v vocab'; $all_tokens in all), vocabulary $vsize"
echo "- settings: skip-gram, negative sampling, size $DIM, window $WIN, negative $NEG, sample $SAMPLE, alpha $LR, min-count $MINCOUNT, $ITER epoch(s), $THREADS threads"
echo "- wall s: the whole command (counting, training, writing vectors); train s: w2v's own training time from its summary line;"
echo "  CPU s: user + system seconds of the whole command (less sensitive than wall s to other load on the machine)"
echo "- M words/s = $tokens x $ITER / wall s / 1e6; 'vs' = that reference's wall s / this wall s (> 1: faster than it)"
echo "- analogy: 'w2v eval analogy -restrict $RESTRICT' (case-insensitive, 3CosAdd) total accuracy on $(basename "$QUESTIONS"); WS-353: 'w2v eval similarity' Spearman on $(basename "$PAIRS")"
echo "- peak RSS: $rss_how"
[ -z "$skipped" ] || { printf '%s' "- skipped:"; echo "$skipped" | sed 's/^  /  - /'; }
