"""A small `.gitignore` matcher: per-directory files, `!` negation, `/` anchoring, trailing `/`, `*`, `?`, `**`, `[]`.

Chosen over `git check-ignore` so a tree scan needs no git and no subprocess, and behaves the same outside a
repository. Not covered: `.git/info/exclude`, `core.excludesFile`, and re-including a file below an ignored
directory (git does not either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One pattern line of a `.gitignore`, compiled."""

    regex: re.Pattern[str]
    negate: bool
    dir_only: bool
    anchored: bool


def _translate(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        ch = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = glob.find("]", i + 2)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = glob[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "\\" and i + 1 < len(glob):
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def parse_gitignore(text: str) -> list[Rule]:
    """The rules of one `.gitignore` file's text."""
    rules: list[Rule] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if raw.endswith("\\ "):
            line += " "
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        elif line.startswith("\\"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        try:
            regex = re.compile(_translate(line) + r"\Z")
        except re.error:
            continue
        rules.append(Rule(regex, negate, dir_only, anchored))
    return rules


def is_ignored(layers: list[tuple[str, list[Rule]]], rel: str, is_dir: bool) -> bool:
    """Whether `rel` (a `/` path from the tree root) is ignored by `layers` of (directory, rules), outermost first."""
    ignored = False
    name = rel.rsplit("/", 1)[-1]
    for base, rules in layers:
        if base and not rel.startswith(base + "/"):
            continue
        local = rel[len(base) + 1 :] if base else rel
        for rule in rules:
            if rule.dir_only and not is_dir:
                continue
            target = local if rule.anchored else name
            if rule.regex.match(target):
                ignored = not rule.negate
    return ignored
