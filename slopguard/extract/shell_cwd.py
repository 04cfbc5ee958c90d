"""Where a shell command runs: `cd` / `pushd` / `popd` followed through a script, scoped to subshells."""

from __future__ import annotations

import os

from slopguard.extract.shell_common import Arg, Sink

SUBSHELLS = frozenset({"subshell", "command_substitution", "process_substitution"})
CD = "after `cd` to a folder slopguard cannot follow"
ELSEWHERE = "in a container or on another host"


class Restore:
    """A marker on the walk's stack: where the working directory was when a subshell began."""

    __slots__ = ("cwd", "moved", "dirs")

    def __init__(self, sink: Sink) -> None:
        self.cwd, self.moved, self.dirs = sink.cwd, sink.moved, list(sink.dirs)

    def restore(self, sink: Sink) -> None:
        sink.cwd, sink.moved, sink.dirs = self.cwd, self.moved, self.dirs


def change_dir(sink: Sink, cmd: str, args: list[Arg]) -> None:
    """Follow `cd DIR` / `pushd DIR` / `popd`, so a later `pip install -r FILE` reads FILE where it runs.
    A folder that cannot be known (`cd $DIR`, `cd -`, a relative one from an unknown place) makes it unknown."""
    if sink.moved == ELSEWHERE:
        return  # on another machine every folder is that machine's: nothing here to read
    if cmd == "popd":
        if sink.dirs:
            sink.cwd, sink.moved = sink.dirs.pop(), CD
        return
    words = [a for a in args if a.value is None or a.value == "-" or not a.value.startswith("-")]
    target = words[0].value if words else "~"
    base = sink.folder()
    new: str | None = None
    if target is not None and target != "-" and "$" not in target and "`" not in target:
        target = os.path.expanduser(target)
        if os.path.isabs(target):
            new = os.path.normpath(target)
        elif base is not None:
            new = os.path.normpath(os.path.join(base, target))
    if cmd == "pushd":
        sink.dirs.append(sink.cwd)
    sink.cwd, sink.moved = new, CD


def away(sink: Sink) -> None:
    """The command runs in a container or on another host: its files are not this machine's."""
    sink.cwd, sink.moved, sink.dirs = None, ELSEWHERE, []
