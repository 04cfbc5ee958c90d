"""Unified diffs: real agent PR patches and made forms (renames, deletions, no-newline, mbox, removed lines)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slopguard.inputs import InputKind, read_inputs
from slopguard.models import Problem, Source, SourceKind

Read = Callable[..., list[Source | Problem]]


def _sources(items: list[Source | Problem]) -> list[Source]:
    assert all(isinstance(i, Source) for i in items), [i for i in items if isinstance(i, Problem)]
    return [i for i in items if isinstance(i, Source)]


def _line(source: Source, line: int) -> str:
    return source.text.split("\n")[line - 1]


def test_real_nh3_patch_gives_added_lines_at_new_file_lines(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "claude-code-transcripts-pr23-afeaf02-add-nh3.patch"
    sources = _sources(list(read_inputs([str(path)], cwd=tmp_path)))
    assert [(s.path, s.kind, s.line_offset) for s in sources] == [
        ("pyproject.toml", SourceKind.MANIFEST, 14),
        ("src/claude_code_transcripts/__init__.py", SourceKind.PYTHON, 20),
        ("src/claude_code_transcripts/__init__.py", SourceKind.PYTHON, 774),
        ("tests/test_generate_html.py", SourceKind.PYTHON, 130),
    ]
    manifest = sources[0]
    assert manifest.filename == "pyproject.toml"
    assert manifest.text == (
        '    "httpx",\n    "jinja2",\n    "markdown @ file:///Users/btucker/projects/python-markdown",\n'
        '    "nh3>=0.3.2",\n    "questionary",\n]\n\n'
    )
    assert manifest.added_lines == frozenset({4})
    assert manifest.locate(4).line == 18 and manifest.locate(4).path == "pyproject.toml"
    imports = sources[1]
    assert imports.added_lines == frozenset({4})
    assert _line(imports, 4) == "import nh3"
    assert imports.locate(4).line == 24
    every_text = "".join(s.text for s in sources)
    assert "Co-Authored-By" not in every_text and "Add nh3 dependency" not in every_text  # commit message
    assert "test_generates_page_001_html" not in "".join(s.path for s in sources)  # .html: not read


def test_real_boto3_patch_new_file_is_one_source_from_line_one(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "claude-code-transcripts-pr55-17573bf-add-boto3.patch"
    sources = _sources(list(read_inputs([str(path)], cwd=tmp_path)))
    new = [s for s in sources if s.path == "tests/test_s3_url.py"]
    assert len(new) == 1
    assert new[0].line_offset == 0 and new[0].added_lines == frozenset(range(1, 101))
    assert _line(new[0], 7) == "import boto3"
    groups = [s for s in sources if s.path == "pyproject.toml"]
    assert [(s.line_offset, sorted(s.added_lines or ())) for s in groups] == [(8, [4]), (32, [4])]
    assert _line(groups[1], 4) == '    "moto[s3]>=5.0.0",'
    assert groups[1].locate(4).line == 36


def test_real_katex_patch_skips_the_lock_file(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "claude-code-viewer-pr214-920fbe7-add-katex.patch"
    sources = _sources(list(read_inputs([str(path)], cwd=tmp_path)))
    assert "pnpm-lock.yaml" not in {s.path for s in sources}
    package = [s for s in sources if s.path == "package.json"]
    assert [(s.line_offset, sorted(s.added_lines or ())) for s in package] == [(114, [4]), (132, [4, 6])]
    assert _line(package[0], 4) == '    "katex": "0.16.22",'
    assert package[0].locate(4).line == 118
    tsx = [s for s in sources if s.path == "src/web/app/components/MarkdownContent.tsx"]
    assert tsx[0].kind is SourceKind.TSX and _line(tsx[0], 1) == 'import "katex/dist/katex.min.css";'


def test_real_keyring_patch_reads_readme_markdown_added_lines_only(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "claude-code-transcripts-pr46-71d09b1-add-keyring.patch"
    sources = _sources(list(read_inputs([str(path)], cwd=tmp_path)))
    readme = [s for s in sources if s.path == "README.md"]
    assert len(readme) == 1
    assert readme[0].kind is SourceKind.SHELL
    assert readme[0].text == "claude-code-transcripts web --token YOUR_TOKEN --org-uuid YOUR_ORG_UUID\n"
    assert readme[0].added_lines == frozenset({1})
    assert readme[0].locate(1).line == 107  # the line in the new README.md
    # the bash block at README lines 86-88 is context only, so it gives nothing
    assert all("--gist" not in s.text for s in readme)


MADE = """\
diff --git a/old_name.py b/new_name.py
similarity index 80%
rename from old_name.py
rename to new_name.py
index 1111111..2222222 100644
--- a/old_name.py
+++ b/new_name.py
@@ -1,3 +1,3 @@
 import os
