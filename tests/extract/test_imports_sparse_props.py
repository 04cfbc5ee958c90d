"""Property: on generated valid programs the sparse fast path agrees with a whole-file parse (and with `ast`)."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.extract import imports
from slopguard.extract.imports import extract_imports
from slopguard.models import Project, Source, SourceKind

MODULES = ["requests", "numpy.linalg", "yaml", "attr", "rich.console", "zstandard"]
PY_TEMPLATES = [
    "import {m}\n",
    "import {m} as alias\n",
    "from {m} import name\n",
    "from {m} import (\n    a,\n    b,\n)\n",
    "def f():\n    import {m}\n    return 1\n",
    '"""\nimport {m}\n"""\n',
    "x = 'import {m}'\n",
    "# import {m}\n",
    "try:\n    import {m}\nexcept ImportError:\n    pass\n",
    "if True: import {m}\n",
    "class C:\n    '''doc\n    from {m} import z\n    '''\n",
    "y = 1; import {m}\n",
    "s = '''\nfrom {m} import q\n'''\n",
    "value = (1 +\n    2)\n",
    "from . import sibling\n",
    "import os, {m}\n",
    "from {m} import \\\n    name\n",
]
JS_PACKAGES = ["react", "lodash/fp", "@scope/pkg", "zod", "./local"]
JS_TEMPLATES = [
    "import x from '{m}';\n",
    "import {{\n  a,\n  b,\n}} from '{m}';\n",
    "export * from '{m}';\n",
    "export {{ c }} from '{m}';\n",
    "const v = require('{m}');\n",
    "async function g() {{\n  return import('{m}');\n}}\n",
    "// import y from '{m}'\n",
    "/* require('{m}') */\n",
    "const t = `\nimport z from '{m}'\n`;\n",
    "const s = \"require('{m}')\";\n",
    "let n = 1; const w = require('{m}');\n",
    "const obj = {{\n  k: require('{m}'),\n}};\n",
    "function h(a) {{\n  return a / 2;\n}}\n",
]
FILLER_PY = "".join(f"def helper_{i}(v):\n    return v + {i}\n\n" for i in range(120))
FILLER_JS = "".join(f"function helper{i}(v) {{\n  return v + {i};\n}}\n" for i in range(120))


def fast_and_whole(text: str, kind: SourceKind) -> tuple[list[tuple[str, int | None, int | None]], ...]:
    source = Source(text, kind, "gen")
    fast = extract_imports(source, Project())
    saved = imports.SPARSE_MIN_BYTES
    imports.SPARSE_MIN_BYTES = 10**12
    try:
        whole = extract_imports(source, Project())
    finally:
        imports.SPARSE_MIN_BYTES = saved
    return tuple([(r.name, r.location.line, r.location.column) for r in e.refs] for e in (fast, whole))


def ast_imports(text: str) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name != "os"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return sorted(found, key=lambda item: item[1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PY_TEMPLATES), st.sampled_from(MODULES)), max_size=12), st.booleans())
def test_python_fast_path_matches_whole_parse_and_ast(parts: list[tuple[str, str]], filler_first: bool) -> None:
    body = "".join(t.format(m=m) for t, m in parts)
    text = FILLER_PY + body if filler_first else body + FILLER_PY
    fast, whole = fast_and_whole(text, SourceKind.PYTHON)
    assert fast == whole
    assert [(name, line) for name, line, _ in fast] == ast_imports(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(JS_TEMPLATES), st.sampled_from(JS_PACKAGES)), max_size=12), st.booleans())
@pytest.mark.parametrize("kind", [SourceKind.JAVASCRIPT, SourceKind.TYPESCRIPT])
def test_js_fast_path_matches_whole_parse(kind: SourceKind, parts: list[tuple[str, str]], filler_first: bool) -> None:
    body = "".join(t.format(m=m) for t, m in parts)
    text = FILLER_JS + body if filler_first else body + FILLER_JS
    fast, whole = fast_and_whole(text, kind)
    assert fast == whole
