# lib.sh - helpers for command-line tests (sourced by tests/cli/*.sh).
# Each check prints "PASS name" or "FAIL name: why"; $W2V is the binary under
# test and $ROOT the project root.  A per-script scratch directory $T is
# created and removed on exit.
: "${W2V:?W2V must name the binary under test}"
: "${ROOT:?ROOT must name the project root}"
T=$(mktemp -d "${TMPDIR:-/tmp}/w2v-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
SHARED_DATA=${W2V_SHARED_DATA:-$ROOT/../shared/data}

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

# ok NAME CONDITION...: passes when the command succeeds.
ok() {
    name=$1; shift
    if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}
