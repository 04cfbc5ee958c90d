"""The Markdown summary for `$GITHUB_STEP_SUMMARY` and PR comments: a table of flagged packages, counts, errors.

Every name, path and message passes through `escape.markdown`/`escape.markdown_code`: Markdown, HTML and
`@mentions` in a package name render as plain text. The only HTML in the output is what this module writes.
"""

from __future__ import annotations

from slopguard.escape import markdown, markdown_code
from slopguard.models import Finding, Report, Verdict
from slopguard.report.common import ECOSYSTEM_LABEL, counts, flagged, flagged_changes, locations, where

MAX_ROWS = 200
"""Flagged packages listed in the table; GitHub caps a step summary at 1 MiB."""
MAX_TABLE_CHARS = 600_000
"""Characters of table rows at most, whatever the rows hold (names from agent output can be long)."""
MAX_LOCATIONS = 3
_BADGE = {Verdict.BLOCK: "🛑 block", Verdict.WARN: "⚠️ warn", Verdict.OK: "✅ ok"}


def _reason(finding: Finding) -> str:
    parts = [f"**{markdown(r.code)}**: {markdown(r.message)}" for r in finding.reasons]
    if finding.suggestion:
        mentioned = any("did you mean" in r.message.lower() for r in finding.reasons)
        if not mentioned:
            parts.append(f"did you mean {markdown_code(finding.suggestion)}?")
    return "<br>".join(parts) or markdown(finding.verdict.value)


def _where(finding: Finding) -> str:
    places = [markdown_code(where(loc)) for loc, _ in locations(finding)]
    shown = places[:MAX_LOCATIONS]
    if len(places) > MAX_LOCATIONS:
        shown.append(f"and {len(places) - MAX_LOCATIONS} more")
    return "<br>".join(shown) or "–"


def _row(finding: Finding) -> str:
    cells = [
        markdown_code(finding.name),
        ECOSYSTEM_LABEL[finding.ecosystem],
        _BADGE[finding.verdict],
        _reason(finding),
        _where(finding),
    ]
    return "| " + " | ".join(cells) + " |"


def _headline(report: Report) -> str:
    tally = counts(report)
    verdict = report.verdict
    parts = []
    if tally[Verdict.BLOCK]:
        parts.append(f"{tally[Verdict.BLOCK]} package(s) blocked")
    if tally[Verdict.WARN] and verdict is Verdict.WARN:
        parts.append(f"{tally[Verdict.WARN]} package(s) to review")
    changed = len(flagged_changes(report))
    if changed:
        parts.append(f"{changed} changed setting(s) to review")
    return f"### slopguard: {_BADGE[verdict]}" + (" — " + ", ".join(parts) if parts else "")


def _changes(report: Report) -> list[str]:
    """A list of the lines that change slopguard's settings or a package index, with why it matters."""
    changes = flagged_changes(report)
    if not changes:
        return []
    lines = ["", f"**{len(changes)} changed setting line(s)** (never taken from a change under review):", ""]
    for change in changes[:MAX_ROWS]:
        place = markdown_code(where(change.location))
        shown = f" {markdown_code(change.evidence)}" if change.evidence else ""
        lines.append(
            f"- {_BADGE[change.verdict]} **{markdown(change.code)}** {place}{shown}: {markdown(change.message)}"
        )
    if len(changes) > MAX_ROWS:
        lines.append(f"- … and {len(changes) - MAX_ROWS} more: see the JSON report.")
    return lines


def render_markdown(report: Report) -> str:
    """`report` as GitHub-flavoured Markdown: headline, counts, a table of flagged packages, ok list, errors."""
    tally = counts(report)
    lines = [_headline(report), ""]
    if not report.findings:
        lines.append("No package references found in the inputs.")
    else:
        lines.append(
            f"**{tally[Verdict.BLOCK]}** blocked, **{tally[Verdict.WARN]}** to review, "
            f"{tally[Verdict.OK]} ok ({len(report.findings)} distinct packages)."
        )
    bad = flagged(report)
    if bad:
        lines += ["", "| Package | Ecosystem | Verdict | Reason | Where |", "| --- | --- | --- | --- | --- |"]
        shown, size = 0, 0
        for finding in bad[:MAX_ROWS]:
            row = _row(finding)
            size += len(row) + 1
            if size > MAX_TABLE_CHARS:
                break
            lines.append(row)
            shown += 1
        if len(bad) > shown:
            lines += ["", f"… and {len(bad) - shown} more flagged packages: see the JSON report."]
    lines += _changes(report)
    ok = [f for f in report.findings if f.verdict is Verdict.OK]
    if ok:
        names = ", ".join(markdown_code(f"{f.ecosystem.value}:{f.name}") for f in ok[:MAX_ROWS])
        if len(ok) > MAX_ROWS:
            names += f" and {len(ok) - MAX_ROWS} more"
        lines += ["", f"<details><summary>{len(ok)} ok package(s)</summary>", "", names, "", "</details>"]
    if report.errors:
        lines += ["", f"**{len(report.errors)} input(s) could not be read:**", ""]
        for problem in report.errors[:MAX_ROWS]:
            place = f"{problem.path}:{problem.line}" if problem.line else problem.path
            lines.append(f"- {markdown_code(place)}: {markdown(problem.message)}")
    return "\n".join(lines) + "\n"
