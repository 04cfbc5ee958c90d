"""A folder that holds only transcripts (`~/.claude/projects/x`) is read as transcripts, a source tree as a tree."""

from __future__ import annotations

import shutil
from pathlib import Path

from slopguard.inputs import read_inputs
from slopguard.models import Source, SourceKind

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "claude-session.jsonl"


def _sources(path: Path) -> list[Source]:
    return [s for s in read_inputs([str(path)]) if isinstance(s, Source)]


def test_folder_of_sessions_reads_each_transcript(tmp_path: Path) -> None:
    (tmp_path / "proj-a").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "proj-a" / "one.jsonl")
    shutil.copy(EXAMPLE, tmp_path / "two.jsonl")
    sources = _sources(tmp_path)
    commands = [s for s in sources if s.kind is SourceKind.SHELL]
    assert {Path(s.path).name for s in commands} == {"one.jsonl", "two.jsonl"}
    assert any("pip install reqeusts" in s.text for s in commands)


def test_source_tree_with_a_stray_jsonl_stays_a_tree(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "fixture.jsonl")
    (tmp_path / "requirements.txt").write_text("requests\n")
    sources = _sources(tmp_path)
    assert [s.filename for s in sources] == ["requirements.txt"]
