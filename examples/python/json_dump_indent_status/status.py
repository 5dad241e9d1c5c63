"""A status endpoint pretty-prints the job table while workers add jobs."""
import json
import threading

jobs = {}


def status_page():
    return json.dumps(jobs, indent=2)  # want ML203 "CPython ≤ 3.12"


def run_job(job_id):
    jobs[job_id] = "running"


def main(ids):
    ts = [threading.Thread(target=run_job, args=(i,)) for i in ids]
    for t in ts:
        t.start()
    print(status_page())
    for t in ts:
        t.join()


if __name__ == "__main__":
    main(["a", "b"])
