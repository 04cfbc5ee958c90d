"""The Action without GitHub: action.yml's scan step run by bash on a fake pull request, as a runner would."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from action_fixtures import PullRequest, git, repo_from_patch  # type: ignore[import-not-found]
from fakeregistry import FakeRegistry  # type: ignore[import-not-found]

from slopguard.action import main, resolve_target
from slopguard.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
_PATCH = "claude-code-transcripts-pr55-17573bf-add-boto3.patch"
_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def scan_step(action: dict[str, Any]) -> dict[str, Any]:
    steps = [s for s in action["runs"]["steps"] if s.get("id") == "scan"]
    assert len(steps) == 1
    return steps[0]


def step_env(action: dict[str, Any], with_inputs: dict[str, Any], runner_temp: Path) -> dict[str, str]:
    """The scan step's `env:` with `${{ }}` expressions evaluated as the runner would for these inputs."""
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for name, value in with_inputs.items():
        assert name in inputs, f"input {name!r} is not declared in action.yml"
        inputs[name] = str(value).lower() if isinstance(value, bool) else str(value)
    context = {"runner.temp": str(runner_temp), "steps.install.outputs.python": sys.executable}

    def evaluate(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        assert expr in context, f"unexpected expression {expr!r}"
        return context[expr]

    return {key: _EXPR.sub(evaluate, str(value)) for key, value in scan_step(action)["env"].items()}


def read_outputs(path: Path) -> dict[str, str]:
    """`$GITHUB_OUTPUT` read the way the runner reads it (`k=v` lines and `k<<DELIM` blocks)."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
            i += 1
    return outputs


def world(registry: FakeRegistry) -> None:
    registry.add_npm(
        "left-pad",
        versions={"1.2.0": "2016-03-23T00:00:00.000Z", "1.3.0": "2018-04-09T00:00:00.000Z"},
        repository="https://github.com/stevemao/left-pad",
    )  # its line changes (a comma is added)
    registry.add_pypi(
        "requests",
        versions={"2.30.0": "2023-05-03T00:00:00Z", "2.31.0": "2023-05-22T00:00:00Z"},
        repository="https://github.com/psf/requests",
    )
    registry.add_npm(
        "request",
        versions={"2.88.0": "2018-07-16T00:00:00.000Z", "2.88.2": "2020-02-11T00:00:00.000Z"},
        deprecated="request has been deprecated, see https://github.com/request/request/issues/3142",
        repository="https://github.com/request/request",
    )


def run_action(
    action: dict[str, Any],
    pr: PullRequest,
    registry: FakeRegistry,
    with_inputs: dict[str, Any],
    *,
    event: Path | None = None,
    event_name: str = "pull_request",
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the scan step's `run:` script with bash, with the variables GitHub sets; returns it and its dir."""
    work = pr.repo.parent
    temp = work / "runner-temp"
    temp.mkdir(exist_ok=True)
    inputs = {"pypi-url": registry.url, "npm-url": registry.url + "/npm", "goproxy": registry.url + "/go"}
    inputs.update(with_inputs)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event or pr.event_path),
        "GITHUB_SHA": pr.merge,
        "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "agent/feature",
        "GITHUB_WORKSPACE": str(pr.repo),
        "GITHUB_OUTPUT": str(work / "github_output"),
        "GITHUB_STEP_SUMMARY": str(work / "step_summary.md"),
        "RUNNER_TEMP": str(temp),
        **step_env(action, inputs, temp),
    }
    script = scan_step(action)["run"]
    assert scan_step(action)["shell"] == "bash"
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=pr.repo, env=env, capture_output=True, text=True, timeout=120
    )
    return done, work


def annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for line in stdout.splitlines():
        match = re.match(r"^::(error|warning) ([^:]*)::(.*)$", line)
        if match:
            props = dict(item.split("=", 1) for item in match.group(2).split(","))
            found.append((match.group(1), props, match.group(3)))
    return found


def test_readme_workflow_on_an_agent_pull_request(
    action: dict[str, Any], workflow: dict[str, Any], pull_request: PullRequest, fake_registry: FakeRegistry
) -> None:
    world(fake_registry)
    step = next(s for s in workflow["jobs"]["slopguard"]["steps"] if s.get("id") == "slopguard")
    done, work = run_action(action, pull_request, fake_registry, step.get("with", {}))
    assert done.returncode == 1, done.stdout + done.stderr  # fail-on: block, and two packages are blocked

    notes = annotations(done.stdout)
    where = {(kind, props.get("file"), props.get("line")) for kind, props, _ in notes}
    assert ("error", "requirements.txt", "2") in where  # reqeusts
    assert ("error", "app/util.py", "3") in where  # import fastjsonx
    assert ("warning", "package.json", "5") in where  # the deprecated npm `request`
    assert len(notes) == 3, done.stdout
    assert "mkdocs" not in done.stdout  # added on main, not by the pull request
    reqeusts = next(n for n in notes if n[1].get("file") == "requirements.txt")
    assert "pypi%3Areqeusts" in reqeusts[1]["title"] and "requests" in reqeusts[2]

    outputs = read_outputs(work / "github_output")
    assert outputs["blocked"] == "2" and outputs["warned"] == "1" and outputs["verdict"] == "block"
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    assert report["schema"] == "slopguard/1" and report["summary"]["block"] == 2
    assert {f["name"] for f in report["findings"]} >= {"reqeusts", "fastjsonx", "request", "requests"}

    summary = (work / "step_summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### slopguard: 🛑 block — 2 package(s) blocked")
    assert "| <code>reqeusts</code> | PyPI | 🛑 block |" in summary
    assert "<code>requirements.txt\\:2</code>" in summary and "<code>app/util.py\\:3</code>" in summary

    sarif_path = pull_request.repo / step["with"]["sarif-file"]
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "tests" / "report" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    places = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["level"])
        for r in sarif["runs"][0]["results"]
    }
    assert places == {("requirements.txt", "error"), ("app/util.py", "error"), ("package.json", "warning")}


