"""Double-checked locking: the unlocked check is only a fast path."""
import threading


class Settings:
    def __init__(self, loader):
        self._loader = loader
        self._lock = threading.Lock()
        self._cache = {}

    def get(self, section):
        value = self._cache.get(section)
        if value is not None:
            return value
        with self._lock:
            if section not in self._cache:
                self._cache[section] = self._loader(section)
            return self._cache[section]


def main():
    s = Settings(lambda name: {"name": name})
    ts = [threading.Thread(target=s.get, args=("db",)) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
