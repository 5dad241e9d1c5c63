"""A binary semaphore used as a mutex around quota bookkeeping."""
import threading

quota = {}
guard = threading.BoundedSemaphore(1)


def spend(user, amount):
    with guard:
        left = quota.get(user, 100)
        quota[user] = left - amount


def main():
    ts = [threading.Thread(target=spend, args=("ann", 1)) for _ in range(10)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(quota)


if __name__ == "__main__":
    main()
