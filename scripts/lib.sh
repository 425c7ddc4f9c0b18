# lib.sh - shell helpers shared by demo.sh, bench.sh and bench-train.sh
# (sourced, not run).  The sourcing script defines say() and keeps $part in
# its EXIT trap so an interrupted decompression leaves nothing behind.

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
