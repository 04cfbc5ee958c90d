"""Helpers for the Action tests: the README's example workflow, git, and a fake pull-request repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Agent",
    "GIT_AUTHOR_EMAIL": "agent@example.invalid",
    "GIT_COMMITTER_NAME": "Agent",
    "GIT_COMMITTER_EMAIL": "agent@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def readme_workflow_text() -> str:
    """The YAML of the example workflow between the README's action markers."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- action:begin -->", 1)[1].split("<!-- action:end -->", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    workflows = [b for b in blocks if "jobs:" in b]
    assert len(workflows) == 1, "the README's action section has exactly one example workflow"
    return workflows[0]


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write(repo: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@dataclass
class PullRequest:
    """A repository checked out the way actions/checkout leaves a pull_request run (the merge commit)."""

    repo: Path
    base: str
    head: str
    merge: str
    event_path: Path


BASE_FILES = {
    "requirements.txt": "requests==2.31.0\n",
    "app/__init__.py": "",
    "app/main.py": "import requests\n\n\ndef main():\n    return requests.get('https://example.org')\n",
    "package.json": '{\n  "name": "demo",\n  "dependencies": {\n    "left-pad": "^1.3.0"\n  }\n}\n',
}
# The agent's commit: a hallucinated dependency, a new module importing a package that does not exist, and an npm
# package that exists but is deprecated.
HEAD_FILES = {
    "requirements.txt": "requests==2.31.0\nreqeusts==2.31.0\n",
    "app/util.py": "import json\nimport requests\nimport fastjsonx\n\nfrom app import main\n",
    "package.json": (
        '{\n  "name": "demo",\n  "dependencies": {\n    "left-pad": "^1.3.0",\n    "request": "^2.88.2"\n  }\n}\n'
    ),
}
# Meanwhile on main: a dependency the pull request did not add (it must not be reported).
MAIN_FILES = {"docs/requirements.txt": "mkdocs-not-in-this-pr==1.0\n"}


def make_pull_request(tmp_path: Path) -> PullRequest:
    """A repository with a base commit, an agent's commit on a branch, a later main commit and their merge."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    base0 = commit(repo, BASE_FILES, "initial")
    git(repo, "checkout", "-q", "-b", "agent/feature")
    head = commit(repo, HEAD_FILES, "Add JSON helpers\n\nCo-Authored-By: Claude <noreply@anthropic.com>")
    git(repo, "checkout", "-q", "main")
    base = commit(repo, MAIN_FILES, "docs")
    git(repo, "checkout", "-q", "--detach", base)
    git(repo, "merge", "-q", "--no-ff", "-m", f"Merge {head} into {base}", head)
    merge = git(repo, "rev-parse", "HEAD")
    assert base0 != base
    event = {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "agent/feature", "sha": head},
        },
    }
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    return PullRequest(repo, base, head, merge, event_path)


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def preimages(patch: str, overrides: dict[str, dict[int, str]]) -> dict[str, str]:
    """Files a patch applies to: its context and removed lines at their line numbers, gaps filled with
    `overrides[path][line]` or a comment line, so `git am` applies the real patch byte for byte."""
    known: dict[str, dict[int, str]] = {}
    path = None
    line_no = 0
    for line in patch.splitlines():
        if line.startswith("--- "):
            path = None if line == "--- /dev/null" else line[len("--- a/") :]
            continue
        match = _HUNK.match(line)
        if match:
            line_no = int(match.group(1))
            continue
        if path is None or not line or line[0] not in " -":
            continue
        known.setdefault(path, {})[line_no] = line[1:]
        line_no += 1
    files = {}
    for rel, lines in known.items():
        fill = {**lines, **overrides.get(rel, {})}
        files[rel] = "".join(fill.get(n, "#") + "\n" for n in range(1, max(fill) + 1))
    return files


def repo_from_patch(tmp_path: Path, patch: Path, overrides: dict[str, dict[int, str]]) -> PullRequest:
    """A repository whose base holds the patch's pre-images and whose head is the patch applied by `git am`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, preimages(patch.read_text(encoding="utf-8"), overrides), "base")
    git(repo, "checkout", "-q", "-b", "agent/feature")
    git(repo, "am", "-q", "--keep-cr", str(patch))
    head = git(repo, "rev-parse", "HEAD")
    event = {"pull_request": {"number": 55, "base": {"sha": base}, "head": {"sha": head}}}
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    return PullRequest(repo, base, head, head, event_path)
