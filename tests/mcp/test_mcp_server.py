"""`slopguard mcp` spawned over stdio and driven by the MCP SDK's own client, against the loopback fake registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from fakeregistry import FakeRegistry
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

T = TypeVar("T")


def popular_world(registry: FakeRegistry) -> FakeRegistry:
    """`requests` (popular on PyPI, six releases), `left-pad` on npm and `github.com/pkg/errors` on the proxy."""
    registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z"})
    registry.add_go("github.com/pkg/errors", versions={"v0.9.1": "2020-01-14T19:47:44Z"})
    return registry


def run_session(registry: FakeRegistry, cache: Path, cwd: Path, body: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Spawn `slopguard mcp` in `cwd` (registries: `registry`, cache: `cache`), run `body` on an initialised
    session of the SDK's client, and return what it returns."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "slopguard", "mcp"], env=registry.env(cache), cwd=str(cwd)
    )

    async def main() -> T:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await body(session)

    return anyio.run(main)


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """The JSON a tool answered with (its text content, which must equal its structured content)."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    text = result.content[0].text  # type: ignore[union-attr]
    data: dict[str, Any] = json.loads(text)
    assert data == result.structured_content
    return data


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository the server is started in, with a requirements file that holds a misspelt name."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "requirements.txt").write_text("reqeusts==2.5.0\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("left-pad\n", encoding="utf-8")
    return root


def test_lists_the_three_tools_and_says_when_to_call_them(
    fake_registry: FakeRegistry, tmp_path: Path, project: Path
) -> None:
    async def body(session: ClientSession) -> dict[str, tuple[str, dict[str, object]]]:
        listed = await session.list_tools()
        return {t.name: (t.description or "", t.input_schema) for t in listed.tools}

    tools = run_session(fake_registry, tmp_path / "cache", project, body)
    assert sorted(tools) == ["check_command", "check_packages", "scan_text"]
    assert "before you add a dependency" in tools["check_packages"][0].lower()
    assert "before running any command that installs" in tools["check_command"][0].lower()
    assert "before you write a file" in tools["scan_text"][0].lower()
    assert tools["check_packages"][1]["required"] == ["packages"]
    assert set(tools["check_command"][1]["properties"]) == {"command", "cwd"}
    assert tools["check_command"][1]["required"] == ["command"]
    assert sorted(tools["scan_text"][1]["required"]) == ["kind", "text"]


def test_each_tool_blocks_a_misspelt_name_with_its_suggestion(
    fake_registry: FakeRegistry, tmp_path: Path, project: Path
) -> None:
    popular_world(fake_registry)

    async def body(session: ClientSession) -> list[dict[str, object]]:
        return [
            await call(
                session,
                "check_packages",
                packages=["pypi:reqeusts", "pypi:requests", "npm:left-pad@1.3.0", "go:github.com/pkg/errors", "bogus"],
            ),
            await call(session, "check_command", command="pip install reqeusts"),
            await call(session, "scan_text", text="import os\nimport requests\nimport reqeusts\n", kind="python"),
            await call(session, "check_command", command="ls -la && git status"),
        ]

    packages, command, text, harmless = run_session(fake_registry, tmp_path / "cache", project, body)

    assert packages["schema"] == "slopguard/1" and packages["verdict"] == "block"
    by_name = {f["name"]: f for f in packages["findings"]}  # type: ignore[index, union-attr]
    typo = by_name["reqeusts"]
    assert typo["verdict"] == "block" and typo["suggestion"] == "requests"
    assert [r["code"] for r in typo["reasons"]] == ["not-found"]
    assert "Did you mean requests" in typo["reasons"][0]["message"]
    assert by_name["requests"]["verdict"] == "ok" and by_name["requests"]["registry"]["latest_version"] == "2.5.0"
    assert by_name["left-pad"]["verdict"] == "ok" and by_name["github.com/pkg/errors"]["verdict"] == "ok"
    assert [e["code"] for e in packages["errors"]] == ["usage-error"]  # type: ignore[union-attr]

    assert command["decision"] == "deny" and command["verdict"] == "block"
    said = str(command["message"])
    assert "'reqeusts' (PyPI)" in said and "Use the intended package ('requests')" in said

    assert text["verdict"] == "block"
    assert [(f["name"], f["verdict"], f["suggestion"]) for f in text["findings"]] == [  # type: ignore[union-attr]
        ("reqeusts", "block", "requests"),
        ("requests", "ok", None),
    ]
    assert harmless == {"decision": "allow", "message": "", "notes": []}


