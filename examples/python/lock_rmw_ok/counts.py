"""Word counts under one lock."""
import threading

counts = {}
counts_lock = threading.Lock()


def count(words):
    for w in words:
        with counts_lock:
            counts[w] = counts.get(w, 0) + 1


def report():
    with counts_lock:
        return sorted(counts.items(), key=lambda kv: -kv[1])[:10]


def main(chunks):
    ts = [threading.Thread(target=count, args=(c,)) for c in chunks]
    for t in ts:
        t.start()
    print(report())
    for t in ts:
        t.join()


if __name__ == "__main__":
    main([["a", "b"], ["a"]])