-import removedpkg
+import addedpkg
 print(os.name)
diff --git a/gone.py b/gone.py
deleted file mode 100644
index 3333333..0000000
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-import deletedpkg
-print(1)
diff --git a/req/requirements-dev.txt b/req/requirements-dev.txt
new file mode 100644
index 0000000..4444444
--- /dev/null
+++ b/req/requirements-dev.txt
@@ -0,0 +1,2 @@
+requests
+flask
\\ No newline at end of file
diff --git a/only_removed.js b/only_removed.js
index 5555555..6666666 100644
--- a/only_removed.js
+++ b/only_removed.js
@@ -10,4 +10,3 @@ const a = 1;
 const b = 2;
-const leftpad = require("left-pad");
 const c = 3;
 const d = 4;
diff --git "a/sp\\303\\251cial.py" "b/sp\\303\\251cial.py"
index 7777777..8888888 100644
--- "a/sp\\303\\251cial.py"
+++ "b/sp\\303\\251cial.py"
@@ -5 +5 @@
-x = 1
+import unicodepkg
\\ No newline at end of file
diff --git a/moved.py b/renamed_only.py
similarity index 100%
rename from moved.py
rename to renamed_only.py
"""


def test_made_diff_renames_deletions_no_newline_and_removed_lines(read_text: Read) -> None:
    sources = _sources(read_text(MADE))
    assert [(s.path, s.text, s.line_offset, s.added_lines) for s in sources] == [
        ("new_name.py", "import os\nimport addedpkg\nprint(os.name)\n", 0, frozenset({2})),
        ("req/requirements-dev.txt", "requests\nflask\n", 0, frozenset({1, 2})),
        ("spécial.py", "import unicodepkg\n", 4, frozenset({1})),
    ]
    assert sources[1].kind is SourceKind.MANIFEST and sources[1].filename == "req/requirements-dev.txt"
    assert sources[2].locate(1).line == 5
    joined = "".join(s.text for s in sources)
    assert "removedpkg" not in joined and "deletedpkg" not in joined and "left-pad" not in joined


MBOX = """\
From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Agent <agent@example.com>
Subject: [PATCH 1/2] Add the fastjsonx dependency

Run `pip install fastjsonx` before testing.
diff --git a/fake.py b/fake.py
--- a/fake.py
+++ b/fake.py
---
 app.py | 1 +
 1 file changed, 1 insertion(+)

diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -1,1 +1,2 @@
 import os
+import fastjsonx
--
2.39.5

From 89abcdef0123456789abcdef0123456789abcdef Mon Sep 17 00:00:00 2001
From: Agent <agent@example.com>
Subject: [PATCH 2/2] Now pip install otherpkg too

diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -2 +2,2 @@
 import fastjsonx
