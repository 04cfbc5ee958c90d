"""Codex apply_patch envelopes, standalone: added files, updates with and without the file, moves, deletions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slopguard.inputs import InputKind, detect_kind
from slopguard.inputs.apply_patch import parse_patch, text_lines
from slopguard.models import Problem, Source, SourceKind

Read = Callable[..., list[Source | Problem]]

PATCH = """\
*** Begin Patch
*** Add File: pkg/new_mod.py
+import os
+import hallucinatedpkg
*** Update File: app.py
@@ def main():
 import os
-import removedpkg
+import addedpkg
 print(1)
*** Update File: old/place.py
*** Move to: new/place.py
@@
-x = 1
+import movedpkg
*** Delete File: gone.py
*** Add File: notes.txt
+pip install notreadpkg
*** End Patch
"""


def test_detected_from_content(tmp_path: Path) -> None:
    assert detect_kind("-", PATCH.encode()) is InputKind.PATCH
    assert detect_kind(str(tmp_path / "change.patch"), b"  \n" + PATCH.encode()) is InputKind.PATCH


def test_parse_operations() -> None:
    ops = list(parse_patch(text_lines(PATCH)))
    assert [(op.action, op.path, op.target) for op in ops] == [
        ("add", "pkg/new_mod.py", "pkg/new_mod.py"),
        ("update", "app.py", "app.py"),
        ("update", "old/place.py", "new/place.py"),
        ("delete", "gone.py", "gone.py"),
        ("add", "notes.txt", "notes.txt"),
    ]
    assert ops[1].hunks == [
        [(" ", "import os", 7), ("-", "import removedpkg", 8), ("+", "import addedpkg", 9), (" ", "print(1)", 10)]
    ]


def test_without_the_files_hunks_point_into_the_patch(read_text: Read) -> None:
    items = read_text(PATCH)
    assert all(isinstance(i, Source) for i in items)
    sources = [i for i in items if isinstance(i, Source)]
    assert [(s.path, s.filename, s.text, s.line_offset, s.added_lines) for s in sources] == [
        ("pkg/new_mod.py", "pkg/new_mod.py", "import os\nimport hallucinatedpkg\n", 0, None),
        ("-", "app.py", "import os\n\nimport addedpkg\nprint(1)\n", 6, frozenset({3})),
        ("-", "new/place.py", "\nimport movedpkg\n", 13, frozenset({2})),
    ]
    assert sources[1].locate(3).line == 9  # the `+import addedpkg` line of the patch
    assert sources[2].locate(2).line == 15
    assert all(s.kind is SourceKind.PYTHON for s in sources)
    assert "removedpkg" not in "".join(s.text for s in sources)


def test_with_the_file_after_the_change_gives_file_lines(read_text: Read, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('"""Doc."""\n\nimport os\nimport addedpkg\nprint(1)\n')
    sources = [i for i in read_text(PATCH, InputKind.PATCH, tmp_path) if isinstance(i, Source)]
    app = [s for s in sources if s.filename == "app.py"]
    assert [(s.path, s.line_offset, s.added_lines) for s in app] == [("app.py", 0, frozenset({4}))]
    assert app[0].text == '"""Doc."""\n\nimport os\nimport addedpkg\nprint(1)\n'
    assert app[0].locate(4).line == 4


def test_whitespace_padded_markers_and_crlf(read_text: Read) -> None:
    patch = "  *** Begin Patch\r\n*** Add File: a.js \r\n+const x = require('zzpkg');\r\n *** End Patch \r\n"
    sources = [i for i in read_text(patch) if isinstance(i, Source)]
    assert [(s.filename, s.kind, s.text) for s in sources] == [
        ("a.js", SourceKind.JAVASCRIPT, "const x = require('zzpkg');\n")
    ]
