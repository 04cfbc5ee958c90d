"""Markdown and plain text: fenced blocks by info string, console prompts, inline spans, bare install lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from slopguard.inputs import InputKind, read_inputs
from slopguard.inputs.markdown import is_install_command, markdown_sources
from slopguard.models import Problem, Source, SourceKind

Read = Callable[..., list[Source | Problem]]

ANSWER = """\
# Setup

First run `pip install fastapi-magicx` then read on.
You could also pip install things by hand (prose, not a command).

npm install -g made-up-cli

```console
$ pip install consolepkg \\
    otherpkg
Collecting consolepkg
(venv) $ python -m pip install venvpkg
```

```python
import numpyy
```

~~~ts
import x from "tspkg";
~~~

```toml
[project]
dependencies = ["tomlpkg"]
```

```json
{"dependencies": {"jsonpkg": "1.0.0"}}
```

```json
{"name": "just data"}
```

```text
pip install textpkg
some output
```

```python title="src/tool.py"
import named
```

```requirements
reqpkg==1.0
```
"""


def test_answer_gives_exact_sources_with_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "answer.md"
    path.write_text(ANSWER)
    items = list(read_inputs([str(path)]))
    got = [(i.kind, i.text, i.filename, i.line_offset) for i in items if isinstance(i, Source)]
    assert got == [
        (SourceKind.SHELL, "pip install fastapi-magicx", None, 2),
        (SourceKind.SHELL, "npm install -g made-up-cli", None, 5),
        (
            SourceKind.SHELL,
            "  pip install consolepkg \\\n    otherpkg\n\n         python -m pip install venvpkg\n",
            None,
            8,
        ),
        (SourceKind.PYTHON, "import numpyy\n", None, 15),
        (SourceKind.TYPESCRIPT, 'import x from "tspkg";\n', None, 19),
        (SourceKind.MANIFEST, '[project]\ndependencies = ["tomlpkg"]\n', "pyproject.toml", 23),
        (SourceKind.MANIFEST, '{"dependencies": {"jsonpkg": "1.0.0"}}\n', "package.json", 28),
        (SourceKind.SHELL, "pip install textpkg", None, 36),
        (SourceKind.PYTHON, "import named\n", "src/tool.py", 41),
        (SourceKind.MANIFEST, "reqpkg==1.0\n", "requirements.txt", 45),
    ]
    assert len(items) == len(got)
    lines = ANSWER.split("\n")
    sources = [i for i in items if isinstance(i, Source)]
    # every Source's first line lands on the file line that holds it
    assert "fastapi-magicx" in lines[sources[0].locate(1).line - 1]  # type: ignore[operator]
    assert lines[sources[2].locate(4).line - 1] == "(venv) $ python -m pip install venvpkg"  # type: ignore[operator]
    assert lines[sources[3].locate(1).line - 1] == "import numpyy"  # type: ignore[operator]
    assert lines[sources[7].locate(1).line - 1] == "pip install textpkg"  # type: ignore[operator]


def test_pinned_inside_a_transcript() -> None:
    sources = list(markdown_sources("Do:\n```sh\nuv add x\n```", path="t.jsonl", pin_line=42, detail="d"))
    assert [(s.text, s.locate(1).line, s.locate(1).detail) for s in sources] == [("uv add x\n", 42, "d")]


def test_unclosed_fence_runs_to_the_end() -> None:
    sources = list(markdown_sources("```bash\npip install a\n", path="x"))
    assert [(s.kind, s.text, s.line_offset) for s in sources] == [(SourceKind.SHELL, "pip install a\n\n", 1)]


@pytest.mark.parametrize(
    "line",
    [
        "pip install x",
        "$ pip3 install x",
        "- npm i y",
        "1. yarn add z",
        "> pnpm add q",
        "sudo pip install x",
        "cd app && npm install y",
        "RUN pip install --no-cache-dir x",
        "python3 -m pip install x",
        "uv pip install x",
        "npx create-thing",
        "go install example.com/x@latest",
        "PIP_INDEX_URL=https://x pip install y",
    ],
)
def test_install_commands(line: str) -> None:
    assert is_install_command(line)


@pytest.mark.parametrize(
    "line",
    ["You can pip install things", "pipeline install", "npm run build", "go build ./...", "# pip install x later"],
)
def test_not_install_commands(line: str) -> None:
    assert not is_install_command(line)


def test_plain_text_from_stdin(read_text: Read) -> None:
    items = read_text("Notes\n\n    pip install indentedpkg\nnothing here\n", InputKind.MARKDOWN)
    assert [(i.text, i.line_offset) for i in items if isinstance(i, Source)] == [("pip install indentedpkg", 2)]


def test_fences_in_list_items_and_one_line_spans() -> None:
    text = "1. Install:\n\n    ```bash\n    pip install listpkg\n    ```\n2. ```python print(1)``` is not a fence\n"
    sources = list(markdown_sources(text, path="x"))
    assert [(s.kind, s.text, s.line_offset) for s in sources] == [(SourceKind.SHELL, "pip install listpkg\n", 3)]
