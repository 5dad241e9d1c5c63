"""In-flight requests are removed with pop(key, None), which never raises."""
import threading

inflight = {}


def start(req_id):
    inflight[req_id] = "pending"


def finish(req_id):
    inflight.pop(req_id, None)


def cancel(req_id):
    state = inflight.pop(req_id, None)
    if state is not None:
        print("cancelled", req_id)


def main(ids):
    ts = []
    for i in ids:
        start(i)
        ts.append(threading.Thread(target=finish, args=(i,)))
        ts.append(threading.Thread(target=cancel, args=(i,)))
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main([1, 2, 3])
