"""`scan_text`'s inputs: a snippet of code, a manifest, a shell script, a diff or Markdown, as `Source`s.

The text comes from the model, so it is untrusted: every Source gets the empty root (`slopguard.root.NOWHERE`),
and no file it names (`-r other.txt`, `cd dir`, a tsconfig `extends`) is ever opened.
"""

from __future__ import annotations

import io

from slopguard import filetypes
from slopguard.errors import UsageError
from slopguard.models import Problem, SettingChange, Source, SourceKind
from slopguard.root import NOWHERE, with_root

LABEL = "<scan_text>"
"""The path every location of a scanned snippet carries."""

_LANGUAGES = {
    "python": "snippet.py",
    "py": "snippet.py",
    "javascript": "snippet.js",
    "js": "snippet.js",
    "jsx": "snippet.jsx",
    "typescript": "snippet.ts",
    "ts": "snippet.ts",
    "tsx": "snippet.tsx",
    "go": "snippet.go",
    "golang": "snippet.go",
    "dockerfile": "Dockerfile",
    "makefile": "Makefile",
    "requirements": "requirements.txt",
    "notebook": "snippet.ipynb",
    "ipynb": "snippet.ipynb",
}
_SHELL = frozenset({"shell", "sh", "bash", "zsh", "console", "command", "commands", "script"})
_MARKDOWN = frozenset({"markdown", "md", "answer", "text"})
_DIFF = frozenset({"diff", "patch", "unified-diff"})

KINDS = (
    "python, javascript, typescript, tsx, go, shell, markdown, diff, dockerfile, makefile, or a file name such as "
    "requirements.txt, pyproject.toml, setup.cfg, Pipfile, environment.yml, package.json, go.mod"
)
"""What `kind` may be, for the tool description and the error message."""


def snippet_sources(text: str, kind: str) -> list[Source | Problem | SettingChange]:
    """The Sources (and reading problems) of `text` read as `kind`; `UsageError` for a kind slopguard does
    not read. Every Source has the empty root: nothing the snippet names is read from disk."""
    wanted = kind.strip()
    lower = wanted.lower()
    items: list[Source | Problem | SettingChange]
    if lower in _MARKDOWN:
        from slopguard.inputs.markdown import markdown_sources

        items = list(markdown_sources(text, path=LABEL))
    elif lower in _SHELL:
        items = [Source(text, SourceKind.SHELL, LABEL)]
    elif lower in _DIFF:
        from slopguard.inputs import InputKind, read_stream

        kind_of = InputKind.PATCH if text.lstrip().startswith("*** Begin Patch") else InputKind.DIFF
        items = list(read_stream(io.BytesIO(text.encode("utf-8", "surrogatepass")), LABEL, kind_of))
    else:
        name = _LANGUAGES.get(lower, wanted.rsplit("/", 1)[-1])
        if not name or (filetypes.source_kind(name) is None and not name.lower().endswith((".md", ".ipynb"))):
            raise UsageError(f"kind {kind[:100]!r} is not one slopguard reads; use one of: {KINDS}")
        from slopguard.inputs.written import written_sources

        items = list(written_sources(name, text, path=LABEL))
    return [with_root(item, NOWHERE) for item in items]
