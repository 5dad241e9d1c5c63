"""A plain script: every compound dict operation, but only one thread."""
import sys
from collections import Counter, defaultdict

counts = {}
by_len = defaultdict(list)
letters = Counter()


def tally(words):
    for w in words:
        counts[w] = counts.get(w, 0) + 1
        by_len[len(w)].append(w)
        letters.update(w)
        if w not in counts:
            counts[w] = 0
    for w in list(counts):
        if counts[w] < 2:
            del counts[w]


if __name__ == "__main__":
    tally(sys.argv[1:])
    for w, n in counts.items():
        print(w, n)
