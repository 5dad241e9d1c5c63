"""Sessions expire from a janitor thread and on logout from request threads."""
import logging
import threading
import time

log = logging.getLogger(__name__)
sessions = {}


def logout(sid):
    if sid in sessions:
        log.info("logout %s", sid)
        del sessions[sid]  # want ML202 "raises KeyError"


def janitor(ttl):
    while True:
        now = time.time()
        for sid in list(sessions):
            if sid in sessions and now - sessions[sid] > ttl:
                log.info("expire %s", sid)
                sessions.pop(sid)  # want ML202 "this delete raises KeyError"
        time.sleep(1)


def serve(requests):
    threading.Thread(target=janitor, args=(30,), daemon=True).start()
    workers = []
    for sid, action in requests:
        if action == "login":
            sessions[sid] = time.time()
        else:
            t = threading.Thread(target=logout, args=(sid,))
            t.start()
            workers.append(t)
    for t in workers:
        t.join()


if __name__ == "__main__":
    serve([("a", "login"), ("a", "logout")])
