"""A per-client rate limiter used by a web framework's worker threads (not in view)."""
import threading
import time


class RateLimiter:
    def __init__(self, per_second):
        self.per_second = per_second
        self._lock = threading.Lock()
        self._tokens = {}
        self._stamp = {}

    def allow(self, client):
        with self._lock:
            now = time.monotonic()
            tokens = self._tokens.get(client, self.per_second)
            tokens = min(self.per_second, tokens + (now - self._stamp.get(client, now)) * self.per_second)
            self._stamp[client] = now
            if tokens < 1:
                return False
            self._tokens[client] = tokens - 1
            return True

    def penalise(self, client, amount):
        self._tokens[client] = self._tokens.get(client, 0) - amount  # want ML201 "concurrent callers of RateLimiter"

    def clients(self):
        return [c for c in self._tokens]  # want ML203 "concurrent callers"
