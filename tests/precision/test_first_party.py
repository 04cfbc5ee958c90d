"""Issue 13, item 3: first-party from the whole project (the monorepo set), through `scan` and the agent hook.

Each shape (pnpm/Turborepo, Go modules in subfolders with a go.work, Python src layout, uv workspace) is scanned as a
diff, a `--git` range (checked out and not), a tree, a transcript whose session folder exists and one whose folder
is gone: no flag on the repository's own code, and the hallucinated name added beside it still blocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.hook import run_hook
from slopguard.models import Report

sys.path.insert(0, str(Path(__file__).parent))  # the shapes, shared with bench/bench_monorepo.py
from first_party_shapes import GO, PNPM, PY_SRC, SHAPES, UV, Shape, build_repo, diff_of, transcript  # noqa: E402

MODES = ("diff", "git", "git-not-checked-out", "tree", "transcript", "transcript-gone")


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    for shape in SHAPES:
        fake_registry.load_world(shape.world)
    return fake_registry


def _settings(registry: FakeRegistry, tmp_path: Path) -> Settings:
    return registry.settings(tmp_path / "cache", use_cache=False)


def flagged(report: Report) -> dict[str, str]:
    """Every package that is not ok, with its verdict."""
    return {f.name: f.verdict.value for f in report.findings if f.verdict.value != "ok"}


def scan_shape(shape: Shape, mode: str, tmp_path: Path, settings: Settings, bad: bool = True) -> Report:
    """Scan the shape's change in `mode` (one of `MODES`)."""
    from slopguard.check import scan

    root = build_repo(shape, tmp_path / shape.name, bad)
    if mode == "diff":
        patch = tmp_path / "change.diff"
        patch.write_text(diff_of(root))
        return scan([str(patch)], settings, cwd=root)
    if mode == "git":  # run from the folder of the change, below the repository's top
        return scan([], settings, git_range="HEAD~1..HEAD", cwd=root / next(iter(shape.own)).split("/")[0])
    if mode == "git-not-checked-out":
        subprocess.run(["git", "checkout", "-q", "--detach", "HEAD~1"], cwd=root, check=True)
        return scan([], settings, git_range="HEAD..main", cwd=root)
    if mode == "tree":
        return scan([str(root)], settings, cwd=tmp_path)
    session = tmp_path / "rollout-2026-01-01-session.jsonl"
    gone = mode == "transcript-gone"
    session.write_text(transcript(shape, "/nonexistent/session/folder" if gone else str(root), bad, gone))
    return scan([str(session)], settings, cwd=tmp_path)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_own_code_is_not_flagged_and_a_hallucination_beside_it_is_blocked(
    shape: Shape, mode: str, world: FakeRegistry, tmp_path: Path
) -> None:
    report = scan_shape(shape, mode, tmp_path, _settings(world, tmp_path))
    assert report.inputs and not [p for p in report.errors if p.code == "input-error"]
    assert flagged(report) == {shape.hallucinated: "block"}


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_a_clean_change_has_no_flag_at_all(shape: Shape, world: FakeRegistry, tmp_path: Path) -> None:
    report = scan_shape(shape, "diff", tmp_path, _settings(world, tmp_path), bad=False)
    assert flagged(report) == {}
    assert report.findings  # the change's registry packages were checked


