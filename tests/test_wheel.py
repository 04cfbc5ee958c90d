"""The wheel ships the package, its typing marker and every file of `registries/` (as `slopguard/_registries`)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_shipped_data(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("slopguard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {
        "slopguard/_registries/" + p.relative_to(ROOT / "registries").as_posix()
        for p in (ROOT / "registries").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert data and data <= names
    assert {"slopguard/__init__.py", "slopguard/py.typed", "slopguard/cli.py"} <= names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "slopguard = slopguard.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
