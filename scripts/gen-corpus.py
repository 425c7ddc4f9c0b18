#!/usr/bin/env python3
"""gen-corpus.py - a synthetic corpus with planted structure, for testing w2v.

Writes four files (PREFIX defaults to data/synthetic):

  PREFIX.txt            the corpus: one sentence per line, words separated by
                        single spaces, only a-z.
  PREFIX-groups.txt     ground truth: one planted group per line,
                        "name<TAB>word word ...".  Words of a group are
                        interchangeable (drawn into identical contexts), so
                        each one's nearest neighbours should be its mates.
  PREFIX-questions.txt  analogy questions in questions-words.txt format
                        (": section" headers, then "A B C D" lines).
  PREFIX-pairs.tsv      word similarity pairs, "w1<TAB>w2<TAB>score" (0-10),
                        for `w2v eval similarity`.

What is planted
---------------
* Filler words: pseudo-words with a Zipf-like frequency (rank^-s), so the most
  frequent ones behave like "the"/"of" (subsampling matters) and the long tail
  shapes the noise distribution.  Every sentence is mostly filler.
* Groups: G groups of M interchangeable words.  A group sentence holds one
  group word plus K words drawn from that group's private context pool,
  placed within a few positions of it.
* Relations (analogies): R relations of P pairs (a_i, b_i).  Every word of a
  relation is the sum of two attributes: its side (a or b; each side has a
  context pool) and its pair index i (a context pool shared by a_i and b_i).
  A relation sentence holds the word, K_side side words and K_id id words.
  (Group sentences hold a single context word by default: with several per
  sentence, a plain SGNS loop used for tuning put the context words among
  the group words' nearest neighbours; w2v coped, but one is the safe default.)
  So b_i - a_i + a_j is close to b_j: the questions file asks every ordered
  (i, j), i != j.  The last relation is named "gram-..." so that tools
  splitting semantic / syntactic sections by the "gram" prefix see one
  syntactic section; its b-words are the a-words plus "s" (plural-like).
* Pairs: the score of two planted words is 10 x the cosine of their expected
  planted-context count vectors (group mates 10, a_i ~ b_i and a_i ~ a_j in
  between, unrelated 0), rounded to 2 decimals.

Output is a pure function of the options (same --seed, same bytes), using only
the Python standard library.
"""

import argparse
import bisect
import math
import os
import random
import sys

CONS = "bdfgklmnprstvz"
VOWELS = "aeiou"


