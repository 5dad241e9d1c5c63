"""A resolver cache in EAFP style, used by crawler threads."""
import socket
import threading

cache = {}


def resolve(host):
    try:
        return cache[host]
    except KeyError:
        addr = socket.gethostbyname(host)
        cache[host] = addr  # want ML202 "key is absent"
        return addr


def crawl(hosts):
    for h in hosts:
        resolve(h)


def main(groups):
    ts = [threading.Thread(target=crawl, args=(g,)) for g in groups]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main([["localhost"], ["localhost"]])
