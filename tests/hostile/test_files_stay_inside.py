"""Files named by untrusted text (requirements includes, `cd` targets, `xargs -a`, links, a transcript's cwd) are
read only inside the project, through every entry point: `scan` of a tree, a diff, a git range and transcripts,
the agent hook, and the GitHub Action. What is not read gets an `outside-project` problem that says so."""

from __future__ import annotations

import json
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
    claude_write,
    codex_rollout,
    commit_hostile_head,
    errors,
    git,
    make_world,
    no_secret,
    plant_project,
)

from slopguard.models import Source, SourceKind  # noqa: E402
from slopguard.root import NOWHERE, Refused, inside, project_root  # noqa: E402

OUTSIDE_LINES = [2, 3, 4, 5, 6, 7]
"""The lines of `hostile_requirements` that name a file outside the project."""


@pytest.fixture
def world(tmp_path: Path, fake_registry: FakeRegistry) -> World:
    found: World = make_world(tmp_path, fake_registry)
    return found


def refused_at(report: list[dict[str, object]], path: str) -> list[object]:
    return sorted(e["line"] for e in report if e["path"] == path and e["code"] == "outside-project")  # type: ignore[type-var]


def nothing_leaked(world: World, done: subprocess.CompletedProcess[bytes]) -> None:
    no_secret(done.stdout, done.stderr)
    assert not [p for p in world.looked_up() if any(name in p for name in LEAKED)]


def test_a_tree_scan_reads_no_include_or_link_outside_the_project(world: World) -> None:
    plant_project(world)
    done = world.run(["slopguard", "scan", ".", "-f", "json", "--no-cache"])
    assert done.returncode == 0, done.stderr
    report = errors(done.stdout)
    assert refused_at(report, "requirements.txt") == OUTSIDE_LINES
    assert refused_at(report, "requirements-dev.txt") == [None]  # a link out of the tree: not read at all
    assert refused_at(report, "constraints.txt") == [None]
    assert [f["name"] for f in json.loads(done.stdout)["findings"]] == ["requests"]  # line 1 still counts
    messages = [e["message"] for e in report if e["path"] == "requirements.txt"]
    assert any("'/proc/self/environ' not read" in str(m) for m in messages)
    assert any("'~/x.txt' not read: a path in a home folder (~)" in str(m) for m in messages)
    assert any("'link.txt' not read:" in str(m) and "symbolic link" in str(m) for m in messages)
    nothing_leaked(world, done)


def test_a_file_the_user_names_is_trusted_but_its_includes_are_not(world: World) -> None:
    plant_project(world)
    (world.tmp / "user").mkdir()
    named = world.tmp / "user" / "requirements.txt"
    named.write_text("requests\n-r ../outside/secret.txt\n-r ../repo/link.txt\n", encoding="utf-8")
    done = world.run(["slopguard", "scan", str(named), "-f", "json", "--no-cache"], cwd=world.outside)
    assert done.returncode == 0, done.stderr
    assert [f["name"] for f in json.loads(done.stdout)["findings"]] == ["requests"]  # the file itself is read
    assert refused_at(errors(done.stdout), str(named)) == [2, 3]  # its project is its own folder
    nothing_leaked(world, done)


def _staged_diff(world: World) -> bytes:
    commit_hostile_head(world)
    return git(world.repo, "show", "--format=", "HEAD").encode() + b"\n"


def test_a_diff_on_stdin_reads_no_include_or_link_outside_the_repository(world: World) -> None:
    diff = _staged_diff(world)
    done = world.run(["slopguard", "scan", "-", "-f", "json", "--no-cache"], stdin=diff)
    assert done.returncode == 0, done.stderr
    assert refused_at(errors(done.stdout), "requirements.txt") == OUTSIDE_LINES
    nothing_leaked(world, done)


def test_a_git_range_reads_no_include_or_link_outside_the_repository(world: World) -> None:
    base, head = commit_hostile_head(world)
    done = world.run(["slopguard", "scan", "--git", f"{base}..{head}", "-f", "json", "--no-cache"])
    assert done.returncode == 0, done.stderr
    assert refused_at(errors(done.stdout), "requirements.txt") == OUTSIDE_LINES
    nothing_leaked(world, done)


