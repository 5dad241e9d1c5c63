"""Loaders wait on a Condition for a value another thread is computing."""
import threading


class Loader:
    def __init__(self, compute):
        self._compute = compute
        self._cond = threading.Condition()
        self._values = {}
        self._pending = {}

    def get(self, key):
        with self._cond:
            while self._pending.get(key):
                self._cond.wait()
            if key in self._values:
                return self._values[key]
            self._pending[key] = True
        value = self._compute(key)
        with self._cond:
            self._values[key] = value
            del self._pending[key]
            self._cond.notify_all()
        return value


def main():
    loader = Loader(lambda k: k * 2)
    ts = [threading.Thread(target=loader.get, args=(i % 2,)) for i in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
