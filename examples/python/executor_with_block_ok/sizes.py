"""Tasks fill a table; it is read once the executor's with-block has ended."""
from concurrent.futures import ThreadPoolExecutor

sizes = {}


def measure(name):
    sizes[name] = len(name)


def main(names):
    with ThreadPoolExecutor() as ex:
        for n in names:
            ex.submit(measure, n)
    total = 0
    for name, size in sizes.items():
        total += size
    sizes.clear()
    return total


if __name__ == "__main__":
    print(main(["a", "bb"]))
