#!/bin/sh
# check-lib.sh "SYMBOLS" OBJECT... - fails, naming the object and the
# symbol, when any library object references one of SYMBOLS (nm -u): the
# library must never print to the standard streams, exit, abort or read the
# environment; it returns errors that the program prints.
forbidden=$1
shift
bad=0
for obj in "$@"; do
    for sym in $(nm -u "$obj" | awk '{ print $NF }'); do
        for f in $forbidden; do
            case $sym in
            "$f" | "__${f}_chk" | "${f}@"*)
                echo "check-lib: $obj references $sym"
                bad=1 ;;
            esac
        done
    done
done
[ "$bad" -eq 0 ] && echo "check-lib: the library references none of: $forbidden"
exit "$bad"
