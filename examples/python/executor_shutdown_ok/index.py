"""An executor shut down (waiting) before the index is iterated."""
from concurrent.futures import ThreadPoolExecutor

index = {}


def add(doc_id, text):
    index[doc_id] = set(text.split())


def build(docs):
    ex = ThreadPoolExecutor(max_workers=4)
    for doc_id, text in docs.items():
        ex.submit(add, doc_id, text)
    ex.shutdown(wait=True)
    return {d: len(words) for d, words in index.items()}


if __name__ == "__main__":
    print(build({1: "a b", 2: "c"}))
