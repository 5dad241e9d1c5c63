"""Rule metadata and discovery.

A rule is a module in `rules/` that defines `RULE = Rule(...)`; its `check`
is a pure function of the analysed model (no I/O, no parsing, no formatting).
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from maplint.finding import Finding


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str  # the title: first docstring line without code and name
    doc: str  # the module docstring (## What it does / Why is this bad? / Example / Use instead)
    check: Callable[[Any], Iterable[Finding]]
    languages: tuple[str, ...] = ("go",)
    severity: str = "error"
    since: str = "0.1.0"
    precision: str = "high"  # SARIF properties.precision
    tags: tuple[str, ...] = ("concurrency", "correctness")


# Codes the engine itself emits (bad input, suppressions, internal errors);
# they have no module.
TOOL_CODES = {
    "ML900": ("parse-error", "a file could not be read or parsed"),
    "ML901": ("unused-suppression", "a suppression directive that matches no finding"),
    "ML902": ("suppression-without-reason", "a suppression directive that gives no reason"),
    "ML903": ("budget-exceeded", "the analysis of a file stopped at its time or size budget"),
    "ML999": ("internal-error", "maplint failed on a file or rule"),
}

# The tool codes that are about the input or the tool, not about a line of
# code: they go to stderr, never fail the run by themselves (except ML999),
# and are never suppressed or baselined. ML901/ML902 are findings like the
# rules' (staticcheck reports its unused and malformed directives the same way).
DIAGNOSTIC_CODES = frozenset({"ML900", "ML903", "ML999"})


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    import maplint.rules as pkg

    found: dict[str, Rule] = {}
    names: set[str] = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name[:2] == "ml":
            continue
        module = importlib.import_module(f"maplint.rules.{info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            continue
        if rule.code in found or rule.name in names:
            raise RuntimeError(f"duplicate rule {rule.code} {rule.name} in {info.name}")
        found[rule.code] = rule
        names.add(rule.name)
    return tuple(sorted(found.values(), key=lambda r: r.code))


def rule_by_code(code: str) -> Rule | None:
    return next((r for r in all_rules() if r.code == code), None)


def known_codes() -> set[str]:
    return {r.code for r in all_rules()} | set(TOOL_CODES)


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """ruff semantics: the longest matching prefix wins; ties go to ignore."""
    best_sel = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_sel >= 0 and best_sel > best_ign


def doc_parts(doc: str) -> tuple[str, str]:
    """(title, body) of a rule docstring whose first line is `CODE name: title`."""
    first, _, rest = doc.strip().partition("\n")
    title = first.split(":", 1)[1].strip() if ":" in first else first.strip()
    return title, rest.strip()
