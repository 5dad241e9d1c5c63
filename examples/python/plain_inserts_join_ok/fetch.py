"""Each thread stores its own result under its own key: single inserts are atomic."""
import threading

results = {}


def fetch(url):
    results[url] = len(url)


def main(urls):
    threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for url, size in results.items():
        print(url, size)


if __name__ == "__main__":
    main(["a", "bb"])
