"""Live smoke tests against the real registries: off by default (`pytest -m live`), run rarely and by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import resolve

pytestmark = pytest.mark.live


@pytest.mark.parametrize("through", ["httpx", "sockets"])
def test_real_registries_answer(tmp_path: Path, through: str) -> None:
    """Both transports, over real https: httpx (scans) and the agent hook's socket transport."""
    from slopguard.registry.http import USER_AGENT
    from slopguard.registry.stdhttp import StdlibTransport

    keys = [
        LookupKey(Ecosystem.PYPI, "requests"),
        LookupKey(Ecosystem.NPM, "left-pad"),
        LookupKey(Ecosystem.NPM, "react"),
    ]
    transport = StdlibTransport(USER_AGENT) if through == "sockets" else None
    try:
        records = resolve(keys, Settings(cache_dir=tmp_path / "cache", concurrency=3), transport=transport)
    finally:
        if transport is not None:
            transport.close()
    for key in keys:
        record = records[key]
        assert record.status is Status.EXISTS, record
        assert record.version_count and record.version_count > 1
    # npm mirrors may serve packuments without `time.created`; then the first release is unknown, never guessed.
    assert records[keys[0]].first_release is not None
