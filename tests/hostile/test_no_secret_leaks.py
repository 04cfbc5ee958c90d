"""A secret in the environment and in files outside the repository appears in no output of any format: not on
stdout or stderr, not in a report file, not in the Action's outputs, step summary, SARIF or JSON report. Nor does
a line of a project file that could not be parsed: errors say which line and why, never what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).parent))  # for `files_world`

from files_world import (  # type: ignore[import-not-found]  # noqa: E402
    LEAKED,
    World,
    claude_record,
    commit_hostile_head,
    git,
    make_world,
    no_secret,
)

FORMATS = ("text", "json", "sarif", "github", "markdown")
UNPARSED = "SUPER_SECRET_TOKEN=in-the-project"
"""A line of the project's own requirements file that is no requirement: reported by its line, never repeated."""


@pytest.fixture
def world(tmp_path: Path, fake_registry: FakeRegistry) -> World:
    found: World = make_world(tmp_path, fake_registry)
    commit_hostile_head(world=found)
    return found


def _clean(world: World, *texts: bytes | str) -> None:
    no_secret(*texts)
    for text in texts:
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        assert UNPARSED not in shown and "in-the-project" not in shown
    assert not [p for p in world.looked_up() if any(name in p for name in LEAKED)]


def _inputs(world: World, kind: str) -> tuple[list[str], bytes]:
    """The `scan` arguments and stdin for an input of `kind` that names the outside files."""
    if kind == "tree":
        return ["."], b""
    if kind == "diff":
        return ["-"], git(world.repo, "show", "--format=", "HEAD").encode() + b"\n"
    commands = [
        "pip install -r requirements.txt",
        "pip install -r /proc/self/environ",
        f"cd {world.outside} && pip install -r secret.txt",
        "cat ~/x.txt | xargs pip install",
    ]
    session = world.tmp / "session.jsonl"
    records = [claude_record(str(world.repo), c, n) for n, c in enumerate(commands, 1)]
    session.write_text("\n".join(records) + "\n", encoding="utf-8")
    return [str(session)], b""


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["tree", "diff", "transcript"])
def test_scan_prints_no_secret_in_any_format(kind: str, fmt: str, world: World) -> None:
    paths, stdin = _inputs(world, kind)
    printed = world.run(["slopguard", "scan", *paths, "-f", fmt, "-v", "--no-cache"], stdin=stdin)
    report = world.tmp / f"report.{fmt}"
    written = world.run(["slopguard", "scan", *paths, "-f", fmt, "-v", "--no-cache", "-o", str(report)], stdin=stdin)
    _clean(world, printed.stdout, printed.stderr, written.stdout, written.stderr, report.read_bytes())
    assert printed.returncode == written.returncode == 0, printed.stderr
    assert printed.stdout.strip() and report.read_bytes().strip()  # both reports are there


def test_the_hook_prints_no_secret(world: World) -> None:
    import json

    for command in (
        "pip install -r requirements.txt",
        "pip install -r /proc/self/environ",
        f"cd {world.outside} && pip install -r secret.txt",
        "xargs -a ~/x.txt pip install",
    ):
        payload = {"cwd": str(world.repo), "hook_event_name": "PreToolUse", "tool_name": "Bash"}
        payload["tool_input"] = {"command": command}  # type: ignore[assignment]
        done = world.run(["slopguard", "hook", "claude-code"], stdin=json.dumps(payload).encode())
        _clean(world, done.stdout, done.stderr)
        assert done.returncode == 0, done.stderr
        assert b"not read" in done.stderr or command == "pip install -r requirements.txt"


def test_the_action_writes_no_secret_to_any_output(world: World) -> None:
    base = git(world.repo, "rev-parse", "HEAD~1")
    outputs, summary, temp = world.tmp / "out.txt", world.tmp / "summary.md", world.tmp / "runner"
    temp.mkdir()
    env = {
        **world.env,
        "INPUT_BASE": base,
        "INPUT_HEAD": "HEAD",
        "INPUT_FAIL_ON": "warn",
        "INPUT_SARIF_FILE": "out/slopguard.sarif",
        "INPUT_REPORT_FILE": str(temp / "report.json"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(temp),
    }
    done = subprocess.run(
        [sys.executable, "-m", "slopguard.action"], capture_output=True, timeout=120, cwd=world.repo, env=env
    )
    files = [outputs, summary, temp / "report.json", world.repo / "out" / "slopguard.sarif"]
    assert all(f.is_file() for f in files), done.stdout + done.stderr
    _clean(world, done.stdout, done.stderr, *(f.read_bytes() for f in files))
    # fail-on warn: the diff of the link `constraints.txt` adds the text `/proc/self/environ`, a local-path
    # requirement (warn, non-registry-source); the file it points to is never read
    assert done.returncode == 1, done.stdout + done.stderr
    assert b"non-registry-source" in done.stdout
