"""CI files: GitHub Actions `run:` steps and GitLab CI `script:` lists are read as shell, in place, at the repo root."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard import filetypes
from slopguard.inputs import read_inputs
from slopguard.inputs.ci import github_view, gitlab_view
from slopguard.models import Source, SourceKind

WORKFLOW = """\
name: ci
on: [push]
defaults:
  run:
    shell: bash
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install alpha
      - name: deps
        run: |
          python -m pip install --upgrade pip
          pip install -r requirements.txt beta
      - name: quoted
        run: "npm install gamma"
      - run: >-
          go install example.com/delta@latest
      - name: matrix
        run: pip install ${{ matrix.pkg }}
        env:
          run: pip install not-a-step
      - uses: some/action@v1
        with:
          run: pip install not-a-step-either
"""

GITLAB = """\
before_script:
  - pip install alpha
test:
  script:
    - 'pip install beta'
    - |
      npm i gamma
      echo done
  after_script: pip install delta
"""


def _commands(view: str) -> dict[int, str]:
    return {n: line.strip() for n, line in enumerate(view.split("\n"), start=1) if line.strip()}


def test_github_run_steps_in_place() -> None:
    view = github_view(WORKFLOW)
    assert len(view.split("\n")) == len(WORKFLOW.split("\n"))
    assert _commands(view) == {
        11: "pip install alpha",
        14: "python -m pip install --upgrade pip",
        15: "pip install -r requirements.txt beta",
        17: "npm install gamma",
        19: "go install example.com/delta@latest",
        21: "pip install ${{ matrix.pkg }}",
    }
    line = view.split("\n")[10]
    assert line.index("pip") == WORKFLOW.split("\n")[10].index("pip")  # columns are the file's


def test_gitlab_scripts_in_place() -> None:
    assert _commands(gitlab_view(GITLAB)) == {
        2: "pip install alpha",
        5: "pip install beta",
        7: "npm i gamma",
        8: "echo done",
        9: "pip install delta",
    }


@pytest.mark.parametrize(
    ("path", "fmt", "root"),
    [
        (".github/workflows/ci.yml", "github", "."),
        ("repo/.github/workflows/release.yaml", "github", "repo"),
        ("/abs/repo/.github/workflows/ci.yml", "github", "/abs/repo"),
        (".gitlab-ci.yml", "gitlab", "."),
        ("sub/.gitlab-ci.yml", "gitlab", "sub"),
        ("ci.yml", None, None),
        (".github/ci.yml", None, None),
        ("docs/workflows/ci.yml", None, None),
    ],
)
def test_which_files_are_ci_and_where_they_run(path: str, fmt: str | None, root: str | None) -> None:
    assert filetypes.ci_format(path) == fmt
    assert filetypes.ci_root(path) == root
    assert (filetypes.source_kind(path) is SourceKind.SHELL) == (fmt is not None)


def test_tree_and_single_file_reads_run_at_the_repository_root(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(WORKFLOW)
    (tmp_path / ".gitlab-ci.yml").write_text(GITLAB)
    for target in (str(tmp_path), str(workflows / "ci.yml"), str(workflows)):
        sources = [s for s in read_inputs([target]) if isinstance(s, Source) and s.kind is SourceKind.SHELL]
        workflow = next(s for s in sources if s.path.endswith("ci.yml"))
        assert workflow.cwd == str(tmp_path)
        assert "pip install alpha" in workflow.text and "name: ci" not in workflow.text
    names = {Path(s.path).name for s in read_inputs([str(tmp_path)]) if isinstance(s, Source)}
    assert names == {"ci.yml", ".gitlab-ci.yml"}
