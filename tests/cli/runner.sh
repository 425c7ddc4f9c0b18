# runner.sh - the test machinery itself, which every other verdict relies
# on: tests/run.sh fails each test a crashed unit binary did not report and
# a script that exits non-zero without FAIL, lists the skips with their
# reasons before its last line, and stops on TERM, removing its temporary
# files; lib.sh's check tests its whole condition.  The runner runs here on
# stand-in unit binaries and scripts, in trees of their own under $T.
# check's CONDITION is single-quoted on purpose: check evals it when it runs.
# shellcheck disable=SC2016
. "$ROOT/tests/cli/lib.sh"

# make_tree DIR: DIR/tests holding copies of run.sh and cli/lib.sh, for the
# stand-in scripts that the caller then writes into DIR/tests/cli.
make_tree() {
    mkdir -p "$1/tests/cli" &&
        cp "$ROOT/tests/run.sh" "$1/tests/run.sh" &&
        cp "$ROOT/tests/cli/lib.sh" "$1/tests/cli/lib.sh"
}

# lib.sh's check: the whole quoted condition counts, and an unquoted one
# (whose "&& ..." the shell would take away from check) is refused
cat >"$T/checks.sh" <<'EOF'
. "$ROOT/tests/cli/lib.sh"
check whole_true 'true && [ -d "$T" ]'
check second_false 'true && false'
check unquoted [ 1 -eq 1 ] && true
EOF
sh "$T/checks.sh" >"$T/out" 2>&1
check lib_check_passes_a_true_condition 'grep -qx "PASS whole_true" "$T/out"' \
    "$(cat "$T/out")"
check lib_check_tests_every_command 'grep -q "^FAIL second_false: " "$T/out"' \
    "$(cat "$T/out")"
check lib_check_refuses_an_unquoted_condition \
    'grep -q "^FAIL unquoted: check takes NAME" "$T/out"' "$(cat "$T/out")"

# a unit binary that reports two tests and dies by SIGSEGV in the third of
# four; a script that exits 3 without FAIL; a script that passes
crash=$T/crash
make_tree "$crash"
cat >"$crash/unit" <<'EOF'
#!/bin/sh
if [ "$1" = --list ]; then
    printf 'alpha\nbravo\ncharlie\ndelta\n'
    exit 0
fi
echo "PASS alpha"
echo "SKIP bravo: this machine lacks a thing"
kill -s SEGV $$
EOF
printf 'echo "PASS fine"\nexit 3\n' >"$crash/tests/cli/dies.sh"
printf 'echo "PASS fine_too"\n' >"$crash/tests/cli/passes.sh"
chmod +x "$crash/unit"
sh "$crash/tests/run.sh" "$W2V" "$crash/unit" >"$T/out" 2>&1
rc=$?
check runner_fails_the_test_the_unit_binary_died_in \
    'grep -q "^FAIL charlie: no verdict: the unit binary ended (status 139 (signal 11)) while running it" "$T/out"' \
    "$(cat "$T/out")"
check runner_fails_every_test_after_a_crash \
    'grep -q "^FAIL delta: no verdict: never ran, .* in charlie" "$T/out"' \
    "$(cat "$T/out")"
check runner_fails_a_script_that_exits_non_zero \
    'grep -q "^FAIL dies.sh: exited with status 3" "$T/out"' "$(cat "$T/out")"
check runner_lists_skips_then_the_summary_last \
    '[ "$rc" -eq 1 ] &&
     [ "$(tail -n 2 "$T/out" | head -n 1)" = "skipped: bravo (this machine lacks a thing)" ] &&
     [ "$(tail -n 1 "$T/out")" = "3 passed, 3 failed, 1 skipped" ]' \
    "exit $rc: $(tail -n 3 "$T/out")"

# W2V_TESTS_EXCEPT leaves a script out, and the run says so
W2V_TESTS_EXCEPT="dies" sh "$crash/tests/run.sh" "$W2V" "$crash/unit" >"$T/out" 2>&1
check runner_leaves_out_what_it_is_told_and_says_so \
    '! grep -q "fine$" "$T/out" && grep -q "^PASS fine_too" "$T/out" &&
     grep -qx "not run: dies.sh (W2V_TESTS_EXCEPT)" "$T/out"' "$(cat "$T/out")"

# a unit binary that cannot list its tests is a failure
printf '#!/bin/sh\nexit 0\n' >"$crash/unit"
rm "$crash/tests/cli/dies.sh"
sh "$crash/tests/run.sh" "$W2V" "$crash/unit" >"$T/out" 2>&1
rc=$?
check runner_fails_an_empty_test_list \
    '[ "$rc" -eq 1 ] && grep -q "^FAIL unit_tests_list: " "$T/out" &&
     [ "$(tail -n 1 "$T/out")" = "1 passed, 1 failed, 0 skipped" ]' \
    "exit $rc: $(cat "$T/out")"

# TERM while a script runs: the runner hands TERM on, the script's trap
# removes its $T and ends it, the runner removes its own folder and exits
# 143.  The script records its $T in $ROOT/started (its ROOT is the tree)
# and sleeps at most 30 s, so that nothing outlives a failure.
stop=$T/stop
make_tree "$stop"
printf '#!/bin/sh\n[ "$1" = --list ] && echo one || echo "PASS one"\n' >"$stop/unit"
chmod +x "$stop/unit"
cat >"$stop/tests/cli/slow.sh" <<'EOF'
. "$ROOT/tests/cli/lib.sh"
echo "$T" >"$ROOT/started"
i=0
while [ "$i" -lt 30 ]; do sleep 1; i=$((i + 1)); done
EOF
mkdir "$T/stop-tmp"
(
    TMPDIR=$T/stop-tmp sh "$stop/tests/run.sh" "$W2V" "$stop/unit" \
        >"$T/stop.out" 2>&1 &
    echo $! >"$T/stop.pid"
    wait $!
    echo $? >"$T/stop.rc"
) &
# wait_for FILE SECONDS: succeeds once FILE exists, fails after SECONDS
wait_for() {
    waited=0
    while [ ! -s "$1" ]; do
        [ "$waited" -ge "$2" ] && return 1
        sleep 1
        waited=$((waited + 1))
    done
}
if wait_for "$stop/started" 30; then
    kill -s TERM "$(cat "$T/stop.pid")"
    if wait_for "$T/stop.rc" 10; then
        check runner_term_exits_143 '[ "$(cat "$T/stop.rc")" = 143 ]' \
            "exit $(cat "$T/stop.rc"): $(cat "$T/stop.out")"
        check runner_term_removes_the_scripts_temp_folder \
            '[ ! -e "$(cat "$stop/started")" ]' "$(cat "$stop/started") is left"
        check runner_term_removes_its_temp_files \
            '[ -z "$(ls -A "$T/stop-tmp")" ]' "left: $(ls -A "$T/stop-tmp")"
    else
        kill -s KILL "$(cat "$T/stop.pid")" 2>/dev/null
        fail runner_term_exits_143 "still running 10 s after TERM"
    fi
else
    fail runner_term_exits_143 "the slow script never started: $(cat "$T/stop.out")"
fi
wait
