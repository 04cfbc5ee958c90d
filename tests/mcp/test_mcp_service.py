"""The MCP tools' answers in-process (`slopguard.mcp.service.Service`): snippet kinds, the project, untrusted input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.errors import UsageError
from slopguard.mcp.service import Service


@pytest.fixture
def service(fake_registry: FakeRegistry, tmp_path: Path) -> Service:
    fake_registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    fake_registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z"})
    fake_registry.add_npm("express", versions={f"4.{i}.0": f"201{i}-01-01T00:00:00.000Z" for i in range(6)})
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "myapp").mkdir()
    (root / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("left-pad\n", encoding="utf-8")
    return Service(fake_registry.settings(tmp_path), cwd=str(root))


def _found(answer: dict[str, object]) -> list[tuple[str, str, str, str | None]]:
    return [(f["ecosystem"], f["name"], f["verdict"], f["suggestion"]) for f in answer["findings"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("python", "import requests\nfrom reqeusts import get\nimport myapp\nimport os\n"),
        ("requirements.txt", "requests==2.5.0\nreqeusts\n"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["requests", "reqeusts>=1"]\n'),
        ("markdown", "Install it:\n\n```bash\npip install requests reqeusts\n```\n"),
        ("shell", "set -e\npip install requests\npip install reqeusts\n"),
        ("dockerfile", "FROM python:3.12\nRUN pip install requests reqeusts\n"),
        ("diff", "--- a/requirements.txt\n+++ b/requirements.txt\n@@ -1 +1,2 @@\n requests\n+reqeusts\n"),
    ],
)
def test_scan_text_reads_each_kind(service: Service, kind: str, text: str) -> None:
    with service:
        answer = service.scan_text(text, kind)
    assert answer["verdict"] == "block"
    assert ("pypi", "reqeusts", "block", "requests") in _found(answer)
    assert all(name != "myapp" for _, name, _, _ in _found(answer))  # the project's own package is not looked up


def test_scan_text_reads_package_json_and_javascript(service: Service) -> None:
    with service:
        manifest = service.scan_text(
            json.dumps({"dependencies": {"express": "^4.5.0", "lefte-pad": "1.0.0"}}), "package.json"
        )
        code = service.scan_text("const express = require('express');\nimport pad from 'left-pad';\n", "javascript")
    assert ("npm", "express", "ok", None) in _found(manifest)
    assert [v for _, n, v, _ in _found(manifest) if n == "lefte-pad"] == ["block"]
    assert _found(code) == [("npm", "express", "ok", None), ("npm", "left-pad", "ok", None)]


def test_scan_text_never_reads_a_file_the_snippet_names(
    service: Service, fake_registry: FakeRegistry, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    with service:
        answer = service.scan_text(f"-r {secret}\n-r ../secret.txt\nrequests\n", "requirements.txt")
        shell = service.scan_text(f"cd {tmp_path} && pip install -r secret.txt\n", "bash")
    assert not fake_registry.paths("left-pad")
    assert _found(answer) == [("pypi", "requests", "ok", None)]
    assert shell["findings"] == [] and shell["errors"]


def test_scan_text_refuses_unknown_kinds_and_huge_texts(service: Service) -> None:
    with service, pytest.raises(UsageError, match="not one slopguard reads"):
        service.scan_text("x", "cobol")
    with service, pytest.raises(UsageError, match="at most"):
        service.scan_text("x" * (3 * 1024 * 1024), "python")


def test_untrusted_names_come_back_as_data(service: Service) -> None:
    hostile = "pypi:evil\x1b[2J\u202etxt.exe"
    with service:
        answer = service.check_packages([hostile, "pypi:requests"] + ["pypi:requests"] * 250)
    assert [f["verdict"] for f in answer["findings"]] == ["block", "ok"]  # type: ignore[index]
    assert any("at most 200" in e["message"] for e in answer["errors"])  # type: ignore[attr-defined]
    text = json.dumps(answer, ensure_ascii=True)
    assert "\x1b" not in text and "\u202e" not in text


def test_check_command_confines_cwd_to_the_project(service: Service, tmp_path: Path) -> None:
    (tmp_path / "project" / "app").mkdir()
    with service:
        sub = service.check_command("pip install requests", "app")
        up = service.check_command("pip install requests", "../..")
        proc = service.check_command("pip install -r status", "/proc/self")
    assert sub["decision"] == "allow" and sub["notes"] == []
    assert up["decision"] == "allow" and "cwd not used" in up["notes"][0]  # type: ignore[index]
    assert "cwd not used" in proc["notes"][0] and proc["findings"] == []  # type: ignore[index]
