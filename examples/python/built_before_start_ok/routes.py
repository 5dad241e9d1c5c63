"""The routing table is built before the workers start and only read afterwards."""
import threading

routes = {}


def route(path):
    def register(fn):
        routes[path] = fn
        return fn
    return register


@route("/")
def index():
    return "home"


@route("/about")
def about():
    return "about"


def dispatch(paths):
    for p in paths:
        handler = routes.get(p)
        if handler is not None:
            handler()
        for known in routes:
            if p.startswith(known):
                break


def main():
    routes["/health"] = lambda: "ok"
    ts = [threading.Thread(target=dispatch, args=(["/", "/about"],)) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


if __name__ == "__main__":
    main()
