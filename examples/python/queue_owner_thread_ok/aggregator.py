"""One aggregator thread owns the totals; producers send it updates through a queue."""
import queue
import threading


def aggregator(q, out):
    totals = {}
    while True:
        item = q.get()
        if item is None:
            break
        key, amount = item
        totals[key] = totals.get(key, 0) + amount
    out.put(totals)


def producer(q, rows):
    for r in rows:
        q.put(r)


def main(batches):
    q = queue.Queue()
    out = queue.Queue()
    agg = threading.Thread(target=aggregator, args=(q, out))
    agg.start()
    ps = [threading.Thread(target=producer, args=(q, b)) for b in batches]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    q.put(None)
    totals = out.get()
    for k, v in totals.items():
        print(k, v)


if __name__ == "__main__":
    main([[("a", 1)], [("a", 2)]])
