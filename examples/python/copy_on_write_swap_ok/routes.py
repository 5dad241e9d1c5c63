"""Copy-on-write: writers build a new dict and swap the global; readers never see a change."""
import threading

_routes = {}
_write_lock = threading.Lock()


def add_route(path, target):
    global _routes
    with _write_lock:
        new = dict(_routes)
        new[path] = target
        _routes = new


def lookup(path):
    routes = _routes
    for prefix, target in routes.items():
        if path.startswith(prefix):
            return target
    return None


def main():
    ws = [threading.Thread(target=add_route, args=(f"/p{i}", i)) for i in range(4)]
    rs = [threading.Thread(target=lookup, args=("/p1",)) for _ in range(4)]
    for t in ws + rs:
        t.start()
    for t in ws + rs:
        t.join()


if __name__ == "__main__":
    main()