def test_a_claude_transcript_reads_only_inside_the_project_it_began_in(world: World) -> None:
    plant_project(world)
    repo, outside = str(world.repo), str(world.outside)
    lines = [
        claude_record(repo, f"cd {outside} && pip install -r secret.txt", 1),
        claude_record(repo, "cd /etc && pip install -r requirements.txt", 2),
        claude_record(repo, "pip install -r /proc/self/environ", 3),
        claude_record(repo, "xargs -a ../outside/secret.txt pip install", 4),
        claude_record(repo, "cat ~/x.txt | xargs pip install", 5),
        claude_record(outside, "pip install -r secret.txt", 6),  # the agent's later cwd does not move the root
        claude_write(repo, f"{repo}/requirements.txt", "-r ../outside/secret.txt\n"),
        claude_record(repo, "pip install -r requirements.txt", 8),  # inside: read, its own includes refused
    ]
    session = world.tmp / "session.jsonl"
    session.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = world.run(["slopguard", "scan", str(session), "-f", "json", "--no-cache"])
    assert done.returncode == 0, done.stderr
    report = errors(done.stdout)
    assert refused_at(report, str(session)) == [1, 2, 3, 4, 5, 6, 7]
    assert refused_at(report, str(world.repo / "requirements.txt")) == OUTSIDE_LINES
    assert [f["name"] for f in json.loads(done.stdout)["findings"]] == ["requests"]
    nothing_leaked(world, done)


@pytest.mark.parametrize("cwd", [None, "/", "relative/folder", "/proc/self/cwd"])
def test_a_transcript_without_a_project_folder_reads_nothing(cwd: str | None, world: World) -> None:
    (world.tmp / "requirements.txt").write_text("leaked-outside-name\n", encoding="utf-8")
    session = world.tmp / "session.jsonl"
    session.write_text(claude_record(cwd, "pip install -r requirements.txt", 1) + "\n", encoding="utf-8")
    done = world.run(["slopguard", "scan", str(session), "-f", "json", "--no-cache"])
    report = errors(done.stdout)
    assert refused_at(report, str(session)) == [1], report
    assert "no project folder is known" in str(report[0]["message"])
    nothing_leaked(world, done)


def test_a_codex_workdir_moves_the_command_but_not_the_root(world: World) -> None:
    plant_project(world)
    rollout = world.tmp / "rollout-2026-01-01T00-00-00-x.jsonl"
    text = codex_rollout(str(world.repo), str(world.outside), "pip install -r secret.txt")
    text += codex_rollout(str(world.repo), "/etc", "pip install -r requirements.txt")
    rollout.write_text(text, encoding="utf-8")
    done = world.run(["slopguard", "scan", str(rollout), "--input-kind", "codex", "-f", "json", "--no-cache"])
    assert done.returncode == 0, done.stderr
    assert refused_at(errors(done.stdout), str(rollout)) == [2, 4]
    nothing_leaked(world, done)


