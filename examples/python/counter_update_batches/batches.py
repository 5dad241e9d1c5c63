"""Merge per-batch label counts into one Counter from worker threads."""
import threading
from collections import Counter

totals = Counter()


def consume(batch):
    labels = [row["label"] for row in batch]
    totals.update(labels)  # want ML201 `free-threaded CPython \(3.13t and later\)`


def run(batches):
    threads = [threading.Thread(target=consume, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return dict(totals)


if __name__ == "__main__":
    print(run([[{"label": "x"}], [{"label": "y"}]]))
