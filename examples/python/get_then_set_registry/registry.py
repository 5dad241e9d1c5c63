"""Connection registry: one connection per host, created on first use by any worker."""
import threading


class Connection:
    def __init__(self, host):
        self.host = host


class Registry:
    def __init__(self):
        self.conns = {}

    def connection(self, host):
        conn = self.conns.get(host)
        if conn is None:
            conn = Connection(host)
            self.conns[host] = conn  # want ML202 "one insert overwrites the other"
        return conn


registry = Registry()


def fetch(host, path):
    return registry.connection(host), path


def main(urls):
    threads = [threading.Thread(target=fetch, args=(h, p)) for h, p in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main([("a", "/"), ("a", "/x")])
