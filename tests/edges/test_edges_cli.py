"""Rough edges a new user met on the command line (issue 15 section 3): columns, -q, explain, config, REF hints."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main
from slopguard.config import load_settings
from slopguard.models import Verdict
from slopguard.report.codes import CODES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "claude-session.jsonl"
OLD = {"1.0.0": "2015-01-01T00:00:00Z", "2.31.0": "2023-05-22T00:00:00Z"}


@pytest.fixture
def env(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    for name in ("GOPROXY", "GOPRIVATE", "GONOPROXY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    for name in ("requests", "pyyaml"):
        fake_registry.add_pypi(name, versions=OLD, repository=f"https://github.com/x/{name}")
    fake_registry.add_npm("left-pad", versions=OLD, repository="https://github.com/x/left-pad")
    return fake_registry


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --- columns: a transcript's finding points at its line, never at a column inside the command ------------------


def test_transcript_findings_carry_no_column_in_sarif_and_annotations(env: FakeRegistry) -> None:
    code, out, _ = run("scan", str(EXAMPLE), "--format", "sarif")
    assert code == 1
    regions = [
        loc["physicalLocation"]["region"]
        for result in json.loads(out)["runs"][0]["results"]
        for loc in result["locations"]
        if "region" in loc["physicalLocation"]
    ]
    assert regions and all("startColumn" not in r for r in regions)
    assert {r["startLine"] for r in regions} >= {6}  # `pip install reqeusts` is on line 6 of the transcript
    _, annotations, _ = run("scan", str(EXAMPLE), "--format", "github")
    flagged = [line for line in annotations.splitlines() if "claude-session.jsonl" in line]
    assert flagged and all(",col=" not in line for line in flagged)


def test_a_file_of_its_own_keeps_the_column_in_the_file(env: FakeRegistry, tmp_path: Path) -> None:
    script = tmp_path / "setup.sh"
    script.write_text("cd /srv\n  pip install reqeusts\n")
    _, out, _ = run("scan", str(script), "--format", "github")
    line = next(x for x in out.splitlines() if "reqeusts" in x)
    assert "line=2,col=15," in line  # "  pip install " is 14 characters: the name starts in column 15


# --- input problems once; -q ---------------------------------------------------------------------------------


def test_input_problems_are_printed_once(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("reqeusts\n")
    missing = str(tmp_path / "gone.txt")
    code, out, err = run("scan", "requirements.txt", missing)
    assert code == 1 and "gone.txt" in out and "gone.txt" not in err  # the text report lists it
    _, report, err_json = run("scan", "requirements.txt", missing, "--format", "json")
    assert "gone.txt" in err_json and "gone.txt" in report  # JSON on stdout: a person reads stderr
    _, _, err_file = run("scan", "requirements.txt", missing, "--output", str(tmp_path / "r.txt"))
    assert "gone.txt" in err_file and "gone.txt" in (tmp_path / "r.txt").read_text()


def test_quiet_prints_only_what_is_flagged(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\nreqeusts\n")
    code, out, err = run("scan", "-q", "requirements.txt", str(tmp_path / "gone.txt"))
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("BLOCK  pypi:reqeusts") and lines[1:] == ["1 input problem (run without -q)"]
    loud_code, loud, _ = run("scan", "requirements.txt")
    assert loud_code == 1 and "1 ok" in loud and "slopguard explain" in loud
    (tmp_path / "requirements.txt").write_text("requests\n")
    assert run("scan", "--quiet", "requirements.txt") == (0, "", "")
    assert run("check", "-q", "-v", "pypi:requests")[0] == 2  # one or the other


def test_text_report_points_at_explain_with_a_code_it_shows(env: FakeRegistry) -> None:
    _, out, _ = run("check", "pypi:reqeusts")
    pointer = next(line for line in out.splitlines() if line.startswith("slopguard explain "))
    code = pointer.split(" ")[2].rstrip(":")
    assert "-q" in pointer
    assert code in CODES and code in out.split(pointer)[0]
    assert "slopguard explain" not in run("check", "pypi:requests")[1]  # nothing flagged: no hint


# --- explain -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
def test_explain_every_code(code: str) -> None:
    status, out, err = run("explain", code)
    info = CODES[code]
    flat = " ".join(out.split())
    assert status == 0 and err == "" and out.startswith(f"{code}: {info.title}")
    assert " ".join(info.description.split()) in flat and " ".join(info.help.split()) in flat
    if info.level == "note":
        assert "Nothing to allow" in out
    else:  # how to let a false positive through: the allow list, or the setting that decides instead
        way = {"denied": "deny", "config-changed": "on-setting-change", "index-changed": "on-setting-change"}
        assert way.get(code, "allow") in out.split("What to do:")[1].lower()


def test_explains_allow_example_is_a_config_that_works(tmp_path: Path) -> None:
    out = run("explain", "not-found")[1]
    example = out.split("In pyproject.toml:\n", 1)[1].split("\n\n")[0]
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + example + "\n")
    settings = load_settings(tmp_path, env={})
    assert ("pypi", "mycorp-utils") in settings.allow and ("npm", "@mycorp/*") in settings.allow


def test_explain_unknown_code_suggests_and_exits_2() -> None:
    code, out, err = run("explain", "typosqat")
    assert code == 2 and out == "" and "did you mean typosquat?" in err
    listing = run("explain")[1]
    assert all(f"  {c} " in listing for c in CODES)


# --- config ------------------------------------------------------------------------------------------------


def test_config_fail_on_never(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / ".slopguard.toml").write_text('fail-on = "never"\n')
    assert load_settings(tmp_path, env={}).fail_on is None
    assert run("check", "pypi:reqeusts")[0] == 0
    assert run("check", "pypi:reqeusts", "--fail-on", "block")[0] == 1  # the flag wins over the file
    (tmp_path / ".slopguard.toml").write_text('fail-on = "warn"\n')
    assert load_settings(tmp_path, env={}).fail_on is Verdict.WARN


@pytest.mark.parametrize(
    ("line", "meant"),
    [("failon = 'warn'", "fail-on"), ("on_unknwon = 'warn'", "on-unknown"), ("hook-dedline = 2", "hook-deadline")],
)
def test_unknown_config_key_gets_a_did_you_mean(env: FakeRegistry, tmp_path: Path, line: str, meant: str) -> None:
    (tmp_path / ".slopguard.toml").write_text(line + "\n")
    code, _, err = run("check", "pypi:requests")
    assert code == 2 and "unknown key" in err and f"did you mean '{meant}'?" in err


def test_unknown_config_key_far_from_any_lists_the_keys(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / ".slopguard.toml").write_text("zzz = 1\n")
    code, _, err = run("check", "pypi:requests")
    assert code == 2 and "known keys:" in err and "fail-on" in err


# --- REF hints, offline wording -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "hint"),
    [
        ("requests", "did you mean pypi:requests or npm:requests?"),
        ("@types/node", "did you mean npm:@types/node?"),
        ("github.com/pkg/errors", "did you mean go:github.com/pkg/errors?"),
    ],
)
def test_a_ref_without_ecosystem_gets_its_forms(env: FakeRegistry, ref: str, hint: str) -> None:
    code, _, err = run("check", ref)
    assert code == 2 and hint in err


def test_offline_is_said_once(env: FakeRegistry) -> None:
    code, out, _ = run("check", "--offline", "--format", "json", "pypi:some-unknown-name")
    messages = [r["message"] for f in json.loads(out)["findings"] for r in f["reasons"]]
    assert code == 0 and messages
    assert all(m.lower().count("offline") <= 1 for m in messages)
    assert any("offline" in m for m in messages)


def test_console_script_explain_and_help_name_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert "slopguard explain" in done.stdout and "explain" in done.stdout.split("COMMAND")[1]
