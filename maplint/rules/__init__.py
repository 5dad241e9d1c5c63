"""Built-in rules. Sources live in <repo>/rules/; the wheel copies them here.

The top-level import name `rules` belongs to django-rules, so the rule modules
are reached as `maplint.rules.<module>`. In a source checkout or an editable
install this package's path is extended with the repository's rules/ folder.
"""
from pathlib import Path as _Path

_root = _Path(__file__).resolve().parents[2]
# The pyproject.toml test matters: in site-packages parents[2]/rules may be
# django-rules, whose modules must never load as maplint rules.
if (_root / "pyproject.toml").is_file() and (_root / "rules").is_dir() and (_root / "maplint").is_dir():
    __path__.append(str(_root / "rules"))  # type: ignore[name-defined]
