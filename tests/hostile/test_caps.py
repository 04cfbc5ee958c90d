"""Issue 12, item 7: the caps that bound time on huge inputs never let an input pass clean unread.

Past a cap (references per source, sources or distinct packages per input, commands per script, subshell
nesting) the rest of an input is not read: the report says where (`input-incomplete`) and its verdict is the
`on_unknown` one, in `scan` as in the agent hook, so a name after the cap can never slip through with exit 0.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slopguard.check import MAX_INPUT_SOURCES, scan
from slopguard.config import Settings
from slopguard.extract.shell import MAX_COMMANDS, MAX_NESTING
from slopguard.extract.shell_common import MAX_REFS
from slopguard.models import INCOMPLETE, Report, Verdict

HARMLESS = (("pypi", "harmless-*"),)
"""Allow-listed: decided ok without a lookup, so only the cap can make the report anything but clean."""


def _scan(path: Path, on_unknown: str = "warn") -> Report:
    settings = Settings(offline=True, cache_dir=path.parent / ".cache", allow=HARMLESS, on_unknown=on_unknown)
    return scan([str(path)], settings, cwd=path.parent)


def _incomplete(report: Report) -> list[str]:
    return [p.message for p in report.errors if p.code == INCOMPLETE]


def test_requirements_padded_past_the_cap_does_not_pass_clean(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("".join(f"harmless-{i}\n" for i in range(MAX_REFS + 1)) + "reqeusts\n")
    report = _scan(path)
    assert "reqeusts" not in {f.name for f in report.findings}  # past the cap: not read ...
    assert _incomplete(report)  # ... and said so
    assert report.verdict is Verdict.WARN  # on_unknown (default warn), never ok
    assert _scan(path, "block").verdict is Verdict.BLOCK


def test_requirements_padded_past_the_cap_fails_the_cli_with_on_unknown_block(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("".join(f"harmless-{i}\n" for i in range(MAX_REFS + 1)) + "reqeusts\n")
    (tmp_path / ".slopguard.toml").write_text('[allow]\npypi = ["harmless-*"]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    env["SLOPGUARD_CACHE_DIR"] = str(tmp_path / ".cache")
    command = [sys.executable, "-m", "slopguard", "scan", "--offline", "--format", "json", "requirements.txt"]
    done = subprocess.run([*command, "--on-unknown", "block"], cwd=tmp_path, capture_output=True, text=True, env=env)
    report = json.loads(done.stdout)
    assert report["verdict"] == "block"
    assert done.returncode != 0
    assert any(e["code"] == INCOMPLETE for e in report["errors"])


def test_markdown_with_more_code_blocks_than_an_input_may_hold(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    fence = "```bash\npip install {}\n```\n"
    path.write_text(fence.format("harmless-a") * MAX_INPUT_SOURCES + fence.format("reqeusts"))
    report = _scan(path)
    assert "reqeusts" not in {f.name for f in report.findings}
    assert any("the rest of it was not read" in m for m in _incomplete(report))
    assert report.verdict is Verdict.WARN


def test_diff_with_more_distinct_packages_than_an_input_may_hold(tmp_path: Path) -> None:
    head = "diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n"
    hunks = "".join(f"@@ -{i},0 +{i},1 @@\n+harmless-{i}\n" for i in range(1, MAX_REFS + 2))
    path = tmp_path / "change.diff"
    path.write_text(head + hunks + f"@@ -{MAX_REFS + 5},0 +{MAX_REFS + 5},1 @@\n+reqeusts\n")
    report = _scan(path)
    assert "reqeusts" not in {f.name for f in report.findings}
    assert _incomplete(report)
    assert report.verdict is Verdict.WARN


def test_script_with_more_commands_than_read(tmp_path: Path) -> None:
    path = tmp_path / "install.sh"
    path.write_text("pip install harmless-a\n" * MAX_COMMANDS + "pip install reqeusts\n")
    report = _scan(path, "block")
    assert "reqeusts" not in {f.name for f in report.findings}
    assert any("commands" in m for m in _incomplete(report))
    assert report.verdict is Verdict.BLOCK


@pytest.mark.parametrize("opening", ["$(", "("])
def test_subshells_nested_deeper_than_read(tmp_path: Path, opening: str) -> None:
    path = tmp_path / "install.sh"
    deep = MAX_NESTING + 20
    path.write_text("echo " + (opening + " ") * deep + "pip install reqeusts" + " )" * deep + "\n")
    report = _scan(path)
    assert "reqeusts" not in {f.name for f in report.findings}
    assert any("nested" in m for m in _incomplete(report))
    assert report.verdict is Verdict.WARN
    path.write_text("echo " + (opening + " ") * 5 + "pip install reqeusts" + " )" * 5 + "\n")  # shallow: read
    report = _scan(path)
    assert "reqeusts" in {f.name for f in report.findings}
    assert not _incomplete(report)
