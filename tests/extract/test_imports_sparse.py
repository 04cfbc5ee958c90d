"""The sparse fast path for big files: same answers as a whole-file parse, no imports taken from strings."""

from __future__ import annotations

import pytest

from slopguard.extract import imports
from slopguard.extract.import_scan import go_sparse, js_sparse, python_sparse
from slopguard.extract.imports import extract_imports
from slopguard.models import PackageRef, Project, Source, SourceKind

FILLER_PY = "".join(f"def helper_{i}(value):\n    return value + {i}\n\n" for i in range(200))
FILLER_JS = "".join(f"export function helper{i}(value) {{\n  return value + {i};\n}}\n" for i in range(200))


def both(text: str, kind: SourceKind, monkeypatch: pytest.MonkeyPatch) -> tuple[PackageRef, ...]:
    """Refs through the fast path, checked against a whole-file parse of the same text."""
    assert len(text) >= imports.SPARSE_MIN_BYTES
    source = Source(text, kind, "big")
    fast = extract_imports(source, Project())
    monkeypatch.setattr(imports, "SPARSE_MIN_BYTES", 10**12)
    whole = extract_imports(source, Project())
    monkeypatch.undo()
    assert fast == whole
    return fast.refs


def test_python_docstrings_comments_and_indented_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        '"""Module doc.\n\nExample::\n\n    import fake_in_docstring\n    from fake2 import x\n"""\n'
        "import requests  # import fake_in_comment\n"
        + FILLER_PY
        + "class A:\n    '''\n    import fake_in_class_doc\n    '''\n"
        "    def m(self):\n        from rich.console import (\n            Console,\n        )\n"
        "        mod = importlib.import_module(\n            'yaml'\n        )\n"
        "        s = 'from fake3 import y'\n"
    )
    refs = both(text, SourceKind.PYTHON, monkeypatch)
    assert [(r.canonical, r.location.column) for r in refs] == [("requests", 1), ("rich", 9), ("pyyaml", 13)]


def test_python_imports_after_colon_or_semicolon_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    text = FILLER_PY + "try: import ujson\nexcept ImportError: ujson = None\nx = 1; import orjson\n"
    assert python_sparse(text) is None
    assert [r.canonical for r in both(text, SourceKind.PYTHON, monkeypatch)] == ["ujson", "orjson"]


def test_python_very_long_parenthesised_import(monkeypatch: pytest.MonkeyPatch) -> None:
    names = "".join(f"    name_{i},\n" for i in range(300))
    text = f"from sqlalchemy import (\n{names})\nimport attr\n" + FILLER_PY
    assert [r.canonical for r in both(text, SourceKind.PYTHON, monkeypatch)] == ["sqlalchemy", "attrs"]


def test_python_file_without_imports_is_not_parsed() -> None:
    sparse = python_sparse(FILLER_PY)
    assert sparse is not None and not sparse.data.strip()
    assert extract_imports(Source(FILLER_PY, SourceKind.PYTHON, "big"), Project()).refs == ()


def test_js_templates_and_block_comments_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "import React from 'react';\n"
        + FILLER_JS
        + "const code = `\nimport fake from 'in-a-template';\n`;\n"
        + "/*\nconst x = require('in-a-comment');\n*/\n"
        + "const lodash = require('lodash');\n"
    )
    assert js_sparse(text) is None
    assert [r.canonical for r in both(text, SourceKind.TYPESCRIPT, monkeypatch)] == ["react", "lodash"]


def test_js_multiline_and_statement_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "import {\n  a,\n  b,\n} from '@scope/pkg';\nexport {\n  c,\n} from 'zod';\nexport { local };\n"
        + FILLER_JS
        + "function f() {\n    const m = await import('marked');\n    return require.resolve('typescript');\n}\n"
        + "if (x) { a(); } import late from 'late-pkg';\n"
    )
    refs = both(text, SourceKind.TYPESCRIPT, monkeypatch)
    assert [(r.canonical, r.location.line) for r in refs][:4] == [
        ("@scope/pkg", 4),
        ("zod", 7),
        ("marked", 610),
        ("typescript", 611),
    ]
    assert [r.canonical for r in refs][4:] == ["late-pkg"]


FILLER_GO = "".join(f"func helper{i}(v int) int {{\n\treturn v + {i}\n}}\n\n" for i in range(200))


def test_go_parses_only_the_head_before_the_first_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        '// Package x.\n/*\nfunc in a comment\n*/\npackage x\n\nimport (\n\t"fmt"\n\t"github.com/google/uuid"\n)\n\n'
        'import "golang.org/x/sync/errgroup"\n\n' + FILLER_GO + 'var s = `\nimport "github.com/trap/trap"\n`\n'
    )
    sparse = go_sparse(text)
    assert b"helper" not in sparse.data and b"trap" not in sparse.data and b"package" not in sparse.data
    assert [r.canonical for r in both(text, SourceKind.GO, monkeypatch)] == [
        "github.com/google/uuid",
        "golang.org/x/sync/errgroup",
    ]


def test_go_declaration_inside_a_comment_does_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'package x\n/* doc\nfunc example() {}\n*/\nimport "github.com/lib/pq"\n' + FILLER_GO
    assert b"pq" in go_sparse(text).data
    assert [r.canonical for r in both(text, SourceKind.GO, monkeypatch)] == ["github.com/lib/pq"]


def test_go_without_declarations_stops_after_the_last_import(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'package x\nimport (\n\t"github.com/lib/pq"\n)\n' + "// filler\n" * 500
    sparse = go_sparse(text)
    assert sparse.data.strip().endswith(b")") and b"filler" not in sparse.data
    assert [r.canonical for r in both(text, SourceKind.GO, monkeypatch)] == ["github.com/lib/pq"]
    assert not go_sparse("// nothing here\n" * 500).data.strip()
    assert [r.canonical for r in both(text, SourceKind.GO, monkeypatch)] == ["github.com/lib/pq"]


def test_go_imports_in_comments_and_garbage_are_not_parsed_whole() -> None:
    head = 'package x\n/*\nimport "github.com/trap/commented"\n*/\nimport (\n\t"github.com/a/b"\n)\n'
    text = head + "%$#@!" * 2_000 + '\nimport "github.com/c/d"\n'
    assert go_sparse(text).data.count(b"\n") == text.count("\n")
    result = extract_imports(Source(text, SourceKind.GO, "g.go"), Project())
    assert [(r.canonical, r.location.line) for r in result.refs] == [("github.com/a/b", 6), ("github.com/c/d", 9)]


def test_files_too_big_for_a_whole_parse_keep_the_sparse_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "WHOLE_PARSE_MAX_BYTES", 5_000)
    garbage = "".join(f"%$ {i} ({{ ] ' `\n" for i in range(600))
    py = "import requests\ntry: import ujson\nexcept: pass\n" + garbage + "from rich import print\n"
    js = "import a from 'alpha';\nconst t = `x`; import b from 'beta';\n" + garbage + "const c = require('gamma');\n"
    assert python_sparse(py) is None and js_sparse(js) is None
    got_py = [r.canonical for r in extract_imports(Source(py, SourceKind.PYTHON, "g"), Project()).refs]
    got_js = [r.canonical for r in extract_imports(Source(js, SourceKind.JAVASCRIPT, "g"), Project()).refs]
    assert got_py == ["requests", "ujson", "rich"]
    assert "alpha" in got_js and "gamma" in got_js
