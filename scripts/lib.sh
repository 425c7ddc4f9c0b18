# shellcheck shell=sh
# lib.sh - shell helpers shared by demo.sh and the bench-*.sh scripts
# (sourced, not run).  The sourcing script sets ROOT (the checkout), defines
# say() and die() and keeps $part in its EXIT trap so that an interrupted
# decompression leaves nothing behind.

# gensim keeps at most this many words of a line and drops the rest.
GENSIM_LINE_WORDS=10000
# The gensim reference trainer, run by the benchmarks' command lines (sh -c):
# it trains on a file made by gensim_lines (see its usage).
GENSIM_DRIVER=$ROOT/scripts/gensim-train.py
export GENSIM_DRIVER

# cached_xz XZ OUT: decompresses XZ into OUT once, through a temporary file
# renamed at the end, so OUT is either whole or absent.
cached_xz() {
    [ -s "$2" ] && return 0
    command -v xz >/dev/null 2>&1 || { say "xz is not installed (apt-get install xz-utils)"; return 1; }
    mkdir -p "$(dirname "$2")"
    part=$2.part.$$
    say "decompressing $1 into $2 (once)"
    if xz -dc "$1" >"$part"; then mv -f "$part" "$2"; part=; return 0; fi
    rm -f "$part"; part=
    return 1
}

# find_corpus SHARED CACHE: the benchmark corpus, in $corpus as an absolute
# path.  A $corpus already set is kept and must be a readable file (else
# die); when empty it becomes enwiki-100M from SHARED, decompressed once into
# CACHE/enwiki-100M.txt, else CACHE/text8 when present.  Returns 1, $corpus
# empty, when neither is there.
find_corpus() {
    if [ -n "$corpus" ]; then
        if [ ! -f "$corpus" ] || [ ! -r "$corpus" ]; then die "cannot read corpus $corpus"; fi
    elif [ -r "$1/enwiki-100M.txt.xz" ] && cached_xz "$1/enwiki-100M.txt.xz" "$2/enwiki-100M.txt"; then
        corpus=$2/enwiki-100M.txt
    elif [ -s "$2/text8" ]; then
        corpus=$2/text8
    else
        return 1
    fi
    case $corpus in /*) ;; *) corpus=$(pwd)/$corpus ;; esac
}

# find_ref VALUE NAME: prints the reference trainer to run: VALUE when it is
# set (a path, used when executable, made absolute: the trainers run in a
# temporary folder, where pSGNScc drops its timing file; or a command name
# looked up on PATH), else the command NAME on PATH.  Prints nothing when it
# is not found.
find_ref() {
    if [ -n "$1" ]; then
        case $1 in
        /*) if [ -x "$1" ]; then echo "$1"; fi ;;
        */*) if [ -x "$1" ]; then echo "$(pwd)/$1"; fi ;;
        *) command -v "$1" 2>/dev/null || true ;;
        esac
    else
        command -v "$2" 2>/dev/null || true
    fi
}

# gensim_python VALUE: prints the Python that runs the gensim reference:
# VALUE when set and it can import gensim, else the first of /usr/bin/python3
# and python3 on PATH that can.  Prints nothing when none can.
gensim_python() {
    if [ -n "$1" ]; then
        set -- "$1"
    else
        set -- /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"
    fi
    for py in "$@"; do
        if [ -n "$py" ] && "$py" -c 'import gensim' >/dev/null 2>&1; then
            echo "$py"
            return 0
        fi
    done
}

# gensim_missing VALUE: prints why gensim_python VALUE printed nothing.
gensim_missing() {
    if [ -n "$1" ]; then
        echo "$1 cannot import gensim"
    else
        echo "neither /usr/bin/python3 nor python3 on PATH can import gensim"
    fi
}

# gensim_lines CORPUS OUT: writes the words of CORPUS to OUT in lines of
# $GENSIM_LINE_WORDS (the last one shorter), so that gensim, which drops the
# words past that in a line, trains on every token, as the other tools do.
# The corpus's own line breaks count as spaces.
gensim_lines() {
    awk -v n="$GENSIM_LINE_WORDS" 'BEGIN { RS = "[ \t\r\n]+" }
        NF { printf "%s%s", $0, (++i % n ? " " : "\n") }
        END { if (i % n) printf "\n" }' "$1" >"$2"
}

# median N FILE: the median of the numbers in column N of FILE (fields
# separated by blanks), ignoring '-' entries; prints '-' when none is left.
median() {
    awk -v c="$1" '$c != "-" { print $c }' "$2" | sort -n |
        awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
              else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
