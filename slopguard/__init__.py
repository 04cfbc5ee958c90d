"""slopguard: a supply-chain guard for the output of AI coding agents.

This module must stay cheap to import (the agent hook loads it before every shell command), so it
re-exports only the light vocabulary; heavy modules are imported where they are used.
"""

from slopguard._version import __version__
from slopguard.models import Ecosystem, Finding, PackageRef, RegistryRecord, Report, Verdict

__all__ = ["Ecosystem", "Finding", "PackageRef", "RegistryRecord", "Report", "Verdict", "__version__"]
