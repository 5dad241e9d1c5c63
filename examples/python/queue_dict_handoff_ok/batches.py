"""A producer builds each batch dict and hands it over through a queue; it never touches it again."""
import queue
import threading


def produce(q, n):
    for i in range(n):
        batch = {}
        for j in range(10):
            batch[f"k{j}"] = i * j
        q.put(batch)
    q.put(None)


def consume(q):
    total = 0
    while True:
        batch = q.get()
        if batch is None:
            break
        for k, v in batch.items():
            batch[k] = v + 1
            total += v
    return total


def main():
    q = queue.Queue(maxsize=4)
    p = threading.Thread(target=produce, args=(q, 5))
    p.start()
    print(consume(q))
    p.join()


if __name__ == "__main__":
    main()