class Namer:
    """Deterministic, unique pseudo-words made of consonant-vowel syllables."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def word(self, syllables):
        tries = 0
        while True:
            w = "".join(self.rng.choice(CONS) + self.rng.choice(VOWELS)
                        for _ in range(syllables))
            # keep plural forms ("word" + "s") free of clashes too
            if w not in self.used and not w.endswith("s"):
                self.used.add(w)
                self.used.add(w + "s")
                return w
            tries += 1
            if tries >= 50:  # short words run out: go longer
                syllables += 1
                tries = 0


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Generate a synthetic corpus with planted word groups "
                    "and analogies, plus its ground-truth files.")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--prefix", default="data/synthetic",
                   help="output prefix (default data/synthetic)")
    p.add_argument("--sentences", type=int, default=20000,
                   help="number of sentences (default 20000)")
    p.add_argument("--min-len", type=int, default=10, help="min sentence length")
    p.add_argument("--max-len", type=int, default=16, help="max sentence length")
    p.add_argument("--fillers", type=int, default=2000,
                   help="filler vocabulary size (default 2000)")
    p.add_argument("--zipf", type=float, default=1.0,
                   help="Zipf exponent of filler frequencies (default 1.0)")
    p.add_argument("--groups", type=int, default=10, help="number of groups")
    p.add_argument("--group-size", type=int, default=6, help="words per group")
    p.add_argument("--group-pool", type=int, default=4,
                   help="context words per group")
    p.add_argument("--group-ctx", type=int, default=1,
                   help="group context words per group sentence")
    p.add_argument("--relations", type=int, default=3,
                   help="number of analogy relations (sections)")
    p.add_argument("--pairs", type=int, default=12, help="pairs per relation")
    p.add_argument("--side-pool", type=int, default=4,
                   help="context words per relation side")
    p.add_argument("--id-pool", type=int, default=3,
                   help="context words per relation pair index")
    p.add_argument("--side-ctx", type=int, default=2,
                   help="side context words per relation sentence")
    p.add_argument("--id-ctx", type=int, default=2,
                   help="pair-index context words per relation sentence")
    p.add_argument("--spread", type=int, default=3,
                   help="planted context words lie within this distance of "
                        "their word (default 3)")
    p.add_argument("--filler-only", type=float, default=0.1,
                   help="fraction of sentences with no planted word")
    a = p.parse_args(argv)
    if a.min_len < 1 or a.max_len < a.min_len:
        p.error("need 1 <= --min-len <= --max-len")
    need = 1 + max(a.group_ctx, a.side_ctx + a.id_ctx)
    if a.min_len < need or 2 * a.spread + 1 < need:
        p.error("sentences (--min-len) and --spread must fit %d planted words" % need)
    if a.group_ctx > a.group_pool or a.side_ctx > a.side_pool or a.id_ctx > a.id_pool:
        p.error("a *-ctx count exceeds its pool")
    if a.pairs < 2 and a.relations > 0:
        p.error("--pairs must be >= 2")
    if a.group_size < 2 and a.groups > 0:
        p.error("--group-size must be >= 2")
    if a.fillers < 1 or a.sentences < 0 or a.groups < 0 or a.relations < 0:
        p.error("--fillers must be >= 1; counts must not be negative")
    if a.group_pool < 1 or a.side_pool < 1 or a.id_pool < 1:
        p.error("context pools must hold at least one word")
    return a


REL_NAMES = ["capital", "family", "currency", "material", "tool", "color"]


def build(a, rng):
    namer = Namer(rng)
    fillers = [namer.word(rng.choice((1, 2, 2, 3))) for _ in range(a.fillers)]
    fw = [1.0 / (r + 1) ** a.zipf for r in range(a.fillers)]
    fcum, s = [], 0.0
    for w in fw:
        s += w
        fcum.append(s)

    groups = []  # (name, words, pool)
    for g in range(a.groups):
        words = [namer.word(3) for _ in range(a.group_size)]
        pool = [namer.word(2) for _ in range(a.group_pool)]
        groups.append(("group%02d" % (g + 1), words, pool))

    relations = []  # (section, [(a_i, b_i)], pool_a, pool_b, [id pools])
    for r in range(a.relations):
        plural = (r == a.relations - 1)
        if plural:
            name = "gram-plural"
        else:
            name = REL_NAMES[r] if r < len(REL_NAMES) else "relation%d" % (r + 1)
        pairs = []
        for _ in range(a.pairs):
            x = namer.word(3)
            y = x + "s" if plural else namer.word(3)
            pairs.append((x, y))
        pool_a = [namer.word(2) for _ in range(a.side_pool)]
        pool_b = [namer.word(2) for _ in range(a.side_pool)]
        ids = [[namer.word(2) for _ in range(a.id_pool)] for _ in range(a.pairs)]
        relations.append((name + "-synth", pairs, pool_a, pool_b, ids))
    return fillers, fcum, groups, relations


def place(rng, sent, word, ctx, spread):
    """Puts word at a random slot and ctx words at distinct slots within
    `spread` of it (overwriting fillers)."""
    n = len(sent)
    p = rng.randrange(n)
    slots = [q for q in range(max(0, p - spread), min(n, p + spread + 1)) if q != p]
    while len(slots) < len(ctx):  # near an edge: shift the word inwards
        p = rng.randrange(n)
        slots = [q for q in range(max(0, p - spread), min(n, p + spread + 1)) if q != p]
    sent[p] = word
    for q, c in zip(rng.sample(slots, len(ctx)), ctx):
        sent[q] = c


def corpus(a, rng, fillers, fcum, groups, relations, out):
    total = fcum[-1]
    nrel = len(relations)
    for _ in range(a.sentences):
        n = rng.randint(a.min_len, a.max_len)
        sent = [fillers[bisect.bisect_left(fcum, rng.random() * total)]
                for _ in range(n)]
        if rng.random() >= a.filler_only and (groups or relations):
            # groups and each relation get sentences in proportion to their words
            gw = len(groups) * a.group_size
            rw = nrel * 2 * a.pairs
            if rng.random() * (gw + rw) < gw:
                _, words, pool = groups[rng.randrange(len(groups))]
                place(rng, sent, rng.choice(words), rng.sample(pool, a.group_ctx),
                      a.spread)
            else:
                _, pairs, pool_a, pool_b, ids = relations[rng.randrange(nrel)]
                i = rng.randrange(len(pairs))
                side = rng.randrange(2)
                ctx = rng.sample(pool_b if side else pool_a, a.side_ctx) + \
                    rng.sample(ids[i], a.id_ctx)
                rng.shuffle(ctx)
                place(rng, sent, pairs[i][side], ctx, a.spread)
        out.write(" ".join(sent))
        out.write("\n")


def context_profiles(a, groups, relations):
    """Expected planted-context counts per planted word (for pair scores)."""
    prof = {}
    for _, words, pool in groups:
        v = {c: a.group_ctx / len(pool) for c in pool}
        for w in words:
            prof[w] = v
    for _, pairs, pool_a, pool_b, ids in relations:
        for i, (x, y) in enumerate(pairs):
            idv = {c: a.id_ctx / len(ids[i]) for c in ids[i]}
            for w, pool in ((x, pool_a), (y, pool_b)):
                v = {c: a.side_ctx / len(pool) for c in pool}
                v.update(idv)
                prof[w] = v
    return prof


def cosine(u, v):
    dot = sum(x * v.get(c, 0.0) for c, x in u.items())
    nu = math.sqrt(sum(x * x for x in u.values()))
    nv = math.sqrt(sum(x * x for x in v.values()))
    return dot / (nu * nv) if nu and nv else 0.0


def pairs_file(a, rng, groups, relations, out):
    prof = context_profiles(a, groups, relations)
    chosen = []
    # group mates (score 10) and cross-group pairs (0)
    for g, (_, words, _) in enumerate(groups):
        chosen.append((words[0], words[1]))
        if len(words) > 3:
            chosen.append((words[2], words[3]))
        other = groups[(g + 1) % len(groups)][1]
        if other is not words:
            chosen.append((words[0], other[-1]))
    for r, (_, pairs, _, _, _) in enumerate(relations):
        for i, (x, y) in enumerate(pairs):
            j = (i + 1) % len(pairs)
            chosen.append((x, y))               # same index, other side
            chosen.append((x, pairs[j][0]))     # same side, other index
            chosen.append((y, pairs[j][0]))     # nothing shared
        if groups:
            chosen.append((pairs[0][0], groups[r % len(groups)][1][0]))
    seen = set()
    for w1, w2 in chosen:
        key = tuple(sorted((w1, w2)))
        if w1 == w2 or key in seen:
            continue
        seen.add(key)
        out.write("%s\t%s\t%.2f\n" % (w1, w2, 10.0 * cosine(prof[w1], prof[w2])))


def questions_file(relations, out):
    for name, pairs, _, _, _ in relations:
        out.write(": %s\n" % name)
        for i, (x, y) in enumerate(pairs):
            for j, (u, v) in enumerate(pairs):
                if i != j:
                    out.write("%s %s %s %s\n" % (x, y, u, v))


def groups_file(groups, out):
    for name, words, _ in groups:
        out.write("%s\t%s\n" % (name, " ".join(words)))


def write_atomic(path, fill):
    tmp = "%s.tmp%d" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="ascii", newline="\n") as f:
            fill(f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv):
    a = parse_args(argv)
    rng = random.Random(a.seed)
    fillers, fcum, groups, relations = build(a, rng)
    d = os.path.dirname(a.prefix)
    if d:
        os.makedirs(d, exist_ok=True)
    write_atomic(a.prefix + ".txt",
                 lambda f: corpus(a, random.Random(a.seed + 1), fillers, fcum,
                                  groups, relations, f))
    write_atomic(a.prefix + "-groups.txt", lambda f: groups_file(groups, f))
    write_atomic(a.prefix + "-questions.txt", lambda f: questions_file(relations, f))
    write_atomic(a.prefix + "-pairs.tsv",
                 lambda f: pairs_file(a, random.Random(a.seed + 2), groups,
                                      relations, f))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError) as e:
        sys.stderr.write("gen-corpus.py: %s\n" % e)
        sys.exit(1)
