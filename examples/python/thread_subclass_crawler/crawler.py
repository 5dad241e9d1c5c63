"""Crawler threads as Thread subclasses, sharing a visited-count table."""
import threading


class Crawler(threading.Thread):
    def __init__(self, seen, urls):
        super().__init__()
        self.seen = seen
        self.urls = urls

    def run(self):
        for url in self.urls:
            self.seen[url] = self.seen.get(url, 0) + 1  # want ML201 "every CPython"


def main(batches):
    seen = {}
    crawlers = [Crawler(seen, batch) for batch in batches]
    for c in crawlers:
        c.start()
    for c in crawlers:
        c.join()
    return seen


if __name__ == "__main__":
    print(main([["a", "b"], ["a"]]))
