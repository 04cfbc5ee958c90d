"""`xargs CMD` whose arguments come from a file: `xargs -a FILE CMD`, `xargs CMD < FILE`, `cat FILE | xargs CMD`.

Agents install a requirements list this way (`cat requirements.txt | xargs -n 1 pip install`). The file's words
become the command's arguments, as xargs makes them; comments are dropped, since that is what such a line means.
The file is read where the command runs (`Sink.cwd`); one that cannot be read is a problem, not a guess.
"""

from __future__ import annotations

import os

from slopguard.extract.shell_common import Arg, Node, ShellText, Sink
from slopguard.models import INCOMPLETE

MAX_WORDS = 10_000
"""Words taken from one file (the rest are left out with a problem)."""
MAX_BYTES = 5_000_000


def stdin_file(node: Node, shell: ShellText) -> Arg | None:
    """The file a command node reads on stdin: a `< FILE` on it, or `cat FILE |` just before it."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "redirected_statement":
        for child in parent.children:
            if child.type == "file_redirect" and child.child_count >= 2 and child.children[0].type == "<":
                return shell.arg(child.children[1])
        return None
    if parent.type != "pipeline":
        return None
    commands = [c for c in parent.children if c.type == "command"]
    place = next((i for i, c in enumerate(commands) if c.start_byte == node.start_byte), 0)
    if place == 0:
        return None
    before = [c for c in commands[place - 1].children if c.type != "file_redirect"]
    if len(before) == 2 and shell.of(before[0]) == "cat":
        return shell.arg(before[1])
    return None


def file_words(arg: Arg, sink: Sink) -> list[Arg]:
    """The words of the file `arg` names, each placed at `arg`; a problem and no words when it cannot be read."""
    if arg.value is None:
        return []
    if sink.cwd is None and not os.path.isabs(arg.value):
        why = f" {sink.moved}" if sink.moved else ""
        sink.problem(arg, f"argument file {arg.value!r} not read: the command's working directory is unknown{why}")
        return []
    path = sink.inside(arg, sink.cwd, "argument file")
    if path is None:
        return []
    try:
        if os.path.getsize(path) > MAX_BYTES:
            sink.problem(arg, f"argument file {arg.value!r} larger than {MAX_BYTES:,} bytes; not read", INCOMPLETE)
            return []
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        sink.problem(arg, f"argument file {arg.value!r} not read: {exc.strerror or exc}")
        return []
    words = [w for line in text.splitlines() for w in line.split("#", 1)[0].split()]
    if len(words) > MAX_WORDS:
        sink.problem(
            arg, f"argument file {arg.value!r} has more than {MAX_WORDS} words; the rest were not checked", INCOMPLETE
        )
    return [Arg(word, arg.text, arg.line, arg.column) for word in words[:MAX_WORDS]]
