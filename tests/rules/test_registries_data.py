"""The shipped data in registries/: provenance headers, the import map's must-haves, lists that never overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard.models import Ecosystem
from slopguard.names import canonicalize
from slopguard.popular import (
    data_dir,
    import_distribution,
    known_hallucinations,
    known_malicious,
    node_builtins,
    popular_names,
    popular_set,
    python_stdlib,
)


@pytest.mark.parametrize(
    ("module", "dist"),
    [
        ("yaml", "PyYAML"), ("cv2", "opencv-python"), ("sklearn", "scikit-learn"), ("PIL", "Pillow"),
        ("bs4", "beautifulsoup4"), ("dateutil", "python-dateutil"), ("jwt", "PyJWT"), ("git", "GitPython"),
        ("attr", "attrs"), ("google.cloud.storage", "google-cloud-storage"),
        ("google.cloud.storage.blob", "google-cloud-storage"), ("google.protobuf", "protobuf"),
    ],
)  # fmt: skip
def test_import_map_must_haves(module: str, dist: str) -> None:
    assert import_distribution(module) == dist


def test_namespace_roots_and_stdlib_are_not_mapped() -> None:
    assert import_distribution("google.cloud.no_such_thing") is None
    assert import_distribution("azure") is None
    assert import_distribution("os") is None and import_distribution("json") is None


def test_stdlib_is_the_3_8_to_3_14_union() -> None:
    stdlib = python_stdlib()
    for module in ("os", "distutils", "imp", "asynchat", "asyncore", "formatter", "parser", "annotationlib", "tomllib"):
        assert module in stdlib, module
    assert "requests" not in stdlib and "yaml" not in stdlib


def test_node_builtins_include_prefix_only_modules() -> None:
    builtins = node_builtins()
    for module in ("fs", "path", "fs/promises", "test", "sqlite", "sea", "worker_threads"):
        assert module in builtins, module
    assert "express" not in builtins


@pytest.mark.parametrize("eco", list(Ecosystem))
def test_lists_are_disjoint_from_popular(eco: Ecosystem) -> None:
    popular = popular_set(eco)
    assert not (known_hallucinations(eco) & popular)
    assert not (known_malicious(eco) & popular)
    assert known_hallucinations(eco) and known_malicious(eco)


def test_popular_lists_are_canonical_and_ordered() -> None:
    pypi = popular_names(Ecosystem.PYPI)
    assert pypi[:10].count("requests") == 1 and pypi.index("boto3") < pypi.index("scapy")
    assert all(canonicalize(Ecosystem.PYPI, n) == n for n in pypi)
    assert "react" in popular_set(Ecosystem.NPM) and "@types/node" in popular_set(Ecosystem.NPM)
    assert "github.com/stretchr/testify" in popular_set(Ecosystem.GO)


def test_every_file_has_a_provenance_header_and_is_in_the_readme() -> None:
    root: Path = data_dir()
    readme = (root / "README.md").read_text(encoding="utf-8")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".tsv"))
    assert len(files) >= 13
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), path
        assert "Refresh:" in path.read_text(encoding="utf-8")[:2000], path
        assert f"`{path.parent.name}/{path.name}`" in readme or f"*/{path.name}" in readme, path


@pytest.mark.parametrize(
    "text",
    [
        "# header\n# more header\nalpha\nbeta\n\ngamma\n",  # the shipped shape: the quick split
        "# header\r\nalpha\r\nbeta \r\n\r\n  gamma\r\n",  # CRLF and blanks around names
        "alpha\n# a comment further down\nbeta\n\t gamma\t\n",  # no header, a comment and tabs in the body
    ],
)
def test_list_files_read_the_same_whatever_their_layout(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slopguard import popular

    (tmp_path / "list.txt").write_bytes(text.encode())
    monkeypatch.setattr(popular, "data_dir", lambda: tmp_path)
    assert popular._lines("list.txt") == ["alpha", "beta", "gamma"]
    assert popular._lines("absent.txt") == []


def test_shipped_lists_read_by_the_quick_split_match_a_careful_read() -> None:
    from slopguard import popular

    for path in sorted(data_dir().glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        careful = [kept for ln in text.splitlines() if (kept := ln.strip()) and ln[0] != "#"]
        assert popular._lines(str(path.relative_to(data_dir()))) == careful, path
