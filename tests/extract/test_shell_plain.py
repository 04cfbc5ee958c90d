"""The plain-command shortcut of the shell extractor reads exactly what the tree-sitter walk reads, and only
takes text it can read alike (no quotes, expansions, operators, redirections, keywords or line breaks)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract import shell
from slopguard.extract.shell import extract_shell, plain_command
from slopguard.models import Extraction, Project, Source, SourceKind


def _table_cases() -> list[str]:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("shell_table", Path(__file__).with_name("test_shell_table.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [command for command, _ in module.CASES]


WORDS = (
    "pip pip3 pip3.12 python python3 -m uv uvx pipx poetry pdm npm npx yarn pnpm bun bunx go sudo env nohup "
    "install add i in get run exec dlx tool download -U --user -r -e -i -c --index-url --extra-index-url "
    "http://mirror.example/simple requests reqeusts left-pad @types/node @scope/pkg@1.2.3 requests==2.31 "
    "numpy>=1.0 github.com/pkg/errors@v0.9.1 golang.org/x/tools/cmd/goimports@latest ./local . -- "
    "FOO=1 PIP_INDEX_URL=http://x/simple A= a=b time if then export 3 1.2 ^x %x , : + @ -"
).split()


def both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Extraction, Extraction]:
    source = Source(text, SourceKind.SHELL, "cmd.sh")
    quick = extract_shell(source, Project())
    with monkeypatch.context() as patched:
        patched.setattr(shell, "plain_command", lambda *args: None)  # the tree-sitter walk only
        parsed = extract_shell(source, Project())
    return quick, parsed


@pytest.mark.parametrize("command", _table_cases())
def test_every_table_case_reads_alike(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    quick, parsed = both_ways(command, monkeypatch)
    assert quick == parsed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.sampled_from([" ", "  ", "\t", " \t "]),
    st.sampled_from(["", "\n"]),  # a code block's text ends with its line break
)
def test_random_plain_commands_read_alike(words: list[str], gap: str, end: str) -> None:
    text = gap.join(words) + end
    mp = pytest.MonkeyPatch()
    try:
        quick, parsed = both_ways(text, mp)
    finally:
        mp.undo()
    assert quick == parsed, text


@pytest.mark.parametrize(
    "text",
    [
        "pip install 'requests'",
        'pip install "x"',
        "pip install $PKG",
        "pip install x; rm -rf /",
        "pip install x && y",
        "pip install x | tee log",
        "pip install x > log",
        "pip install x # note",
        "pip install x\npip install y",
        "pip install x\n\n",
        "pip install x\\ y",
        "pip install ~/pkg",
        "pip install x*",
        "if pip install x",
        "export A=1",
        "time pip install x",
        "pip install `x`",
        "pip install {a,b}",
        "pip install x[extra]",
        "pip install x!",
        "pip install (x)",
    ],
)
def test_text_with_anything_else_goes_to_the_parser(text: str) -> None:
    assert plain_command(text, 1, 0) is None


def test_assignments_before_the_command_are_its_environment() -> None:
    found = plain_command("PIP_INDEX_URL=http://x/simple A= pip install requests", 4, 2)
    assert found is not None
    words, env = found
    assert env == {"PIP_INDEX_URL": "http://x/simple", "A": ""}
    assert [(w.value, w.line, w.column) for w in words] == [("pip", 4, 36), ("install", 4, 40), ("requests", 4, 48)]
