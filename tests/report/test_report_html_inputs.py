"""What the HTML report needs from the readers: each transcript location's agent, time and command as written."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from slopguard.extract import extract
from slopguard.extract.shell_snippet import SNIPPET, command_at
from slopguard.inputs import read_inputs
from slopguard.inputs.jsonl import record_time
from slopguard.models import PackageRef, Source

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _refs(path: Path) -> dict[str, PackageRef]:
    found: dict[str, PackageRef] = {}
    for item in read_inputs([str(path)]):
        if isinstance(item, Source):
            for ref in extract(item).refs:
                found.setdefault(ref.name, ref)
    return found


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def test_claude_locations_carry_agent_time_and_command() -> None:
    refs = _refs(EXAMPLES / "claude-session.jsonl")
    loc = refs["reqeusts"].location
    assert (loc.agent, loc.time, loc.line) == ("claude", _utc("2026-11-20T10:06:00+00:00"), 6)
    assert loc.snippet == "cd /home/dev/weather-app && pip install reqeusts==2.31.0"
    assert refs["reqeusts"].evidence == "reqeusts==2.31.0"  # the JSON contract's evidence is unchanged
    assert {r.location.agent for r in refs.values()} == {"claude"}
    imported = refs["yaml"].location
    assert imported.snippet is None and imported.time == _utc("2026-11-20T10:08:00+00:00")


def test_codex_locations_carry_agent_time_and_the_whole_continued_command() -> None:
    refs = _refs(EXAMPLES / "codex-session.jsonl")
    loc = refs["axois"].location
    assert (loc.agent, loc.time, loc.line) == ("codex", _utc("2026-11-22T14:32:00+00:00"), 6)
    assert loc.snippet == "npm install axois@^1.7 --save"
    patched = refs["meteo-client"].location  # from an apply_patch of requirements.txt
    assert (patched.agent, patched.time) == ("codex", _utc("2026-11-22T14:33:00+00:00"))


def test_every_transcript_source_is_stamped(tmp_path: Path) -> None:
    lines = [
        {"type": "assistant", "timestamp": "2026-11-20T05:00:00-05:00", "cwd": "/p",
         "message": {"content": [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "ls"}},
                                 {"type": "text", "text": "```bash\nnpm i x\n```"}]}},
        {"type": "assistant", "message": {"content": [{"type": "tool_use", "id": "t2", "name": "Bash",
                                                       "input": {"command": "pip install y"}}]}},
    ]  # fmt: skip
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    sources = [s for s in read_inputs([str(path)]) if isinstance(s, Source)]
    assert [(s.agent, s.time) for s in sources] == [
        ("claude", _utc("2026-11-20T10:00:00+00:00")),
        ("claude", _utc("2026-11-20T10:00:00+00:00")),
        ("claude", None),  # a record without a timestamp
    ]


def test_files_and_diffs_have_no_agent_time_or_snippet(tmp_path: Path) -> None:
    (tmp_path / "setup.sh").write_text("pip install \\\n  reqeusts\n", encoding="utf-8")
    loc = _refs(tmp_path / "setup.sh")["reqeusts"].location
    assert (loc.agent, loc.time, loc.snippet, loc.line) == (None, None, None, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T10:02:00.000Z", "2026-11-20T10:02:00+00:00"),
        ("2026-11-20T05:02:00-05:00", "2026-11-20T10:02:00+00:00"),
        ("2026-11-20T10:02:00", "2026-11-20T10:02:00+00:00"),  # no zone: taken as UTC
        ("yesterday", None),
        ("0001-01-01T00:00:00+01:00", None),  # before year 1 in UTC
        ("2026-11-20T10:02:00Z" + " " * 40, None),
        (1763632920, None),
        (None, None),
    ],
)
def test_record_time(value: object, expected: str | None) -> None:
    when = record_time({"timestamp": value})
    assert (when.isoformat() if when else None) == expected


def test_command_at_joins_continuations_and_stops() -> None:
    lines = ["cd app", "npm install \\", "  a \\", "  b", "echo done"]
    assert command_at(lines, 3) == command_at(lines, 2) == command_at(lines, 4) == "npm install a b"
    assert command_at(lines, 1) == "cd app" and command_at(lines, 0) is None and command_at(lines, 6) is None
    assert command_at(["pip install " + "x" * 1000], 1) == ("pip install " + "x" * 1000)[:SNIPPET]
    endless = ["a \\"] * 10_000
    assert len(command_at(endless, 5000) or "") < SNIPPET + 1


def test_a_source_takes_the_time_of_its_own_record() -> None:
    """User records (with a time that is not one) give no Source; the assistant record's time is the one kept."""
    from slopguard.inputs.claude import claude_sources

    noise = b'{"type":"user","timestamp":"bad","message":{"content":"x"}}\n'
    good = json.dumps(
        {"type": "assistant", "timestamp": "2026-11-20T10:00:00Z",
         "message": {"content": [{"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": "ls"}}]}}
    ).encode()  # fmt: skip
    items = list(claude_sources(io.BytesIO(noise * 3 + good + b"\n"), "s.jsonl"))
    assert [(s.agent, s.time, s.pin_line) for s in items if isinstance(s, Source)] == [
        ("claude", _utc("2026-11-20T10:00:00+00:00"), 4)
    ]
