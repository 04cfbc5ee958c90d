"""Loads the shipped data in `registries/` once, lazily: popular names, stdlib lists, import map, bad lists."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from slopguard.models import Ecosystem


@functools.cache
def data_dir() -> Path:
    """Where the shipped `registries/` data lives: inside the wheel, or at the repo root in a checkout."""
    packaged = Path(__file__).with_name("_registries")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "registries"


def _lines(relative: str) -> list[str]:
    path = data_dir() / relative
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    # The shipped lists are a `#` provenance header, then one clean name per line: split those without a
    # strip per line (reading the lists was a tenth of a cold hook call). A hand-edited file (comments
    # further down, blanks around names, CRLF) takes the careful way.
    start = 0
    while text.startswith("#", start):
        start = text.find("\n", start) + 1 or len(text)
    body = text[start:]
    if "#" in body or " " in body or "\t" in body or "\r" in body:
        return [kept for ln in text.splitlines() if (kept := ln.strip()) and ln[0] != "#"]
    return [ln for ln in body.split("\n") if ln]


@functools.cache
def python_stdlib() -> frozenset[str]:
    """Top-level standard-library module names (shipped list plus the running interpreter's)."""
    return frozenset(_lines("pypi/stdlib.txt")) | frozenset(sys.stdlib_module_names)


@functools.cache
def node_builtins() -> frozenset[str]:
    """Node core module names (`fs`, `path`, `node:test` is given as `test`)."""
    return frozenset(_lines("npm/builtins.txt"))


@functools.cache
def _import_map() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _lines("pypi/import-names.tsv"):
        module, _, dist = line.partition("\t")
        if dist:
            table[module] = dist
    return table


@functools.cache
def import_depth() -> int:
    """The most dotted parts a module of the import-name table has (no longer prefix can match)."""
    return max((module.count(".") + 1 for module in _import_map()), default=1)


def import_distribution(module: str) -> str | None:
    """The PyPI distribution that provides dotted import `module`, by the longest known prefix."""
    table = _import_map()
    parts = module.split(".", import_depth())[: import_depth()]  # `a.b.c...` a million parts deep: a few looks
    for end in range(len(parts), 0, -1):
        dist = table.get(".".join(parts[:end]))
        if dist:
            return dist
    return None


@functools.cache
def popular_names(ecosystem: Ecosystem) -> tuple[str, ...]:
    """Popular canonical names of `ecosystem`, most popular first."""
    return tuple(_lines(f"{ecosystem.value}/popular.txt"))


@functools.cache
def popular_set(ecosystem: Ecosystem) -> frozenset[str]:
    """`popular_names()` as a set."""
    return frozenset(popular_names(ecosystem))


@functools.cache
def popular_rank(ecosystem: Ecosystem) -> dict[str, int]:
    """0-based popularity rank of each popular canonical name (lower is more popular)."""
    rank: dict[str, int] = {}
    for i, name in enumerate(popular_names(ecosystem)):
        rank.setdefault(name, i)
    return rank


@functools.cache
def known_hallucinations(ecosystem: Ecosystem) -> frozenset[str]:
    """Canonical names code LLMs are documented to hallucinate (popular names never appear here)."""
    return frozenset(_lines(f"{ecosystem.value}/known-hallucinations.txt"))


@functools.cache
def known_malicious(ecosystem: Ecosystem) -> frozenset[str]:
    """Canonical names with an OSV `MAL-` advisory (names whose advisory covers hijacked versions are left out)."""
    return frozenset(_lines(f"{ecosystem.value}/malicious.txt"))


@functools.cache
def compromised(ecosystem: Ecosystem) -> dict[str, tuple[str, str]]:
    """Established packages some of whose versions were hijacked: canonical name -> (affected versions, advisory).

    The affected versions are written like an npm range: `2.0.5 || 2.0.6`, `>=1.95.6 <1.95.8`.
    """
    table: dict[str, tuple[str, str]] = {}
    for line in _lines(f"{ecosystem.value}/compromised.tsv"):
        name, _, rest = line.partition("\t")
        affected, _, advisory = rest.partition("\t")
        if name and affected:
            table[name] = (affected, advisory)
    return table


@functools.cache
def npm_bins() -> dict[str, str]:
    """Well-known npm binaries whose package has another name: binary -> package (`tsc` -> `typescript`)."""
    table: dict[str, str] = {}
    for line in _lines("npm/bins.tsv"):
        binary, _, rest = line.partition("\t")
        package = rest.partition("\t")[0]
        if binary and package:
            table[binary] = package
    return table
