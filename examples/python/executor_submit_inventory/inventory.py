"""Apply stock movements with an executor; every task updates one stock table."""
from concurrent.futures import ThreadPoolExecutor, wait

stock = {"apple": 10, "pear": 5}


def move(item, delta):
    if item not in stock:
        stock[item] = 0  # want ML202 "key is absent"
    stock[item] += delta  # want ML201 "read, changed and written back"


def apply_all(movements):
    with ThreadPoolExecutor(max_workers=4) as ex:
        futures = [ex.submit(move, item, delta) for item, delta in movements]
        wait(futures)
    return dict(stock)


if __name__ == "__main__":
    print(apply_all([("apple", -1), ("kiwi", 4)]))
