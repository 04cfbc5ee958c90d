"""Tool calls that would change slopguard's settings or the project's registries: agents do not configure their guard.

The hook reads its settings from the project the agent works in (`.slopguard.toml`, `[tool.slopguard]`) and
the project's `.npmrc` registries. An agent that rewrites them (`echo '[allow]…' > .slopguard.toml`, an Edit
of `pyproject.toml` adding `[tool.slopguard]`, `npm config set registry …`) would decide what later calls are
allowed, so such a call gets `on-setting-change` (warn: "ask"; block: "deny") whatever else it does. The test is
lexical and linear: a command that names one of these files and may write (a redirect, `tee`, `sed -i`, `cp`,
`mv`, an interpreter, ...), or an edit of one of them.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from slopguard.hook.protocols import Call

_NAMED = re.compile(r"\.slopguard\.toml|tool\.slopguard|\.npmrc", re.IGNORECASE)
_WRITES = re.compile(
    r">|\b(?:tee|sed|cp|mv|ln|rm|dd|truncate|install|touch|patch|perl|ruby|node|python[0-9.]*|awk|ed|ex|vi|vim"
    r"|nano|chmod)\b|\bgit\s+(?:checkout|restore|apply|am|reset|stash|pull|merge|rebase|cherry-pick|mv|rm)\b"
)
_NPM_CONFIG = re.compile(r"\b(?:npm|pnpm|yarn|bun)\s+config\s+(?:set|delete|edit)\b[^\n;&|]*registry", re.IGNORECASE)
_FILES = (".slopguard.toml", ".npmrc")


def settings_change(call: Call) -> str | None:
    """What in `call` may change slopguard's settings or the project's registries (for the message), or `None`."""
    if call.command is not None:
        command = call.command
        if _NPM_CONFIG.search(command):
            return "an npm registry setting (`npm config set … registry`)"
        named = _NAMED.search(command)
        if named and _WRITES.search(command):
            return f"`{named.group(0)}`"
        return None
    for edit in call.edits:
        base = edit.path.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if base in _FILES:
            return f"`{base}`"
        if (base == "pyproject.toml" or edit.patch) and "tool.slopguard" in edit.text:
            return "`[tool.slopguard]`"
        if edit.patch and _NAMED.search(edit.text):
            return "a settings file in the patch"
    return None


def message(what: str, verdict: str) -> str:
    """The words for the agent when a call would change `what`."""
    if verdict == "block":
        return (
            f"slopguard blocked this: it would change {what}, which configures the package guard. An agent does not "
            "change its own guard's settings or registries; tell the user what you wanted to change and why."
        )
    return (
        f"slopguard asks first: this would change {what}, which configures the package guard (its allow list, "
        "registries or policy). Only the user should change these; say what you want to change and why."
    )
