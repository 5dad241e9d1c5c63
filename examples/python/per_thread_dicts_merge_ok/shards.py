"""Each thread counts into its own dict; the dicts are merged after join()."""
import threading


def count(words, out):
    for w in words:
        out[w] = out.get(w, 0) + 1


def main(chunks):
    partials = []
    threads = []
    for chunk in chunks:
        mine = {}
        partials.append(mine)
        t = threading.Thread(target=count, args=(chunk, mine))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    merged = {}
    for p in partials:
        for w, n in p.items():
            merged[w] = merged.get(w, 0) + n
    return merged


if __name__ == "__main__":
    print(main([["a", "b"], ["a"]]))
