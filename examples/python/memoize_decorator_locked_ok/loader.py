"""Profiles loaded from a slow backend, memoized by a decorator that holds
its own lock across the check and the insert."""
import functools
import threading
import time

loads = []


def memoize(fn):
    cache = {}
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args):
        with lock:
            if args not in cache:
                cache[args] = fn(*args)
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
