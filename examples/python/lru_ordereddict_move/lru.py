"""An LRU cache on OrderedDict, read by request threads and dumped by an admin thread."""
import threading
from collections import OrderedDict


class LRU:
    def __init__(self, size):
        self.size = size
        self.data = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key not in self.data:
                return None
            self.data.move_to_end(key)
            return self.data[key]

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            if len(self.data) > self.size:
                self.data.popitem(last=False)

    def dump(self):
        return [f"{k}={v}" for k, v in self.data.items()]  # want ML203 "OrderedDict mutated during iteration"
