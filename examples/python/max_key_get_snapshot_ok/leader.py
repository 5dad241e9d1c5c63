"""Pick the busiest worker with max(d, key=d.get): one C call, a consistent snapshot."""
import threading
import time

load = {}


def worker(name):
    for i in range(100):
        load[name] = i
        time.sleep(0)


def busiest():
    if not load:
        return None
    return max(load, key=load.get), sorted(load.values()), sum(load.values())


def main():
    ts = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in ts:
        t.start()
    print(busiest())
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
