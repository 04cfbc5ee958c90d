"""install-hook edges (issue 15 section 3): the first backup survives, normal file modes, a diff on --dry-run."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from slopguard.cli import main
from slopguard.hook.install import install_hook

CMD = "/opt/slopguard/bin/slopguard hook claude-code"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_original_survives_every_later_change(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    original = '{"permissions": {"allow": ["Bash(ls)"]}}\n'
    path.write_text(original)
    first = install_hook("claude-code", "project", cwd=tmp_path, command=CMD)
    after_first = path.read_text()
    second = install_hook("claude-code", "project", cwd=tmp_path, command=CMD + " --edits")
    after_second = path.read_text()
    third = install_hook("claude-code", "project", cwd=tmp_path, command=CMD)
    assert first.backup is not None and first.backup.name == "settings.json.slopguard.bak"
    assert first.backup.read_text() == original  # still the original after three changes
    assert second.backup is not None and second.backup.name == "settings.json.slopguard.bak.2"
    assert second.backup.read_text() == after_first
    assert third.backup is not None and third.backup.name == "settings.json.slopguard.bak.3"
    assert third.backup.read_text() == after_second
    assert str(third.backup) in third.summary


def test_new_files_follow_the_umask_and_old_ones_keep_their_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh = install_hook("codex", "project", cwd=tmp_path, command="slopguard hook codex")
        assert _mode(fresh.path) == 0o644  # not mkstemp's 0600
        os.umask(0o077)
        private = install_hook("cursor", "project", cwd=tmp_path, command="slopguard hook cursor")
        assert _mode(private.path) == 0o600  # the user's umask, whatever it is
    finally:
        os.umask(old)
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text("{}\n")
    path.chmod(0o640)
    done = install_hook("claude-code", "project", cwd=tmp_path, command=CMD)
    assert _mode(path) == 0o640 and done.backup is not None and _mode(done.backup) == 0o640


def test_dry_run_shows_the_change_as_a_diff(tmp_path: Path) -> None:
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"env": {"A": "1"}}, indent=2) + "\n")
    before = path.read_text()
    result = install_hook("claude-code", "project", cwd=tmp_path, command=CMD, dry_run=True)
    lines = result.summary.splitlines()
    assert "--- a/settings.json" in lines and "+++ b/settings.json" in lines
    assert f'+            "command": "{CMD}",' in lines and '   "env": {' in lines
    assert path.read_text() == before and sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    new = install_hook("gemini", "project", cwd=tmp_path, command="slopguard hook gemini", dry_run=True)
    assert "--- /dev/null" in new.summary and '+        "matcher": "run_shell_command",' in new.summary
    assert not (tmp_path / ".gemini").exists()


def test_gemini_note_names_the_setting(tmp_path: Path) -> None:
    summary = install_hook("gemini", "project", cwd=tmp_path, command="slopguard hook gemini").summary
    assert '"hooksConfig": {"enabled": true}' in summary and '"tools": {"enableHooks": true}' in summary


def test_cli_dry_run_prints_the_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["install-hook", "cursor", "--dry-run"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert "+++ b/hooks.json" in out.getvalue() and '+  "version": 1,' in out.getvalue()
    assert not (tmp_path / ".cursor").exists()
