"""Memoised price lookups shared by the threads of a report generator."""
import threading

_prices = {}


def price(sku):
    if sku in _prices:
        return _prices[sku]
    value = expensive_lookup(sku)
    _prices[sku] = value  # want ML202 "checked at line 8"
    return value


def expensive_lookup(sku):
    return sum(ord(c) for c in sku)


def report(skus):
    return [price(s) for s in skus]


def main(batches):
    threads = [threading.Thread(target=report, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main([["a", "b"], ["b", "c"]])
