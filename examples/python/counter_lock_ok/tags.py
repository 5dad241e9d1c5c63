"""Tag counts in a Counter, updated and read under one lock."""
import threading
from collections import Counter

tags = Counter()
tags_lock = threading.Lock()


def tag(post_tags):
    with tags_lock:
        tags.update(post_tags)
        for t in post_tags:
            tags[t] += 1


def top(n):
    with tags_lock:
        return tags.most_common(n)


def main(posts):
    ts = [threading.Thread(target=tag, args=(p,)) for p in posts]
    for t in ts:
        t.start()
    print(top(3))
    for t in ts:
        t.join()


if __name__ == "__main__":
    main([["a", "b"], ["a"]])
