"""Manifests written by shell commands: `cat > requirements.txt <<EOF`, `tee package.json <<EOF`, `echo x >> FILE`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from slopguard.extract.manifests import extract_manifest, manifest_format
from slopguard.extract.shell_common import Arg, Node, ShellText, split_options
from slopguard.models import Project, Source, SourceKind

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
    elif program in ("echo", "printf"):
        _echoed(walker, program, words, target)
        return
    else:
        return
    _extract_into(walker, sub)


def pipeline_write(node: Node, walker: _Walker, shell: ShellText) -> None:
    """`echo x | tee -a requirements.txt`: what the first command prints is written to the manifest."""
    parts = [c.child_by_field_name("body") if c.type == "redirected_statement" else c for c in node.named_children]
    commands = [c for c in parts if c is not None and c.type == "command"]
    if len(commands) != 2:
        return
    first, last = commands
    name = first.child_by_field_name("name")
    tee_name = last.child_by_field_name("name")
    if tee_name is None or not tee_name.named_child_count:
        return
    tee = [shell.arg(c) for c in (tee_name.named_children[0], *last.children_by_field_name("argument"))]
    if tee and tee[0].value in ("sudo", "doas"):  # `... | sudo tee -a FILE`
        tee = split_options(tee[1:], frozenset({"-u", "-g"}), stop_at_positional=True).command()
    if name is None or not tee or (tee[0].value or "").rsplit("/", 1)[-1] != "tee":
        return
    program = shell.of(name).rsplit("/", 1)[-1]
    targets = [a.value for a in split_options(tee[1:], frozenset()).positionals if a.value]
    target = next((t for t in targets if manifest_format(t) is not None), None)
    if target is not None and program in ("echo", "printf"):
        _echoed(walker, program, [shell.arg(c) for c in first.children_by_field_name("argument")], target)


def _echoed(walker: _Walker, program: str, words: list[Arg], target: str) -> None:
    """The manifest text an `echo` / `printf` writes, every line of it located on the command's line."""
    source = walker.sink.source
    if not words or any(w.value is None for w in words) or not source.keeps(words[0].line):
        return
    text = _echo_text(program, [w.value or "" for w in words])
    pin = source.locate(words[0].line).line
    _extract_into(
        walker, replace(source, text=text, kind=SourceKind.MANIFEST, filename=target, pin_line=pin, added_lines=None)
    )


def _extract_into(walker: _Walker, sub: Source) -> None:
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
