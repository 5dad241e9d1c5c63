"""A size-bounded cache evicting its oldest entry, shared by crawler threads."""
import threading

MAX = 128
pages = {}


def store(url, body):
    if len(pages) >= MAX:
        oldest = next(iter(pages))
        del pages[oldest]  # want ML202 "raises KeyError"
    pages[url] = body


def crawl(urls):
    for u in urls:
        store(u, f"<html>{u}</html>")


def main(groups):
    ts = [threading.Thread(target=crawl, args=(g,)) for g in groups]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main([["a", "b"], ["c", "d"]])
