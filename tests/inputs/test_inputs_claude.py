"""Claude Code transcripts: real sessions, every tool shape, and the traps (tool results, user quotes, bad lines)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from slopguard.inputs import InputKind, detect_kind, read_inputs
from slopguard.inputs.claude import claude_sources
from slopguard.models import Problem, Source, SourceKind


def _assistant(cwd: str, *blocks: dict[str, Any], sidechain: bool = False) -> dict[str, Any]:
    return {
        "parentUuid": "p",
        "isSidechain": sidechain,
        "cwd": cwd,
        "sessionId": "s",
        "type": "assistant",
        "message": {"id": "m", "role": "assistant", "content": list(blocks)},
        "uuid": "u",
    }


def _tool(tool_id: str, name: str, **data: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": data}


def _lines(*records: dict[str, Any] | str) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


def test_real_session_bash_calls_pinned_to_their_lines(data_dir: Path) -> None:
    path = str(data_dir / "ccviewer-1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")
    items = list(read_inputs([path]))
    assert [(i.kind, i.pin_line, i.detail, i.cwd, i.text) for i in items if isinstance(i, Source)] == [
        (
            SourceKind.SHELL,
            6,
            "toolu_01UwiR8tuGvGJN2J7BW4KbPx",
            "/path/to/Demo",
            'find . -name "*.json" -o -name "*.md" -o -name "*.js" -o -name "*.ts" -o -name "*.py" -o -name "*.go" '
            '-o -name "*.rs" | head -20',
        ),
        (SourceKind.SHELL, 16, "toolu_012Gbtu9wRFgVWjdDUHE3djw", "/path/to/Demo", "ls -la"),
    ]
    assert len(items) == 2  # the Write of CLAUDE.md has no commands; no problems
    first = items[0]
    assert isinstance(first, Source)
    assert first.locate(1).path == path and first.locate(1).line == 6 and first.locate(1).detail == first.detail


def test_real_sessions_read_without_problems(data_dir: Path) -> None:
    sidechain = str(data_dir / "ccviewer-5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl")
    items = list(read_inputs([sidechain]))
    assert all(isinstance(i, Source) for i in items)
    calls = [i for i in items if isinstance(i, Source) and i.added_lines != frozenset()]
    assert [i.pin_line for i in calls] == [28, 30, 32, 34, 38]  # sidechain Bash calls
    shown = [(i.pin_line, i.filename) for i in items if isinstance(i, Source) and i.added_lines == frozenset()]
    assert shown == [(21, "todo-app/package.json"), (37, "todo-app/package.json")]  # read: evidence, adds nothing
    assert all(i.text.startswith('{\n  "name": "todo-app"') for i in items if i.added_lines == frozenset())
    coverage = str(data_dir / "agent-sessions-claude-small-schema-coverage.jsonl")
    items = list(read_inputs([coverage]))
    assert [(i.pin_line, i.text, i.detail) for i in items if isinstance(i, Source)] == [
        (8, "ls", None),  # a lower-case `bash` tool name without an id
        (29, "ls", "toolu_stage0_1"),
    ]
    assert len(items) == 2


def test_every_tool_shape_and_the_traps() -> None:
    cwd = "/home/dev/proj"
    data = _lines(
        _assistant(cwd, _tool("t1", "Bash", command="pip install requestz", description="x"), sidechain=True),
        {
            "type": "user",
            "cwd": cwd,
            "message": {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "pip install resultpkg"}],
            },
            "toolUseResult": {"stdout": "npm install stdoutpkg", "stderr": ""},
        },
        {"type": "user", "cwd": cwd, "message": {"role": "user", "content": "please run `pip install quotedpkg`"}},
        _assistant(cwd, _tool("t2", "Write", file_path=f"{cwd}/src/app.py", content="import fancylib\n")),
        _assistant(cwd, _tool("t3", "Edit", file_path=f"{cwd}/package.json", old_string="{}", new_string='"x": "1"')),
        _assistant(
            cwd,
            _tool(
                "t4",
                "MultiEdit",
                file_path="/elsewhere/tool.go",
                edits=[{"old_string": "a", "new_string": 'import "a/b"'}, {"old_string": "c", "new_string": "d"}],
            ),
        ),
        _assistant(
            cwd,
            _tool("t5", "NotebookEdit", notebook_path=f"{cwd}/nb.ipynb", new_source="!pip install nbpkg\nimport nbpkg"),
        ),
        _assistant(cwd, {"type": "text", "text": "Install it:\n\n```bash\n$ pip install mdpkg\nok\n```\n"}),
        _assistant(cwd, {"type": "thinking", "thinking": "maybe pip install thoughtpkg"}),
        {"type": "future-record", "message": {"role": "assistant", "content": [_tool("t9", "Bash", command="x")]}},
        _assistant(cwd, _tool("t6", "Read", file_path=f"{cwd}/README.md")),
    )
    items = list(claude_sources(io.BytesIO(data), "s.jsonl"))
    assert all(isinstance(i, Source) for i in items), items
    got = [(i.kind, i.text, i.filename, i.pin_line, i.detail) for i in items if isinstance(i, Source)]
    assert got == [
        (SourceKind.SHELL, "pip install requestz", None, 1, "t1"),
        (SourceKind.PYTHON, "import fancylib\n", "src/app.py", 4, "t2"),
        (SourceKind.MANIFEST, '"x": "1"', "package.json", 5, "t3"),
        (SourceKind.GO, 'import "a/b"', "/elsewhere/tool.go", 6, "t4"),
        (SourceKind.GO, "d", "/elsewhere/tool.go", 6, "t4"),
        (SourceKind.PYTHON, "\nimport nbpkg", "nb.ipynb", 7, "t5"),
        (SourceKind.SHELL, " pip install nbpkg\n", "nb.ipynb", 7, "t5"),
        (SourceKind.SHELL, "  pip install mdpkg\n\n", None, 8, None),
    ]
    assert {i.cwd for i in items if isinstance(i, Source)} == {cwd}
    mined = "".join(i.text for i in items if isinstance(i, Source))
    for never in ("resultpkg", "stdoutpkg", "quotedpkg", "thoughtpkg"):
        assert never not in mined


def test_bad_lines_become_problems_and_reading_goes_on() -> None:
    good = _assistant("/p", _tool("t1", "Bash", command="npm i leftpadx"))
    data = _lines(
        '{"type":"assistant", "message": {"content": [',  # invalid JSON
        "garbage that is not json",
        good,
        '["type", "assistant"]',  # JSON but not an object
        {"type": "assistant", "message": {"role": "assistant", "content": 42}},  # unexpected shape
        _assistant("/p", {"type": "tool_use", "id": "t2", "name": "Bash", "input": "ls"}),
    )
    data += json.dumps(good).encode()[:-10]  # truncated last line, no newline
    items = list(claude_sources(io.BytesIO(data), "s.jsonl"))
    assert [(i.line, i.code) for i in items if isinstance(i, Problem)] == [
        (1, "invalid-json"),
        (2, "invalid-json"),
        (4, "unexpected-record"),
        (5, "unexpected-record"),
        (6, "unexpected-record"),
        (7, "invalid-json"),
    ]
    assert [(i.text, i.pin_line) for i in items if isinstance(i, Source)] == [("npm i leftpadx", 3)]


def test_a_line_over_the_limit_is_skipped_in_bounded_memory() -> None:
    big = _assistant("/p", _tool("t1", "Bash", command="pip install " + "x" * 5000))
    after = _assistant("/p", _tool("t2", "Bash", command="pip install afterpkg"))
    items = list(claude_sources(io.BytesIO(_lines(big, after)), "s.jsonl", max_line=1000))
    assert [(type(i).__name__, getattr(i, "line", None) or getattr(i, "pin_line", None)) for i in items] == [
        ("Problem", 1),
        ("Source", 2),
    ]
    assert isinstance(items[0], Problem) and items[0].code == "line-too-long"


def test_a_twenty_megabyte_line_with_the_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        out.write(b'{"type":"assistant","message":{"content":[{"type":"text","text":"' + b"a" * (20 << 20) + b'"}]}}\n')
        out.write(_lines(_assistant("/p", _tool("t2", "Bash", command="pip install afterpkg"))))
    items = list(read_inputs([str(path)]))
    assert isinstance(items[0], Problem) and (items[0].path, items[0].line) == (str(path), 1)
    assert isinstance(items[1], Source) and items[1].pin_line == 2 and len(items) == 2


def test_binary_and_invalid_utf8_lines() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n" + b'{"type":"assistant","message":{"content":"\xff"}}\n'
    items = list(claude_sources(io.BytesIO(data), "s.jsonl"))
    assert [(i.line, i.code) for i in items if isinstance(i, Problem)] == [
        (1, "invalid-json"),
        (2, "invalid-json"),
        (3, "invalid-json"),
        (4, "invalid-json"),  # the invalid UTF-8 record
    ]


def test_detection(data_dir: Path) -> None:
    path = data_dir / "ccviewer-1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl"
    assert detect_kind(str(path), path.read_bytes()[:65536]) is InputKind.CLAUDE
    assert detect_kind("-", path.read_bytes()[:65536]) is InputKind.CLAUDE
    coverage = data_dir / "agent-sessions-claude-small-schema-coverage.jsonl"
    assert detect_kind(str(coverage), coverage.read_bytes()[:4096]) is InputKind.CLAUDE


def test_written_markdown_and_notebooks() -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%pip install nbmagic\n", "import nbmagic\n"]},
            {"cell_type": "markdown", "source": "Run `pip install mdcell`"},
            {"cell_type": "code", "source": "%%bash\nnpm i cellbash\n"},
        ]
    }
    data = _lines(
        _assistant(
            "/p", _tool("w1", "Write", file_path="/p/README.md", content="# X\n```bash\npip install readmepkg\n```\n")
        ),
        _assistant("/p", _tool("w2", "Write", file_path="/p/nb.ipynb", content=json.dumps(notebook))),
    )
    items = list(claude_sources(io.BytesIO(data), "s.jsonl"))
    assert [(i.kind, i.text, i.filename, i.pin_line, i.detail) for i in items if isinstance(i, Source)] == [
        (SourceKind.SHELL, "pip install readmepkg\n", None, 1, "w1"),
        (SourceKind.PYTHON, "\nimport nbmagic\n", "nb.ipynb", 2, "w2, cell 1"),  # the tool call, then the cell
        (SourceKind.SHELL, " pip install nbmagic\n\n", "nb.ipynb", 2, "w2, cell 1"),
        (SourceKind.SHELL, "pip install mdcell", None, 2, "w2, cell 2"),
        (SourceKind.SHELL, "\nnpm i cellbash\n", "nb.ipynb", 2, "w2, cell 3"),
    ]
    assert len(items) == 5
