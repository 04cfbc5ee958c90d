"""Fixtures for the reporter tests (the reports themselves are built in `report_samples`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `report_samples`

from report_samples import all_codes_report, evil_report  # noqa: E402

from slopguard.models import Report  # noqa: E402

HERE = Path(__file__).resolve().parent


@pytest.fixture
def sample_report() -> Report:
    return all_codes_report()


@pytest.fixture
def injection_report() -> Report:
    return evil_report()


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return schema
