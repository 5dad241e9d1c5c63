"""A connection pool whose borrow and release paths took different locks."""
import threading


class Pool:
    def __init__(self):
        self.idle = {}
        self.borrow_lock = threading.Lock()
        self.release_lock = threading.Lock()

    def borrow(self, host):
        with self.borrow_lock:
            if host in self.idle:
                return self.idle.pop(host)  # want ML202 "different locks"
        return None

    def release(self, host, conn):
        with self.release_lock:
            self.idle[host] = conn

    def close(self, host):
        with self.release_lock:
            self.idle.pop(host, None)


pool = Pool()


def client(host):
    c = pool.borrow(host) or object()
    pool.release(host, c)
    pool.close(host)


if __name__ == "__main__":
    ts = [threading.Thread(target=client, args=("db",)) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
