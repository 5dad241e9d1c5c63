"""Explicit acquire() with try/finally release()."""
import threading

ledger = {}
lock = threading.Lock()


def post(entry, amount):
    lock.acquire()
    try:
        if entry not in ledger:
            ledger[entry] = 0
        ledger[entry] += amount
    finally:
        lock.release()


def balance():
    lock.acquire()
    try:
        return {k: v for k, v in ledger.items()}
    finally:
        lock.release()


def main():
    ts = [threading.Thread(target=post, args=("rent", -10)) for _ in range(4)]
    for t in ts:
        t.start()
    print(balance())
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
