"""action.yml, the README's example workflow and .pre-commit-hooks.yaml agree with each other and with the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from action_fixtures import readme_workflow_text  # type: ignore[import-not-found]
from action_yaml import load  # type: ignore[import-not-found]

from slopguard.filetypes import source_kind

ROOT = Path(__file__).resolve().parents[2]
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"]["slopguard"]["steps"]
    return steps


def test_action_is_composite_with_shells_and_pinned_actions(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step["name"]
        else:
            assert _PINNED.match(step["uses"]), step["uses"]
            assert re.search(re.escape(step["uses"]) + r" # v\d+\.\d+\.\d+\n", text), "SHA pin without version comment"
    used = [s["uses"].split("@")[0] for s in action["runs"]["steps"] if "uses" in s]
    assert used == ["actions/setup-python", "actions/cache"]


def test_inputs_reach_the_script_only_through_env(action: dict[str, Any]) -> None:
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], f"expression interpolated into the script of {step['name']!r}"
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    passed = {m for v in scan["env"].values() for m in re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", str(v))}
    setup = {"python-version"}  # used by the setup-python step
    assert passed | setup == set(action["inputs"])
    for name in passed:
        env_name = "INPUT_" + name.upper().replace("-", "_")
        assert scan["env"][env_name] == "${{ inputs." + name + " }}"
        assert f'"{env_name.removeprefix("INPUT_")}"' in (ROOT / "slopguard" / "action.py").read_text(encoding="utf-8")


def test_outputs_come_from_the_scan_step(action: dict[str, Any]) -> None:
    source = (ROOT / "slopguard" / "action.py").read_text(encoding="utf-8")
    for name, spec in action["outputs"].items():
        assert spec["value"] == "${{ steps.scan.outputs." + name + " }}"
        assert f'"{name}"' in source, f"action.py never writes output {name!r}"
    assert set(action["outputs"]) == {"blocked", "warned", "verdict", "report"}


def test_install_uses_the_actions_own_checkout_and_pinned_constraints(action: dict[str, Any]) -> None:
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert install["env"]["PIP_CONSTRAINT"] == "${{ github.action_path }}/action-constraints.txt"
    assert 'pip install --quiet "$ACTION_PATH"' in install["run"]
    pins = [
        line
        for line in (ROOT / "action-constraints.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    pin = re.compile(r'[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*(; python_version [<>=]+ "3\.\d+")?( +#.*)?')
    assert pins and all(pin.fullmatch(p) for p in pins), pins
    pinned = {p.split("==")[0].lower() for p in pins}
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    deps = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    for dep in re.findall(r'"([A-Za-z0-9._-]+)', deps):
        assert dep.lower() in pinned, f"runtime dependency {dep} is not pinned for the action"
    assert "hatchling" in pinned


def test_cache_step_restores_the_dir_the_scan_uses(action: dict[str, Any]) -> None:
    cache = next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    assert cache["with"]["path"] == scan["env"]["SLOPGUARD_CACHE_DIR"]


def test_readme_workflow_uses_only_what_action_yml_declares(action: dict[str, Any], workflow: dict[str, Any]) -> None:
    steps = _steps(workflow)
    ours = [s for s in steps if s.get("uses", "").split("@")[0] in ("slopguard/slopguard", "./")]
    assert len(ours) == 1
    assert set(ours[0].get("with", {})) <= set(action["inputs"])
    assert "pull_request" in workflow["on"]


def test_readme_workflow_checks_out_full_history_with_least_privilege(workflow: dict[str, Any]) -> None:
    steps = _steps(workflow)
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@") and _PINNED.match(checkout["uses"])
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["slopguard"]["permissions"] == {"contents": "read", "security-events": "write"}
    for step in steps:
        if "uses" in step and not step["uses"].startswith(("slopguard/slopguard@", "./")):
            assert _PINNED.match(step["uses"]), step["uses"]


def test_readme_workflow_uploads_the_sarif_file_the_action_writes(
    action: dict[str, Any], workflow: dict[str, Any]
) -> None:
    steps = _steps(workflow)
    ours = next(s for s in steps if s.get("id") == "slopguard")
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    sarif = ours.get("with", {}).get("sarif-file", action["inputs"]["sarif-file"]["default"])
    assert upload["with"]["sarif_file"] == sarif
    assert "!cancelled()" in upload["if"] and f"hashFiles('{sarif}')" in upload["if"]
    assert steps.index(upload) > steps.index(ours)
    text = readme_workflow_text()
    assert re.search(r"upload-sarif@[0-9a-f]{40} # v\d+\.\d+\.\d+", text)


def _hook() -> dict[str, Any]:
    hooks = load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook: dict[str, Any] = hooks[0]
    return hook


def test_pre_commit_hook_definition() -> None:
    hook = _hook()
    assert hook["id"] == "slopguard" and hook["entry"] == "slopguard scan"
    assert hook["language"] == "python" and hook["pass_filenames"] is True


@pytest.mark.parametrize(
    "path",
    [
        "requirements.txt",
        "requirements-dev.txt",
        "dev-requirements.in",
        "requirements/base.txt",
        "constraints.txt",
        "sub/pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Pipfile",
        "environment.yml",
        "web/package.json",
        "go.mod",
        "src/app.py",
        "types.pyi",
        "web/src/App.tsx",
        "lib/index.mjs",
        "cmd/main.go",
        "scripts/install.sh",
        "Dockerfile",
        "docker/Dockerfile.dev",
        "Makefile",
        "build.mk",
        "package-lock.json",
        "pnpm-lock.yaml",
        "poetry.lock",
        "go.sum",
        "README.md",
        "notes.txt",
        "myrequirements.txt",
        "data.json",
        ".github/workflows/ci.yml",
        "sub/.github/workflows/release.yaml",
        ".gitlab-ci.yml",
        "docs/workflows/ci.yml",
        ".github/dependabot.yml",
        "notebooks/analysis.ipynb",
        "tox.ini",
        "pytest.ini",
    ],
)
def test_pre_commit_files_regex_matches_what_slopguard_reads(path: str) -> None:
    """pre-commit runs `re.search(files, path)`: it must pick exactly the files slopguard knows how to read."""
    from slopguard.inputs.tree import is_read

    files = re.compile(_hook()["files"])
    assert bool(files.search(path)) == is_read(path)
    assert is_read(path) == (source_kind(path) is not None or path.endswith(".ipynb"))
