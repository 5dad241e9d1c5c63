"""Bytes downloaded per host, added up by the futures' done callbacks."""
from concurrent.futures import ThreadPoolExecutor

bytes_by_host = {}


def download(host, path):
    return host, len(f"{host}{path}") * 100


def record(fut):
    host, n = fut.result()
    bytes_by_host[host] = bytes_by_host.get(host, 0) + n  # want ML201 "every CPython"


def fetch_all(urls):
    with ThreadPoolExecutor(max_workers=8) as pool:
        for host, path in urls:
            pool.submit(download, host, path).add_done_callback(record)
    return dict(bytes_by_host)


if __name__ == "__main__":
    print(fetch_all([("a.example", "/x"), ("b.example", "/y"), ("a.example", "/z")]))
