"""Markdown and plain text (chat answers, PR descriptions) -> Sources of fenced code and install commands.

Fenced blocks go by their info string: shell blocks become SHELL Sources (`$ ` prompts removed, output lines
blanked), code blocks become code Sources, TOML/JSON/YAML blocks become manifests when they look like one, and a
file name in the info string (```` ```toml title="pyproject.toml" ````) decides the kind. Any other block, and
text outside blocks (bare lines and inline code spans), only yields lines that start like an install command.
Line numbers in every Source map back onto the text (blank lines stand for dropped ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from slopguard import filetypes
from slopguard.inputs.text import shell_view
from slopguard.models import Source, SourceKind

_FENCE = re.compile(r"^([ \t]*)(`{3,}(?=[^`]*$)|~{3,})(.*)$")  # any indent: fences in list items are indented
_INSTALL = re.compile(
    r"(?:^|[;&|]\s*)(?:sudo\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*"
    r"(?:(?:python[0-9.]*|py(?:\s+-[0-9.]+)?)\s+-m\s+pip\s+install"
    r"|pip[0-9.]*\s+install"
    r"|uv\s+(?:pip\s+install|add|tool\s+install|tool\s+run)"
    r"|uvx|npx|pnpx|bunx"
    r"|pipx\s+(?:install|run|inject)"
    r"|(?:poetry|pdm|rye)\s+add"
    r"|(?:pipenv|conda|mamba|micromamba)\s+install"
    r"|npm\s+(?:i|install|add|exec|x)"
    r"|pnpm\s+(?:add|i|install|dlx|exec)"
    r"|yarn\s+(?:add|dlx|global\s+add)"
    r"|bun\s+(?:add|i|install|x)"
    r"|deno\s+(?:add|install)"
    r"|go\s+(?:get|install|run))"
    r"(?:\s|$)"
)
_QUICK = re.compile(
    r"\b(?:pip[0-9.]*|uvx?|npx|npm|pnpmx?|pnpx|yarn|bunx?|go|conda|mamba|micromamba|poetry|pipx|pipenv|deno|pdm|rye"
    r"|python[0-9.]*|py)\s"
)
_LEAD = re.compile(r"^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:RUN\s+|run:\s*)?")
_PROMPT = re.compile(r"^\s*(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+:\S*\s*)?[$%❯]\s+")
_SPAN = re.compile(r"(`+)(.+?)\1")

_SHELL = frozenset({"bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal", "fish"})
_CODE = {
    "python": SourceKind.PYTHON,
    "py": SourceKind.PYTHON,
    "python3": SourceKind.PYTHON,
    "py3": SourceKind.PYTHON,
    "js": SourceKind.JAVASCRIPT,
    "javascript": SourceKind.JAVASCRIPT,
    "jsx": SourceKind.JAVASCRIPT,
    "node": SourceKind.JAVASCRIPT,
    "mjs": SourceKind.JAVASCRIPT,
    "cjs": SourceKind.JAVASCRIPT,
    "ts": SourceKind.TYPESCRIPT,
    "typescript": SourceKind.TYPESCRIPT,
    "tsx": SourceKind.TSX,
    "go": SourceKind.GO,
    "golang": SourceKind.GO,
}
_NAMED = {"requirements": "requirements.txt", "pip-requirements": "requirements.txt", "gomod": "go.mod"}
_NAMED.update({"dockerfile": "Dockerfile", "docker": "Dockerfile", "makefile": "Makefile", "make": "Makefile"})


def is_install_command(line: str) -> bool:
    """Whether `line` (prompt, quote marker, list bullet or `RUN ` removed) starts like an install/run command."""
    line = _PROMPT.sub("", _LEAD.sub("", line, count=1), count=1)
    return _INSTALL.search(line) is not None


class _Out:
    """Builds Sources for one text, carrying where its lines land."""

    def __init__(self, path: str, first_line: int, pin_line: int | None, cwd: str | None, detail: str | None) -> None:
        self.path = path
        self.first_line = first_line
        self.pin_line = pin_line
        self.cwd = cwd
        self.detail = detail

    def make(self, kind: SourceKind, text: str, index: int, filename: str | None = None) -> Source:
        """A Source whose first line is line `index` (0-based) of the text."""
        return Source(
            text=text,
            kind=kind,
            path=self.path,
            filename=filename,
            line_offset=self.first_line - 1 + index,
            pin_line=self.pin_line,
            cwd=self.cwd,
            detail=self.detail,
        )


def markdown_sources(
    text: str,
    *,
    path: str,
    first_line: int = 1,
    pin_line: int | None = None,
    cwd: str | None = None,
    detail: str | None = None,
) -> Iterator[Source]:
    """Sources for the code and commands in Markdown `text` whose first line is line `first_line` of `path`."""
    if "`" not in text and "~~~" not in text and _QUICK.search(text) is None:
        return
    out = _Out(path, first_line, pin_line, cwd, detail)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if fence is None:
            yield from _prose_line(out, lines[i], i)
            i += 1
            continue
        marker, info = fence.group(2), fence.group(3).strip()
        end = i + 1
        reopened = False
        while end < len(lines):
            close = lines[end].strip()
            if close.startswith(marker[0] * len(marker)) and not close.strip(marker[0]):
                break
            # A bare fence followed by a fence with an info string: the bare one was a closer (the text is a
            # fragment, such as a diff hunk, that starts inside a block), so the new fence opens a block.
            again = _FENCE.match(lines[end]) if not info else None
            if again is not None and again.group(3).strip() and again.group(2)[0] == marker[0]:
                reopened = True
                break
            end += 1
        yield from _block(out, info, lines[i + 1 : end], i + 1, len(fence.group(1)))
        i = end if reopened else end + 1


def _prose_line(out: _Out, line: str, index: int) -> Iterator[Source]:
    if "`" in line:
        for span in _SPAN.finditer(line):
            code = span.group(2).strip()
            if is_install_command(code):
                yield out.make(SourceKind.SHELL, _PROMPT.sub("", code, count=1), index)
    elif is_install_command(line):
        yield out.make(SourceKind.SHELL, _strip_lead(line), index)


def _strip_lead(line: str) -> str:
    return _PROMPT.sub("", _LEAD.sub("", line, count=1), count=1).strip()


def _info(info: str) -> tuple[str, str | None]:
    """(language, file name) from a fence info string such as `python title="app.py"` or `{.toml}`."""
    words = re.split(r"[\s,{}]+", info.replace(":", " "))
    lang = ""
    filename = None
    for word in words:
        value = word.split("=", 1)[-1].strip("\"'")
        if not value:
            continue
        if not lang:
            lang = value.lstrip(".").lower()
        if filetypes.source_kind(value) is not None and ("." in value or value.lower() in _NAMED):
            filename = value
    return lang, filename


def _block(out: _Out, info: str, body: list[str], index: int, indent: int) -> Iterator[Source]:
    if indent:
        body = [line[indent:] if line[:indent].isspace() else line for line in body]
    lang, filename = _info(info)
    text = "\n".join(body) + "\n"
    if filename is None and lang in _NAMED:
        filename = _NAMED[lang]
    if filename is None:
        filename = _guess_manifest(lang, text)
    if filename is not None and lang not in _SHELL:
        kind = filetypes.source_kind(filename)
        if kind is SourceKind.SHELL:
            text = shell_view(filename, text)
        if kind is not None:
            yield out.make(kind, text, index, filename)
            return
    if lang in _SHELL:
        yield out.make(SourceKind.SHELL, _console(body), index)
    elif lang in _CODE:
        yield out.make(_CODE[lang], text, index)
    else:
        for offset, line in enumerate(body):
            if is_install_command(line):
                yield out.make(SourceKind.SHELL, _strip_lead(line), index + offset)


def _guess_manifest(lang: str, text: str) -> str | None:
    if lang == "toml" and re.search(r"^\[(?:project|tool\.poetry|build-system|dependency-groups)", text, re.M):
        return "pyproject.toml"
    if lang in ("json", "jsonc") and re.search(r'"(?:dev|peer|optional)?[dD]ependencies"\s*:', text):
        return "package.json"
    if (
        lang in ("yaml", "yml")
        and re.search(r"^dependencies:", text, re.M)
        and re.search(r"^channels:|- pip:", text, re.M)
    ):
        return "environment.yml"
    return None


def _console(body: list[str]) -> str:
    """A shell block as a script: with prompts, only prompt lines (and their continuations) are kept."""
    if not any(_PROMPT.match(line) for line in body):
        return "\n".join(body) + "\n"
    out: list[str] = []
    continued = False
    for line in body:
        prompt = _PROMPT.match(line)
        if prompt:
            out.append(" " * prompt.end() + line[prompt.end() :])
            continued = line.rstrip().endswith("\\")
        elif continued:
            out.append(line)
            continued = line.rstrip().endswith("\\")
        else:
            out.append("")
    return "\n".join(out) + "\n"
