"""Add the word counts of several documents to a caller's table."""
import threading


def add_counts(table, documents):
    def work(doc):
        for word in doc.split():
            table[word] = table.get(word, 0) + 1  # want ML201 "every CPython"

    threads = [threading.Thread(target=work, args=(d,)) for d in documents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    totals = {}
    add_counts(totals, ["a b a", "b c"])
    print(totals)
