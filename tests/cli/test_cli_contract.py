"""The command line's contract: `check` and `scan` against the fake registry, JSON shape and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "claude-session.jsonl"
OLD = {"1.0.0": "2015-01-01T00:00:00Z", "2.0.0": "2018-01-01T00:00:00Z", "2.31.0": "2023-05-22T00:00:00Z"}


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def env(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    """Point slopguard at the fake registry through the documented environment variables."""
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GOPROXY", raising=False)
    monkeypatch.delenv("GOPRIVATE", raising=False)
    monkeypatch.delenv("GONOPROXY", raising=False)
    monkeypatch.chdir(tmp_path)
    fake_registry.add_pypi("requests", versions=OLD, repository="https://github.com/psf/requests")
    fake_registry.add_npm("left-pad", versions=OLD, repository="https://github.com/left-pad/left-pad")
    fake_registry.add_go(
        "github.com/pkg/errors", versions={"v0.8.0": "2016-09-29T01:48:01Z", "v0.9.1": "2020-01-14T19:47:44Z"}
    )
    return fake_registry


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = _TTY(), _TTY()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        code = main(list(argv), stdout=out, stderr=err)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def run_json(*argv: str, stdin: str = "") -> tuple[int, dict[str, Any], str]:
    code, out, err = run(*argv, "--format", "json", stdin=stdin)
    return code, json.loads(out), err


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{f['ecosystem']}:{f['name']}": f for f in report["findings"]}


def test_check_existing_names_is_ok_and_exit_0(env: FakeRegistry) -> None:
    code, report, _ = run_json("check", "pypi:requests", "npm:left-pad", "go:github.com/pkg/errors")
    assert code == 0
    assert report["schema"] == "slopguard/1" and report["errors"] == []
    found = by_name(report)
    assert set(found) == {"pypi:requests", "npm:left-pad", "go:github.com/pkg/errors"}
    for finding in found.values():
        assert finding["verdict"] == "ok"
        assert finding["registry"]["status"] == "exists"
        assert set(finding) >= {"ecosystem", "name", "verdict", "reasons", "suggestion", "locations", "registry"}


def test_missing_name_blocks_with_suggestion_and_exit_1(env: FakeRegistry) -> None:
    code, report, _ = run_json("check", "pypi:reqeusts")
    assert code == 1
    (finding,) = report["findings"]
    assert finding["verdict"] == "block"
    assert "not-found" in [r["code"] for r in finding["reasons"]]
    assert finding["suggestion"] == "requests"
    assert finding["registry"]["status"] == "not_found"


def test_invalid_name_blocks_without_a_request(env: FakeRegistry) -> None:
    code, report, _ = run_json("check", "npm:../../etc/passwd", "pypi:-bad-")
    assert code == 1
    assert {f["verdict"] for f in report["findings"]} == {"block"}
    assert all(f["reasons"][0]["code"] == "invalid-name" for f in report["findings"])
    assert env.requests == []


@pytest.mark.parametrize("fault", ["500", "503", "429", "garbage", "reset", "slow"])
def test_registry_fault_warns_never_blocks_never_ok(env: FakeRegistry, fault: str) -> None:
    env.add_pypi("flaky-pkg", versions=OLD, repository="https://github.com/x/flaky-pkg")
    env.fault("flaky-pkg", fault)
    code, report, _ = run_json("check", "--timeout", "0.5", "pypi:flaky-pkg")
    (finding,) = report["findings"]
    assert finding["verdict"] == "warn"
    assert [r["code"] for r in finding["reasons"]] == ["registry-unavailable"]
    assert finding["registry"]["status"] == "unknown"
    assert code == 0  # warn is below the default --fail-on block
    code, _, _ = run_json("check", "--timeout", "0.5", "--fail-on", "warn", "pypi:flaky-pkg")
    assert code == 1


def test_unknown_is_never_cached(env: FakeRegistry) -> None:
    env.add_pypi("flaky-pkg", versions=OLD, repository="https://github.com/x/flaky-pkg")
    env.fault("flaky-pkg", "503")
    run_json("check", "pypi:flaky-pkg")
    asked = len(env.paths("flaky-pkg"))
    assert asked >= 1
    run_json("check", "pypi:flaky-pkg")
    assert len(env.paths("flaky-pkg")) > asked


def test_second_run_answers_from_cache(env: FakeRegistry) -> None:
    run_json("check", "pypi:requests")
    before = len(env.requests)
    code, report, _ = run_json("check", "pypi:requests")
    assert code == 0 and len(env.requests) == before
    assert report["findings"][0]["registry"]["from_cache"] is True


def test_no_cache_flag_asks_again(env: FakeRegistry) -> None:
    run_json("check", "pypi:requests")
    before = len(env.requests)
    run_json("check", "--no-cache", "pypi:requests")
    assert len(env.requests) > before


def test_flags_override_environment(env: FakeRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOPGUARD_PYPI_URL", "http://127.0.0.1:9")  # nothing listens there
    code, report, _ = run_json("check", "--pypi-url", env.url, "pypi:requests")
    assert code == 0 and report["findings"][0]["verdict"] == "ok"


def test_bad_ref_is_an_error_entry_and_the_rest_goes_on(env: FakeRegistry) -> None:
    code, report, err = run_json("check", "cargo:serde", "pypi:requests")
    assert code == 0
    assert len(report["errors"]) == 1 and "cargo:serde" in report["errors"][0]["message"]
    assert err.count("\n") == 1 and "Traceback" not in err


def test_only_bad_refs_is_a_usage_error(env: FakeRegistry) -> None:
    code, out, err = run("check", "requests")
    assert code == 2 and out == ""
    assert err.startswith("slopguard: ") and err.count("\n") == 1


def test_usage_errors_exit_2(env: FakeRegistry) -> None:
    assert run()[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("check")[0] == 2
    assert run("scan")[0] == 2
    assert run("check", "--format", "yaml", "pypi:x")[0] == 2


def test_help_teaches(env: FakeRegistry, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--help")[0] == 0
    text = capsys.readouterr().out
    assert "slopguard check" in text and "Exit codes" in text
    assert run("check", "--help")[0] == 0
    assert "pypi:requests" in capsys.readouterr().out


def test_scan_the_bundled_example(env: FakeRegistry) -> None:
    env.add_pypi("pyyaml", versions=OLD, repository="https://github.com/yaml/pyyaml")
    code, report, _ = run_json("scan", str(EXAMPLE))
    assert code == 1
    found = by_name(report)
    assert found["pypi:reqeusts"]["verdict"] == "block"
    assert found["pypi:reqeusts"]["suggestion"] == "requests"
    assert found["pypi:huggingface-cli"]["verdict"] == "block"  # hallucinated and missing in this world
    assert found["npm:react-codeshift"]["verdict"] == "block"
    assert found["pypi:requests"]["verdict"] == "ok"
    assert found["pypi:pyyaml"]["verdict"] == "ok"  # `pip install pyyaml` and `import yaml` are one package
    kinds = {loc["kind"] for loc in found["pypi:pyyaml"]["locations"]}
    assert kinds == {"install", "import"}
    assert found["npm:left-pad"]["verdict"] == "ok"  # from the assistant's closing text
    assert "pypi:not-a-real-thing" not in found  # tool results are output, not intent
    assert "pypi:weather" not in found  # first-party module written in the session
    line = found["pypi:reqeusts"]["locations"][0]
    assert line["path"] == str(EXAMPLE) and line["line"] == 6 and line["detail"] == "toolu_01C"


def test_scan_stdin_diff(env: FakeRegistry) -> None:
    diff = (
        "diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n"
        "@@ -1,2 +1,2 @@\n requests==2.31.0\n-oldpkg==1.0\n+reqeusts==2.31.0\n"
    )
    code, report, _ = run_json("scan", "-", stdin=diff)
    found = by_name(report)
    assert code == 1
    location = found["pypi:reqeusts"]["locations"][0]
    assert (location["path"], location["line"], location["kind"]) == ("requirements.txt", 2, "manifest")
    assert "pypi:oldpkg" not in found  # removed lines never produce findings
    assert "pypi:requests" not in found  # context lines are not additions


def test_scan_nothing_readable_exits_2(env: FakeRegistry, tmp_path: Path) -> None:
    code, out, err = run("scan", str(tmp_path / "missing.jsonl"))
    assert code == 2
    assert "missing.jsonl" in err and "Traceback" not in err


def test_scan_some_unreadable_goes_on(env: FakeRegistry, tmp_path: Path) -> None:
    good = tmp_path / "requirements.txt"
    good.write_text("requests\n")
    code, report, _ = run_json("scan", str(tmp_path / "missing.txt"), str(good))
    assert code == 0
    assert [f["name"] for f in report["findings"]] == ["requests"]
    assert any("missing.txt" in e["path"] for e in report["errors"])


def test_output_file(env: FakeRegistry, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run("check", "pypi:requests", "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["findings"][0]["name"] == "requests"


def test_cache_info_and_clear(env: FakeRegistry) -> None:
    run_json("check", "pypi:requests")
    code, out, _ = run("cache", "info")
    assert code == 0 and "cache" in out.lower()
    assert "entries: 1" in out and "hook_decisions: 0" in out
    code, out, _ = run("cache", "clear")
    assert code == 0 and "cleared" in out
    before = len(env.requests)
    run_json("check", "pypi:requests")
    assert len(env.requests) > before


def test_python_dash_m_and_console_script(env: FakeRegistry) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "slopguard", "check", "--format", "json", "pypi:requests"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["verdict"] == "ok"


def test_install_hook_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"permissions": {"allow": ["Bash(ls:*)"]}}))
    code, out, _ = run("install-hook", "claude-code", "--dry-run")
    assert code == 0 and out.strip()
    assert json.loads(settings.read_text()) == {"permissions": {"allow": ["Bash(ls:*)"]}}
    code, _, _ = run("install-hook", "claude-code", "--edits")
    assert code == 0
    written = json.loads(settings.read_text())
    assert written["permissions"] == {"allow": ["Bash(ls:*)"]}
    (entry,) = written["hooks"]["PreToolUse"]
    assert "Write" in entry["matcher"] and "Bash" in entry["matcher"]
    command = entry["hooks"][0]["command"]  # this slopguard by its absolute path (issue 12)
    assert command.endswith(" hook claude-code --edits") and command.startswith("/")


def test_a_binary_file_named_jsonl_is_one_unreadable_input(env: FakeRegistry, tmp_path: Path) -> None:
    garbage = tmp_path / "session.jsonl"
    garbage.write_bytes(bytes(range(1, 256)).replace(b"{", b"x") * 4000)  # ~1 MB, many "lines", no JSON
    code, out, err = run("scan", str(garbage))
    assert code == 2
    assert "not a JSONL transcript" in err.splitlines()[0]
    assert len(err.splitlines()) <= 7  # a handful of lines, not one per garbage line
    code, report, _ = run_json("scan", str(garbage), str(EXAMPLE))
    assert report["findings"]  # the other input is still scanned
    assert sum(e["code"] == "invalid-json" for e in report["errors"]) <= 100


def test_text_report_lists_twenty_errors_unless_verbose(env: FakeRegistry, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    lines = ['{"type":"assistant","message":{"content":[]}}'] + ["{truncated"] * 30
    broken.write_text("\n".join(lines) + "\n")
    _, out, _ = run("scan", str(broken))
    assert "31 errors" not in out and "30 errors:" in out and "... and 10 more (-v lists them all)" in out
    _, out, _ = run("scan", "-v", str(broken))
    assert out.count("[invalid-json]") == 30


def test_file_size_limit_is_configurable(env: FakeRegistry, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.py").write_text("import requests\n" + "x = 1\n" * 300)  # ~1.8 kB
    code, report, _ = run_json("scan", str(tree), "--max-file-size", "1000")
    assert report["findings"] == []
    assert [e["code"] for e in report["errors"]] == ["skipped"] and "1,000 bytes" in report["errors"][0]["message"]
    (tmp_path / ".slopguard.toml").write_text("max-file-bytes = 100000\n")
    code, report, _ = run_json("scan", str(tree))
    assert [f["name"] for f in report["findings"]] == ["requests"]
