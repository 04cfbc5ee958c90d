"""What a hook run hands back to the command line: the text for stdout and stderr, and the exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HookResult:
    """The agent's reply: print `stdout` and `stderr` as they are (either may be empty), exit with `exit_code`."""

    stdout: str
    stderr: str
    exit_code: int
