"""Compromised versions: an advisory about some hijacked versions of an established package, not a malicious name.

The shipped `registries/*/compromised.tsv` lists, per package, the affected versions as an OSV advisory gives
them (`2.0.5 || 2.0.6`, `>=1.95.6 <1.95.8`). A reference that pins one of them blocks (`compromised-version`);
one that pins another version is fine; anything else (no version, a range) warns (`compromised-versions`),
naming the affected versions, unless the name is on the shipped popular list, where an unpinned install gets
a current release (registries remove hijacked versions) and a warning on every use would only be noise.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence

from slopguard.models import Ecosystem, PackageRef, Reason

_NPM_EXACT = re.compile(r"^[=v]*(\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?)$")
_PYPI_EXACT = re.compile(r"^===?\s*([0-9][0-9A-Za-z.!+-]*)$")
_COMPARATOR = re.compile(r"^(>=|<=|>|<|=)?v?(\d+(?:\.\d+)*)$")


def pinned_version(ecosystem: Ecosystem, spec: str | None) -> str | None:
    """The one version `spec` pins (`2.0.5`, `==2.0.5`), or `None` for no spec, a range or a tag."""
    if not spec:
        return None
    text = spec.strip()
    if ecosystem is Ecosystem.PYPI:
        match = _PYPI_EXACT.match(text) if "," not in text and "*" not in text else None
    else:
        match = _NPM_EXACT.match(text)
    return match.group(1) if match else None


def _key(version: str) -> tuple[int, ...] | None:
    """A comparable key of a plain dotted version (`1.95.6`), `None` for anything else (pre-releases too)."""
    parts = version.split(".")
    if not all(p.isdigit() for p in parts):
        return None
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return tuple(int(p) for p in parts)


def is_affected(version: str, affected: str) -> bool | None:
    """Whether `version` is one of `affected` (`a || b`, `>=x <y`); `None` when it cannot be compared."""
    for alternative in affected.split("||"):
        comparators = alternative.split()
        if not comparators:
            continue
        if len(comparators) == 1 and _COMPARATOR.match(comparators[0]) is None:
            if comparators[0].lstrip("=v") == version:
                return True
            continue
        verdict = _satisfies(version, comparators)
        if verdict is None:
            return None
        if verdict:
            return True
    return False


_OPS = {
    "=": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def _satisfies(version: str, comparators: list[str]) -> bool | None:
    """Whether `version` meets every comparator (`>=1.95.6`, `<1.95.8`); `None` when one cannot be compared."""
    have = _key(version)
    for comparator in comparators:
        match = _COMPARATOR.match(comparator)
        bound = _key(match.group(2)) if match else None
        if match is None or have is None or bound is None:
            return None
        if not _OPS[match.group(1) or "="](have, bound):
            return False
    return True


def compromised_reasons(
    ecosystem: Ecosystem,
    name: str,
    refs: Sequence[PackageRef],
    entry: tuple[str, str],
    *,
    popular: bool,
) -> list[Reason]:
    """`compromised-version` (block) when a ref pins an affected version, else `compromised-versions` (warn)
    for refs without an exact pin; nothing when every ref pins a version outside the advisory."""
    affected, advisory = entry
    who = f"{ecosystem.value}:{name}"
    source = f" ({advisory}, ossf/malicious-packages)" if advisory else " (ossf/malicious-packages)"
    shown = affected.replace(" || ", ", ")
    loose = False
    for ref in refs:
        version = pinned_version(ecosystem, ref.spec)
        if version is None:
            loose = True
            continue
        hit = is_affected(version, affected)
        if hit:
            return [
                Reason(
                    "compromised-version",
                    f"{who} {version} is a hijacked release{source}: affected versions {shown}. "
                    "Pin a version outside them.",
                )
            ]
        if hit is None:
            loose = True
    if not loose or popular:
        return []
    return [
        Reason(
            "compromised-versions",
            f"{who} had hijacked releases{source}: versions {shown}. The package itself is established; "
            "make sure none of those versions is installed (pin a version outside them).",
        )
    ]
