"""Manifests written by shell commands: `cat > requirements.txt <<EOF`, `tee package.json <<EOF`, `echo x >> FILE`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from slopguard.extract.manifests import extract_manifest, manifest_format
from slopguard.extract.shell_common import Node, ShellText, split_options
from slopguard.models import Project, SourceKind

if TYPE_CHECKING:
    from slopguard.extract.shell_common import Sink


class _Walker(Protocol):
    sink: Sink
    project: Project


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


def manifest_write(node: Node, walker: _Walker, shell: ShellText) -> None:
    """If the redirected statement `node` writes a dependency manifest, extract the refs of what it writes."""
    body = node.child_by_field_name("body")
    if body is None or body.type != "command":
        return
    targets: list[str] = []
    heredoc: Node | None = None
    pending = list(node.children)
    while pending:
        child = pending.pop(0)
        if child.type == "file_redirect":
            op = child.children[0].type if child.children else ""
            dest = child.child_by_field_name("destination")
            if op in (">", ">>", ">|", "&>", "&>>") and dest is not None:
                value = shell.arg(dest).value
                if value:
                    targets.append(value)
        elif child.type == "heredoc_redirect":
            pending.extend(child.children)
        elif child.type == "heredoc_body":
            heredoc = child
    name_node = body.child_by_field_name("name")
    program = shell.of(name_node).rsplit("/", 1)[-1] if name_node is not None else ""
    words = [shell.arg(c) for c in body.children_by_field_name("argument")]
    if program == "tee":
        targets.extend(a.value for a in split_options(words, frozenset()).positionals if a.value)
    target = next((t for t in targets if manifest_format(t) is not None), None)
    if target is None:
        return
    source = walker.sink.source
    if heredoc is not None and program in ("cat", "tee"):
        first = shell.line_base + heredoc.start_point[0]
        text = shell.of(heredoc)
        count = text.count("\n") + 1
        added = None
        if source.added_lines is not None:
            added = frozenset(k for k in range(1, count + 1) if source.keeps(first + k - 1))
        sub = replace(
            source,
            text=text,
            kind=SourceKind.MANIFEST,
            filename=target,
            line_offset=source.line_offset + first - 1,
            added_lines=added,
        )
    elif program in ("echo", "printf") and words and all(w.value is not None for w in words):
        if not source.keeps(words[0].line):
            return
        text = _echo_text(program, [w.value or "" for w in words])
        pin = source.locate(words[0].line).line  # every line of the written text lands on the echo line
        sub = replace(source, text=text, kind=SourceKind.MANIFEST, filename=target, pin_line=pin, added_lines=None)
    else:
        return
    extraction = extract_manifest(sub, walker.project)
    walker.sink.refs.extend(extraction.refs)
    walker.sink.problems.extend(extraction.problems)


def _echo_text(program: str, values: list[str]) -> str:
    escapes = program == "printf"
    while values and program == "echo" and re.match(r"^-[neE]+$", values[0]):
        escapes = escapes or "e" in values[0]
        values = values[1:]
    text = values[0] if program == "printf" and values else " ".join(values)
    if escapes:
        text = re.sub(r"\\([nt\\])", lambda m: _ESCAPES[m.group(1)], text)
    return text + "\n"
