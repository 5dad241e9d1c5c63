"""Settings: `[tool.maplint]` in pyproject.toml, or maplint.toml / .maplint.toml.

The nearest file found walking up from the working directory wins (ruff's
rule), since Go repositories rarely have a pyproject.toml.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from maplint.budget import DEFAULT_SECONDS
from maplint.files import DEFAULT_EXCLUDE, DEFAULT_MAX_BYTES

KNOWN_KEYS = {"select", "extend-select", "ignore", "extend-ignore", "exclude", "extend-exclude",
              "go-version", "max-file-bytes", "output-format", "python-version", "cache-dir", "timeout"}


OUTPUT_FORMATS = ("text", "json", "sarif", "github")


class ConfigError(Exception):
    pass


@dataclass
class Settings:
    select: list[str] = field(default_factory=lambda: ["ML"])
    ignore: list[str] = field(default_factory=list)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    go_version: str | None = None
    max_file_bytes: int = DEFAULT_MAX_BYTES
    output_format: str | None = None  # `output-format`: what --format defaults to
    timeout: float | None = DEFAULT_SECONDS  # seconds per analysis unit (maplint.budget); None: no limit
    jobs: int | None = None  # worker processes; None: one per CPU
    no_cache: bool = False
    cache_dir: str | None = None
    source: str | None = None  # the config file used


def find_config(start: Path) -> tuple[Path, dict] | None:
    for d in [start, *start.parents]:
        for name in ("maplint.toml", ".maplint.toml", "pyproject.toml"):
            p = d / name
            if not p.is_file():
                continue
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise ConfigError(f"{p}: cannot parse config: {e}") from e
            if name == "pyproject.toml":
                section = _table(data, "tool", p).get("maplint")
                if section is None:
                    continue
                return p, _table({"tool.maplint": section}, "tool.maplint", p)
            return p, _section(data, p)
    return None


def _table(data: dict, key: str, path: Path) -> dict:
    """data[key] as a table (missing: empty), or a ConfigError naming it."""
    v = data.get(key, {})
    if not isinstance(v, dict):
        raise ConfigError(f"{path}: `{key}` must be a table ([{key}]), not {type(v).__name__}")
    return v


def _section(data: dict, path: Path) -> dict:
    """maplint's settings in a maplint.toml: [tool.maplint] if present, else the top level."""
    if "maplint" in _table(data, "tool", path):
        return _table({"tool.maplint": data["tool"]["maplint"]}, "tool.maplint", path)
    return data


def load(start: Path | None = None, explicit: str | None = None) -> Settings:
    s = Settings()
    if explicit:
        p = Path(explicit)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{p}: cannot read config: {e}") from e
        found = (p, _section(raw, p))
    else:
        found = find_config(start or Path.cwd())
    if found is None:
        return s
    path, data = found
    s.source = str(path)
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_KEYS))}")

    def codes(key: str) -> list[str]:
        v = data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(f"{path}: `{key}` must be a list of rule code prefixes")
        return v

    def names(key: str) -> list[str]:
        v = data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(f"{path}: `{key}` must be a list of directory names, e.g. [\"vendor\", \"gen\"]")
        return v

    if "select" in data:
        s.select = codes("select")
    s.select += codes("extend-select")
    s.ignore = codes("ignore") + codes("extend-ignore")
    if "exclude" in data:
        s.exclude = tuple(names("exclude"))
    s.exclude += tuple(names("extend-exclude"))
    if "go-version" in data:
        v = data["go-version"]
        if not isinstance(v, str):  # `go-version = 1.20` is the number 1.2
            raise ConfigError(f"{path}: `go-version` must be a string, e.g. go-version = \"1.23\" (quoted: "
                              f"a bare {v!r} is a number)")
        s.go_version = check_go_version(v, str(path))
    if "output-format" in data:
        if data["output-format"] not in OUTPUT_FORMATS:
            raise ConfigError(f"{path}: `output-format` must be one of {', '.join(OUTPUT_FORMATS)}")
        s.output_format = data["output-format"]
    if "python-version" in data:
        v = data["python-version"]
        if not isinstance(v, str) or not re.fullmatch(r"3\.\d+t?", v.strip()):
            raise ConfigError(f"{path}: `python-version` must be a string such as \"3.12\" (or \"3.13t\")")
    if "cache-dir" in data:
        if not isinstance(data["cache-dir"], str):
            raise ConfigError(f"{path}: `cache-dir` must be a path")
        s.cache_dir = str((path.parent / data["cache-dir"]).resolve())
    if "max-file-bytes" in data:
        v = data["max-file-bytes"]
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise ConfigError(f"{path}: `max-file-bytes` must be a positive integer (bytes), e.g. 8388608")
        s.max_file_bytes = v
    if "timeout" in data:
        s.timeout = check_timeout(data["timeout"], f"{path}: `timeout`")
    return s


def check_timeout(v, where: str = "--timeout") -> float | None:
    """Seconds per analysis unit: a positive number, or 0 for no limit."""
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            v = None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0 or v == float("inf"):
        raise ConfigError(f"{where} must be a number of seconds per package, e.g. 60 (0: no limit)")
    return float(v) or None


def check_go_version(v: str, where: str = "--go-version") -> str:
    m = re.fullmatch(r"(?:go)?1\.(\d+)(?:\.\d+)?", v.strip())
    if not m or int(m.group(1)) > 40:
        raise ConfigError(f"{where}: unknown Go version {v!r}; write it as 1.NN, e.g. 1.23 (classic map) or 1.24 (Swiss map)")
    return f"1.{int(m.group(1))}"


def go_version_for(directory: Path, cache: dict[Path, str | None]) -> str | None:
    """The `go` line of the nearest go.mod at or above `directory`."""
    d = directory.resolve()
    chain = []
    for cand in [d, *d.parents]:
        if cand in cache:
            found = cache[cand]
            break
        chain.append(cand)
        gomod = cand / "go.mod"
        if gomod.is_file():
            found = None
            try:
                for line in gomod.read_text(encoding="utf-8", errors="replace").splitlines():
                    m = re.match(r"\s*go\s+(1\.\d+)", line)
                    if m:
                        found = m.group(1)
                        break
            except OSError:
                found = None
            break
    else:
        found = None
    for c in chain:
        cache[c] = found
    return found
