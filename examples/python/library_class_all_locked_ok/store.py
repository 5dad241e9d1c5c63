"""A library store: callers elsewhere use it from many threads; every path holds the lock."""
import threading


class SessionStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._sessions = {}

    def put(self, sid, data):
        with self._lock:
            self._sessions[sid] = data

    def touch(self, sid):
        with self._lock:
            if sid in self._sessions:
                self._sessions[sid]["hits"] = self._sessions[sid].get("hits", 0) + 1

    def expire(self, sids):
        with self._lock:
            for sid in sids:
                self._sessions.pop(sid, None)

    def ids(self):
        with self._lock:
            return [sid for sid in self._sessions]

    def count(self):
        return len(self._sessions)
