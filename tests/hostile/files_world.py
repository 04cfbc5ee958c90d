"""A hostile world for the files-stay-inside tests: a project whose text names files outside it, a secret in
the environment and in a file next to the project, and runners for every entry point (scan, hook, Action)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "action"))  # for `action_fixtures`

from action_fixtures import commit, git  # type: ignore[import-not-found]  # noqa: E402
from fakeregistry import FakeRegistry  # type: ignore[import-not-found]  # noqa: E402

SECRET = "hunter2-5f0c1a9e7b"
"""The secret's value: in the environment (`SUPER_SECRET_TOKEN`) and in `outside/secret.txt`."""
LEAKED = ("leaked-outside-name", "leaked-home-name", "leaked-env-name")
"""Lines of files outside the project that parse as package names: never looked up, never printed."""


def hostile_requirements(outside: Path) -> str:
    """A requirements file whose includes all lead outside the project (line 1 is a real requirement)."""
    return (
        "requests\n"
        "-r /proc/self/environ\n"
        "-r ../outside/secret.txt\n"
        "-r ~/x.txt\n"
        "-r link.txt\n"
        f"-c {outside}/secret.txt\n"
        "-r ../../../../../../../../../../proc/self/environ\n"
        "SUPER_SECRET_TOKEN=in-the-project\n"
    )


@dataclass
class World:
    """The folders and environment of one hostile test."""

    tmp: Path
    repo: Path
    outside: Path
    home: Path
    registry: FakeRegistry
    env: dict[str, str] = field(default_factory=dict)

    def run(
        self, args: list[str], *, stdin: bytes = b"", cwd: Path | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """`python -m slopguard ARGS` as a user runs it, in `cwd` (default: the project)."""
        return subprocess.run(
            [sys.executable, "-m", *args],
            input=stdin,
            capture_output=True,
            timeout=120,
            cwd=cwd or self.repo,
            env=self.env,
        )

    def looked_up(self) -> list[str]:
        """Every path the registry was asked for."""
        return list(self.registry.requests)


def make_world(tmp_path: Path, registry: FakeRegistry) -> World:
    """The project `repo/` (a git repository), `outside/secret.txt` next to it, a fake home, and the env."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"SUPER_SECRET_TOKEN={SECRET}\nleaked-outside-name\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    (home / "x.txt").write_text(f"leaked-home-name\n{SECRET}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLOPGUARD_", "GITHUB_", "INPUT_"))}
    env.update(registry.env(tmp_path / "cache"))
    env.update({"HOME": str(home), "SUPER_SECRET_TOKEN": SECRET, "LEAKED_ENV": "x\nleaked-env-name\n"})
    return World(tmp_path, repo, outside, home, registry, env)


def plant_project(world: World) -> None:
    """The project's hostile files: requirements naming outside files, and links that lead out of it."""
    (world.repo / "requirements.txt").write_text(hostile_requirements(world.outside), encoding="utf-8")
    (world.repo / "link.txt").symlink_to(world.outside / "secret.txt")
    (world.repo / "requirements-dev.txt").symlink_to(world.outside / "secret.txt")
    (world.repo / "constraints.txt").symlink_to("/proc/self/environ")


def commit_hostile_head(world: World) -> tuple[str, str]:
    """A base commit, then a head commit (checked out) adding the hostile files; (base, head) shas."""
    base = commit(world.repo, {"README.md": "demo\n"}, "base")
    plant_project(world)
    head = commit(world.repo, {}, "agent: add requirements")
    return base, head


def claude_record(cwd: str | None, command: str, line: int) -> str:
    """One Claude Code assistant record running `command` with Bash in `cwd` (no `cwd` key when `None`)."""
    record: dict[str, Any] = {
        "type": "assistant",
        "uuid": f"u{line}",
        "message": {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": f"toolu_{line}", "name": "Bash", "input": {"command": command}}],
        },
    }
    if cwd is not None:
        record["cwd"] = cwd
    return json.dumps(record)


def claude_write(cwd: str, file_path: str, content: str) -> str:
    """One Claude Code assistant record writing `content` to `file_path`."""
    block = {
        "type": "tool_use",
        "id": "toolu_w",
        "name": "Write",
        "input": {"file_path": file_path, "content": content},
    }
    return json.dumps({"type": "assistant", "cwd": cwd, "message": {"role": "assistant", "content": [block]}})


def codex_rollout(cwd: str, workdir: str, command: str) -> str:
    """A Codex rollout: a session in `cwd`, then a shell call whose `workdir` the model chose."""
    meta = {"type": "session_meta", "payload": {"id": "s", "cwd": cwd, "originator": "codex_cli_rs"}}
    arguments = json.dumps({"command": ["bash", "-lc", command], "workdir": workdir})
    call = {
        "type": "response_item",
        "payload": {"type": "function_call", "name": "shell", "arguments": arguments, "call_id": "call_1"},
    }
    return json.dumps(meta) + "\n" + json.dumps(call) + "\n"


def errors(json_report: bytes | str) -> list[dict[str, Any]]:
    """The `errors` of a JSON report."""
    data: dict[str, Any] = json.loads(json_report)
    found: list[dict[str, Any]] = data["errors"]
    return found


def no_secret(*texts: bytes | str) -> None:
    """Assert that no text holds the secret or a leaked name."""
    for text in texts:
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        assert SECRET not in shown
        for name in LEAKED:
            assert name not in shown
