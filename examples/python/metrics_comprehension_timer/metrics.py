"""Periodic flush of gauge values with threading.Timer while workers update them."""
import threading

gauges = {}


def set_gauge(name, value):
    gauges[name] = value


def flush():
    snapshot = {k: v for k, v in gauges.items() if v is not None}  # want ML203 "every CPython"
    print(snapshot)
    schedule()


def schedule():
    t = threading.Timer(10.0, flush)
    t.daemon = True
    t.start()


def worker(n):
    for i in range(n):
        set_gauge(f"job.{i}", i)


def main():
    schedule()
    threads = [threading.Thread(target=worker, args=(1000,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
