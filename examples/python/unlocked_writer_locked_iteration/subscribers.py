"""Publish under a lock, but one subscribe path forgot to take it."""
import threading


class Broker:
    def __init__(self):
        self._lock = threading.RLock()
        self._subs = {}

    def subscribe(self, topic, callback):
        with self._lock:
            self._subs.setdefault(topic, []).append(callback)

    def subscribe_once(self, topic, callback):
        self._subs[topic] = [callback]  # want ML203 "without `self._lock`"

    def publish(self, topic, message):
        with self._lock:
            for t, callbacks in self._subs.items():
                if t == topic:
                    for cb in callbacks:
                        cb(message)


broker = Broker()


def producer():
    for i in range(100):
        broker.publish("tick", i)


def main():
    t = threading.Thread(target=producer)
    t.start()
    broker.subscribe_once("tick", print)
    broker.subscribe("tock", print)
    t.join()


if __name__ == "__main__":
    main()
