"""File names, single files, trees (.gitignore, skipped folders, size and encoding limits), session folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from slopguard import filetypes
from slopguard.errors import InputError
from slopguard.inputs import InputKind, detect_kind, read_inputs, session_paths
from slopguard.inputs.ignore import is_ignored, parse_gitignore
from slopguard.models import Problem, Source, SourceKind


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("requirements.in", "requirements"),
        ("constraints.txt", "constraints"),
        ("sub/pyproject.toml", "pyproject"),
        ("setup.cfg", "setup.cfg"),
        ("setup.py", "setup.py"),
        ("Pipfile", "pipfile"),
        ("environment.yaml", "environment.yml"),
        ("web/package.json", "package.json"),
        ("go.mod", "go.mod"),
        ("Pipfile.lock", None),
        ("package-lock.json", None),
        ("notes.txt", None),
        ("tsconfig.json", None),
    ],
)
def test_manifest_format(name: str, fmt: str | None) -> None:
    assert filetypes.manifest_format(name) == fmt


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.py", SourceKind.PYTHON),
        ("a.pyi", SourceKind.PYTHON),
        ("a.mjs", SourceKind.JAVASCRIPT),
        ("a.jsx", SourceKind.JAVASCRIPT),
        ("a.cts", SourceKind.TYPESCRIPT),
        ("a.tsx", SourceKind.TSX),
        ("main.go", SourceKind.GO),
        ("install.sh", SourceKind.SHELL),
        ("Dockerfile", SourceKind.SHELL),
        ("Dockerfile.dev", SourceKind.SHELL),
        ("Makefile", SourceKind.SHELL),
        ("setup.py", SourceKind.MANIFEST),
        ("go.sum", None),
        ("uv.lock", None),
        ("poetry.lock", None),
        ("pnpm-lock.yaml", None),
        ("README.md", None),
        (".bashrc", None),
    ],
)
def test_source_kind(name: str, kind: SourceKind | None) -> None:
    assert filetypes.source_kind(name) is kind


def _tree(root: Path) -> None:
    files = {
        "app.py": "import requests\n",
        "pkg/mod.ts": "import x from 'y';\n",
        "pkg/package.json": '{"dependencies": {}}\n',
        "node_modules/left/index.js": "require('x')\n",
        ".venv/lib/site.py": "import x\n",
        "build/out.py": "import x\n",
        "logs/ignored.py": "import x\n",
        "gen/keep.py": "import keep\n",
        "gen/drop.py": "import drop\n",
        "docs/README.md": "pip install docpkg\n",
        "Dockerfile": "FROM python:3.12\nRUN pip install \\\n    dockpkg\nCMD python app.py\n",
        "go.sum": "x v1 h1:abc\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / ".gitignore").write_text("logs/\n# comment\ngen/*.py\n!gen/keep.py\n")
    (root / "big.py").write_bytes(b"x = 1\n" * 400_000)
    (root / "bin.py").write_bytes(b"\x00\x01\x02")
    (root / "latin.py").write_bytes(b"# caf\xe9\nimport x\n")


def test_tree_walk(tmp_path: Path) -> None:
    _tree(tmp_path)
    items = list(read_inputs([str(tmp_path)]))
    sources = {i.path: i for i in items if isinstance(i, Source)}
    base = str(tmp_path)
    assert sorted(sources) == [
        f"{base}/Dockerfile",
        f"{base}/app.py",
        f"{base}/gen/keep.py",
        f"{base}/latin.py",  # not UTF-8: read with U+FFFD for the bad byte, and noted (below)
        f"{base}/pkg/mod.ts",
        f"{base}/pkg/package.json",
    ]
    assert sources[f"{base}/pkg/package.json"].filename == "pkg/package.json"
    assert sources[f"{base}/pkg/package.json"].kind is SourceKind.MANIFEST
    docker = sources[f"{base}/Dockerfile"]
    assert docker.kind is SourceKind.SHELL
    assert docker.text == "\n    pip install \\\n    dockpkg\n\n"
    problems = sorted((p.path.removeprefix(base), p.code) for p in items if isinstance(p, Problem))
    assert problems == [("/big.py", "skipped"), ("/bin.py", "binary"), ("/latin.py", "invalid-utf8")]


def test_gitignore_matcher() -> None:
    rules = parse_gitignore("*.log\n/top.py\ndocs/**/gen\n!keep.log\nbuild/\n")
    layers = [("", rules)]
    assert is_ignored(layers, "a/b.log", False)
    assert not is_ignored(layers, "a/keep.log", False)
    assert is_ignored(layers, "top.py", False) and not is_ignored(layers, "sub/top.py", False)
    assert is_ignored(layers, "docs/x/y/gen", True)
    assert is_ignored(layers, "a/build", True) and not is_ignored(layers, "a/build", False)


def test_single_files(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "run.sh").write_text("#!/bin/sh\npip install shpkg\n")
    items = list(read_inputs([str(tmp_path / "requirements.txt"), str(tmp_path / "run.sh")]))
    assert [(i.kind, i.text, i.filename, i.path) for i in items if isinstance(i, Source)] == [
        (SourceKind.MANIFEST, "flask\n", str(tmp_path / "requirements.txt"), str(tmp_path / "requirements.txt")),
        (SourceKind.SHELL, "#!/bin/sh\npip install shpkg\n", str(tmp_path / "run.sh"), str(tmp_path / "run.sh")),
    ]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(read_inputs([str(tmp_path / "nope.patch")]))


def test_binary_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    items = list(read_inputs([str(tmp_path / "image.png")]))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [("Problem", "binary")]


def test_detect_kind(tmp_path: Path) -> None:
    assert detect_kind(str(tmp_path), b"") is InputKind.TREE
    assert detect_kind("x.diff", b"diff --git a/x b/x\n") is InputKind.DIFF
    assert detect_kind("-", b"--- a/x\n+++ b/x\n@@ -1 +1 @@\n") is InputKind.DIFF
    assert detect_kind("-", b"From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n") is (
        InputKind.DIFF
    )
    assert detect_kind("notes.md", b"# hi\n") is InputKind.MARKDOWN
    assert detect_kind("notes.txt", b"hi\n") is InputKind.MARKDOWN
    assert detect_kind("package.json", b'{"name": "x"}') is InputKind.FILE
    assert detect_kind("install.sh", b"pip install x") is InputKind.SHELL
    assert detect_kind("-", b"#!/usr/bin/env bash\npip install x\n") is InputKind.SHELL
    assert detect_kind("Dockerfile", b"FROM x\n") is InputKind.FILE


def test_folder_of_sessions_with_forced_kind(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes((data_dir / "ccviewer-1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl").read_bytes())
    items = list(read_inputs([str(folder)], InputKind.CLAUDE))
    assert [(i.path, i.pin_line) for i in items if isinstance(i, Source)] == [
        (f"{folder}/a.jsonl", 6),
        (f"{folder}/a.jsonl", 16),
    ]


def test_session_paths(tmp_path: Path) -> None:
    for rel in (
        ".claude/projects/-home-me-proj/s1.jsonl",
        ".claude/projects/-home-me-proj/s1/subagents/agent-1.jsonl",
        ".claude/projects/-home-me-proj/notes.txt",
        ".codex/sessions/2026/01/02/rollout-a.jsonl",
        ".codex/archived_sessions/rollout-b.jsonl",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    claude = [p.relative_to(tmp_path).as_posix() for p in session_paths("claude", tmp_path)]
    assert claude == [  # sorted as paths (part by part)
        ".claude/projects/-home-me-proj/s1/subagents/agent-1.jsonl",
        ".claude/projects/-home-me-proj/s1.jsonl",
    ]
    codex = [p.relative_to(tmp_path).as_posix() for p in session_paths("codex", tmp_path)]
    assert codex == [".codex/archived_sessions/rollout-b.jsonl", ".codex/sessions/2026/01/02/rollout-a.jsonl"]
    assert session_paths("claude", tmp_path / "empty") == []


def test_stdin_that_cannot_seek_is_detected_and_read_whole(data_dir: Path) -> None:
    import os
    import threading

    data = (data_dir / "claude-code-log-codex-rollout-2026-01-02-synthetic.jsonl").read_bytes() * 50
    read_fd, write_fd = os.pipe()

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    with os.fdopen(read_fd, "rb", buffering=4096) as pipe:
        assert not pipe.seekable()
        items = list(read_inputs(["-"], stdin=pipe))  # type: ignore[arg-type]
    writer.join()
    assert [i.pin_line for i in items if isinstance(i, Source)] == [6 + 14 * k for k in range(50)]
    assert len(items) == 50


def test_forced_shell_on_stdin(read_text: Callable[..., list[Source | Problem]]) -> None:
    items = read_text("pip install a\nnpm i b\n", InputKind.SHELL)
    assert [(i.kind, i.text, i.path) for i in items if isinstance(i, Source)] == [
        (SourceKind.SHELL, "pip install a\nnpm i b\n", "-")
    ]


def test_gitignore_files_above_the_scanned_folder_count_up_to_the_repository_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    repo = outside / "repo"
    src = repo / "pkg" / "src"
    for rel in ("gen/a.py", "keep/b.py", "c.gen.py", "d.py", "skip.py", "deep/skip.py", "local.py", "vendored/e.py"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text("import x\n")
    (repo / ".git").mkdir()
    (outside / ".gitignore").write_text("*.py\n")  # above the repository: not this repository's rules
    (repo / ".gitignore").write_text("gen/\n*.gen.py\n/pkg/src/skip.py\n")
    (repo / "pkg" / ".gitignore").write_text("vendored/\n")
    (src / ".gitignore").write_text("local.py\n")
    items = list(read_inputs([str(src)]))
    seen = sorted(i.path[len(str(src)) + 1 :] for i in items if isinstance(i, Source))
    assert seen == ["d.py", "deep/skip.py", "keep/b.py"]


def test_a_folder_outside_any_repository_uses_only_its_own_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "a.py").write_text("import x\n")
    items = list(read_inputs([str(folder)]))
    assert [i.path for i in items if isinstance(i, Source)] == [f"{folder}/a.py"]