def _payload(agent: str, cwd: str, command: str, workdir: str | None = None) -> bytes:
    tool_input: dict[str, str] = {"command": command}
    if workdir is not None:
        tool_input["workdir"] = workdir
    tool = "Bash" if agent == "claude-code" else "shell"
    return json.dumps(
        {"cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input}
    ).encode()


@pytest.mark.parametrize(
    ("command", "workdir"),
    [
        ("cd {outside} && pip install -r secret.txt", None),
        ("cd /etc && pip install -r requirements.txt", None),
        ("pip install -r /proc/self/environ", None),
        ("pip install -r ../outside/secret.txt", None),
        ("pip install -r ~/x.txt", None),
        ("pip install -r link.txt", None),
        ("xargs -a {outside}/secret.txt pip install", None),
        ("pip install -r secret.txt", "{outside}"),  # the model's `workdir` leaves the project
    ],
)
@pytest.mark.parametrize("agent", ["claude-code", "codex"])
def test_the_hook_reads_no_file_outside_the_payloads_project(
    agent: str, command: str, workdir: str | None, world: World
) -> None:
    plant_project(world)
    outside = str(world.outside)
    payload = _payload(
        agent, str(world.repo), command.format(outside=outside), workdir.format(outside=outside) if workdir else None
    )
    done = world.run(["slopguard", "hook", agent], stdin=payload)
    assert done.returncode == 0, done.stderr
    assert b"not read:" in done.stderr and (b"outside the project folder" in done.stderr), done.stderr
    nothing_leaked(world, done)
    assert world.looked_up() == []  # nothing to look up: the only names were in files it did not read


def test_a_model_workdir_outside_the_project_does_not_make_a_name_its_own(world: World) -> None:
    """First-party names come from the payload's project, not from a folder the model's `workdir` names: a
    manifest there calling itself `reqeusts` does not exempt `import reqeusts` from the lookup."""
    (world.outside / "pyproject.toml").write_text('[project]\nname = "reqeusts"\n', encoding="utf-8")
    command = "cat > app.py <<'EOF'\nimport reqeusts\nEOF"
    payload = _payload("codex", str(world.repo), command, str(world.outside))
    done = world.run(["slopguard", "hook", "codex", "--edits"], stdin=payload)
    assert done.returncode == 0, done.stderr
    assert any("reqeusts" in p for p in world.looked_up()), done.stderr


def test_the_hook_reads_the_requirements_file_inside_the_project_and_not_the_one_outside(world: World) -> None:
    (world.repo / "sub").mkdir()
    (world.repo / "sub" / "requirements.txt").write_text("reqeusts\n", encoding="utf-8")
    command = "cd .. && pip install -r sub/requirements.txt -r ../outside/secret.txt"
    done = world.run(
        ["slopguard", "hook", "claude-code"], stdin=_payload("claude-code", str(world.repo / "sub"), command)
    )
    assert b'"permissionDecision": "deny"' in done.stdout, done.stderr
    assert any("reqeusts" in p for p in world.looked_up())
    assert b"'../outside/secret.txt' not read" in done.stderr
    nothing_leaked(world, done)


def test_the_action_reads_no_file_outside_the_repository(world: World) -> None:
    base, head = commit_hostile_head(world)
    outputs, summary, temp = world.tmp / "out.txt", world.tmp / "summary.md", world.tmp / "runner"
    temp.mkdir()
    env = {
        **world.env,
        "INPUT_BASE": base,
        "INPUT_HEAD": head,
        "INPUT_SARIF_FILE": "slopguard.sarif",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(temp),
    }
    done = subprocess.run(
        [sys.executable, "-m", "slopguard.action"], capture_output=True, timeout=120, cwd=world.repo, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = (temp / "slopguard-report.json").read_text(encoding="utf-8")
    assert refused_at(errors(report), "requirements.txt") == OUTSIDE_LINES
    for written in (report, outputs.read_text(encoding="utf-8"), summary.read_text(encoding="utf-8")):
        no_secret(written)
    no_secret((world.repo / "slopguard.sarif").read_text(encoding="utf-8"))
    nothing_leaked(world, done)


# --- the rule itself ------------------------------------------------------------------------------------


def test_inside_resolves_names_in_the_project_and_refuses_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "r.txt").write_text("x\n", encoding="utf-8")
    (root / "in-link.txt").symlink_to(root / "sub" / "r.txt")
    (root / "out-link").symlink_to(tmp_path)
    here = str(root)
    assert inside("sub/r.txt", here, here) == str(root / "sub" / "r.txt")
    assert inside("in-link.txt", here, here) == str(root / "sub" / "r.txt")  # a link that stays inside
    assert inside("../sub/r.txt", str(root / "sub"), here) == str(root / "sub" / "r.txt")
    assert inside("missing.txt", here, here) == str(root / "missing.txt")  # the caller says "not found"
    for name in ("../x", "/etc/passwd", "~/x", "~root/x", "out-link/x", "/proc/self/environ", "/dev/zero"):
        refused = inside(name, here, here)
        assert isinstance(refused, Refused) and refused.code == "outside-project", name
    assert isinstance(inside("sub/r.txt", here, NOWHERE), Refused)


def test_a_fifo_in_the_project_is_not_opened(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "reqs.txt")
    refused = inside("reqs.txt", str(tmp_path), str(tmp_path))
    assert isinstance(refused, Refused) and "FIFO" in refused.reason
    from slopguard.extract.shell import extract_shell
    from slopguard.models import Project

    source = Source("pip install -r reqs.txt", SourceKind.SHELL, "s", cwd=str(tmp_path))
    (problem,) = extract_shell(source, Project()).problems  # returns at once: the FIFO was never opened
    assert problem.code == "outside-project"


def test_project_root_is_the_enclosing_repository_else_the_folder(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    (tmp_path / "plain").mkdir()
    assert project_root(tmp_path / "repo" / "a" / "b") == str(tmp_path / "repo")
    assert project_root(tmp_path / "plain") == str(tmp_path / "plain")
    assert project_root("/") == project_root("relative") == project_root(None) == project_root("/proc/1") == NOWHERE


def test_a_tsconfig_cannot_borrow_path_aliases_from_outside_the_project(world: World) -> None:
    (world.outside / "tsconfig.base.json").write_text('{"compilerOptions": {"paths": {"hidden-pkg/*": ["x/*"]}}}')
    (world.outside / "evilmod").mkdir()
    (world.repo / "tsconfig.json").write_text('{"extends": "../outside/tsconfig.base.json"}', encoding="utf-8")
    (world.repo / "web").mkdir()
    (world.repo / "web" / "tsconfig.json").write_text('{"compilerOptions": {"baseUrl": "../../outside"}}')
    (world.repo / "web" / "a.ts").write_text('import x from "hidden-pkg/y";\nimport e from "evilmod";\n')
    world.registry.add_npm("hidden-pkg", versions={"1.0.0": "2015-01-01T00:00:00.000Z"})
    world.registry.add_npm("evilmod", versions={"1.0.0": "2015-01-01T00:00:00.000Z"})
    done = world.run(["slopguard", "scan", ".", "-f", "json", "--no-cache"])
    assert done.returncode == 0, done.stderr
    # imports the outside files would have called first-party are checked like any other
    assert sorted(f["name"] for f in json.loads(done.stdout)["findings"]) == ["evilmod", "hidden-pkg"]


def test_the_hook_takes_its_config_from_the_project_not_from_a_workdir_the_model_names(world: World) -> None:
    (world.outside / ".slopguard.toml").write_text('allow = ["*"]\n', encoding="utf-8")
    payload = _payload("codex", str(world.repo), "pip install reqeusts", workdir=str(world.outside))
    done = world.run(["slopguard", "hook", "codex"], stdin=payload)
    assert done.returncode == 0, done.stderr
    assert b"deny" in done.stdout, done.stdout + done.stderr  # the allow-everything file out there was not read


def test_an_npmrc_link_out_of_the_project_is_not_read(world: World) -> None:
    from slopguard.config import load_settings

    (world.outside / "npmrc").write_text("@corp:registry=http://attacker.invalid/\n", encoding="utf-8")
    (world.repo / ".npmrc").symlink_to(world.outside / "npmrc")
    (world.repo / "sub").mkdir()
    env = {"HOME": str(world.home)}
    assert load_settings(world.repo / "sub", env).npm_scope_registries == ()
    (world.repo / ".npmrc").unlink()
    (world.repo / ".npmrc").write_text("@corp:registry=https://npm.corp.example/\n", encoding="utf-8")
    assert load_settings(world.repo / "sub", env).npm_scope_registries == (("@corp", "https://npm.corp.example"),)


def test_a_manifest_written_outside_the_project_does_not_say_what_is_first_party(world: World) -> None:
    from slopguard.extract.project import project_from_files

    (world.outside / "package.json").write_text('{"name": "evil-dep"}', encoding="utf-8")
    (world.repo / "package.json").write_text('{"name": "our-app"}', encoding="utf-8")
    written = [str(world.outside / "package.json"), "../outside/package.json", "package.json"]
    assert project_from_files(written, str(world.repo)).npm_packages == {"our-app"}
