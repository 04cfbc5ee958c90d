"""scan edges (issue 15 section 3): `--git HEAD` is refused, a missing sessions folder is named; README's note."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    fake_registry.add_pypi("requests", versions={"2.31.0": "2023-05-22T00:00:00Z", "1.0.0": "2015-01-01T00:00:00Z"})
    return fake_registry


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _git(repo: Path, *args: str) -> None:
    config = ["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *config, *args], cwd=repo, capture_output=True, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_range_with_nothing_in_it_is_refused(env: FakeRegistry, tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README").write_text("x\n")
    _git(tmp_path, "add", "README")
    _git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "requirements.txt").write_text("reqeusts\n")
    _git(tmp_path, "add", "requirements.txt")
    _git(tmp_path, "commit", "-q", "-m", "add")
    for empty in ("HEAD", "HEAD..HEAD", "main", "main...HEAD"):
        code, out, err = run("scan", "--git", empty)
        assert code == 2 and out == "", empty
        assert "nothing to scan" in err and "BASE..HEAD" in err and "HEAD~1..HEAD" in err
    code, out, _ = run("scan", "--git", "HEAD~1..HEAD")
    assert code == 1 and "reqeusts" in out
    assert run("scan", "--git", "HEAD~1")[0] == 1  # one revision that is not HEAD still means REV..HEAD


def test_missing_sessions_folders_are_named(env: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    code, _, err = run("scan", "--claude-sessions")
    assert code == 2 and "scan needs a PATH" not in err
    assert f"no Claude Code transcripts (*.jsonl) in {tmp_path / 'claude' / 'projects'}" in err
    assert "CLAUDE_CONFIG_DIR" in err
    code, _, err = run("scan", "--codex-sessions")
    assert (
        code == 2
        and str(tmp_path / "codex" / "sessions") in err
        and str(tmp_path / "codex" / "archived_sessions") in err
    )
    (tmp_path / "requirements.txt").write_text("requests\n")
    code, out, err = run("scan", "--codex-sessions", "requirements.txt")  # other inputs: a note, and the scan goes on
    assert code == 0 and "no Codex transcripts" in err and "1 ok" in out


def test_readme_says_the_first_command_exits_1_on_purpose() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("```", 2)[2].split("\n\n", 2)
    paragraph = " ".join((after[0] + after[1]).split())
    assert "exit status 1" in paragraph and "on purpose" in paragraph
