#!/bin/sh
# bench-scaling.sh [CORPUS] - thread scaling of w2v and of the references
# found (pWord2Vec, pSGNScc), and of w2v without context combining
# (w2v-combine1): whole 1-epoch runs (counting, training,
# writing) at each thread count of W2V_BENCH_SCALING (default "1 2"),
# interleaved over W2V_BENCH_REPEAT rounds (default 3), medians.  Prints one
# table: wall seconds, words/s and the speed-up over the first thread count,
# per trainer (of the medians, and the median and range of the speed-ups
# within each round, which drift between rounds does not move), so that
# the machine's own share (what the references lose too) can be told from
# w2v's.  Row w2v-jobs is the machine's ceiling: at
# each thread count t, t separate one-thread w2v runs at once (nothing
# shared but the machine), its words/s and speed-up those of all t
# together against one such run alone.
#
# Two more columns tell the threads' own cost from the host's: CPU s, the
# trainer's user + system seconds (for w2v-jobs, of one of its runs), whose
# growth with the thread count is the work the threads add (contention on
# shared rows, waiting spins); and stolen s, the seconds the hypervisor
# held this machine's CPUs from it during the run (the steal column of
# /proc/stat, all CPUs), which wall seconds include and CPU seconds do not.
#
# Corpus and references as for bench-train.sh: $1, else $W2V_BENCH_CORPUS,
# else enwiki-100M decompressed once into data/cache/; W2V_REF_PWORD2VEC,
# W2V_REF_PSGNSCC (else pWord2Vec, pSGNScc on PATH).  Settings: skip-gram
# ns, -size 100 -window 5 -negative 5 -sample 1e-4 -min-count 5, 1 epoch
# (W2V_BENCH_ITER).  Never fetches, builds or installs anything.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W2V=${W2V:-$ROOT/w2v}
case $W2V in /*) ;; */*) W2V=$(pwd)/$W2V ;; esac
SHARED=${W2V_SHARED_DATA:-$ROOT/../shared/data}
CACHE=$ROOT/data/cache
ITER=${W2V_BENCH_ITER:-1}
REPEAT=${W2V_BENCH_REPEAT:-3}
COUNTS=${W2V_BENCH_SCALING:-1 2}

say() { echo "bench-scaling: $*"; }
die() { echo "bench-scaling: $*" >&2; exit 1; }
[ -x "$W2V" ] || die "$W2V is missing; run 'make' first"
[ -x /usr/bin/time ] || die "needs GNU time (apt-get install time)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/w2v-bench-scaling.XXXXXX") || die "cannot make a temp dir"
case $tmp in /*) ;; *) tmp=$(pwd)/$tmp ;; esac
part=
trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$ROOT/scripts/lib.sh"
corpus=${1:-${W2V_BENCH_CORPUS:-}}
find_corpus "$SHARED" "$CACHE" || die "no corpus: give one as \$1 or W2V_BENCH_CORPUS"

PWORD2VEC=$(find_ref "${W2V_REF_PWORD2VEC:-}" pWord2Vec)
PSGNSCC=$(find_ref "${W2V_REF_PSGNSCC:-}" pSGNScc)
trainers="w2v w2v-jobs"
# w2v-combine1: without context combining, when the build has it
"$W2V" train --help 2>&1 | grep -q '^ *-combine[ 	]' && trainers="$trainers w2v-combine1"
[ -n "$PWORD2VEC" ] && trainers="$trainers pWord2Vec"
[ -n "$PSGNSCC" ] && trainers="$trainers pSGNScc"
COMMON="-size 100 -window 5 -negative 5 -sample 1e-4 -alpha 0.025 -min-count 5 -iter $ITER -binary 1"

# command TRAINER THREADS: the command line, vectors to $tmp/vec
command_of() {
    case $1 in
    w2v) echo "$W2V train -input $corpus -output $tmp/vec $COMMON -threads $2 -quiet" ;;
    w2v-combine1) echo "$W2V train -input $corpus -output $tmp/vec $COMMON -threads $2 -quiet -combine 1" ;;
    pWord2Vec) echo "$PWORD2VEC -train $corpus -output $tmp/vec $COMMON -threads $2" ;;
    pSGNScc) echo "$PSGNSCC -train $corpus -output $tmp/vec $COMMON -threads $2 -C 8 -T 500000" ;;
    esac
}

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)
say "machine: $(nproc) CPUs ($cpu); load average at start: $(uptime | sed 's/.*load average[s]*: *//')"
say "corpus: $corpus; $ITER epoch(s); thread counts: $COUNTS; $REPEAT round(s); trainers: $trainers"
tokens=$("$W2V" vocab -input "$corpus" -output - -min-count 5 2>/dev/null | awk '{ s += $2 } END { print s }')

