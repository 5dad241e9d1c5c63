"""Thread subclasses share a results table guarded by a lock passed in."""
import threading


class Downloader(threading.Thread):
    def __init__(self, urls, results, lock):
        super().__init__(daemon=True)
        self.urls = urls
        self.results = results
        self.lock = lock

    def run(self):
        for u in self.urls:
            with self.lock:
                if u not in self.results:
                    self.results[u] = len(u)


def main(groups):
    results = {}
    lock = threading.Lock()
    ds = [Downloader(g, results, lock) for g in groups]
    for d in ds:
        d.start()
    for d in ds:
        d.join()
    return sorted(results.items())


if __name__ == "__main__":
    print(main([["a"], ["a", "b"]]))
