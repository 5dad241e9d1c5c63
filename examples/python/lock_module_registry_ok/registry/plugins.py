"""Plugins made on first use, guarded by a lock another module defines."""
from .locks import PLUGINS_LOCK

_instances = {}


def get(name):
    with PLUGINS_LOCK:
        if name not in _instances:
            _instances[name] = object()
        return _instances[name]


def loaded():
    with PLUGINS_LOCK:
        return sorted(_instances)
