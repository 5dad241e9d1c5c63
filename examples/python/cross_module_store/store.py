"""Job bookkeeping shared by the workers that main.py starts."""

results = {}
attempts = {}


def record_attempt(job):
    attempts[job] = attempts.get(job, 0) + 1  # want ML201 "threads started at main.py"


def record_result(job, value):
    if job not in results:
        results[job] = [value]  # want ML202 "key is absent"
    else:
        results[job].append(value)
