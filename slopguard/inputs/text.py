"""Shared reading helpers: bounded lines, decoding, shell views of Dockerfiles and Makefiles, written-file Sources."""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from typing import BinaryIO

from slopguard import filetypes
from slopguard.models import Problem, Source, SourceKind

MAX_LINE = 16 * 1024 * 1024
"""Longest JSONL / text line read (bytes); a longer line becomes a `Problem` and is skipped."""
MAX_FILE = 2 * 1024 * 1024
"""Largest source file or manifest read from a tree or from the working tree (bytes)."""
_SKIP_CHUNK = 1024 * 1024


def iter_lines(stream: BinaryIO, path: str, max_line: int = MAX_LINE) -> Iterator[tuple[int, bytes] | Problem]:
    """(1-based line number, raw line without its newline) for each line; memory stays under `max_line`."""
    number = 0
    readline = stream.readline
    while True:
        raw = readline(max_line + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line and not raw.endswith(b"\n"):
            yield Problem(path, f"line longer than {max_line} bytes skipped", number, "line-too-long")
            skip_rest_of_line(stream)
            continue
        yield number, raw.rstrip(b"\r\n")


def skip_rest_of_line(stream: BinaryIO) -> None:
    """Read and drop the rest of the current line, a chunk at a time."""
    while True:
        rest = stream.readline(_SKIP_CHUNK)
        if not rest or rest.endswith(b"\n"):
            return


def decode_lines(stream: BinaryIO, path: str, max_line: int = MAX_LINE) -> Iterator[tuple[int, str] | Problem]:
    """Like `iter_lines` but decoded as UTF-8; undecodable bytes are replaced and reported once per line."""
    for item in iter_lines(stream, path, max_line):
        if isinstance(item, Problem):
            yield item
            continue
        number, raw = item
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(path, f"invalid UTF-8 at byte {exc.start} (replaced)", number, "invalid-utf8")
            text = raw.decode("utf-8", errors="replace")
        yield number, text


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file say it is binary (a NUL byte)."""
    return b"\x00" in head[:8192]


def decode_file(data: bytes, path: str, name: str | None = None) -> str | Problem:
    """Text of a whole file (see `decode_text`; the note on replaced bytes dropped), or a `Problem` when binary."""
    found = decode_text(data, path, name)
    return found if isinstance(found, Problem) else found[0]


def decoded(data: bytes, path: str, name: str | None = None) -> Generator[Problem, None, str | None]:
    """`decode_text` for a reader that yields its problems: yields the binary-file problem or the note on
    replaced bytes, and returns the text (`None` when binary): `text = yield from decoded(data, path)`."""
    found = decode_text(data, path, name)
    if isinstance(found, Problem):
        yield found
        return None
    text, note = found
    if note is not None:
        yield note
    return text


def decode_text(data: bytes, path: str, name: str | None = None) -> tuple[str, Problem | None] | Problem:
    """Text of a whole file decoded as the tool that runs it would, and a note when bytes had to be replaced;
    a `Problem` only when it is binary (a NUL byte: not text at all).

    Python sources (`name`, else `path`, ends in `.py`/`.pyw`/`.pyi`) honour a PEP 263 coding line; everything
    else is UTF-8 (a BOM dropped). Bytes the encoding cannot decode are replaced with U+FFFD, and the file is
    still scanned: skipping it would let whatever else it holds pass unchecked."""
    if looks_binary(data):
        return Problem(path, "binary file skipped", None, "binary")
    encoding, note = "utf-8-sig", None
    if (name or path).lower().endswith((".py", ".pyw", ".pyi")):
        encoding, note = _python_encoding(data, path)
    try:
        return data.decode(encoding), note
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        shown = "UTF-8" if encoding == "utf-8-sig" else encoding
        message = f"invalid {shown} at byte {exc.start}; replaced, the rest of the file was scanned"
        code = "invalid-utf8" if encoding == "utf-8-sig" else "invalid-encoding"
        return data.decode(encoding, errors="replace"), note or Problem(path, message, line, code)


_REFUSED_CODECS = frozenset({"punycode", "idna", "raw_unicode_escape", "unicode_escape"})
"""Codecs a coding line may not choose: not meant for source text, and some decode in quadratic time."""


def _python_encoding(data: bytes, path: str) -> tuple[str, Problem | None]:
    """The encoding Python reads a source file in (PEP 263 coding line, BOM), or UTF-8 and a note when the
    declared one is unknown or not a text encoding."""
    head = data[: data.find(b"\n", data.find(b"\n") + 1) + 1 or len(data)]  # the first two lines
    if b"coding" not in head:
        return "utf-8-sig", None
    import codecs
    import io
    from tokenize import detect_encoding

    try:
        encoding = detect_encoding(io.BytesIO(head).readline)[0]
        info = codecs.lookup(encoding)
    except (SyntaxError, LookupError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return "utf-8-sig", Problem(path, f"unusable coding line ({why}); read as UTF-8", None, "invalid-encoding")
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return "utf-8-sig", Problem(path, f"coding line names {info.name}; read as UTF-8", None, "invalid-encoding")
    return ("utf-8-sig" if info.name == "utf-8" else encoding), None


_DOCKER_RUN = re.compile(r"^(\s*RUN\s+)(?:--\S+\s+)*", re.IGNORECASE)


def shell_view(filename: str, text: str) -> str:
    """The shell commands inside a Dockerfile (`RUN` bodies), a Makefile (recipe lines) or a CI file (`run:` /
    `script:` values, `slopguard.inputs.ci`); other text as is.

    Lines that are not commands become empty, and a removed prefix becomes spaces, so line and column
    numbers in the view are those of the file.
    """
    if filetypes.is_dockerfile(filename):
        return _docker_view(text)
    if filetypes.is_makefile(filename):
        return _make_view(text)
    ci = filetypes.ci_format(filename)
    if ci is not None:
        from slopguard.inputs.ci import github_view, gitlab_view

        return github_view(text) if ci == "github" else gitlab_view(text)
    return text


def _docker_view(text: str) -> str:
    out: list[str] = []
    in_run = False
    for line in text.split("\n"):
        match = None if in_run else _DOCKER_RUN.match(line)
        if match:
            out.append(" " * match.end() + line[match.end() :])
        elif in_run:
            out.append(line)
        else:
            out.append("")
        if match or in_run:
            in_run = line.rstrip().endswith("\\") or (in_run and line.lstrip().startswith("#"))
    return "\n".join(out)


def _make_view(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\t"):
            body = line[1:]
            stripped = body.lstrip("@-+ ")
            out.append(" " * (len(line) - len(stripped)) + stripped)
        else:
            out.append("")
    return "\n".join(out)


def relative_to(path: str, cwd: str | None) -> str:
    """`path` relative to `cwd` when it lies inside it (string logic only: nothing is read), else as given."""
    if not cwd or not os.path.isabs(path):
        return path.replace("\\", "/")
    norm_cwd = os.path.normpath(cwd)
    norm = os.path.normpath(path)
    if norm == norm_cwd:
        return "."
    prefix = norm_cwd.rstrip("/") + "/"
    return norm[len(prefix) :] if norm.startswith(prefix) else path


def written_source(
    filename: str,
    text: str,
    *,
    path: str,
    pin_line: int | None = None,
    line_offset: int = 0,
    added_lines: frozenset[int] | None = None,
    cwd: str | None = None,
    detail: str | None = None,
) -> Source | None:
    """A `Source` for text written to `filename` (kind from its name), or `None` when slopguard does not read it."""
    kind = filetypes.source_kind(filename)
    if kind is None:
        return None
    if kind is SourceKind.SHELL:
        text = shell_view(filename, text)
        if cwd is None:  # CI commands run at the repository root, not in `.github/workflows/`
            cwd = filetypes.ci_root(path) if filetypes.ci_format(path) else filetypes.ci_root(filename)
    return Source(
        text=text,
        kind=kind,
        path=path,
        filename=filename,
        line_offset=line_offset,
        pin_line=pin_line,
        added_lines=added_lines,
        cwd=cwd,
        detail=detail,
    )
