"""`--git BASE..HEAD`: the diff built by git, post-images from the work tree or from `git show`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from slopguard.errors import InputError
from slopguard.inputs import read_git
from slopguard.inputs.gitdiff import split_range
from slopguard.models import Problem, Source, SourceKind

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> str:
    env_args = ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *env_args, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("import os\n\n\ndef main():\n    return os.name\n")
    (root / "old.py").write_text("import removedpkg\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    (root / "app.py").write_text("import os\nimport fancypkg\n\n\ndef main():\n    return os.name\n")
    (root / "old.py").unlink()
    (root / "requirements.txt").write_text("flask\nfancypkg==1.0\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "add fancypkg\n\nRun pip install commitmsgpkg first.")
    return root


def _sources(items: list[Source | Problem]) -> list[Source]:
    assert all(isinstance(i, Source) for i in items), items
    return [i for i in items if isinstance(i, Source)]


def test_checked_out_head_reads_the_work_tree(repo: Path) -> None:
    sources = _sources(list(read_git("HEAD~1..HEAD", repo / ".")))
    assert [(s.path, s.kind, s.line_offset, s.added_lines) for s in sources] == [
        ("app.py", SourceKind.PYTHON, 0, frozenset({2})),
        ("requirements.txt", SourceKind.MANIFEST, 0, frozenset({1, 2})),
    ]
    assert sources[0].text == "import os\nimport fancypkg\n\n\ndef main():\n    return os.name\n"
    assert "commitmsgpkg" not in "".join(s.text for s in sources)
    assert "removedpkg" not in "".join(s.text for s in sources)


def test_head_not_checked_out_uses_git_show(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD")
    _git(repo, "checkout", "-q", "HEAD~1")
    sources = _sources(list(read_git(f"{head}~1...{head}", repo)))
    assert [(s.path, s.text, s.added_lines) for s in sources] == [
        ("app.py", "import os\nimport fancypkg\n\n\ndef main():\n    return os.name\n", frozenset({2})),
        ("requirements.txt", "flask\nfancypkg==1.0\n", frozenset({1, 2})),
    ]


def test_from_a_subfolder_paths_stay_repo_relative(repo: Path) -> None:
    sub = repo / "sub"
    sub.mkdir()
    sources = _sources(list(read_git("HEAD~1", sub)))
    assert [s.path for s in sources] == ["app.py", "requirements.txt"]


def test_bad_ranges(repo: Path, tmp_path: Path) -> None:
    assert split_range("a..b") == ("a", "..", "b")
    assert split_range("a...") == ("a", "...", "HEAD")
    for bad in ("--output=/tmp/x..HEAD", "a..b;rm", "..HEAD"):
        with pytest.raises(InputError):
            list(read_git(bad, repo))
    with pytest.raises(InputError):
        list(read_git("nosuchrev..HEAD", repo))
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    with pytest.raises(InputError):
        list(read_git("HEAD~1..HEAD", outside))
