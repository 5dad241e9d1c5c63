"""A dispatcher tracks pending jobs per queue; a stats thread sums them."""
import threading
import time


class Dispatcher:
    def __init__(self):
        self.pending = {}
        self.lock = threading.Lock()

    def submit(self, job_id, queue):
        self.pending[job_id] = queue

    def finish(self, job_id):
        del self.pending[job_id]

    def depth(self, queue):
        return sum(1 for q in self.pending.values() if q == queue)  # want ML203 "RuntimeError"


def stats(d):
    while True:
        print("default queue depth", d.depth("default"))
        time.sleep(1)


def work(d, ids):
    for i in ids:
        d.submit(i, "default")
        d.finish(i)


def main():
    d = Dispatcher()
    threading.Thread(target=stats, args=(d,), daemon=True).start()
    ws = [threading.Thread(target=work, args=(d, range(n * 100, n * 100 + 100))) for n in range(4)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()


if __name__ == "__main__":
    main()
