#!/bin/sh
# get-data.sh DIR - downloads the standard text8 corpus (Matt Mahoney's
# text8.zip, 100,000,000 bytes of cleaned English Wikipedia) into DIR and
# unzips it to DIR/text8.  Only when the network allows: every network step
# has short timeouts, so without a network this fails within ~15 s.
# Exits 0 when DIR/text8 is present and verified, non-zero with a message on
# any failure; never leaves a partial text8 or text8.zip behind.
#
# Verification: we could not establish a SHA-256 of text8.zip from a source
# we trust, so the script checks the sizes that many independent users
# publish: text8.zip is 31,344,016 bytes and text8 is 100,000,000 bytes.  It
# prints the SHA-256 it computed; set W2V_TEXT8_SHA256 to pin one (the
# download is then refused unless it matches).
#
# Environment: W2V_TEXT8_URL (default http://mattmahoney.net/dc/text8.zip),
# W2V_TEXT8_SHA256 (optional, see above).
set -eu

prog=get-data.sh
URL=${W2V_TEXT8_URL:-http://mattmahoney.net/dc/text8.zip}
ZIP_BYTES=31344016
TEXT_BYTES=100000000

die() { echo "$prog: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: $prog DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir" || die "cannot create $dir"

fsize() { wc -c <"$1" | tr -d ' '; }

if [ -f "$dir/text8" ] && [ "$(fsize "$dir/text8")" -eq $TEXT_BYTES ]; then
    echo "$prog: $dir/text8 is already there ($TEXT_BYTES bytes)"
    exit 0
fi

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v python3 >/dev/null 2>&1; then
        python3 -c 'import hashlib,sys; h=hashlib.sha256()
with open(sys.argv[1],"rb") as f:
    for b in iter(lambda: f.read(1<<20), b""): h.update(b)
print(h.hexdigest())' "$1"
    else echo ""; fi
}

tmpzip="$dir/.text8.zip.part.$$"
tmptext="$dir/.text8.part.$$"
trap 'rm -f "$tmpzip" "$tmptext"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

zip=$dir/text8.zip
if [ -f "$zip" ] && [ "$(fsize "$zip")" -eq $ZIP_BYTES ]; then
    echo "$prog: using the existing $zip"
else
    # probe first: a dead or blocked network fails here within ~10 s
    if command -v curl >/dev/null 2>&1; then
        curl -sSfI --connect-timeout 5 --max-time 10 "$URL" >/dev/null 2>&1 ||
            die "cannot reach $URL (no network?); nothing downloaded"
        echo "$prog: downloading $URL"
        # abort when slower than 10 kB/s for 30 s, rather than hang
        curl -fL --connect-timeout 5 --speed-limit 10000 --speed-time 30 \
            --retry 0 -o "$tmpzip" "$URL" || die "download of $URL failed"
    elif command -v wget >/dev/null 2>&1; then
        wget -q --spider --tries=1 --timeout=5 "$URL" >/dev/null 2>&1 ||
            die "cannot reach $URL (no network?); nothing downloaded"
        echo "$prog: downloading $URL"
        wget --tries=1 --dns-timeout=5 --connect-timeout=5 --read-timeout=30 \
            -O "$tmpzip" "$URL" || die "download of $URL failed"
    else
        die "neither curl nor wget is installed (apt-get install curl)"
    fi
    got=$(fsize "$tmpzip")
    [ "$got" -eq $ZIP_BYTES ] || die "text8.zip is $got bytes, expected $ZIP_BYTES"
    sum=$(sha256 "$tmpzip")
    echo "$prog: text8.zip: $got bytes, sha256 ${sum:-unknown (no sha256sum)}"
    if [ -n "${W2V_TEXT8_SHA256:-}" ] && [ "$sum" != "$W2V_TEXT8_SHA256" ]; then
        die "sha256 mismatch: got $sum, W2V_TEXT8_SHA256 says $W2V_TEXT8_SHA256"
    fi
    mv -f "$tmpzip" "$zip"
fi

echo "$prog: unzipping $zip"
if command -v unzip >/dev/null 2>&1; then
    unzip -p "$zip" text8 >"$tmptext" || die "unzip of $zip failed"
elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open("text8") as f, open(sys.argv[2], "wb") as o:
    shutil.copyfileobj(f, o, 1 << 20)' "$zip" "$tmptext" || die "unzip of $zip failed"
else
    die "neither unzip nor python3 is installed (apt-get install unzip)"
fi
got=$(fsize "$tmptext")
[ "$got" -eq $TEXT_BYTES ] || die "text8 is $got bytes, expected $TEXT_BYTES"
mv -f "$tmptext" "$dir/text8"
echo "$prog: $dir/text8 ready ($TEXT_BYTES bytes)"
