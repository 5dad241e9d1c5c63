"""Count status codes in log shards, one thread per shard."""
import threading


def count_codes(shards):
    counts = {}

    def work(shard):
        lock = threading.Lock()
        for line in shard.splitlines():
            fields = line.split()
            if len(fields) < 2:
                continue
            with lock:
                counts[fields[1]] = counts.get(fields[1], 0) + 1  # want ML201 "every CPython"

    threads = [threading.Thread(target=work, args=(s,)) for s in shards]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts


if __name__ == "__main__":
    print(count_codes(["GET 200\nGET 404", "POST 500"]))
