"""registries/ is reproducible: rebuilding from ../shared/data gives the committed files byte for byte."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


def _builder() -> object:
    spec = importlib.util.spec_from_file_location("build_registries", ROOT / "scripts" / "build_registries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DATA.is_dir(), reason="the public datasets are not next to the repo")
def test_rebuild_matches_committed_files(tmp_path: Path) -> None:
    builder = _builder()
    out = tmp_path / "registries"
    (out / "pypi").mkdir(parents=True)
    # the import map reads the stdlib list; it depends on the Python that built it, so copy it
    (out / "pypi" / "stdlib.txt").write_bytes((ROOT / "registries/pypi/stdlib.txt").read_bytes())
    assert builder.main(["--data", str(DATA), "--out", str(out), "--only", "imports,popular,bad"]) == 0  # type: ignore[attr-defined]
    built = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert len(built) >= 12
    for rel in built:
        assert (out / rel).read_bytes() == (ROOT / "registries" / rel).read_bytes(), rel


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is 3.10+")
def test_stdlib_list_covers_the_running_python() -> None:
    shipped = {
        ln for ln in (ROOT / "registries/pypi/stdlib.txt").read_text(encoding="utf-8").splitlines() if ln[:1] != "#"
    }
    assert set(sys.stdlib_module_names) <= shipped