cd "$tmp" # the trainers' own files (pSGNScc writes pSGNScc_time) land there
# stolen_ticks: the machine's steal ticks so far (0 where /proc/stat has
# no steal column)
stolen_ticks() {
    awk '$1 == "cpu" { print ($9 == "" ? 0 : $9); exit }' /proc/stat 2>/dev/null || echo 0
}
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

# run_jobs T: T one-thread w2v runs started together, each with its own
# output; prints the wall seconds of the slowest and the mean CPU seconds
# of one run
run_jobs() {
    pids=
    j=1
    while [ "$j" -le "$1" ]; do
        # shellcheck disable=SC2046 # the command line is split on purpose
        /usr/bin/time -f '%e %U %S' -o "$tmp/time$j" $(command_of w2v 1 | sed "s|$tmp/vec|$tmp/vec$j|") \
            >"$tmp/log$j" 2>&1 &
        pids="$pids $!"
        j=$((j + 1))
    done
    failed=0
    for pid in $pids; do
        wait "$pid" || failed=1
    done
    [ "$failed" = 0 ] || { cat "$tmp"/log[0-9]* >&2; die "w2v-jobs failed with $1 runs at once"; }
    cat "$tmp"/time[0-9]* | awk '$1 > w { w = $1 } { c += $2 + $3 } END { printf "%s %.2f\n", w, c / NR }'
    rm -f "$tmp"/time[0-9]* "$tmp"/vec[0-9]* "$tmp"/log[0-9]*
}

r=1
while [ "$r" -le "$REPEAT" ]; do
    for t in $COUNTS; do
        for x in $trainers; do
            before=$(stolen_ticks)
            if [ "$x" = w2v-jobs ]; then
                run_jobs "$t" >"$tmp/time"
            else
                # shellcheck disable=SC2046 # the command line is split on purpose
                /usr/bin/time -f '%e %U %S' -o "$tmp/time" $(command_of "$x" "$t") >"$tmp/log" 2>&1 ||
                    { cat "$tmp/log" >&2; die "$x failed with $t threads"; }
                awk '{ print $1, $2 + $3 }' "$tmp/time" >"$tmp/time.cpu" && mv "$tmp/time.cpu" "$tmp/time"
            fi
            stolen=$(awk -v a="$before" -v b="$(stolen_ticks)" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
            read -r wall cpu_s <"$tmp/time"
            echo "$x $t $wall $r $cpu_s $stolen" >>"$tmp/runs"
            say "round $r: $x, $t thread(s): $wall s, CPU $cpu_s s, stolen $stolen s"
        done
    done
    r=$((r + 1))
done

echo
echo "| trainer | threads | wall s (median of $REPEAT) | M words/s | speed-up | per round: median (range) | CPU s | stolen s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
first=${COUNTS%% *}
for x in $trainers; do
    base=
    for t in $COUNTS; do
        awk -v x="$x" -v t="$t" '$1 == x && $2 == t' "$tmp/runs" >"$tmp/these"
        m=$(median 3 "$tmp/these")
        cpu_s=$(median 5 "$tmp/these")
        stolen=$(median 6 "$tmp/these")
        j=1 # w2v-jobs: t runs at once, whose words add up
        [ "$x" = w2v-jobs ] && j=$t
        rate=$(awk -v m="$m" -v j="$j" 'BEGIN { print j / m }')
        [ "$t" = "$first" ] && base=$rate
        # the speed-up within each round (its own first-count run), which
        # the machine's drift between rounds does not move
        jf=1
        [ "$x" = w2v-jobs ] && jf=$first
        awk -v x="$x" -v t="$t" -v f="$first" -v j="$j" -v jf="$jf" \
            'NR == FNR { if ($1 == x && $2 == f) b[$4] = $3; next }
             $1 == x && $2 == t && b[$4] > 0 { print b[$4] * j / (jf * $3) }' "$tmp/runs" "$tmp/runs" |
            sort -n >"$tmp/ratios"
        per_round=$(awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "%.2fx (%.2f-%.2f)", m, a[1], a[NR] }' "$tmp/ratios")
        awk -v x="$x" -v t="$t" -v m="$m" -v r="$rate" -v b="$base" -v n="$tokens" -v e="$ITER" -v p="$per_round" \
            -v c="$cpu_s" -v s="$stolen" \
            'BEGIN { printf "| %s | %s | %.2f | %.2f | %.2fx | %s | %.2f | %.2f |\n", x, t, m, r * n * e / 1e6, r / b, p, c, s }'
    done
done
say "load average at end: $(uptime | sed 's/.*load average[s]*: *//')"
