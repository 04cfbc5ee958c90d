"""`for NAME in WORDS; do ... $NAME ...; done`: the loop body once per literal word, so the installs it runs are seen.

Agents write `for p in numpy pandas; do pip install $p; done`. Each body is the body's text with every use of
the loop variable replaced by the word, single-quoted (so `x>=1` stays one word, as bash passes it). Only plain
uses are replaced (`$p`, `${p}`, `"$p"`, `"${p}"` standing as a whole word); a body that uses the variable any
other way (`"$p-dev"`, `${p%%=*}`) is not expanded, rather than guessed at.
"""

from __future__ import annotations

import re

from slopguard.extract.shell_common import Node, ShellText, word_value

MAX_VALUES = 64
"""Longest word list expanded; a longer loop is left as written."""
_END = r"(?=$|[\s;&|)])"


def for_bodies(node: Node, shell: ShellText) -> tuple[Node, list[str]] | None:
    """The first node inside a `for` loop's body (where the bodies start) and the body's text once per word
    of a literal word list, or `None`."""
    if node.named_child_count > 2 * MAX_VALUES + 2:  # variable, words, body, comments: too many words for sure
        return None
    name_node = node.child_by_field_name("variable")
    body = node.child_by_field_name("body")
    values = node.children_by_field_name("value")
    if name_node is None or body is None or not values or len(values) > MAX_VALUES:
        return None
    name = shell.of(name_node)
    words = [word_value(v, shell) for v in values]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or any(w is None for w in words):
        return None
    if any(v.type in ("word", "concatenation") and any(c in shell.of(v) for c in "*?[{") for v in values):
        return None  # `for f in *.txt`: a glob or brace expansion, words that only the shell knows
    inner = [c for c in body.children if c.type not in ("do", "done", "{", "}")]
    if not inner:
        return None
    first = inner[0]
    text = shell.src[first.start_byte : inner[-1].end_byte]
    use = re.compile(r"\$\{?" + name + r"(?![A-Za-z0-9_])")
    whole = re.compile(r"(?<![^\s;&|(])(\"?)\$(?:\{" + name + r"\}|" + name + r"(?![A-Za-z0-9_]))\1" + _END)
    if len(use.findall(text)) != len(whole.findall(text)):
        return None  # the variable is used inside a larger word or an expansion with operators
    bodies = []
    for word in words:
        assert word is not None
        quoted = "'" + word.replace("'", "'\\''") + "'"
        bodies.append(whole.sub(quoted.replace("\\", "\\\\"), text))
    return first, bodies
