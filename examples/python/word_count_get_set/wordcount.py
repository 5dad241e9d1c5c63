"""Count words of several files with one thread per file."""
import sys
import threading

counts = {}


def count_file(lines):
    for line in lines:
        for word in line.split():
            counts[word] = counts.get(word, 0) + 1  # want ML201 "loses updates on every CPython"


def main(paths):
    texts = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            texts.append(fh.readlines())
    threads = [threading.Thread(target=count_file, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for word, n in sorted(counts.items()):
        print(word, n)


if __name__ == "__main__":
    main(sys.argv[1:])
