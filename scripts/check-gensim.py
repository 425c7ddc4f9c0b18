#!/usr/bin/python3
"""check-gensim.py - do `w2v eval` and gensim agree on the same vectors?

usage: /usr/bin/python3 scripts/check-gensim.py W2V VECTORS QUESTIONS [PAIRS]
           [--restrict N]

Runs `w2v eval analogy -json -restrict N` (case-insensitive, 3CosAdd) and
gensim's KeyedVectors.evaluate_word_analogies(restrict_vocab=N,
case_insensitive=True) and compares, per section and in total, the numbers of
answered and correct questions; with PAIRS, also `w2v eval similarity` and
evaluate_word_pairs (Spearman, pairs used).  Prints PASS/FAIL/SKIP lines and
exits 1 on any FAIL.  Skips cleanly (exit 0) when gensim cannot be imported:
install it with `apt-get install python3-gensim` and run this with
/usr/bin/python3.
"""
import argparse
import json
import subprocess
import sys


def run_w2v(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def check_analogy(kv, args):
    ours = run_w2v([args.w2v, "eval", "analogy", "-vectors", args.vectors,
                    "-questions", args.questions, "-restrict",
                    str(args.restrict), "-json"])
    _, sections = kv.evaluate_word_analogies(
        args.questions, restrict_vocab=args.restrict, case_insensitive=True)
    theirs = {s["section"]: (len(s["correct"]),
                             len(s["correct"]) + len(s["incorrect"]))
              for s in sections}
    failures = 0
    for s in ours["sections"]:
        mine = (s["result"]["correct"], s["result"]["answered"])
        other = theirs.get(s["name"])
        if mine != other:
            failures += 1
            print(f"  section {s['name']}: w2v correct/answered {mine}, "
                  f"gensim {other}")
    total = (ours["total"]["correct"], ours["total"]["answered"])
    gensim_total = theirs.get("Total accuracy")
    # near-ties may be ordered differently by float rounding: allow a few
    off = abs(total[0] - gensim_total[0])
    ok = total[1] == gensim_total[1] and off <= max(2, total[1] // 2000)
    print(f"{'PASS' if ok else 'FAIL'} gensim_analogy_agreement: "
          f"w2v {total[0]}/{total[1]}, gensim {gensim_total[0]}/"
          f"{gensim_total[1]} (restrict {args.restrict}, "
          f"{failures} sections differ)")
    return ok


def check_pairs(kv, args):
    ours = run_w2v([args.w2v, "eval", "similarity", "-vectors", args.vectors,
                    "-pairs", args.pairs, "-restrict", str(args.restrict),
                    "-json"])
    _, spearman, oov = kv.evaluate_word_pairs(
        args.pairs, restrict_vocab=args.restrict, case_insensitive=True)
    rho = spearman[0] if hasattr(spearman, "__getitem__") else spearman
    ok = ours["spearman"] is not None and abs(ours["spearman"] - rho) < 1e-4 \
        and abs(ours["oov_ratio"] * 100 - oov) < 1e-3
    print(f"{'PASS' if ok else 'FAIL'} gensim_similarity_agreement: "
          f"w2v spearman {ours['spearman']} oov {ours['oov_ratio'] * 100:.3f}%"
          f", gensim {rho:.6f} oov {oov:.3f}%")
    return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("w2v")
    p.add_argument("vectors")
    p.add_argument("questions")
    p.add_argument("pairs", nargs="?")
    p.add_argument("--restrict", type=int, default=30000)
    args = p.parse_args()
    try:
        from gensim.models import KeyedVectors
    except ImportError as e:
        print(f"SKIP gensim_agreement: gensim not importable by "
              f"{sys.executable} ({e})")
        return 0
    with open(args.vectors, "rb") as f:
        binary = not f.readline() or not all(
            32 <= b < 127 or b in b"\t\r\n" for b in f.read(400))
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=binary)
    ok = check_analogy(kv, args)
    if args.pairs:
        ok = check_pairs(kv, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