@pytest.mark.parametrize(("shape", "folder"), [(PNPM, "apps/web"), (GO, "svc"), (UV, "packages/beta")])
def test_a_subfolder_scanned_as_a_tree_knows_the_whole_project(
    shape: Shape, folder: str, world: FakeRegistry, tmp_path: Path
) -> None:
    from slopguard.check import scan

    root = build_repo(shape, tmp_path / shape.name)
    report = scan([str(root / folder)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {shape.hallucinated: "block"}


def test_transcript_evidence_go_mod_init_and_module_lines(world: FakeRegistry, tmp_path: Path) -> None:
    from slopguard.check import scan

    code = 'package main\n\nimport (\n\t"example.com/tool/internal/cli"\n\t"github.com/acme-labs/fastkit-zz"\n)\n'
    patch = (
        "*** Begin Patch\n*** Add File: main.go\n" + "".join(f"+{x}\n" for x in code.splitlines()) + "*** End Patch\n"
    )
    records = [
        {"type": "session_meta", "payload": {"id": "s", "cwd": "/nonexistent/tool"}},
        {
            "type": "response_item",
            "payload": {
                "type": "function_call",
                "name": "shell",
                "call_id": "c0",
                "arguments": json.dumps({"command": ["bash", "-lc", "go mod init example.com/tool"]}),
            },
        },
        {
            "type": "response_item",
            "payload": {"type": "custom_tool_call", "name": "apply_patch", "call_id": "c1", "input": patch},
        },
    ]
    session = tmp_path / "rollout-2026-01-01-go.jsonl"
    session.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert flagged(scan([str(session)], _settings(world, tmp_path), cwd=tmp_path)) == {
        "github.com/acme-labs/fastkit-zz": "block"
    }


def test_members_are_read_beyond_the_walk_but_only_inside_the_project(world: FakeRegistry, tmp_path: Path) -> None:
    """A go.work member deeper than the walk goes is read; members named outside the project (a `../` glob, a
    link out) are not, so the names declared there stay unknown."""
    from slopguard.check import scan

    outside = tmp_path / "outside"
    (outside / "evil").mkdir(parents=True)
    (outside / "evil" / "go.mod").write_text("module github.com/acme-labs/fastkit-zz\n")
    (outside / "evil" / "package.json").write_text('{"name": "react-quantum-hookz"}\n')
    deep = "a/b/c/d/e/f/g/h/i/j/k/mod"
    files = {
        "go.work": f"go 1.22\n\nuse (\n\t./{deep}\n\t../outside/evil\n\t./linked\n)\n",
        f"{deep}/go.mod": "module example.com/deep/mod\n",
        "package.json": json.dumps({"name": "top", "workspaces": ["../outside/*", "linked", f"{deep}/../member"]}),
        "cmd/main.go": 'package main\n\nimport (\n\t"example.com/deep/mod/pkg"\n'
        '\t"github.com/acme-labs/fastkit-zz"\n)\n',
        "web/index.ts": 'import { m } from "react-quantum-hookz";\n',
    }
    repo = tmp_path / "repo"
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    (repo / ".git").mkdir()
    os.symlink(outside / "evil", repo / "linked")
    (repo / deep).parent.joinpath("member").mkdir()
    os.symlink(outside / "evil" / "package.json", (repo / deep).parent / "member" / "package.json")  # links out
    report = scan([str(repo)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {"github.com/acme-labs/fastkit-zz": "block", "react-quantum-hookz": "block"}


def test_installed_code_and_virtual_environments_are_not_first_party(world: FakeRegistry, tmp_path: Path) -> None:
    from slopguard.check import scan

    repo = build_repo(PY_SRC, tmp_path / "repo")
    (repo / "env" / "lib" / "quantumjsonfastx").mkdir(parents=True)  # a venv whose folder is not called .venv
    (repo / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (repo / "env" / "lib" / "quantumjsonfastx" / "__init__.py").write_text("")
    (repo / "node_modules" / "react-quantum-hookz").mkdir(parents=True)
    (repo / "node_modules" / "react-quantum-hookz" / "package.json").write_text('{"name": "react-quantum-hookz"}')
    (repo / "tests" / "test_ui.ts").write_text('import x from "react-quantum-hookz";\n')
    report = scan([str(repo)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {"quantumjsonfastx": "block", "react-quantum-hookz": "block"}


def _claude_write(path: str, content: str, cwd: str) -> bytes:
    return json.dumps(
        {
            "session_id": "s",
            "cwd": cwd,
            "hook_event_name": "PreToolUse",
            "tool_name": "Write",
            "tool_input": {"file_path": path, "content": content},
            "tool_use_id": "t1",
        }
    ).encode()


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_hook_allows_own_code_written_in_a_subfolder_and_denies_the_hallucination(
    shape: Shape, world: FakeRegistry, tmp_path: Path
) -> None:
    root = build_repo(shape, tmp_path / shape.name, bad=False)
    settings = _settings(world, tmp_path).replace(hook_deadline=20.0)
    ((path, text),) = shape.own.items()
    cwd = str((root / path).parent)  # the agent runs in a subfolder of the monorepo
    own = run_hook("claude-code", _claude_write(str(root / path), text, cwd), settings, allow_edits=True)
    assert own.stdout == "" and own.exit_code == 0
    bad = run_hook(
        "claude-code", _claude_write(str(root / shape.bad_path), shape.bad_text, cwd), settings, allow_edits=True
    )
    reply = json.loads(bad.stdout)["hookSpecificOutput"]
    assert reply["permissionDecision"] == "deny" and shape.hallucinated in reply["permissionDecisionReason"]


def _codex_call(call_id: str, command: list[str], output: object) -> list[dict[str, object]]:
    call = {"type": "function_call", "name": "shell", "call_id": call_id, "arguments": json.dumps({"command": command})}
    done = {"type": "function_call_output", "call_id": call_id, "output": output}
    return [{"type": "response_item", "payload": call}, {"type": "response_item", "payload": done}]


def _codex_patch(files: dict[str, str]) -> dict[str, object]:
    body = "".join(f"*** Add File: {p}\n" + "".join(f"+{x}\n" for x in text.splitlines()) for p, text in files.items())
    patch = f"*** Begin Patch\n{body}*** End Patch\n"
    return {"type": "response_item", "payload": {"type": "custom_tool_call", "name": "apply_patch", "input": patch}}


@pytest.mark.parametrize(("shape", "shown"), [(PNPM, ("apps/web/package.json",)), (GO, ("svc/go.mod", "lib/go.mod"))])
def test_codex_session_whose_folder_is_gone_uses_the_manifests_the_agent_read(
    shape: Shape, shown: tuple[str, ...], world: FakeRegistry, tmp_path: Path
) -> None:
    """The real case: the session shows the manifests (`cat`), the folder is not on this machine."""
    from slopguard.check import scan

    records: list[dict[str, object]] = [{"type": "session_meta", "payload": {"id": "s", "cwd": "/nonexistent/mono"}}]
    for n, rel in enumerate(shown):
        text = shape.files[rel]
        output = (
            json.dumps({"output": text, "metadata": {"exit_code": 0}})
            if n % 2
            else f"Exit code: 0\nWall time: 0.1 seconds\nOutput:\n{text}"
        )
        records += _codex_call(f"r{n}", ["bash", "-lc", f"cat {rel}"], output)
    records += _codex_call("x", ["bash", "-lc", "cat README.md"], '{"name": "react-quantum-hookz"}')  # not a manifest
    records.append(_codex_patch({**shape.own, shape.bad_path: shape.bad_text}))
    session = tmp_path / "rollout-2026-01-01-read.jsonl"
    session.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = scan([str(session)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {shape.hallucinated: "block"}
    assert all(f.name not in ("react", "github.com/spf13/cobra") or f.verdict.value == "ok" for f in report.findings)


def test_claude_session_whose_folder_is_gone_uses_the_manifests_it_read(world: FakeRegistry, tmp_path: Path) -> None:
    from slopguard.check import scan

    cwd = "/nonexistent/mono"
    numbered = "".join(f"{i:>6}→{line}\n" for i, line in enumerate(PNPM.files["apps/web/package.json"].splitlines(), 1))
    read = {"type": "tool_use", "id": "toolu_r", "name": "Read", "input": {"file_path": f"{cwd}/apps/web/package.json"}}
    result = {"type": "tool_result", "tool_use_id": "toolu_r", "content": numbered}
    ((path, text),) = PNPM.own.items()
    write = {
        "type": "tool_use",
        "id": "toolu_w",
        "name": "Write",
        "input": {"file_path": f"{cwd}/{path}", "content": text + PNPM.bad_text},
    }
    records = [
        {"type": "assistant", "cwd": cwd, "message": {"role": "assistant", "content": [read]}},
        {"type": "user", "cwd": cwd, "message": {"role": "user", "content": [result]}},
        {"type": "assistant", "cwd": cwd, "message": {"role": "assistant", "content": [write]}},
    ]
    session = tmp_path / "session.jsonl"
    session.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = scan([str(session)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {PNPM.hallucinated: "block"}


def test_git_range_not_checked_out_reads_the_head_commit_not_the_work_tree(world: FakeRegistry, tmp_path: Path) -> None:
    """The work tree holds an older revision without the go.mod files: the head commit's are the ones read."""
    from slopguard.check import scan

    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("# acme\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "first"], cwd=root, check=True)
    build_repo(GO, root)  # two more commits: the shape's files, then the change
    subprocess.run(["git", "tag", "change"], cwd=root, check=True)
    subprocess.run(["git", "checkout", "-q", "--detach", "HEAD~2"], cwd=root, check=True)
    assert not (root / "svc" / "go.mod").exists()
    report = scan([], _settings(world, tmp_path), git_range="change~1..change", cwd=root)
    assert flagged(report) == {GO.hallucinated: "block"}


def test_local_dependencies_inside_the_repository_are_own_code_and_the_rest_still_warn(
    world: FakeRegistry, tmp_path: Path
) -> None:
    from slopguard.check import scan

    repo = tmp_path / "repo"
    (repo / "apps" / "web").mkdir(parents=True)
    (repo / ".git").mkdir()
    deps = {
        "a-local": "file:../../libs/a",
        "b-linked": "link:../../libs/b",
        "c-out": "file:../../../elsewhere/c",
        "d-tarball": "file:vendor/d-1.0.0.tgz",
        "react": "^2.0.0",
    }
    (repo / "apps" / "web" / "package.json").write_text(json.dumps({"name": "web", "dependencies": deps}))
    (repo / "apps" / "web" / "index.ts").write_text('import a from "a-local";\nimport b from "b-linked/x";\n')
    report = scan([str(repo)], _settings(world, tmp_path), cwd=tmp_path)
    assert flagged(report) == {"c-out": "warn", "d-tarball": "warn"}
    assert {r.code for f in report.findings if f.name == "c-out" for r in f.reasons} == {"non-registry-source"}
