"""Files stay inside the project: the one rule for every file slopguard opens because untrusted text named it.

Inputs (transcripts, diffs, pull requests, hook payloads) name files: `-r`/`-c` includes, `cd` targets, `xargs -a`
files, the folder a session ran in. Each such name is checked here, after symbolic links, against the *root* of
its input: the repository (nearest enclosing `.git`) of the scanned tree, of the current folder for a diff, of
the transcript's or hook payload's working directory. A name that leads elsewhere (an absolute path outside the
root, a `..` escape, `~`, `/proc`, `/dev`, `/sys`, a link out) or to something that is not a plain file (a FIFO,
a device) is `Refused`: not opened, and the caller reports why with the code `outside-project`.

Paths the user gives on the command line are trusted and never come through here. Imports nothing heavy: the
agent hook uses it.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook loads this module on install commands
if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import TypeVar

    from slopguard.models import Source

    T = TypeVar("T")
else:  # a frozen dataclass built without `dataclasses` at import
    from slopguard._frozen import dataclass

NOWHERE = ""
"""The root of an input whose project folder is unknown (no cwd, or `/`): nothing lies inside it."""
MAX_UP = 32
"""How many folders above a working directory are searched for its repository (`.git`)."""
OUTSIDE = "outside-project"
"""The problem code of a refused name."""
_SYSTEM = ("/proc", "/dev", "/sys")


@dataclass(frozen=True)
class Refused:
    """A name that was not opened, and why (a clause that completes "not read: ...")."""

    reason: str
    code: str = OUTSIDE

    def __init__(self, reason: str, code: str = OUTSIDE) -> None:
        self.__dict__.update(reason=reason, code=code)


def _system(path: str) -> bool:
    return any(path == top or path.startswith(top + "/") for top in _SYSTEM)


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def project_root(folder: str | os.PathLike[str] | None) -> str:
    """The root for inputs that ran in `folder`: its nearest enclosing repository (a `.git` at most `MAX_UP`
    folders up), else `folder` itself, after symbolic links. `NOWHERE` for no folder, a relative one, `/`,
    or a folder under `/proc`, `/dev` or `/sys`."""
    if folder is None:
        return NOWHERE
    text = os.fspath(folder)
    if not text or "\x00" in text or not os.path.isabs(text) or _system(os.path.normpath(text)):
        return NOWHERE
    try:
        real = os.path.realpath(text)
    except (OSError, ValueError):
        return NOWHERE
    if os.path.dirname(real) == real or _system(real):
        return NOWHERE
    here = real
    for _ in range(MAX_UP + 1):
        parent = os.path.dirname(here)
        if parent == here:
            break
        try:
            if os.path.lexists(os.path.join(here, ".git")):
                return here
        except (OSError, ValueError):
            break
        here = parent
    return real


def with_root(item: T, root: str) -> T:
    """`item` with `root`, when it is a `Source` whose reader set none; anything else as it is. (A copy of its
    fields, not `dataclasses.replace`: importing `dataclasses` costs the hook ~15 ms.)"""
    from slopguard.models import Source

    if not isinstance(item, Source) or item.root is not None:
        return item
    copy = object.__new__(Source)
    copy.__dict__.update(item.__dict__, root=root)
    return copy  # type: ignore[return-value]


def root_of(source: Source) -> str:
    """The root of `source`: the one its reader set, else the project of its `cwd`, else (a file the user gave,
    scanned alone) the project of the file's own folder; `NOWHERE` when none of these is known."""
    if source.root is not None:
        return source.root
    if source.cwd:
        return project_root(source.cwd)
    try:
        if os.path.isfile(source.path):
            return project_root(os.path.dirname(os.path.abspath(source.path)))
    except (OSError, ValueError):
        pass
    return NOWHERE


def inside(name: str, folder: str | None, root: str) -> str | Refused:
    """The real path of `name` (as written; relative names are taken from `folder`) when it lies inside `root`
    and is a plain file, a folder or nothing yet; else `Refused`. Only the path is looked at, never the content."""
    if not root:
        return Refused("no project folder is known for this input, so no file it names is read")
    if name.startswith("~"):
        return Refused("a path in a home folder (~) is outside the project folder")
    if "\x00" in name:
        return Refused("the name holds a NUL character", "input-error")
    if not os.path.isabs(name) and not folder:
        return Refused("the command's working directory is unknown", "input-error")
    lexical = os.path.abspath(os.path.join(folder or "", name))
    if _system(lexical):
        return Refused(f"{lexical} is in a system folder (/proc, /dev, /sys), outside the project folder")
    try:
        real = os.path.realpath(lexical)
        real_root = os.path.realpath(root)
    except (OSError, ValueError):
        return Refused("the path cannot be resolved", "input-error")
    if _system(real) or not _under(real, real_root):
        if _under(lexical, root) or _under(lexical, real_root):
            return Refused(f"{lexical} is a symbolic link that leads outside the project folder {root}")
        return Refused(f"{lexical} is outside the project folder {root}")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return real  # missing: the caller says "not found" as for any other missing file
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Refused(f"{lexical} is not a plain file (a FIFO, socket or device)")
    return real