def test_fail_on_never_passes_but_still_reports(
    action: dict[str, Any], pull_request: PullRequest, fake_registry: FakeRegistry
) -> None:
    world(fake_registry)
    done, work = run_action(action, pull_request, fake_registry, {"fail-on": "never", "sarif-file": ""})
    assert done.returncode == 0, done.stderr
    assert read_outputs(work / "github_output")["blocked"] == "2"
    assert not (pull_request.repo / "slopguard.sarif").exists()


def test_paths_input_scans_whole_files(
    action: dict[str, Any], pull_request: PullRequest, fake_registry: FakeRegistry
) -> None:
    world(fake_registry)
    git(pull_request.repo, "checkout", "-q", pull_request.head)
    done, work = run_action(action, pull_request, fake_registry, {"paths": "requirements.txt", "fail-on": "warn"})
    assert done.returncode == 1, done.stderr
    assert [(k, p["file"], p["line"]) for k, p, _ in annotations(done.stdout)] == [("error", "requirements.txt", "2")]
    assert read_outputs(work / "github_output")["warned"] == "0"


def test_push_event_uses_before_and_after(
    action: dict[str, Any], pull_request: PullRequest, fake_registry: FakeRegistry
) -> None:
    world(fake_registry)
    first = git(pull_request.repo, "rev-list", "--max-parents=0", "HEAD")
    event = pull_request.repo.parent / "push.json"
    event.write_text(json.dumps({"before": first, "after": pull_request.head}), encoding="utf-8")
    done, work = run_action(action, pull_request, fake_registry, {}, event=event, event_name="push")
    assert done.returncode == 1, done.stderr
    assert read_outputs(work / "github_output")["blocked"] == "2"


def test_missing_base_commit_is_a_usage_error_with_a_hint(
    action: dict[str, Any], pull_request: PullRequest, fake_registry: FakeRegistry
) -> None:
    event = pull_request.repo.parent / "shallow.json"
    payload = {"pull_request": {"base": {"sha": "1" * 40}, "head": {"sha": pull_request.head}}}
    event.write_text(json.dumps(payload), encoding="utf-8")
    done, _ = run_action(action, pull_request, fake_registry, {}, event=event)
    assert done.returncode == 2
    assert "fetch-depth: 0" in done.stdout and "::error " in done.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INPUT_FAIL_ON": "sometimes"}, "fail-on must be one of block, warn, never"),
        ({}, "nothing to scan"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, env: dict[str, str], message: str) -> None:
    out = io.StringIO()
    assert main(env, out, tmp_path) == 2
    line = out.getvalue()
    assert line.startswith("::error title=slopguard usage error::") and message in line


def test_resolve_target_reads_events_and_inputs(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"merge_group": {"base_sha": "b" * 40, "head_sha": "c" * 40}}), encoding="utf-8")
    env = {"GITHUB_EVENT_PATH": str(event)}
    assert resolve_target(env) == ([], f"{'b' * 40}...{'c' * 40}")
    assert resolve_target({**env, "INPUT_BASE": "origin/main"}) == ([], f"origin/main...{'c' * 40}")
    assert resolve_target({"INPUT_PATHS": "a.txt\n b/ ", "INPUT_BASE": ""}) == (["a.txt", "b/"], None)
    event.write_text(json.dumps({"before": "0" * 40, "after": "d" * 40}), encoding="utf-8")
    with pytest.raises(UsageError):
        resolve_target(env)  # a new branch's first push has no base


def runner_commands(stdout: str) -> list[str]:
    """Names of the commands the runner would obey: leading spaces trimmed, `::stop-commands::TOKEN` honoured."""
    obeyed: list[str] = []
    stopped: str | None = None
    for line in stdout.splitlines():
        text = line.lstrip()
        if stopped is not None:
            stopped = None if text == f"::{stopped}::" else stopped
            continue
        end = text.find("::", 2)
        if not text.startswith("::") or end < 0:
            continue
        name = text[2:end].split(" ", 1)[0]
        if name == "stop-commands":
            stopped = text[end + 2 :]
        else:
            obeyed.append(name)
    return obeyed