+import otherpkg
--SIG
2.39.5
""".replace("--SIG", "-- ")  # git's signature line ends in a space


def test_mbox_headers_and_commit_messages_are_never_mined(read_text: Read) -> None:
    sources = _sources(read_text(MBOX))
    assert [(s.path, s.text, s.line_offset, s.added_lines) for s in sources] == [
        ("app.py", "import os\nimport fastjsonx\n", 0, frozenset({2})),
        ("app.py", "import fastjsonx\nimport otherpkg\n", 1, frozenset({2})),
    ]
    assert all(s.kind is SourceKind.PYTHON for s in sources)


def test_post_image_from_the_work_tree_when_it_agrees(read_text: Read, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\nimport fastjsonx\n\n\ndef main():\n    return 1\n")
    sources = _sources(read_text(MBOX.split("\nFrom 89ab")[0], InputKind.DIFF, tmp_path))
    assert len(sources) == 1
    whole = sources[0]
    assert whole.text == "import os\nimport fastjsonx\n\n\ndef main():\n    return 1\n"
    assert whole.line_offset == 0 and whole.added_lines == frozenset({2})


def test_post_image_that_disagrees_falls_back_to_hunks(read_text: Read, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\nimport somethingelse\n")
    sources = _sources(read_text(MBOX.split("\nFrom 89ab")[0], InputKind.DIFF, tmp_path))
    assert [(s.text, s.line_offset, s.added_lines) for s in sources] == [
        ("import os\nimport fastjsonx\n", 0, frozenset({2}))
    ]


def test_paths_leaving_the_work_tree_are_never_read(read_text: Read, tmp_path: Path) -> None:
    inside = tmp_path / "repo"
    inside.mkdir()
    (tmp_path / "secret.py").write_text("import os\nimport fastjsonx\nSECRET = 1\n")
    diff = "--- a/../secret.py\n+++ b/../secret.py\n@@ -1 +1,2 @@\n import os\n+import fastjsonx\n"
    sources = _sources(read_text(diff, InputKind.DIFF, inside))
    assert [(s.path, s.text) for s in sources] == [("../secret.py", "import os\nimport fastjsonx\n")]


def test_plain_unified_diff_with_timestamps(read_text: Read) -> None:
    diff = (
        "--- setup.py\t2024-01-01 00:00:00.000000000 +0000\n"
        "+++ setup.py\t2024-01-02 00:00:00.000000000 +0000\n"
        "@@ -3,2 +3,3 @@\n"
        " setup(\n"
        "+    install_requires=['fooxyz'],\n"
        " )\n"
    )
    sources = _sources(read_text(diff))
    assert [(s.path, s.kind, s.filename, s.line_offset, s.added_lines) for s in sources] == [
        ("setup.py", SourceKind.MANIFEST, "setup.py", 2, frozenset({2}))
    ]
    assert sources[0].locate(2).line == 4


def test_hunk_with_wrong_counts_stops_at_the_next_header(read_text: Read) -> None:
    diff = (
        "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,5 +1,6 @@\n import x\n+import y\n"
        "diff --git a/b.py b/b.py\n--- a/b.py\n+++ b/b.py\n@@ -1 +1,2 @@\n import z\n+import w\n"
    )
    sources = _sources(read_text(diff))
    assert [(s.path, s.text, s.added_lines) for s in sources] == [
        ("a.py", "import x\nimport y\n", frozenset({2})),
        ("b.py", "import z\nimport w\n", frozenset({2})),
    ]


def test_invalid_utf8_in_a_diff_is_reported_and_the_rest_read(read_text: Read) -> None:
    diff = b"--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x = '\xff'\n+import goodpkg\n"
    items = read_text(diff, InputKind.DIFF)
    problems = [i for i in items if isinstance(i, Problem)]
    assert [(p.path, p.line, p.code) for p in problems] == [("-", 4, "invalid-utf8")]
    sources = [i for i in items if isinstance(i, Source)]
    assert [(s.text, s.added_lines) for s in sources] == [("x = '\ufffd'\nimport goodpkg\n", frozenset({2}))]


def _notebook_diff(new_file: bool) -> str:
    import json

    lines = json.dumps(
        {"cells": [{"cell_type": "code", "source": ["!pip install reqeusts\n", "import yaml\n"]}], "nbformat": 4},
        indent=1,
    ).split("\n")
    if new_file:
        body = "".join(f"+{ln}\n" for ln in lines)
        head = "diff --git a/nb.ipynb b/nb.ipynb\nnew file mode 100644\n--- /dev/null\n+++ b/nb.ipynb\n"
        return f"{head}@@ -0,0 +1,{len(lines)} @@\n{body}"
    return (
        "diff --git a/nb.ipynb b/nb.ipynb\n--- a/nb.ipynb\n+++ b/nb.ipynb\n@@ -3,1 +3,1 @@\n"
        '-   "source": ["x"]\n+   "source": ["!pip install reqeusts\\n"]\n'
    )


def test_a_new_notebook_in_a_diff_is_read_as_its_cells(tmp_path: Path) -> None:
    patch = tmp_path / "nb.diff"
    patch.write_text(_notebook_diff(new_file=True))
    sources = _sources(list(read_inputs([str(patch)])))
    assert [s.kind for s in sources] == [SourceKind.PYTHON, SourceKind.SHELL]
    assert "reqeusts" in sources[1].text and "import yaml" in sources[0].text


def test_a_changed_notebook_hunk_is_not_guessed_at(tmp_path: Path) -> None:
    patch = tmp_path / "nb.diff"
    patch.write_text(_notebook_diff(new_file=False))
    assert _sources(list(read_inputs([str(patch)]))) == []
