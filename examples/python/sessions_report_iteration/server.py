"""Active-session report from a monitor thread while request threads log users in and out."""
import threading
import time

active = {}


def login(user):
    active[user] = time.time()


def logout(user):
    active.pop(user, None)


def monitor(stop):
    while not stop.is_set():
        for user, since in active.items():  # want ML203 "dictionary changed size during iteration"
            print(f"{user}: {time.time() - since:.0f}s")
        stop.wait(5)


def handle(events):
    for kind, user in events:
        if kind == "in":
            login(user)
        else:
            logout(user)


def main(streams):
    stop = threading.Event()
    mon = threading.Thread(target=monitor, args=(stop,), daemon=True)
    mon.start()
    workers = [threading.Thread(target=handle, args=(s,)) for s in streams]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stop.set()


if __name__ == "__main__":
    main([[("in", "ann"), ("out", "ann")]])
