"""Download files concurrently and print progress as each completes."""
import concurrent.futures
import urllib.request

progress = {}


def download(url):
    with urllib.request.urlopen(url) as resp:
        data = resp.read()
    progress[url] = len(data)
    return url


def run(urls):
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futs = {pool.submit(download, u): u for u in urls}
        for fut in concurrent.futures.as_completed(futs):
            fut.result()
            done = sum(n for n in progress.values())  # want ML203 "changed size"
            print(f"{len(progress)}/{len(urls)} files, {done} bytes")


if __name__ == "__main__":
    run(["https://example.com"])
