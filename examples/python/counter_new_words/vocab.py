"""Build a vocabulary with a Counter shared by a pool of threads."""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

vocab = Counter()


def tokenize(doc):
    for token in doc.lower().split():
        vocab[token] += 1  # want ML201 "__missing__"


def build(docs):
    with ThreadPoolExecutor(max_workers=8) as pool:
        pool.map(tokenize, docs)
    return vocab.most_common(20)


if __name__ == "__main__":
    print(build(["a b c", "b c d", "c d e"]))
