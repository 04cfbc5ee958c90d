"""The terminal report: one line per flagged package, ok packages counted (listed with `verbose`), then errors."""

from __future__ import annotations

from slopguard.escape import terminal
from slopguard.models import Finding, Report, Verdict
from slopguard.report.common import (
    change_text,
    counts,
    display_name,
    flagged,
    flagged_changes,
    locations,
    message,
    reason_codes,
    where,
)

_COLORS = {Verdict.BLOCK: "\x1b[1;31m", Verdict.WARN: "\x1b[33m", Verdict.OK: "\x1b[32m"}
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"
_MAX_COLUMN = 48


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color and text.strip() else text


def _first_location(finding: Finding) -> str:
    locs = locations(finding)
    if not locs:
        return "-"
    text = where(locs[0][0])
    return f"{text} (+{len(locs) - 1})" if len(locs) > 1 else text


def _row(finding: Finding, verbose: bool) -> tuple[Verdict, str, str, str, list[str]]:
    """Verdict, escaped name, escaped first location, escaped detail, escaped extra location lines."""
    detail = ""
    if finding.verdict is not Verdict.OK or (verbose and finding.reasons):  # -v: an ok package's notes too
        detail = f"{reason_codes(finding)}: {message(finding, first_only=not verbose)}"
    extra = [terminal(where(loc)) + f" ({kind.value})" for loc, kind in locations(finding)[1:]] if verbose else []
    return (
        finding.verdict,
        terminal(display_name(finding)),
        terminal(_first_location(finding)),
        terminal(detail),
        extra,
    )


def _table(findings: list[Finding], *, verbose: bool, color: bool) -> list[str]:
    rows = [_row(f, verbose) for f in findings]
    if not rows:
        return []
    name_w = min(max(len(r[1]) for r in rows), _MAX_COLUMN)
    where_w = min(max(len(r[2]) for r in rows), _MAX_COLUMN)
    lines = []
    for verdict, name, first, detail, extra in rows:
        label = _paint(verdict.value.upper().ljust(5), _COLORS[verdict], color)
        place = first.ljust(where_w) if detail else first
        line = f"{label}  {name.ljust(name_w)}  {_paint(place, _DIM, color)}"
        if detail:
            line += f"  {detail}"
        lines.append(line)
        lines.extend(" " * 7 + _paint(f"also at {e}", _DIM, color) for e in extra)
    return lines


MAX_ERRORS = 20
"""Errors listed without `verbose`; a garbage input should not bury the findings."""


def render_text(report: Report, *, verbose: bool = False, color: bool = False, quiet: bool = False) -> str:
    """`report` as a compact table for a terminal; ANSI colours only when `color` is true. `quiet` keeps the
    flagged lines and a count of input problems only (empty when nothing is flagged and all was read).

    Every string that came from the inputs (names, paths, messages) has its control characters made visible,
    so a name cannot move the cursor, clear the screen or fake another line.
    """
    shown = shown_flagged = flagged(report)
    if verbose:
        shown = shown + [f for f in report.findings if f.verdict is Verdict.OK]
    lines = _table(shown, verbose=verbose, color=color)
    changes = flagged_changes(report)
    for change in changes:
        label = _paint(change.verdict.value.upper().ljust(5), _COLORS[change.verdict], color)
        place = _paint(terminal(where(change.location)), _DIM, color)
        lines.append(f"{label}  {change.code}  {place}  {terminal(change_text(change))}")
    if quiet:
        if report.errors:
            lines.append(f"{len(report.errors)} input problem{'s' if len(report.errors) != 1 else ''} (run without -q)")
        return "".join(line + "\n" for line in lines)
    tally = counts(report)
    if report.findings:
        parts = [f"{tally[v]} {v.value}" for v in (Verdict.BLOCK, Verdict.WARN) if tally[v]]
        parts.append(f"{tally[Verdict.OK]} ok")
        summary = ", ".join(parts)
        if not verbose and tally[Verdict.OK]:
            summary += " (-v lists them)"
        lines.append(summary)
    elif report.inputs or not report.errors:
        lines.append("no package references found")
    if changes:
        lines.append(f"{len(changes)} changed setting line{'s' if len(changes) != 1 else ''} to review")
    if changes or shown_flagged:
        code = next((r.code for f in shown_flagged for r in f.reasons), changes[0].code if changes else "not-found")
        hint = f"slopguard explain {terminal(code)}: what a code means, how to allow a false positive (-q: less output)"
        lines.append(_paint(hint, _DIM, color))
    if report.errors:
        lines.append(f"{len(report.errors)} error{'s' if len(report.errors) != 1 else ''}:")
        shown_errors = report.errors if verbose else report.errors[:MAX_ERRORS]
        for problem in shown_errors:
            place = f"{problem.path}:{problem.line}" if problem.line else problem.path
            lines.append(f"  - {terminal(place)}: {terminal(problem.message)} [{terminal(problem.code)}]")
        if len(shown_errors) < len(report.errors):
            lines.append(f"  ... and {len(report.errors) - len(shown_errors)} more (-v lists them all)")
    return "\n".join(lines) + "\n"
