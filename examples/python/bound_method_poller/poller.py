"""A poller object runs its loop on a thread (a bound method as the target)."""
import threading
import time


class Poller:
    def __init__(self, sources):
        self.sources = sources
        self.latest = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._thread.start()

    def _loop(self):
        while not self._stop.is_set():
            for name, fetch in self.sources.items():
                self.latest[name] = fetch()
            self._stop.wait(1)

    def forget(self, name):
        self.latest.pop(name, None)

    def summary(self):
        return ", ".join(f"{k}={v}" for k, v in self.latest.items())  # want ML203 "changed size"


def main():
    p = Poller({"time": time.time})
    p.start()
    for _ in range(3):
        print(p.summary())
        time.sleep(1)


if __name__ == "__main__":
    main()
