"""The caller waits for the task's result before reading what it filled."""
from concurrent.futures import ThreadPoolExecutor

prices = {}


def refresh(symbols):
    for s in symbols:
        prices[s] = prices.get(s, 0.0) + 1.0
    return len(symbols)


def main(symbols):
    with ThreadPoolExecutor(max_workers=1) as ex:
        fut = ex.submit(refresh, symbols)
        fut.result()
        for sym, p in prices.items():
            prices[sym] = round(p, 2)
    return prices


if __name__ == "__main__":
    print(main(["A", "B"]))
