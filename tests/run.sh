#!/bin/sh
# run.sh W2V UNIT_TESTS - runs the unit tests and every tests/cli/*.sh script
# against the given binaries.  Every test prints one line PASS/FAIL/SKIP; the
# run ends with one line "skipped: NAME (why)" per skipped test, then the
# last line "N passed, N failed, N skipped", and exits non-zero on any
# failure.
#
# Nothing is dropped silently: every test `UNIT_TESTS --list` names that the
# unit binary did not report (because it crashed) fails, and a part that
# exits non-zero without printing FAIL counts as one failure.
#
# W2V_TESTS_EXCEPT="NAME ..." leaves out the scripts tests/cli/NAME.sh (for
# a build that cannot run them: the run names them on a line "not run:").
#
# The parts run with TMPDIR set to a folder of their own, removed at the
# end.  INT or TERM stops the run: the part in progress gets TERM (a script
# stops once its current command has ended), the folder is removed and the
# runner exits with 130 (INT) or 143 (TERM).
W2V=${1:?usage: run.sh W2V UNIT_TESTS}
UNIT=${2:?usage: run.sh W2V UNIT_TESTS}
case $W2V in /*) ;; *) W2V=$(pwd)/$W2V ;; esac
case $UNIT in /*) ;; *) UNIT=$(pwd)/$UNIT ;; esac
export W2V
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
work=$(mktemp -d "${TMPDIR:-/tmp}/w2v-tests.XXXXXX") || exit 1
child=
trap 'rm -rf "$work"' EXIT
# stop STATUS: hands TERM to the part in progress, waits for it, and exits
# with STATUS (the EXIT trap removes $work).
stop() {
    if [ -n "$child" ]; then
        kill -s TERM "$child" 2>/dev/null
        wait "$child"
    fi
    exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
mkdir "$work/tmp" || exit 1
TMPDIR=$work/tmp
export TMPDIR
log=$work/log
: >"$work/passed"; : >"$work/failed"; : >"$work/skips"

# how_it_ended STATUS: "status N", naming the signal when one ended it.
how_it_ended() {
    if [ "$1" -gt 128 ]; then echo "status $1 (signal $(($1 - 128)))"
    else echo "status $1"; fi
}

# run_part NAME EXPECTED CMD...: runs CMD (in the background, so that a
# signal reaches the runner at once) with its output in $log, then prints
# that output and counts its verdict lines.  EXPECTED is empty or a file of
# the test names CMD must report, in the order it runs them: each one
# without a PASS/FAIL/SKIP line fails, the first as the test the binary
# died in.  CMD exiting non-zero with no FAIL line is one more failure.
run_part() {
    name=$1 expected=$2
    shift 2
    "$@" >"$log" 2>&1 &
    child=$!
    wait "$child"
    rc=$?
    child=
    if [ -n "$expected" ]; then
        awk -v how="$(how_it_ended "$rc")" '
            FILENAME == ARGV[1] {
                if ($1 == "PASS" || $1 == "FAIL" || $1 == "SKIP") {
                    sub(/:.*/, "", $2); seen[$2] = 1
                }
                next
            }
            seen[$0] { next }
            first == "" {
                first = $0
                print "FAIL " $0 ": no verdict: the unit binary ended (" how ") while running it"
                next
            }
            { print "FAIL " $0 ": no verdict: never ran, the unit binary ended (" how ") in " first }
        ' "$log" "$expected" >"$work/unreported"
        cat "$work/unreported" >>"$log"
    fi
    if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
        echo "FAIL $name: exited with $(how_it_ended "$rc")" >>"$log"
    fi
    cat "$log"
    grep -c '^PASS ' "$log" >>"$work/passed"
    grep -c '^FAIL ' "$log" >>"$work/failed"
    grep '^SKIP ' "$log" >>"$work/skips"
}

"$UNIT" --list >"$work/unit.list" 2>"$work/unit.err"
list_rc=$?
if [ "$list_rc" -ne 0 ] || [ ! -s "$work/unit.list" ]; then
    echo "FAIL unit_tests_list: '$UNIT --list' exited with $(how_it_ended "$list_rc"): $(head -c 300 "$work/unit.err")"
    echo 1 >>"$work/failed"
fi
run_part unit_tests "$work/unit.list" "$UNIT"
left_out=
for script in "$ROOT"/tests/cli/*.sh; do
    name=$(basename "$script" .sh)
    [ "$name" = lib ] && continue
    case " ${W2V_TESTS_EXCEPT:-} " in
    *" $name "*) left_out="$left_out $name.sh"; continue ;;
    esac
    run_part "$name.sh" "" sh "$script"
done
[ -n "$left_out" ] && echo "not run:$left_out (W2V_TESTS_EXCEPT)"

sum() { awk '{ s += $1 } END { print s + 0 }' "$1"; }
passed=$(sum "$work/passed")
failed=$(sum "$work/failed")
skipped=$(wc -l <"$work/skips" | tr -d ' ')
sed -e 's/^SKIP \([^:]*\): \(.*\)$/skipped: \1 (\2)/' \
    -e 's/^SKIP \([^:]*\)$/skipped: \1 (no reason given)/' "$work/skips"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
