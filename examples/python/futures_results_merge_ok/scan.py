"""Each task returns its own counts; the main thread merges the futures' results."""
import concurrent.futures


def scan(lines):
    counts = {}
    for line in lines:
        level = line.split()[0]
        counts[level] = counts.get(level, 0) + 1
    return counts


def main(chunks):
    total = {}
    with concurrent.futures.ThreadPoolExecutor() as pool:
        futures = [pool.submit(scan, c) for c in chunks]
        for fut in concurrent.futures.as_completed(futures):
            for level, n in fut.result().items():
                total[level] = total.get(level, 0) + n
    return total


if __name__ == "__main__":
    print(main([["INFO a", "WARN b"], ["INFO c"]]))
