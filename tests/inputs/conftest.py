"""Fixtures for the input readers' tests: the copied sample files and a reader that collects everything."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from slopguard.inputs import InputKind, read_inputs
from slopguard.models import Problem, Source

DATA = Path(__file__).parent / "data"

Items = list[Source | Problem]


@pytest.fixture
def data_dir() -> Path:
    """The folder of real sample inputs (see data/LICENSE.md)."""
    return DATA


@pytest.fixture
def read_text() -> Callable[..., Items]:
    """Read `text` as stdin (`-`) with an optional forced kind and cwd."""

    def run(text: str | bytes, kind: InputKind | None = None, cwd: Path | None = None) -> Items:
        raw = text.encode() if isinstance(text, str) else text
        return list(read_inputs(["-"], kind, stdin=io.BytesIO(raw), cwd=cwd))

    return run
