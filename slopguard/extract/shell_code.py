"""Code a shell command writes or runs through a here-document or here-string: read as the file it creates.

`cat > src/app.ts <<'EOF' … EOF`, `cat <<EOF > app.py`, `tee main.go <<-EOF`, `cat <<EOF | tee x.js`,
`cat <<< "import x" > a.py` write source files: their imports are checked like a written file's (by the
target's file type). `python - <<EOF`, `python3 <<< "…"`, `node - <<EOF` run the text as code: its imports too.
Manifests written the same way are `slopguard.extract.shell_write`'s.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from slopguard.extract.shell_common import Node, ShellText
from slopguard.filetypes import source_kind
from slopguard.models import Source, SourceKind

if TYPE_CHECKING:
    from slopguard.extract.shell_write import _Walker

CODE_KINDS = frozenset({SourceKind.PYTHON, SourceKind.JAVASCRIPT, SourceKind.TYPESCRIPT, SourceKind.TSX, SourceKind.GO})
"""What a written file may be read as here (shell scripts and Markdown written by a command are not read)."""
_RUNNERS = {"python": SourceKind.PYTHON, "pypy": SourceKind.PYTHON, "node": SourceKind.JAVASCRIPT}
"""Programs that run the code they read on stdin (`python -`, `node -`)."""
_STDIN_NAME = {SourceKind.PYTHON: "<stdin>.py", SourceKind.JAVASCRIPT: "<stdin>.js"}


def code_kind(target: str) -> SourceKind | None:
    """The kind of source file `target` is, when its imports are read (`.py`, `.ts`, `.go`, ...)."""
    kind = source_kind(target)
    return kind if kind in CODE_KINDS else None


def runs_stdin(program: str, args: list[str | None]) -> SourceKind | None:
    """The language `program ARGS` runs from its stdin (`python -`, `python3 -u`, `node -`), or `None`
    (a script file, `-c`, `-m`, `-e`: stdin is then data, not code)."""
    kind = _RUNNERS.get(program)
    if kind is None:
        return None
    for value in args:
        if value is None or (value != "-" and not value.startswith("-")):
            return None
        if value[:2] in ("-c", "-m", "-e", "-p", "-r") or value in ("--eval", "--print", "--require"):
            return None
    return kind


def heredoc_text(heredoc: Node, shell: ShellText, strip_tabs: bool) -> str:
    """The text a here-document feeds (`<<-` strips leading tabs from each line, as the shell does)."""
    text = shell.of(heredoc)
    if strip_tabs:
        text = "\n".join(line.lstrip("\t") for line in text.split("\n"))
    return text


def heredoc_source(walker: _Walker, shell: ShellText, heredoc: Node, text: str, kind: SourceKind, name: str) -> Source:
    """A `Source` of `kind` for here-document `text`, whose lines land on the lines of `heredoc`."""
    source = walker.sink.source
    first = shell.line_base + heredoc.start_point[0]
    count = text.count("\n") + 1
    added = None
    if source.added_lines is not None:
        added = frozenset(k for k in range(1, count + 1) if source.keeps(first + k - 1))
    return replace(
        source, text=text, kind=kind, filename=name, line_offset=source.line_offset + first - 1, added_lines=added
    )


def herestring_source(walker: _Walker, text: str, line: int, kind: SourceKind, name: str) -> Source | None:
    """A `Source` of `kind` for here-string `text` on `line` (every ref located on that line)."""
    source = walker.sink.source
    if not source.keeps(line):
        return None
    pin = source.locate(line).line
    return replace(source, text=text + "\n", kind=kind, filename=name, pin_line=pin, added_lines=None)


def stdin_name(kind: SourceKind) -> str:
    """The file name given to code run from stdin (only its suffix matters)."""
    return _STDIN_NAME.get(kind, "<stdin>")


def extract_code(walker: _Walker, sub: Source, written: str | None) -> None:
    """The imports of `sub` into the walker's sink; `written` (the file created, if any) is noted as written."""
    from slopguard.extract.imports import extract_imports

    extraction = extract_imports(sub, walker.project)
    walker.sink.refs.extend(extraction.refs)
    walker.sink.problems.extend(extraction.problems)
    if written is not None:
        walker.written.append(written)


def herestring_run(node: Node, walker: _Walker, shell: ShellText, program: str, args: list[str | None]) -> None:
    """`python3 <<< "import x"`: a command whose here-string is code it runs."""
    kind = runs_stdin(program, args)
    if kind is None:
        return
    for child in node.children:
        if child.type == "herestring_redirect" and child.named_child_count:
            word = shell.arg(child.named_children[-1])
            if word.value is not None:
                sub = herestring_source(walker, word.value, word.line, kind, stdin_name(kind))
                if sub is not None:
                    extract_code(walker, sub, None)
