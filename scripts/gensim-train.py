#!/usr/bin/python3
"""gensim-train.py - the gensim reference trainer of bench.sh and
bench-train.sh: skip-gram with negative sampling through gensim's
multi-threaded corpus_file path, vectors written in word2vec's binary format.

usage: PYTHON scripts/gensim-train.py LINES VECTORS --dim D --window W
           --negative N --sample S --alpha A --min-count M --epochs E
           --threads T

LINES must hold at most 10,000 words a line, for gensim drops the rest of a
longer line: make it with gensim_lines (scripts/lib.sh).  PYTHON is one that
can import gensim (gensim_python in scripts/lib.sh finds it).
"""
import argparse
import sys


def parse_args(argv):
    """The command line above; every setting is required, so that no gensim
    default can differ silently from the other tools' settings."""
    p = argparse.ArgumentParser(description="Train gensim's skip-gram with "
                                "negative sampling on a file of lines.")
    p.add_argument("lines", help="corpus, at most 10,000 words a line")
    p.add_argument("vectors", help="output: binary word2vec vectors")
    for name, kind in (("dim", int), ("window", int), ("negative", int),
                       ("sample", float), ("alpha", float),
                       ("min-count", int), ("epochs", int), ("threads", int)):
        p.add_argument("--" + name, type=kind, required=True)
    return p.parse_args(argv)


def main(argv):
    """Trains as asked and writes the vectors; gensim's errors propagate."""
    a = parse_args(argv)
    from gensim.models import Word2Vec
    m = Word2Vec(corpus_file=a.lines, sg=1, hs=0, negative=a.negative,
                 vector_size=a.dim, window=a.window, sample=a.sample,
                 alpha=a.alpha, min_count=a.min_count, epochs=a.epochs,
                 workers=a.threads)
    m.wv.save_word2vec_format(a.vectors, binary=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
