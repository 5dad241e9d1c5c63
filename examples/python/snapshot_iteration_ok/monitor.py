"""The monitor iterates snapshots taken in one C call while workers insert and delete."""
import threading
import time

active = {}


def work(job):
    active[job] = time.time()
    time.sleep(0.01)
    del active[job]


def monitor(stop):
    while not stop.is_set():
        for job, started in list(active.items()):
            print(job, time.time() - started)
        for job in active.copy():
            print(job)
        oldest = min(dict(active).values(), default=None)
        print(len(active), oldest, sorted(active))
        stop.wait(1)


def main(jobs):
    stop = threading.Event()
    m = threading.Thread(target=monitor, args=(stop,))
    m.start()
    ts = [threading.Thread(target=work, args=(j,)) for j in jobs]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    stop.set()
    m.join()


if __name__ == "__main__":
    main(["a", "b"])
