"""Configuration loaded at import time; threads only read it."""
import os
import threading

CONFIG = {
    "timeout": float(os.environ.get("TIMEOUT", "5")),
    "retries": int(os.environ.get("RETRIES", "3")),
}
DEFAULTS = dict(CONFIG)


def worker(name):
    timeout = CONFIG.get("timeout", 1.0)
    for key, value in CONFIG.items():
        if key not in DEFAULTS:
            print(name, key, value, timeout)


def main():
    ts = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