def test_repeated_calls_are_answered_warm(fake_registry: FakeRegistry, tmp_path: Path, project: Path) -> None:
    popular_world(fake_registry)
    asked: list[int] = []

    async def body(session: ClientSession) -> list[dict[str, object]]:
        answers = []
        for _ in range(3):
            answers.append(await call(session, "check_packages", packages=["pypi:requests", "npm:left-pad"]))
            asked.append(len(fake_registry.requests))
        return answers

    answers = run_session(fake_registry, tmp_path / "cache", project, body)
    assert asked[0] >= 2 and asked[0] == asked[1] == asked[2]  # the first call went out, the others did not
    assert all(a["verdict"] == "ok" for a in answers)
    assert [f["registry"]["from_cache"] for f in answers[2]["findings"]] == [True, True]  # type: ignore[index, union-attr]


def test_check_command_gives_the_hooks_own_words_and_reads_only_inside_the_project(
    fake_registry: FakeRegistry, tmp_path: Path, project: Path
) -> None:
    popular_world(fake_registry)

    async def body(session: ClientSession) -> list[dict[str, object]]:
        return [
            await call(session, "check_command", command="pip install -r requirements.txt"),
            await call(session, "check_command", command="pip install -r ../outside.txt"),
            await call(session, "check_command", command="pip install -r outside.txt", cwd=str(tmp_path)),
        ]

    inside, escaped, moved = run_session(fake_registry, tmp_path / "cache", project, body)
    assert inside["decision"] == "deny" and "reqeusts" in str(inside["message"])
    hook = subprocess.run(
        [sys.executable, "-m", "slopguard", "hook", "claude-code"],
        input=json.dumps(
            {
                "hook_event_name": "PreToolUse",
                "tool_name": "Bash",
                "tool_input": {"command": "pip install -r requirements.txt"},
                "cwd": str(project),
            }
        ).encode(),
        capture_output=True,
        cwd=project,
        env={**os.environ, **fake_registry.env(tmp_path / "cache")},
        timeout=60,
        check=True,
    )
    said = json.loads(hook.stdout)["hookSpecificOutput"]
    assert (said["permissionDecision"], said["permissionDecisionReason"]) == (inside["decision"], inside["message"])

    # `..` out of the project, and a cwd outside it: the file is not read (as in the hook: a note, no lookup)
    assert not fake_registry.paths("left-pad")
    for refused in (escaped, moved):
        assert refused["findings"] == [] and any("not read" in note for note in refused["notes"])  # type: ignore[attr-defined]
    assert [e["code"] for e in escaped["errors"]] == ["outside-project"]  # type: ignore[union-attr]
    assert "cwd not used" in moved["notes"][0] and "outside the project folder" in moved["notes"][0]  # type: ignore[index]


def test_bad_arguments_are_answers_the_model_can_read(
    fake_registry: FakeRegistry, tmp_path: Path, project: Path
) -> None:
    async def body(session: ClientSession) -> list[tuple[bool, str]]:
        out = []
        for tool, arguments in (
            ("scan_text", {"text": "x", "kind": "cobol"}),
            ("check_packages", {"packages": ["nonsense"]}),
        ):
            result = await session.call_tool(tool, arguments)
            out.append((result.is_error, result.content[0].text))  # type: ignore[union-attr]
        return out

    (cobol_error, cobol), (refs_error, refs) = run_session(fake_registry, tmp_path / "cache", project, body)
    assert cobol_error and "not one slopguard reads" in json.loads(cobol)["error"]
    assert not refs_error  # a ref that does not parse is listed in `errors`, beside the others' findings
    assert [(e["code"], "pypi:NAME" in e["message"]) for e in json.loads(refs)["errors"]] == [("usage-error", True)]


def test_the_hook_and_the_cli_never_load_the_sdk(fake_registry: FakeRegistry, tmp_path: Path) -> None:
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "pip install reqeusts"}}
    env = {**os.environ, **fake_registry.env(tmp_path / "cache")}
    hook = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slopguard", "hook", "claude-code"],
        input=json.dumps({**payload, "cwd": str(tmp_path)}).encode(),
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert json.loads(hook.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"  # the full check ran
    loaded = {line.rsplit("|", 1)[-1].strip() for line in hook.stderr.decode().splitlines() if "|" in line}
    assert "slopguard.hook.checking" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("mcp", "mcp_types", "pydantic", "anyio", "starlette")}
    code = "import sys, slopguard.cli, slopguard.mcp; print(sorted(m for m in sys.modules if m.startswith('mcp')))"
    cli = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert cli.stdout.strip() == "[]"


def test_without_the_sdk_the_command_says_which_extra_to_install(tmp_path: Path) -> None:
    code = "import sys; sys.modules['mcp'] = None; from slopguard.cli import main; sys.exit(main(['mcp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "pip install 'slopguard[mcp]'" in done.stderr
