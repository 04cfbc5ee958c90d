"""What a hook run hands back to the command line: the text for stdout and stderr, and the exit code."""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: on every hook call that checks something
if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same frozen dataclass, built without `dataclasses` at import (see slopguard._frozen)
    from slopguard._frozen import dataclass


@dataclass(frozen=True)
class HookResult:
    """The agent's reply: print `stdout` and `stderr` as they are (either may be empty), exit with `exit_code`."""

    stdout: str
    stderr: str
    exit_code: int

    def __init__(self, stdout: str, stderr: str, exit_code: int) -> None:
        self.__dict__.update(stdout=stdout, stderr=stderr, exit_code=exit_code)
