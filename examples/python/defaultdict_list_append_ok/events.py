"""Events grouped per user in a defaultdict(list); read after the workers finish."""
import threading
from collections import defaultdict

by_user = defaultdict(list)


def ingest(events):
    for user, event in events:
        by_user[user].append(event)


def main(streams):
    ts = [threading.Thread(target=ingest, args=(s,)) for s in streams]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for user, events in by_user.items():
        print(user, len(events))


if __name__ == "__main__":
    main([[("a", 1)], [("a", 2), ("b", 3)]])
