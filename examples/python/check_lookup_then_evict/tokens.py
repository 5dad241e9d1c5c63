"""Token validation races with the expiry thread that revokes tokens."""
import threading
import time

tokens = {}


def validate(token):
    if token in tokens:
        return tokens[token]["user"]  # want ML202 "the lookup raises KeyError"
    return None


def expire_loop():
    while True:
        now = time.time()
        for tok, info in list(tokens.items()):
            if info["expires"] < now:
                tokens.pop(tok, None)
        time.sleep(0.5)


def serve(requests):
    threading.Thread(target=expire_loop, daemon=True).start()
    workers = [threading.Thread(target=validate, args=(r,)) for r in requests]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


if __name__ == "__main__":
    tokens["t1"] = {"user": "ann", "expires": time.time() + 1}
    serve(["t1"])
