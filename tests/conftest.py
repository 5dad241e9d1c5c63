"""Test-wide settings: the result cache goes to a throwaway directory."""
import os
import tempfile

os.environ.setdefault("MAPLINT_CACHE_DIR", tempfile.mkdtemp(prefix="maplint-test-cache-"))
