"""Score players in parallel: lambdas as thread targets, shared totals."""
import threading


def add_score(totals, player, points):
    current = totals.get(player, 0)
    totals[player] = current + points  # want ML201 "every CPython"


def main(rounds):
    totals = {}
    threads = []
    for player, points in rounds:
        t = threading.Thread(target=lambda p=player, s=points: add_score(totals, p, s))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
    return totals


if __name__ == "__main__":
    print(main([("ann", 3), ("bob", 2), ("ann", 1)]))