def test_log_output_obeys_no_command_from_a_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from slopguard import check
    from slopguard.models import Ecosystem, Finding, Location, PackageRef, Problem, Reason, RefKind, Report, Verdict

    names = ["::error::pwned", " ::add-mask::x", "a\n::set-output name=blocked::0", "%0A::warning::y"]
    findings = tuple(
        Finding(
            Ecosystem.PYPI,
            name,
            (PackageRef(Ecosystem.PYPI, name, name, RefKind.INSTALL, Location(f"{name}.txt", 1)),),
            None,
            Verdict.BLOCK,
            (Reason("not-found", f"{name} does not exist"),),
            name,
        )
        for name in names
    )
    errors = tuple(Problem(f"{name}.json", f"cannot read {name}") for name in names)
    evil = Report(findings, errors, ("git:x",))
    monkeypatch.setattr(check, "scan", lambda *args, **kwargs: evil)
    out = io.StringIO()
    env = {"INPUT_PATHS": "x", "GITHUB_OUTPUT": str(tmp_path / "out"), "RUNNER_TEMP": str(tmp_path)}
    assert main(env, out, tmp_path) == 1
    obeyed = runner_commands(out.getvalue())
    assert obeyed.count("error") == len(names) and obeyed.count("warning") == len(names)
    assert set(obeyed) == {"error", "warning", "group", "endgroup"}
    assert read_outputs(tmp_path / "out")["blocked"] == str(len(names))


# Enough of the files around the real commit's hunks that the pre-images are valid TOML and Python.
_BOTO3_OVERRIDES = {
    "pyproject.toml": {
        1: "[project]",
        2: 'name = "claude-code-transcripts"',
        8: "authors = [",
        15: "]",
        30: "[build-system]",
        31: 'build-backend = "uv_build"',
        38: "]",
    },
    "src/claude_code_transcripts/__init__.py": {
        1563: "def fetch_url_to_tempfile(url):",
        1570: ")",
        1571: "def json_cmd(json_file):",
        1607: "    if json_file.startswith('http'):",
    },
}


def test_annotations_on_a_real_agent_commit(
    action: dict[str, Any], workflow: dict[str, Any], tmp_path: Path, fake_registry: FakeRegistry
) -> None:
    """simonw/claude-code-transcripts PR 55 (Claude Opus 4.5), applied with `git am`, against a registry where
    `moto` does not exist: both places the commit brings it in are annotated, at their lines in the new files."""
    pr = repo_from_patch(tmp_path, ROOT / "tests" / "action" / "data" / _PATCH, _BOTO3_OVERRIDES)
    for name in ("boto3", "botocore", "click", "pytest"):
        fake_registry.add_pypi(
            name,
            versions={
                "1.0.0": "2020-01-01T00:00:00Z",
                "1.1.0": "2021-01-01T00:00:00Z",
                "1.2.0": "2022-01-01T00:00:00Z",
                "1.3.0": "2023-01-01T00:00:00Z",
            },
            repository=f"https://github.com/example/{name}",
        )
    step = next(s for s in workflow["jobs"]["slopguard"]["steps"] if s.get("id") == "slopguard")
    done, work = run_action(action, pr, fake_registry, step.get("with", {}))
    assert done.returncode == 1, done.stdout + done.stderr
    notes = [(kind, props.get("file"), props.get("line")) for kind, props, _ in annotations(done.stdout)]
    assert sorted(notes) == [("error", "pyproject.toml", "36"), ("error", "tests/test_s3_url.py", "9")], done.stdout
    assert (pr.repo / "pyproject.toml").read_text(encoding="utf-8").splitlines()[35] == '    "moto[s3]>=5.0.0",'
    assert (pr.repo / "tests/test_s3_url.py").read_text(encoding="utf-8").splitlines()[8] == "from moto import mock_aws"
    outputs = read_outputs(work / "github_output")
    assert outputs["blocked"] == "1" and outputs["warned"] == "0"
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    boto3 = next(f for f in report["findings"] if f["name"] == "boto3")
    assert [(loc["path"], loc["line"]) for loc in boto3["locations"]] == [
        ("pyproject.toml", 12),
        ("src/claude_code_transcripts/__init__.py", 15),
        ("tests/test_s3_url.py", 7),
    ]


def test_files_land_relative_to_the_workspace_and_a_crash_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from slopguard import check
    from slopguard.models import Report

    monkeypatch.setattr(check, "scan", lambda *args, **kwargs: Report(inputs=("x",)))
    env = {"INPUT_PATHS": "x", "INPUT_SARIF_FILE": "out/s.sarif", "INPUT_REPORT_FILE": "out/r.json"}
    out = io.StringIO()
    assert main(env, out, tmp_path) == 0
    assert json.loads((tmp_path / "out" / "s.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
    assert json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))["verdict"] == "ok"

    def boom(*args: object, **kwargs: object) -> Report:
        raise RuntimeError("bug\n::error::x")

    monkeypatch.setattr(check, "scan", boom)
    out = io.StringIO()
    assert main({**env, "INPUT_FAIL_ON": "never"}, out, tmp_path) == 2
    assert out.getvalue() == "::error title=slopguard::slopguard crashed: RuntimeError: bug\\n::error::x\n"
