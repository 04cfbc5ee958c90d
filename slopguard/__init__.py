"""slopguard: a supply-chain guard for the output of AI coding agents.

This module must stay nearly free to import: the agent hook loads the package before every shell command
an agent runs. So the public names are resolved lazily (PEP 562) and nothing is imported up front.
"""

from __future__ import annotations

from slopguard._version import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from typing import Any

    from slopguard.models import Ecosystem, Finding, PackageRef, RegistryRecord, Report, Verdict

__all__ = ["Ecosystem", "Finding", "PackageRef", "RegistryRecord", "Report", "Verdict", "__version__"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from slopguard import models

        return getattr(models, name)
    raise AttributeError(f"module 'slopguard' has no attribute {name!r}")
