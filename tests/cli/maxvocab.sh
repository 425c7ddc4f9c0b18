# maxvocab.sh - -max-vocab (counting in bounded memory, keeping the most
# frequent words with exact counts) and -max-final-vocab (min-count raised
# to keep at most N words), checked against exact counts made with
# tr | sort | uniq -c: on a generated corpus, and on the first 5 MB of
# enwiki-100M when ../shared/data (or $W2V_SHARED_DATA) has it.
. "$ROOT/tests/cli/lib.sh"

# exact_counts FILE: "word count" lines in vocabulary order (count
# descending, then bytes), from the corpus FILE (space-separated words).
exact_counts() {
    tr ' ' '\n' <"$1" | grep -v '^$' | LC_ALL=C sort | uniq -c |
        LC_ALL=C sort -k1,1nr -k2,2 | awk '{ print $2, $1 }'
}

# check_bounded NAME OUT EXACT N: OUT has at most N lines, each with its
# exact count, and holds every word seen more than tokens / (N+1) times.
check_bounded() {
    why=$(awk -v n="$4" '
        FNR == NR { exact[$1] = $2; tokens += $2; order[++words] = $1; next }
        { kept++; got[$1] = 1
          if (exact[$1] != $2) { print "\"" $1 "\" counted " $2 ", truly " exact[$1]; bad = 1; exit } }
        END { if (bad) exit
              if (kept > n) { print kept " lines, max " n; exit }
              above = int(tokens / (n + 1))
              for (i = 1; i <= words; i++)
                  if (exact[order[i]] > above && !(order[i] in got)) {
                      print "\"" order[i] "\" (" exact[order[i]] " > " above ") dropped"; exit } }
    ' "$3" "$2")
    if [ -z "$why" ]; then pass "$1"; else fail "$1" "$why"; fi
}

# same_lines NAME A B: files A and B are identical.
same_lines() {
    if cmp -s "$2" "$3"; then pass "$1"
    else fail "$1" "$(diff "$2" "$3" | head -n 3 | tr '\n' ' ')"; fi
}

# A generated corpus: h01..h20 seen 3001..3020 times, 2500 words seen once
# (n1..n2500), round-robin on lines of about 21 words: 62710 tokens, so the
# twenty heavy words are all above the guarantee of -max-vocab 20
# (62710 / 21 = 2986) and are the exact top 20, while 2520 distinct words
# force the counting table (20 + 1024 words) to be reduced.
awk 'BEGIN { for (r = 1; r <= 3020; r++) {
                 line = ""
                 for (h = 1; h <= 20; h++)
                     if (r <= 3000 + h) line = line sprintf("h%02d ", h)
                 if (r <= 2500) line = line "n" r
                 print line } }' >"$T/gen.txt"
exact_counts "$T/gen.txt" >"$T/gen.exact"

run "$W2V" vocab -input "$T/gen.txt" -output "$T/gen20.txt" -min-count 1 -max-vocab 20
expect maxvocab_generated_warns 0 "reached -max-vocab 20 words: kept the 20 most frequent of [0-9]+ candidates, recounted exactly in a second pass \(the last kept seen 3001 times\); every word seen more than 2986 times is kept"
check_bounded maxvocab_generated_guarantee "$T/gen20.txt" "$T/gen.exact" 20
head -n 20 "$T/gen.exact" >"$T/gen.top20"
same_lines maxvocab_generated_exact_top20 "$T/gen20.txt" "$T/gen.top20"

# standard input is spooled, so it is read twice as well
run sh -c "cat '$T/gen.txt' | '$W2V' vocab -input - -output - -min-count 1 -max-vocab 20"
expect maxvocab_stdin 0 "recounted exactly in a second pass"
same_lines maxvocab_stdin_same "$T/out" "$T/gen.top20"

# at or above the distinct words: exactly the unbounded vocabulary, silently
run "$W2V" vocab -input "$T/gen.txt" -output "$T/gen0.txt" -min-count 1 -max-vocab 0
expect maxvocab_unbounded 0
same_lines maxvocab_unbounded_exact "$T/gen0.txt" "$T/gen.exact"
run "$W2V" vocab -input "$T/gen.txt" -output "$T/gen2520.txt" -min-count 1 -max-vocab 2520
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/gen2520.txt" "$T/gen.exact"; then
    pass maxvocab_at_distinct_is_unbounded
else
    fail maxvocab_at_distinct_is_unbounded "exit $rc; $(head -c 200 "$T/err")"
fi

