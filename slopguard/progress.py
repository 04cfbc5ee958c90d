"""A one-line progress status on a terminal's stderr for long scans; nothing in CI, pipes or files."""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import TextIO


def wanted(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to show progress on `stream`: a terminal, not CI, not a dumb terminal."""
    env = os.environ if env is None else env
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not env.get("CI") and env.get("TERM") != "dumb"


class TerminalProgress:
    """Call it with a status line as work goes on; it shows one only after `delay` seconds (short work stays
    silent), redraws at most every `interval` seconds, and `close()` erases it."""

    def __init__(
        self,
        stream: TextIO,
        *,
        delay: float = 1.0,
        interval: float = 0.1,
        width: int = 100,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.delay = delay
        self.interval = interval
        self.width = width
        self.clock = clock
        self.started = clock()
        self.last = float("-inf")
        self.shown = False

    def __call__(self, text: str) -> None:
        now = self.clock()
        if now - self.started < self.delay or now - self.last < self.interval:
            return
        self.last = now
        self.shown = True
        self.stream.write("\r\x1b[K" + text[: self.width])
        self.stream.flush()

    def close(self) -> None:
        """Erase the status line, if one was shown."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
