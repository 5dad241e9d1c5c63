"""A warm-up thread fills the cache and sets an Event; readers wait for it first."""
import threading

cache = {}
ready = threading.Event()


def warm(keys):
    for k in keys:
        cache[k] = cache.get(k, 0) + 1
    ready.set()


def main(keys):
    t = threading.Thread(target=warm, args=(keys,))
    t.start()
    ready.wait()
    for k, v in cache.items():
        cache[k] = v * 2


if __name__ == "__main__":
    main(["a", "b"])