# below the distinct words but within one table: exact top N in one pass
run "$W2V" vocab -input "$T/gen.txt" -output "$T/gen2000.txt" -min-count 1 -max-vocab 2000
expect maxvocab_one_pass 0 "kept exactly the 2000 most frequent \(the last seen 1 time\)"
head -n 2000 "$T/gen.exact" >"$T/gen.top2000"
same_lines maxvocab_one_pass_exact_top "$T/gen2000.txt" "$T/gen.top2000"

# -max-final-vocab: min-count raised to keep the 10 most frequent
run "$W2V" vocab -input "$T/gen.txt" -output "$T/final10.txt" -max-final-vocab 10
expect max_final_vocab_raises 0 "keeping the 10 most frequent words \(-max-final-vocab 10\): min-count raised from 5 to 3011"
head -n 10 "$T/gen.exact" >"$T/gen.top10"
same_lines max_final_vocab_top10 "$T/final10.txt" "$T/gen.top10"
# ties at the cut all go: b and c tie for the second place
printf 'a a a b b c c d\n' >"$T/ties.txt"
run "$W2V" vocab -input "$T/ties.txt" -output - -min-count 1 -max-final-vocab 2
expect max_final_vocab_ties 0 "keeping the 1 most frequent word \(-max-final-vocab 2\): min-count raised from 1 to 3"
if [ "$(cat "$T/out")" = "a 3" ]; then pass max_final_vocab_ties_drop_all
else fail max_final_vocab_ties_drop_all "$(tr '\n' ' ' <"$T/out")"; fi
# not reached: nothing changes, nothing said
run "$W2V" vocab -input "$T/gen.txt" -output "$T/final_big.txt" -min-count 1 -max-final-vocab 2520
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/final_big.txt" "$T/gen.exact"; then
    pass max_final_vocab_not_reached
else
    fail max_final_vocab_not_reached "exit $rc; $(head -c 200 "$T/err")"
fi
# train: the vocabulary and the vectors hold the 10 words
run "$W2V" train -input "$T/gen.txt" -output "$T/v10.txt" -save-vocab "$T/sv10.txt" -size 8 -iter 1 -threads 1 -quiet -max-final-vocab 10
expect max_final_vocab_train 0 "min-count raised from 5 to 3011"
if [ "$(head -n 1 "$T/v10.txt")" = "10 8" ] && cmp -s "$T/sv10.txt" "$T/gen.top10"; then
    pass max_final_vocab_train_vectors
else
    fail max_final_vocab_train_vectors "header '$(head -n 1 "$T/v10.txt")'"
fi
run "$W2V" train -input "$T/gen.txt" -output "$T/bad.txt" -max-final-vocab -1
expect max_final_vocab_train_usage 2 "^w2v train: -max-final-vocab"
run "$W2V" vocab -input "$T/gen.txt" -output "$T/bad.txt" -max-final-vocab x
expect max_final_vocab_vocab_usage 2 "^w2v vocab: -max-final-vocab"

# the first 5 MB of enwiki-100M (841,197 tokens, 42,682 distinct words)
xzfile=$SHARED_DATA/enwiki-100M.txt.xz
if [ ! -f "$xzfile" ]; then
    skip maxvocab_enwiki "no $xzfile (set W2V_SHARED_DATA to the folder holding enwiki-100M.txt.xz)"
    exit 0
fi
xz -dc "$xzfile" 2>/dev/null | head -c 5000000 >"$T/c5M.txt"
exact_counts "$T/c5M.txt" >"$T/c5M.exact"
for n in 10 1000; do
    run "$W2V" vocab -input "$T/c5M.txt" -output "$T/c5M.$n" -min-count 1 -max-vocab $n
    expect maxvocab_enwiki_$n 0 "reached -max-vocab $n words: kept the $n most frequent"
    check_bounded maxvocab_enwiki_${n}_guarantee "$T/c5M.$n" "$T/c5M.exact" $n
    lines=$(wc -l <"$T/c5M.$n" | tr -d ' ')
    if [ "$lines" = $n ]; then pass maxvocab_enwiki_${n}_kept
    else fail maxvocab_enwiki_${n}_kept "$lines lines"; fi
done
# not guaranteed (no word is seen more than 841,197 / 11 = 76,472 times),
# but deterministic here: the ten most frequent come out exactly
head -n 10 "$T/c5M.exact" >"$T/c5M.top10"
same_lines maxvocab_enwiki_10_exact_top10 "$T/c5M.10" "$T/c5M.top10"
