"""Group records by key with setdefault: one atomic insert, then list.append."""
import threading

groups = {}


def classify(records):
    for key, value in records:
        groups.setdefault(key, []).append(value)


def main(parts):
    ts = [threading.Thread(target=classify, args=(p,)) for p in parts]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return groups


if __name__ == "__main__":
    print(main([[("a", 1)], [("a", 2)]]))
