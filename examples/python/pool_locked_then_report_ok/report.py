"""Status codes counted by pool workers under a lock; the report reads the
table after the pool has shut down, so no worker is left running."""
import threading
from concurrent.futures import ThreadPoolExecutor

counts = {}
counts_lock = threading.Lock()


def count_codes(shard):
    for line in shard.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        with counts_lock:
            counts[fields[1]] = counts.get(fields[1], 0) + 1


def main(shards):
    with ThreadPoolExecutor(max_workers=8) as pool:
        pool.map(count_codes, shards)
    for code, n in sorted(counts.items()):
        print(code, n)
    if "500" not in counts:
        counts["500"] = 0
    counts["total"] = sum(counts.values())


if __name__ == "__main__":
    main(["GET 200\nGET 404", "POST 500"])
