"""Feature flags reloaded by an admin endpoint, read by request threads elsewhere."""
import threading

_lock = threading.Lock()
_flags = {}
_overrides = {}


def load(values):
    with _lock:
        _flags.clear()
        _flags.update(values)


def override(name, value):
    with _lock:
        _overrides[name] = value


def enabled(name):
    if name in _overrides:
        return _overrides[name]
    return _flags.get(name, False)


def toggle(name):
    _flags[name] = not _flags.get(name, False)  # want ML201 "concurrent callers of toggle"


def dump():
    return {k: v for k, v in _flags.items()}  # want ML203 "concurrent callers of dump"
