"""Report progress per stage from nested worker closures."""
import threading


def run_pipeline(stages, items):
    done = {}

    def work(stage):
        for item in items:
            stage(item)
            done[stage.__name__] = done.get(stage.__name__, 0) + 1  # want ML201 "every CPython"

    def report():
        return ", ".join(f"{k}: {v}" for k, v in done.items())  # want ML203 "changed size"

    threads = [threading.Thread(target=work, args=(s,)) for s in stages]
    for t in threads:
        t.start()
    print(report())
    for t in threads:
        t.join()
    return done


if __name__ == "__main__":
    run_pipeline([print, repr], [1, 2])
