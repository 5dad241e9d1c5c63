"""The package's locks, in one place."""
import threading

PLUGINS_LOCK = threading.Lock()
