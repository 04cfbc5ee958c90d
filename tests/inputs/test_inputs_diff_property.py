"""Property: for any change, every kept line of every Source is an added line, at its true new-file line."""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.inputs import InputKind, read_inputs
from slopguard.models import Source

LINES = st.lists(st.sampled_from(["import a", "import b", "x = 1", "", "def f():", "    return 2", "y = [", "]"]))


def _diff(old: list[str], new: list[str], name: str = "mod.py") -> str:
    body = difflib.unified_diff(
        [f"{line}\n" for line in old], [f"{line}\n" for line in new], f"a/{name}", f"b/{name}", n=2
    )
    return f"diff --git a/{name} b/{name}\n" + "".join(body)


def _added(old: list[str], new: list[str]) -> set[int]:
    added: set[int] = set()
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("insert", "replace"):
            added.update(range(j1 + 1, j2 + 1))
    return added


def _kept(sources: list[Source]) -> dict[int, str]:
    kept: dict[int, str] = {}
    for source in sources:
        lines = source.text.split("\n")
        for i in sorted(source.added_lines or ()):
            line = source.locate(i).line
            assert line is not None
            kept[line] = lines[i - 1]
    return kept


@settings(max_examples=60, deadline=None)
@given(old=LINES, new=LINES)
def test_hunks_keep_exactly_the_added_lines(old: list[str], new: list[str]) -> None:
    text = _diff(old, new)
    items = list(read_inputs(["-"], InputKind.DIFF, stdin=io.BytesIO(text.encode()), cwd=Path(os.devnull)))
    sources = [i for i in items if isinstance(i, Source)]
    assert len(sources) == len(items)
    kept = _kept(sources)
    assert set(kept) == _added(old, new)
    for line, content in kept.items():
        assert new[line - 1] == content


@settings(max_examples=30, deadline=None)
@given(old=LINES, new=LINES)
def test_whole_post_image_keeps_exactly_the_added_lines(old: list[str], new: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "mod.py").write_text("".join(f"{line}\n" for line in new))
        text = _diff(old, new)
        items = list(read_inputs(["-"], InputKind.DIFF, stdin=io.BytesIO(text.encode()), cwd=Path(tmp)))
    sources = [i for i in items if isinstance(i, Source)]
    assert len(sources) <= 1
    if sources:
        assert sources[0].line_offset == 0 and sources[0].text.split("\n")[: len(new)] == new
    kept = _kept(sources)
    assert set(kept) == _added(old, new)
    for line, content in kept.items():
        assert new[line - 1] == content
