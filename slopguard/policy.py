"""Policy: an `Assessment`'s reason codes and the settings in, one verdict (ok / warn / block) out."""

from __future__ import annotations

from slopguard.config import Settings, list_match
from slopguard.models import Ecosystem, Reason, Verdict

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from typing import Protocol

    class Assessment(Protocol):
        """What `decide` reads of `slopguard.rules.Assessment` (a stage never imports another stage)."""

        @property
        def reasons(self) -> tuple[Reason, ...]: ...


BLOCK_ALONE = frozenset(
    {
        "not-found",
        "invalid-name",
        "known-malicious",
        "compromised-version",
        "registered-after-missing",
        "unresolvable-import",
        "quarantined",
        "unpublished",
        "denied",
    }
)
"""Codes that block on their own."""

WARN_ALONE = frozenset(
    {
        "typosquat",
        "new-package",
        "deprecated",
        "non-registry-source",
        "extra-index-url",
        "unverified-index",
        "known-hallucination",
        "yanked",
        "archived",
        "compromised-versions",
        "version-not-found",
    }
)
"""Codes that warn on their own (a combination may block)."""

INFO = frozenset({"allowed", "private", "skipped", "few-releases", "no-repository", "known-popular", "look-alike"})
"""Codes shown to the developer that never raise the verdict alone."""

YOUNG = frozenset({"new-package", "few-releases", "registered-after-missing"})
"""Codes saying the package has little history: with `typosquat` or `known-hallucination` they block."""


def decide(ecosystem: Ecosystem, name: str, assessment: Assessment, settings: Settings) -> Verdict:
    """The verdict for `name`: allow/deny lists first, then the worst verdict any code or combination earns.

    Unknown codes warn, so a new signal is never silently ok. `registry-unavailable` follows
    `settings.on_unknown` (`allow` is the user's explicit choice).
    """
    if list_match(settings.deny, ecosystem, name):
        return Verdict.BLOCK
    if list_match(settings.allow, ecosystem, name):
        return Verdict.OK
    codes = {r.code for r in assessment.reasons}
    if codes & BLOCK_ALONE:
        return Verdict.BLOCK
    if codes & {"typosquat", "known-hallucination"} and codes & YOUNG:
        return Verdict.BLOCK
    verdict = Verdict.OK
    if "registry-unavailable" in codes:
        verdict = {"block": Verdict.BLOCK, "allow": Verdict.OK}.get(settings.on_unknown, Verdict.WARN)
        if verdict is Verdict.BLOCK:
            return verdict
    others = codes - {"registry-unavailable"} - INFO
    if others:
        verdict = Verdict.WARN
    return verdict
