"""Progress on a terminal for long scans: silent for short work, in CI and in pipes; erased at the end."""

from __future__ import annotations

import io
from pathlib import Path

from slopguard.check import scan
from slopguard.config import Settings
from slopguard.progress import TerminalProgress, wanted

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "claude-session.jsonl"


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_only_after_the_delay_throttled_and_erased() -> None:
    out, clock = io.StringIO(), _Clock()
    status = TerminalProgress(out, delay=1.0, interval=0.1, clock=clock)
    status("early")
    assert out.getvalue() == ""  # short work stays silent
    clock.now = 1.5
    status("one")
    status("two")  # within the interval: not redrawn
    clock.now = 1.7
    status("three")
    assert out.getvalue() == "\r\x1b[Kone\r\x1b[Kthree"
    status.close()
    assert out.getvalue().endswith("three\r\x1b[K")


def test_nothing_to_erase_when_nothing_was_shown() -> None:
    out = io.StringIO()
    TerminalProgress(out, clock=_Clock()).close()
    assert out.getvalue() == ""


def test_wanted_only_on_an_interactive_terminal() -> None:
    assert wanted(_Terminal(), {})
    assert not wanted(_Terminal(), {"CI": "true"})
    assert not wanted(_Terminal(), {"TERM": "dumb"})
    assert not wanted(io.StringIO(), {})


def test_scan_reports_progress_without_names(tmp_path: Path) -> None:
    seen: list[str] = []
    report = scan([str(EXAMPLE)], Settings(offline=True, use_cache=False, cache_dir=tmp_path), progress=seen.append)
    assert report.findings
    assert seen and "waiting for the registries" in seen[-1]
    assert not any("reqeusts" in line or "claude-session" in line for line in seen)
