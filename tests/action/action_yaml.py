"""A small reader for the block-style YAML of action.yml, .pre-commit-hooks.yaml and the README's workflow.

The test environment has no YAML library, and these files are ours: block mappings and sequences, plain and
quoted scalars, `|`/`>` block scalars and comments are all they use. Anything else raises `ValueError`, so
a construct this reader does not know cannot be misread silently.
"""

from __future__ import annotations

import re
from typing import Any

_KEY = re.compile(r"""^(?P<key>[A-Za-z0-9_$.\-/]+|'[^']*'|"[^"]*")\s*:(?:\s+(?P<rest>.*))?$""")
_BLOCK = re.compile(r"^[|>][-+]?$")


def _strip_comment(text: str) -> str:
    if text.startswith(("'", '"')):
        return text
    return re.split(r"\s+#", text, maxsplit=1)[0].rstrip()


def _scalar(text: str) -> Any:
    text = _strip_comment(text.strip())
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise ValueError(f"unterminated quote: {text}")
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        if not text.endswith('"') or len(text) < 2:
            raise ValueError(f"unterminated quote: {text}")
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if text in ("{}", "[]"):
        return {} if text == "{}" else []
    if text.startswith(("[", "{", "&", "*", "!")):
        raise ValueError(f"flow or tagged YAML is not supported here: {text}")
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("", "~", "null"):
        return None
    return text


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.expandtabs(8).splitlines()
        self.i = 0

    def skip(self) -> None:
        while self.i < len(self.lines) and (
            not self.lines[self.i].strip() or self.lines[self.i].lstrip().startswith("#")
        ):
            self.i += 1

    def indent(self) -> int:
        line = self.lines[self.i]
        return len(line) - len(line.lstrip(" "))

    def done(self) -> bool:
        self.skip()
        return self.i >= len(self.lines)

    def node(self, indent: int) -> Any:
        if self.lines[self.i].lstrip().startswith("-"):
            return self.sequence(indent)
        return self.mapping(indent)

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while not self.done() and self.indent() == indent and self.lines[self.i].lstrip().startswith("-"):
            line = self.lines[self.i]
            rest = line.lstrip()[1:]
            if rest and not rest.startswith(" "):
                raise ValueError(f"bad sequence item: {line}")
            content = rest.strip()
            if not content:
                self.i += 1
                self.skip()
                items.append(self.node(self.indent()))
            elif _KEY.match(content):
                inner = indent + 1 + len(rest) - len(rest.lstrip(" "))
                self.lines[self.i] = " " * inner + content
                items.append(self.mapping(inner))
            else:
                items.append(_scalar(content))
                self.i += 1
        return items

    def mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not self.done() and self.indent() == indent:
            line = self.lines[self.i].strip()
            match = _KEY.match(line)
            if not match:
                raise ValueError(f"not a mapping entry: {line}")
            key = _scalar(match["key"]) if match["key"][0] in "'\"" else match["key"]
            rest = _strip_comment(match["rest"] or "")
            self.i += 1
            if key in result:
                raise ValueError(f"duplicate key {key}")
            if _BLOCK.match(rest):
                result[key] = self.block_scalar(indent, rest)
            elif rest:
                result[key] = _scalar(rest)
            elif self.done():
                result[key] = None
            elif self.indent() > indent or (self.indent() == indent and self.lines[self.i].lstrip().startswith("- ")):
                result[key] = self.node(self.indent())
            else:
                result[key] = None
        if not self.done() and self.indent() > indent:
            raise ValueError(f"unexpected indentation: {self.lines[self.i]}")
        return result

    def block_scalar(self, indent: int, style: str) -> str:
        body: list[str] = []
        block_indent = None
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip():
                here = len(line) - len(line.lstrip(" "))
                if here <= indent:
                    break
                block_indent = here if block_indent is None else block_indent
                body.append(line[block_indent:])
            else:
                body.append("")
            self.i += 1
        while body and not body[-1]:
            body.pop()
        if style.startswith(">"):
            text = " ".join(part for part in body if part)
        else:
            text = "\n".join(body)
        return text if style.endswith("-") else text + "\n"


def load(text: str) -> Any:
    """The document in `text` (a mapping or a sequence at the top level)."""
    reader = _Reader(text)
    if reader.done():
        return None
    value = reader.node(reader.indent())
    if not reader.done():
        raise ValueError(f"trailing content: {reader.lines[reader.i]}")
    return value
