"""Helpers the human-facing reporters share: which findings are flagged, their distinct locations, counts, wording.

Nothing here escapes: each reporter escapes for its own medium (see `slopguard.escape`).
"""

from __future__ import annotations

from slopguard.models import Ecosystem, Finding, Location, RefKind, Report, SettingChange, Verdict

ECOSYSTEM_LABEL = {Ecosystem.PYPI: "PyPI", Ecosystem.NPM: "npm", Ecosystem.GO: "Go"}


def flagged(report: Report) -> list[Finding]:
    """Findings with a `warn` or `block` verdict, blocks first (the order `check` already sorts them in)."""
    found = [f for f in report.findings if f.verdict is not Verdict.OK]
    return sorted(found, key=lambda f: -f.verdict.rank)


def counts(report: Report) -> dict[Verdict, int]:
    """How many findings have each verdict."""
    result = dict.fromkeys(Verdict, 0)
    for finding in report.findings:
        result[finding.verdict] += 1
    return result


def locations(finding: Finding) -> list[tuple[Location, RefKind]]:
    """The distinct places `finding` was referenced, in report order (same rule as the JSON report)."""
    seen: set[tuple[str, int | None, int | None, RefKind, str | None]] = set()
    out: list[tuple[Location, RefKind]] = []
    for ref in finding.refs:
        loc = ref.location
        key = (loc.path, loc.line, loc.column, ref.kind, loc.detail)
        if key not in seen:
            seen.add(key)
            out.append((loc, ref.kind))
    return out


def where(location: Location) -> str:
    """`path:line` (or just `path`) for display."""
    return f"{location.path}:{location.line}" if location.line else location.path


def is_file_path(path: str) -> bool:
    """Whether `path` names a file (not stdin `-`, not a pseudo path such as `<command line>` or the label of a
    git range, `git:BASE...HEAD`)."""
    return bool(path) and path != "-" and not path.startswith(("<", "git:"))


def reason_codes(finding: Finding) -> str:
    """The reason codes of `finding`, comma-separated (`not-found, typosquat`), or the verdict when none."""
    return ", ".join(r.code for r in finding.reasons) or finding.verdict.value


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def message(finding: Finding, *, first_only: bool = False) -> str:
    """One sentence or a few about `finding`: every reason's message (or the first), then the suggestion."""
    parts = [_sentence(r.message) for r in finding.reasons if r.message.strip()]
    if first_only:
        parts = parts[:1]
    if not parts:
        parts.append(f"{finding.verdict.value}: {finding.name}.")
    if finding.suggestion and not any("did you mean" in p.lower() for p in parts):
        parts.append(f"Did you mean {finding.suggestion}?")
    return " ".join(parts)


def display_name(finding: Finding) -> str:
    """`ecosystem:name`, the form `slopguard check` accepts."""
    return f"{finding.ecosystem.value}:{finding.name}"


def change_text(change: SettingChange) -> str:
    """The message of a setting change, with the changed line when there is one (not escaped)."""
    return f"{change.message} Line: {change.evidence}" if change.evidence else change.message


def flagged_changes(report: Report) -> list[SettingChange]:
    """Setting changes with a `warn` or `block` verdict, blocks first."""
    return sorted((c for c in report.changes if c.verdict is not Verdict.OK), key=lambda c: -c.verdict.rank)
