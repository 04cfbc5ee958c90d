"""Root test fixtures: the loopback fake registry (`fake_registry`), settings pointing at it, and each transport."""

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


@pytest.fixture(params=["httpx", "socket"])
def transport(request: pytest.FixtureRequest) -> Iterator[object]:
    """`None` (the resolver's own httpx client: scans, `check`) or the hook's socket transport, closed after."""
    if request.param == "httpx":
        yield None
        return
    from slopguard.registry.http import USER_AGENT
    from slopguard.registry.stdhttp import StdlibTransport

    socket_transport = StdlibTransport(USER_AGENT)
    yield socket_transport
    socket_transport.close()
