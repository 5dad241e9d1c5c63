"""Each thread keeps its own parse cache in threading.local()."""
import threading

_local = threading.local()


def cache():
    c = getattr(_local, "cache", None)
    if c is None:
        c = _local.cache = {}
    return c


def parse(text):
    c = cache()
    if text not in c:
        c[text] = text.split()
    return c[text]


def main(texts):
    ts = [threading.Thread(target=parse, args=(t,)) for t in texts]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main(["a b", "a b"])
