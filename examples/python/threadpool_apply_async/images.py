"""Resize images with multiprocessing's thread pool, tracking sizes per format."""
from multiprocessing.pool import ThreadPool

by_format = {}


def resize(name):
    fmt = name.rsplit(".", 1)[-1]
    by_format[fmt] = by_format.get(fmt, 0) + 1  # want ML201 "every CPython"
    return name


def main(names):
    pool = ThreadPool(4)
    results = [pool.apply_async(resize, (n,)) for n in names]
    pool.close()
    pool.join()
    return [r.get() for r in results], by_format


if __name__ == "__main__":
    print(main(["a.png", "b.jpg", "c.png"]))
