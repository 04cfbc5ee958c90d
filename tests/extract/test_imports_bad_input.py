"""Bad input for the import extractors: oversized, binary, non-UTF-8, minified and random text never crash."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract import imports
from slopguard.extract.imports import MAX_SOURCE_BYTES, extract_imports
from slopguard.models import Extraction, Project, Source, SourceKind

KINDS = [SourceKind.PYTHON, SourceKind.JAVASCRIPT, SourceKind.TYPESCRIPT, SourceKind.TSX, SourceKind.GO]


def skipped(text: str, kind: SourceKind = SourceKind.PYTHON, filename: str | None = None) -> str:
    result = extract_imports(Source(text, kind, "f", filename=filename), Project())
    assert result.refs == ()
    (problem,) = result.problems
    assert problem.code == "skipped"
    assert problem.path == "f"
    return problem.message


def test_oversized_source_is_skipped_with_a_problem() -> None:
    text = "import requests\n" + "x = 1\n" * (MAX_SOURCE_BYTES // 6 + 1)
    assert str(MAX_SOURCE_BYTES) in skipped(text)


def test_multibyte_text_is_measured_in_bytes() -> None:
    text = "import requests\n# " + "é" * (MAX_SOURCE_BYTES // 2 + 10)
    assert len(text) < MAX_SOURCE_BYTES
    assert "larger than" in skipped(text)


def test_binary_content_is_skipped() -> None:
    assert "binary" in skipped("import os\x00\x01\x02 import requests", SourceKind.GO)


def test_invalid_utf8_is_skipped() -> None:
    garbage = bytes(range(128, 256)).decode("utf-8", "replace") * 20
    assert "UTF-8" in skipped("import requests\n" + garbage)
    escaped = bytes(range(128, 256)).decode("utf-8", "surrogateescape") * 20
    assert "UTF-8" in skipped("import requests\n" + escaped)


def test_a_few_invalid_bytes_in_a_comment_do_not_stop_extraction() -> None:
    text = "# caf\udce9 \ufffd\nimport requests\n"
    result = extract_imports(Source(text, SourceKind.PYTHON, "f"), Project())
    assert [r.canonical for r in result.refs] == ["requests"]


def test_minified_bundle_is_skipped() -> None:
    bundle = "var a=require('left-pad');" + "function f(){return 1};" * 5_000
    assert "minified" in skipped(bundle, SourceKind.JAVASCRIPT)
    assert "minified" in skipped("x=1;\n" * 6_000, SourceKind.JAVASCRIPT, "public/app.min.js")


def test_unknown_kind_yields_nothing() -> None:
    assert extract_imports(Source("pip install x", SourceKind.SHELL, "f"), Project()).refs == ()


def test_big_generated_files_parse_in_bounded_time() -> None:
    body = "".join(f"def f{i}(a, b):\n    return [a * {i} for _ in range(b)]\n" for i in range(20_000))
    text = "import numpy\n" + body
    assert len(text.encode()) < MAX_SOURCE_BYTES
    start = time.perf_counter()
    result = extract_imports(Source(text, SourceKind.PYTHON, "gen.py"), Project())
    assert [r.canonical for r in result.refs] == ["numpy"]
    assert time.perf_counter() - start < 10


def test_deep_nesting_does_not_crash() -> None:
    text = "import requests\nx = " + "(" * 20_000 + ")" * 20_000 + "\n"
    result = extract_imports(Source(text, SourceKind.PYTHON, "deep.py"), Project())
    assert [r.canonical for r in result.refs] == ["requests"]


@pytest.mark.parametrize("kind", KINDS)
def test_empty_and_whitespace_sources(kind: SourceKind) -> None:
    for text in ("", "   \n\n\t"):
        assert extract_imports(Source(text, kind, "f"), Project()).refs == ()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(KINDS), st.text(max_size=400), st.sampled_from(["", "import ", "require(", "from x "]))
def test_random_text_never_crashes(kind: SourceKind, text: str, prefix: str) -> None:
    result = extract_imports(Source(prefix + text, kind, "f"), Project())
    for ref in result.refs:
        assert ref.location.line is not None and ref.location.line >= 1
        assert len(ref.evidence) <= imports.EVIDENCE_CHARS


def test_sources_without_import_keywords_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(*args: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(imports.treesitter, "parse", no_parse)
    for kind in KINDS:
        assert extract_imports(Source("x = 1  # no keyword here\n" * 10, kind, "f"), Project()) == Extraction()


def test_too_many_imports_are_cut_with_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_IMPORTS", 3)
    text = "".join(f"import pkg{i}\n" for i in range(5))
    result = extract_imports(Source(text, SourceKind.PYTHON, "f"), Project())
    assert [r.canonical for r in result.refs] == ["pkg0", "pkg1", "pkg2"]
    assert [(p.code, p.message) for p in result.problems] == [("truncated", "5 imports; only the first 3 were read")]


def test_pathological_import_floods_stay_bounded() -> None:
    text = "import a\n" * 20_000
    start = time.perf_counter()
    result = extract_imports(Source(text, SourceKind.PYTHON, "f"), Project())
    assert len(result.refs) == imports.MAX_IMPORTS
    assert result.problems[0].code == "truncated"
    assert time.perf_counter() - start < 20
