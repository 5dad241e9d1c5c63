"""A statsd-style client: one instance per process, made at import time,
whose constructor starts the thread that ships the gauges."""
import threading
from concurrent.futures import ThreadPoolExecutor


class StatsClient:
    def __init__(self):
        self.gauges = {}
        self.sent = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flush_loop, daemon=True)
        self._thread.start()

    def _flush_loop(self):
        while not self._stop.is_set():
            payload = "\n".join(f"{k}:{v}|g" for k, v in self.gauges.items())  # want ML203 "changed size"
            self.sent.append(payload)
            self._stop.wait(0.001)

    def gauge(self, name, value):
        self.gauges[name] = value

    def close(self):
        self._stop.set()
        self._thread.join()


stats = StatsClient()


def handle_request(i):
    stats.gauge(f"request.{i}.ms", i % 50)


def serve(n):
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(handle_request, range(n)))


if __name__ == "__main__":
    serve(1000)
    stats.close()
