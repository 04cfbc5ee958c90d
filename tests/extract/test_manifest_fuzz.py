"""Any text given as any manifest format yields refs and problems, never an exception (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract.manifests import extract_manifest
from slopguard.models import Project, Source, SourceKind

FORMATS = [
    "requirements.txt",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "Pipfile",
    "environment.yml",
    "package.json",
    "go.mod",
]
_PIECES = [
    *"abc-_.=<>~^*@/:[]{}()\"',#;\\\n \t",
    "requests",
    "[project]",
    "dependencies = [",
    "[tool.poetry.dependencies]",
    "-r ",
    "-e ",
    "--index-url ",
    '"dependencies": {',
    "require (",
    "replace ",
    " => ",
    "v1.2.3",
    "install_requires =",
    "- pip:",
    "npm:",
    "git+https://x/y.git",
    "file:../x",
    "\udc80",
    "\U0010ffff",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=150, deadline=3000)
@given(st.sampled_from(FORMATS), _TEXT, st.none() | st.frozensets(st.integers(1, 10), max_size=5))
def test_fuzz_manifests_never_raise(filename: str, text: str, added: frozenset[int] | None) -> None:
    extraction = extract_manifest(
        Source(text, SourceKind.MANIFEST, filename, filename=filename, added_lines=added), Project()
    )
    for ref in extraction.refs:
        assert ref.location.path == filename
        assert added is None or ref.location.line in added
