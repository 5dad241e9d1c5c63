"""A Timer thread flushes gauges under the same lock the workers take."""
import threading

gauges = {}
lock = threading.Lock()


def set_gauge(name, value):
    with lock:
        gauges[name] = value


def flush():
    with lock:
        snapshot = {k: v for k, v in gauges.items()}
        gauges.clear()
    print(snapshot)
    threading.Timer(10.0, flush).start()


def main():
    threading.Timer(10.0, flush).start()
    ts = [threading.Thread(target=set_gauge, args=(f"g{i}", i)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
