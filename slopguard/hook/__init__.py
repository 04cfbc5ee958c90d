"""Agent hooks (Claude Code, Codex, Gemini CLI, Cursor): check a tool call before it runs, install the hook.

`run_hook()` answers one hook call; `install_hook()` adds slopguard to an agent's settings. The command
line reaches `run_hook` through `slopguard.hook.fastmain`, which decides "no install here" before importing
anything heavy. This package resolves its public names lazily (PEP 562), so importing `fastmain` costs
nothing more than `fastmain` itself.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from typing import Any

    from slopguard.hook.install import InstallResult, install_hook
    from slopguard.hook.result import HookResult
    from slopguard.hook.run import run_hook

__all__ = ["HookResult", "InstallResult", "install_hook", "run_hook"]

_HOME = {
    "HookResult": "slopguard.hook.result",
    "InstallResult": "slopguard.hook.install",
    "install_hook": "slopguard.hook.install",
    "run_hook": "slopguard.hook.run",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'slopguard.hook' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
