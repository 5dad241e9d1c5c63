"""Workers record status codes; the report iterates only after join()."""
import threading

status = {}


def check(url):
    status[url] = 200 if url else 404


def main(urls):
    workers = []
    for u in urls:
        t = threading.Thread(target=check, args=(u,))
        t.start()
        workers.append(t)
    for t in workers:
        t.join()
    bad = [u for u, code in status.items() if code != 200]
    print(bad)


if __name__ == "__main__":
    main(["a", ""])
