"""Streaming JSONL: one record at a time, bounded line length, cheap skipping of lines that cannot matter.

A line is parsed only when `wanted(raw)` says it may hold something of interest (a byte-substring test such as
`b'"assistant"' in raw`: JSON escapes quotes inside strings, so the unescaped token can only be structure or a whole
string value). Other lines are checked for shape only (`{...}`), which still catches truncated and garbage lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from slopguard.errors import InputError
from slopguard.inputs.text import MAX_LINE, skip_rest_of_line
from slopguard.models import Problem, Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

Record = dict[str, Any]
GIVE_UP = 100
"""Lines read before a file none of whose lines is a JSON object is given up on (`InputError`: not read)."""


def json_records(
    stream: BinaryIO, path: str, wanted: Callable[[bytes], bool], max_line: int = MAX_LINE
) -> Iterator[tuple[int, Record] | Problem]:
    """(line number, record) for each wanted JSON object line; Problems for lines that are not JSON objects.

    The loop avoids copying lines (large tool outputs dominate transcripts): the raw line, newline included, is
    tested and parsed as it is.
    """
    readline = stream.readline
    limit = max_line + 1
    number = 0
    good = 0  # lines that looked like JSON objects; none after GIVE_UP lines = not a transcript at all
    while True:
        raw = readline(limit)
        if not raw:
            return
        number += 1
        if not good and number > GIVE_UP:
            raise InputError(
                f"none of the first {GIVE_UP} lines is a JSON object: not a JSONL transcript "
                "(binary or another format); not read"
            )
        if len(raw) > max_line and not raw.endswith(b"\n"):
            yield Problem(path, f"line longer than {max_line} bytes skipped", number, "line-too-long")
            skip_rest_of_line(stream)
            continue
        if not wanted(raw):
            if not (raw.startswith(b"{") and raw.endswith(_OBJECT_ENDS)) and not _object_shaped(raw):
                yield Problem(path, "not a JSON object line (truncated or garbage); skipped", number, "invalid-json")
            elif raw.lstrip()[:1] == b"{":
                good += 1
            continue
        try:
            record = json.loads(raw)
        except (ValueError, RecursionError) as exc:  # includes UnicodeDecodeError; RecursionError: nested too deep
            yield Problem(path, f"invalid JSON line skipped: {_short(exc)}", number, "invalid-json")
            continue
        good += 1
        if not isinstance(record, dict):
            yield Problem(path, "JSON line is not an object; skipped", number, "unexpected-record")
            continue
        yield number, record


def record_time(record: Record) -> datetime | None:
    """The record's `timestamp` (ISO 8601, as both agents write it) in UTC; `None` when absent or not a time."""
    from datetime import datetime, timezone

    value = record.get("timestamp")
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
        return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # not a time; a time that leaves datetime's range in UTC
        return None


def stamped(item: Source | Problem, agent: str, time: datetime | None) -> Source | Problem:
    """`item` with the transcript's `agent` and its record's `time` when it is a Source (a copy of its fields)."""
    if not isinstance(item, Source):
        return item
    copy = object.__new__(Source)
    copy.__dict__.update(item.__dict__, agent=agent, time=time)
    return copy


_OBJECT_ENDS = (b"}\n", b"}\r\n", b"}")


def _object_shaped(raw: bytes) -> bool:
    stripped = raw.strip()
    return not stripped or (stripped[:1] == b"{" and stripped[-1:] == b"}")


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "..."


def peek_kind(head: bytes) -> str | None:
    """`"claude"`, `"codex"` or `None` from the first complete lines of a JSONL file."""
    lines = head.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the last piece may be cut in the middle
    for raw in lines[:50]:
        raw = raw.strip()
        if not raw.startswith(b"{"):
            continue
        try:
            record = json.loads(raw)
        except (ValueError, RecursionError):
            record = None
        if isinstance(record, dict):
            kind = _record_kind(record)
        else:
            kind = _token_kind(raw)
        if kind:
            return kind
    return None


def _record_kind(record: Record) -> str | None:
    rtype = record.get("type")
    if "payload" in record and rtype in ("session_meta", "response_item", "event_msg", "turn_context", "compacted"):
        return "codex"
    if "message" in record and rtype in ("user", "assistant"):
        return "claude"
    if "sessionId" in record or "parentUuid" in record or rtype in ("summary", "file-history-snapshot"):
        return "claude"
    return None


def _token_kind(raw: bytes) -> str | None:
    """Kind from a line too long to fit in the peeked head (its start only)."""
    if raw.startswith(b'{"timestamp"') and (b'"type":"session_meta"' in raw or b'"type":"response_item"' in raw):
        return "codex"
    if b'"parentUuid"' in raw or b'"sessionId"' in raw:
        return "claude"
    return None
