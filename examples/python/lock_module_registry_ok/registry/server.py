"""Requests served by a pool; each one looks its plugin up."""
from concurrent.futures import ThreadPoolExecutor

from . import plugins


def handle(request):
    plugins.loaded()
    return plugins.get(request["plugin"])


def main():
    requests = [{"plugin": f"p{i % 5}"} for i in range(100)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(handle, requests))


if __name__ == "__main__":
    main()
