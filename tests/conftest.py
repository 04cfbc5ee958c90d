"""Root test fixtures: the loopback fake registry (`fake_registry`) and settings pointing at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so tests can `from fakeregistry import FakeRegistry`

from fakeregistry import FakeRegistry  # noqa: E402

from slopguard.config import Settings  # noqa: E402


@pytest.fixture
def fake_registry() -> Iterator[FakeRegistry]:
    """A started `FakeRegistry` (empty world, no faults), stopped after the test."""
    with FakeRegistry() as registry:
        yield registry


@pytest.fixture
def registry_settings(fake_registry: FakeRegistry, tmp_path: Path) -> Settings:
    """Settings pointing at `fake_registry`, with the cache in `tmp_path/cache` and short timeouts."""
    return fake_registry.settings(tmp_path)
