"""One simple shell command of plain words, read without a parser: most install commands agents run are this simple."""

from __future__ import annotations

import re

from slopguard.extract.shell_common import Arg

ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
"""A `NAME=value` word."""

_PLAIN = re.compile(r"[A-Za-z0-9 \t._=/:@+,%^-]*")
"""Text made only of these characters is one simple command of plain words: no quotes, escapes,
expansions, globs, comments, redirections, operators or line breaks (but a final one)."""
_KEYWORDS = frozenset(
    "if then else elif fi for while until do done case esac select function in time coproc "
    "export declare local readonly typeset unset".split()
)
"""Words that make bash read the text as something other than a simple command when they come first."""


def plain_command(text: str, line_base: int, col_base: int) -> tuple[list[Arg], dict[str, str | None]] | None:
    """The words and leading `NAME=value` assignments of `text` when it is one simple command of plain
    words (`pip install requests==2.31`), exactly as the tree-sitter walk reads them; `None` for anything
    else. Most agent install commands are this simple, and they then need no parser at all (tree-sitter
    costs the agent hook ~10 ms to load)."""
    if _PLAIN.fullmatch(text, 0, len(text) - text.endswith("\n")) is None:  # a final line break ends it
        return None
    words: list[Arg] = []
    env: dict[str, str | None] = {}
    for match in re.finditer(r"[^ \t\n]+", text):
        token = match.group()
        if not words and ASSIGNMENT.match(token):
            name, _, value = token.partition("=")
            env[name] = value
            continue
        if not words and token in _KEYWORDS:
            return None
        words.append(Arg(token, token, line_base, match.start() + 1 + col_base))
    return words, env
