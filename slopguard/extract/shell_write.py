"""Files written by shell commands: `cat > requirements.txt <<EOF`, `tee package.json <<EOF`, `echo x >> FILE`,
and source files and code run from here-documents (`slopguard.extract.shell_code`)."""

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
    written: list[str]


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


def manifest_write(node: Node, walker: _Walker, shell: ShellText) -> None:
    """If the redirected statement `node` writes a dependency manifest or a source file (or runs code from a
    here-document: `python - <<EOF`), extract the refs of what it writes (`slopguard.extract.shell_code`)."""
    from slopguard.extract import shell_code

    body = node.child_by_field_name("body")
    while body is not None and body.type in ("list", "pipeline") and body.named_child_count:
        body = body.named_children[-1]  # `mkdir -p src && cat > src/a.ts <<EOF`: the redirects are the last one's
    if body is None or body.type != "command":
        return
    targets: list[str] = []
    heredoc: Node | None = None
    strip_tabs = False
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
            strip_tabs = strip_tabs or any(c.type == "<<-" for c in child.children)
            pending.extend(child.children)
        elif child.type == "heredoc_body":
            heredoc = child
        elif child.type == "pipeline":  # `cat <<EOF | tee FILE`: the pipeline sits inside the here-document
            targets.extend(_tee_targets(child, shell))
    name_node = body.child_by_field_name("name")
    program = shell.of(name_node).rsplit("/", 1)[-1] if name_node is not None else ""
    words = [shell.arg(c) for c in body.children_by_field_name("argument")]
    if program == "tee":
        targets.extend(a.value for a in split_options(words, frozenset()).positionals if a.value)
    target = next((t for t in targets if manifest_format(t) is not None), None)
    if target is None:
        _code_write(body, walker, shell, heredoc, strip_tabs, targets, program, words)
        return
    source = walker.sink.source
    if heredoc is not None and program in ("cat", "tee"):
        text = shell_code.heredoc_text(heredoc, shell, strip_tabs)
        sub = shell_code.heredoc_source(walker, shell, heredoc, text, SourceKind.MANIFEST, target)
    elif program in ("echo", "printf"):
        _echoed(walker, program, words, target)
        return
    elif program == "cat" and (string := _herestring(body, shell)) is not None:
        if string.value is None or not source.keeps(string.line):
            return
        pin = source.locate(string.line).line
        sub = replace(
            source, text=string.value + "\n", kind=SourceKind.MANIFEST, filename=target, pin_line=pin, added_lines=None
        )
    else:
        return
    _extract_into(walker, sub)


def _code_write(
    body: Node,
    walker: _Walker,
    shell: ShellText,
    heredoc: Node | None,
    strip_tabs: bool,
    targets: list[str],
    program: str,
    words: list[Arg],
) -> None:
    """A source file written by `cat`/`tee` from a here-document or here-string, or code run from one."""
    from slopguard.extract import shell_code
    from slopguard.extract.shell import program as program_of

    kind: SourceKind | None = None
    written: str | None = None
    if program in ("cat", "tee"):
        written = next((t for t in targets if shell_code.code_kind(t) is not None), None)
        kind = shell_code.code_kind(written) if written is not None else None
    elif heredoc is not None:
        kind = shell_code.runs_stdin(program_of(program), [w.value for w in words])
    if kind is None:
        return
    name = written or shell_code.stdin_name(kind)
    if heredoc is not None:
        text = shell_code.heredoc_text(heredoc, shell, strip_tabs)
        shell_code.extract_code(walker, shell_code.heredoc_source(walker, shell, heredoc, text, kind, name), written)
        return
    string = _herestring(body, shell) if written is not None else None
    if string is not None and string.value is not None:
        sub = shell_code.herestring_source(walker, string.value, string.line, kind, name)
        if sub is not None:
            shell_code.extract_code(walker, sub, written)


def _herestring(command: Node, shell: ShellText) -> Arg | None:
    """The word of `command`'s here-string (`cat <<< "text"`), if it has one."""
    for child in command.children:
        if child.type == "herestring_redirect" and child.named_child_count:
            return shell.arg(child.named_children[-1])
    return None


def _tee_targets(pipeline: Node, shell: ShellText) -> list[str]:
    """The files `| tee FILE...` writes, when it is the last command of `pipeline`."""
    commands = [c for c in pipeline.named_children if c.type == "command"]
    if not commands:
        return []
    last = commands[-1]
    name = last.child_by_field_name("name")
    if name is None or shell.of(name).rsplit("/", 1)[-1] != "tee":
        return []
    words = [shell.arg(c) for c in last.children_by_field_name("argument")]
    return [a.value for a in split_options(words, frozenset()).positionals if a.value]


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
