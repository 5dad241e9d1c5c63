"""Per-endpoint, per-status request statistics from handler threads."""
import threading
from collections import defaultdict

stats = defaultdict(lambda: defaultdict(int))


def record(endpoint, status):
    stats[endpoint][status] += 1  # want ML201 "loses updates"


def replay(log):
    for endpoint, status in log:
        record(endpoint, status)


def main(logs):
    threads = [threading.Thread(target=replay, args=(log,)) for log in logs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {k: dict(v) for k, v in stats.items()}


if __name__ == "__main__":
    print(main([[("/a", 200)], [("/a", 500)]]))
