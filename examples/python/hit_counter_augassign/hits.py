"""Tally page hits from a log, four worker threads reading one shared list."""
import threading

hits = {}
entries = []


def load(path):
    with open(path, encoding="utf-8") as fh:
        entries.extend(line.split()[6] for line in fh if line.strip())


def tally(start, step):
    for i in range(start, len(entries), step):
        hits[entries[i]] += 1  # want ML201 "free-threaded CPython and on CPython ≤ 3.9"


def main(path):
    load(path)
    for e in entries:
        hits[e] = 0
    workers = []
    for n in range(4):
        t = threading.Thread(target=tally, args=(n, 4))
        t.start()
        workers.append(t)
    for t in workers:
        t.join()
    return hits


if __name__ == "__main__":
    print(main("access.log"))
