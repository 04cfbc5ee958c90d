"""A file scanned through the real `slopguard scan` entry point against a fake registry, as JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main


def scan_file(registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> Any:
    """Write `text` to `tmp_path/name` and return `slopguard scan --format json` of it."""
    for key, value in registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    main(["scan", "--format", "json", str(path)], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())
