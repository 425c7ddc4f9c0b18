#!/bin/sh
# man-options.sh W2V MANPAGE - prints MANPAGE with the body of every block
#     .\" BEGIN OPTIONS cmd [kind]
#     ...
#     .\" END OPTIONS
# replaced by `W2V cmd [kind] --help-roff`: the option lists of the manual
# page come from the same tables as `w2v cmd --help`.  `make man` rewrites
# src/programs/w2v.1 with it; tests/cli/usability.sh checks that nothing
# changes.
W2V=${1:?usage: man-options.sh W2V MANPAGE}
PAGE=${2:?usage: man-options.sh W2V MANPAGE}
in_block=0
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    '.\" BEGIN OPTIONS '*)
        printf '%s\n' "$line"
        # shellcheck disable=SC2086
        "$W2V" ${line#'.\" BEGIN OPTIONS '} --help-roff || exit 1
        in_block=1
        ;;
    '.\" END OPTIONS')
        printf '%s\n' "$line"
        in_block=0
        ;;
    *)
        [ $in_block -eq 1 ] || printf '%s\n' "$line"
        ;;
    esac
done <"$PAGE"
[ $in_block -eq 0 ] || { echo "man-options.sh: $PAGE: a block has no END" >&2; exit 1; }
