"""Spelling forms and edit tests the typosquat checks share: separator-free and look-alike-folded forms of a name,
and whether two names are one edit apart (pure Python: the agent hook never loads rapidfuzz for this)."""

from __future__ import annotations

import re

SEPARATORS = re.compile(r"[-_.\s]+")
GLYPHS = (("0", "o"), ("1", "l"), ("|", "l"), ("rn", "m"), ("vv", "w"))
"""Look-alike spellings and the letter each folds to, applied in order."""


def skeleton(name: str) -> str:
    """`name` lower-cased with every separator removed: `python_dateutil`, `PythonDateutil` -> `pythondateutil`."""
    return SEPARATORS.sub("", name.lower())


def glyph_form(name: str) -> str:
    """`name` with look-alike characters folded (`I`/`1` -> `l`, `0` -> `o`, `rn` -> `m`), after `skeleton`."""
    text = skeleton(name.replace("I", "l"))
    for old, new in GLYPHS:
        text = text.replace(old, new)
    return text


def deletes(word: str) -> set[str]:
    """Every `word` with one letter left out."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one letter added, left out, changed, or two neighbours swapped
    (optimal string alignment distance <= 1), without loading rapidfuzz (~15 ms) for the agent hook."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    if len(a) < len(b):
        return one_deleted(b, a)
    i = 0
    while a[i] == b[i]:
        i += 1
    if a[i + 1 :] == b[i + 1 :]:  # one letter changed
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]  # a swap


def one_deleted(longer: str, shorter: str) -> bool:
    """Whether `shorter` is `longer` with exactly one letter left out (lengths differ by one)."""
    if len(longer) != len(shorter) + 1:
        return False
    i = 0
    while i < len(shorter) and longer[i] == shorter[i]:
        i += 1
    return longer[i + 1 :] == shorter[i:]


def edit_trick(name: str, target: str) -> str:
    """The `TRICKS` key for one edit turning `target` into `name`."""
    if len(name) < len(target):
        return "omission"
    if len(name) > len(target):
        return "addition"
    diff = [i for i, (a, b) in enumerate(zip(name, target, strict=True)) if a != b]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and name[diff[0]] == target[diff[1]]:
        return "transposition"
    return "substitution" if len(diff) == 1 else "edit"
