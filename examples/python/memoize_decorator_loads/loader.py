"""Profiles loaded from a slow backend, memoized by a decorator of our own."""
import functools
import threading
import time

loads = []


def memoize(fn):
    cache = {}

    @functools.wraps(fn)
    def wrapper(*args):
        if args not in cache:
            cache[args] = fn(*args)  # want ML202 "inserted after checking"
        return cache[args]
    return wrapper


@memoize
def load_profile(user_id):
    loads.append(user_id)
    time.sleep(0.0005)  # the backend round trip
    return {"id": user_id, "name": f"user{user_id}"}


def serve(requests):
    threads = [threading.Thread(target=load_profile, args=(uid,)) for uid in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    serve([1, 2, 1, 2, 1])
    print(len(loads), "loads")
