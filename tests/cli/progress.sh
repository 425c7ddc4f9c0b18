# progress.sh - the progress line: on a terminal it is redrawn with "\r",
# fits the terminal's width and shows the epoch and k/M/G speeds; TERM=dumb
# and logs get plain timestamped lines; the final line agrees with the
# summary; spooling standard input shows bytes and rate; singular/plural.
# shellcheck disable=SC2086 # $long is a list of flags
. "$ROOT/tests/cli/lib.sh"

PTY="$ROOT/tests/cli/pty_run.py"
corpus=$ROOT/data/synthetic.txt
long="-input $corpus -output $T/v.bin -binary 1 -iter 6 -threads 2 -debug 2"
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z  '

# draws FILE WIDTH: checks the redraws in a terminal capture: each "\r"
# starts a line that ends with ESC [ K and has at most WIDTH - 1 bytes;
# prints the number of draws, or "bad: ..." for the first that is not so.
draws() {
    awk -v w="$2" 'BEGIN { RS = "\r"; n = 0 }
        NR > 1 { i = index($0, "\033[K")
                 if (i == 0) { print "bad: no erase after draw " NR - 1; bad = 1; exit }
                 line = substr($0, 1, i - 1)
                 if (length(line) > w - 1) { print "bad: " length(line) " bytes: " line; bad = 1; exit }
                 n++ }
        END { if (!bad) print n }' "$1"
}

# no_control FILE: neither ESC nor CR anywhere in FILE
no_control() {
    ! LC_ALL=C grep -q "$(printf '\033')" "$1" && ! LC_ALL=C grep -q "$(printf '\r')" "$1"
}

if command -v python3 >/dev/null 2>&1; then
    # 24 epochs: at least two redraws 0.5 s apart, on a fast machine too
    for width in 60 40; do
        python3 "$PTY" $width "$T/tty$width" -- "$W2V" train $long -iter 24
        rc=$?
        n=$(draws "$T/tty$width" $width)
        check "tty_${width}_columns_redraws_fit" "[ $rc -eq 0 ] && [ '$n' -ge 2 ] 2>/dev/null"
        [ "$n" -ge 2 ] 2>/dev/null || echo "# draws at $width columns: $n"
    done
    check tty_shows_the_epoch "tr '\r' '\n' <'$T/tty60' | grep -Eq '^ep(och)? [0-9]+/24 '"
    check tty_speed_in_si_units "tr '\r' '\n' <'$T/tty60' | grep -Eq ' [0-9]{1,3}(\.[0-9]+)?[kMG]? w(ords)?/s'"
    python3 "$PTY" 200 "$T/tty200" -- "$W2V" train $long -iter 1
    check tty_wide_line_has_every_field "tr '\r' '\n' <'$T/tty200' | grep -Eq '^epoch 1/1  100.0%  [0-9.]+[kMG]? words/s  \([0-9.]+[kMG]?/thread\)  alpha [0-9.]+  loss [0-9.]+  elapsed [0-9]+:[0-9]{2}  eta 0:00'"

    TERM=dumb python3 "$PTY" 60 "$T/dumb" -- "$W2V" train $long -iter 2
    rc=$?
    check dumb_terminal_plain_lines "[ $rc -eq 0 ] && grep -Eq '${stamp}epoch 2/2  100.0%' '$T/dumb'"
    if no_control "$T/dumb"; then pass dumb_terminal_no_escapes; else fail dumb_terminal_no_escapes "ESC or CR in the output"; fi

    # spooling a slow standard input: bytes and rate, redrawn
    (cat "$corpus"; sleep 1.3; cat "$corpus") |
        python3 "$PTY" 80 "$T/spool" --stdin -- "$W2V" train -input - -output "$T/s.bin" -iter 1 -threads 2 -debug 2
    rc=$?
    n=$(draws "$T/spool" 80)
    check tty_spool_progress "[ $rc -eq 0 ] && [ '$n' -ge 2 ] 2>/dev/null && tr '\r' '\n' <'$T/spool' | grep -Eq '^reading standard input: [0-9.]+[kMG]?B, [0-9.]+[kMG]?B/s'"
    check tty_spool_ends_with_total "tr '\r' '\n' <'$T/spool' | grep -q '^reading standard input: 2.81MB, '"
else
    skip tty_progress "no python3 for a pseudo-terminal"
fi

# a log: timestamped lines, no escapes, the final line agrees with the summary
"$W2V" train $long -iter 2 2>"$T/log"
rc=$?
check log_lines_have_utc_timestamps "[ $rc -eq 0 ] && grep -Eq '${stamp}epoch [12]/2  [0-9.]+%  [0-9]{1,3}(\.[0-9]+)?[kMG]? words/s' '$T/log'"
if no_control "$T/log"; then pass log_no_escapes; else fail log_no_escapes "ESC or CR in the log"; fi
final=$(grep -E "$stamp" "$T/log" | tail -n 1 | sed -n 's/.* elapsed \([0-9]*\):\([0-9]*\) .*/\1 \2/p')
summary=$(sed -n 's/^trained [0-9]* words in \([0-9.]*\) s.*/\1/p' "$T/log")
check final_line_agrees_with_summary "[ -n '$final' ] && [ -n '$summary' ] &&
    awk -v f='$final' -v s='$summary' 'BEGIN { split(f, m, \" \"); exit !(m[1] * 60 + m[2] == int(s)) }'"
(cat "$corpus"; sleep 5.4; cat "$corpus") | "$W2V" vocab -input - -output "$T/voc" 2>"$T/slog"
check log_spool_progress "grep -Eq '${stamp}reading standard input: [0-9]+ bytes \([0-9.]+[kMG]?B\), [0-9.]+[kMG]?B/s$' '$T/slog'"

# singular and plural
printf 'solo\n' >"$T/one.txt"
run "$W2V" train -input "$T/one.txt" -output "$T/one.vec" -size 4 -iter 1 -threads 1 -min-count 1 -debug 1
expect one_word_one_thread_one_epoch 0 "training: skip-gram, loss ns, 1 thread, kernel [a-z0-9]+, 1 epoch$"
check singular_vocabulary "grep -q '^vocabulary: 1 word (min-count 1), 1 training word$' '$T/err' && grep -q '^read 1 word, 1 distinct' '$T/err' && grep -q '^trained 1 word in' '$T/err'"
run "$W2V" train -input "$corpus" -output "$T/two.vec" -size 4 -iter 2 -threads 2 -debug 1
expect plural_threads_and_epochs 0 "training: skip-gram, loss ns, 2 threads, kernel [a-z0-9]+, 2 epochs$"
awk 'BEGIN { w = ""; for (i = 0; i < 300; i++) w = w "x"; print w, "short" }' >"$T/long.txt"
run "$W2V" train -input "$T/long.txt" -output "$T/long.vec" -size 4 -iter 1 -min-count 1 -quiet
expect one_word_truncated 0 "1 word longer than 100 bytes was truncated"
