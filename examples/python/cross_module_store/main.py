"""Start the workers; the shared tables live in store.py."""
import threading

import store


def worker(jobs):
    for job in jobs:
        store.record_attempt(job)
        store.record_result(job, len(job))


def main():
    chunks = [["a", "b"], ["b", "c"], ["c", "a"]]
    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(store.results)


if __name__ == "__main__":
    main()
