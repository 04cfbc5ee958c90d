"""Fixtures for the Action tests: parsed action.yml, the README's example workflow, a fake PR repository."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `action_yaml` and `action_fixtures`

from action_fixtures import ROOT, PullRequest, make_pull_request, readme_workflow_text  # noqa: E402
from action_yaml import load  # noqa: E402


@pytest.fixture(scope="session")
def action() -> dict[str, Any]:
    data: dict[str, Any] = load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def workflow() -> dict[str, Any]:
    data: dict[str, Any] = load(readme_workflow_text())
    return data


@pytest.fixture
def pull_request(tmp_path: Path) -> PullRequest:
    return make_pull_request(tmp_path)
