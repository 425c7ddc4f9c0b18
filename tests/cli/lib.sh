# lib.sh - helpers for command-line tests (sourced by tests/cli/*.sh).
# Each check prints "PASS name" or "FAIL name: why"; $W2V is the binary under
# test and $ROOT the project root.  A per-script scratch directory $T is
# created and removed on exit; INT and TERM remove it too and end the script
# (status 130 and 143).
: "${W2V:?W2V must name the binary under test}"
: "${ROOT:?ROOT must name the project root}"
T=$(mktemp -d "${TMPDIR:-/tmp}/w2v-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# exit runs the EXIT trap, which removes $T
trap 'exit 130' INT
trap 'exit 143' TERM
# Used by the scripts that source this file.
# shellcheck disable=SC2034
SHARED_DATA=${W2V_SHARED_DATA:-$ROOT/../shared/data}

# pass NAME, fail NAME WHY, skip NAME WHY: print one verdict line.  Skip
# only for what the machine lacks (data, a tool, a CPU feature), never for
# a w2v feature: a broken command must fail.
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# run CMD...: runs a command, keeping status in $rc, stdout in $T/out and
# stderr in $T/err.
run() {
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

# expect NAME RC [STDERR_PATTERN]: checks the last run's exit status and,
# when given, that stderr matches the extended regex pattern.
expect() {
    if [ "$rc" -ne "$2" ]; then
        fail "$1" "exit $rc, expected $2; stderr: $(head -c 300 "$T/err")"
    elif [ -n "${3:-}" ] && ! grep -Eq -- "$3" "$T/err"; then
        fail "$1" "stderr does not match '$3': $(head -c 300 "$T/err")"
    else
        pass "$1"
    fi
}

# check NAME CONDITION [WHY]: passes when CONDITION, one quoted string of
# shell commands, succeeds as a whole; else fails with WHY (default: the
# condition).  CONDITION runs with eval in this shell, so it sees $rc, $T
# and the script's variables when it runs.  Any other number of arguments
# fails: an unquoted condition (check NAME [ "$rc" -eq 0 ] && grep ...)
# would otherwise test only part of itself.
check() {
    if [ $# -lt 2 ] || [ $# -gt 3 ]; then
        fail "${1:-check}" "check takes NAME 'CONDITION' [WHY]; got $# arguments: $*"
    elif eval "$2"; then
        pass "$1"
    else
        fail "$1" "${3:-$2}"
    fi
}

# none_exist PATH...: succeeds when none of the paths exists.  Give it a
# glob: one that matches nothing stays the pattern, which does not exist.
none_exist() {
    for path in "$@"; do
        if [ -e "$path" ]; then return 1; fi
    done
    return 0
}
