"""GitHub Actions workflow commands: an `::error`/`::warning` annotation per flagged package location.

Ref: https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
Untrusted text is made visible (`escape.terminal`) and then escaped as workflow-command data or property
(`escape.workflow_data` / `escape.workflow_property`), so a name such as `evil%0A::error::pwned` stays one line
of text inside the annotation and can never start a command of its own.
"""

from __future__ import annotations

from slopguard.escape import terminal, workflow_data, workflow_property
from slopguard.models import Finding, Location, Problem, Report, SettingChange, Verdict
from slopguard.report.common import (
    change_text,
    display_name,
    flagged,
    flagged_changes,
    is_file_path,
    locations,
    message,
    reason_codes,
)

_COMMAND = {Verdict.BLOCK: "error", Verdict.WARN: "warning"}


def _properties(location: Location | None, title: str) -> str:
    props: list[tuple[str, str]] = []
    if location is not None and is_file_path(location.path):
        props.append(("file", location.path.replace("\\", "/")))
        if location.line:
            props.append(("line", str(max(1, location.line))))
            if location.column:
                props.append(("col", str(max(1, location.column))))
    props.append(("title", title))
    return ",".join(f"{key}={workflow_property(terminal(value))}" for key, value in props)


def command(kind: str, message_text: str, *, location: Location | None = None, title: str = "") -> str:
    """One workflow command line `::KIND props::message`, every value escaped (no trailing newline)."""
    return f"::{kind} {_properties(location, title)}::{workflow_data(terminal(message_text))}"


def _finding_lines(finding: Finding) -> list[str]:
    kind = _COMMAND[finding.verdict]
    title = f"slopguard {finding.verdict.value}: {display_name(finding)} ({reason_codes(finding)})"
    text = message(finding)
    places: list[Location | None] = [loc for loc, _ in locations(finding)] or [None]
    return [command(kind, text, location=loc, title=title) for loc in places]


def _change_line(change: SettingChange) -> str:
    title = f"slopguard {change.verdict.value}: {change.code}"
    return command(_COMMAND[change.verdict], change_text(change), location=change.location, title=title)


def _problem_line(problem: Problem) -> str:
    where = Location(problem.path, problem.line)
    text = f"{problem.path}: {problem.message}" if not is_file_path(problem.path) else problem.message
    return command("warning", text, location=where, title=f"slopguard could not read input ({problem.code})")


def render_github(report: Report) -> str:
    """`report` as workflow commands, one line per flagged location, per changed setting
    line and per input error (empty when clean)."""
    lines: list[str] = []
    for finding in flagged(report):
        lines.extend(_finding_lines(finding))
    lines.extend(_change_line(c) for c in flagged_changes(report))
    lines.extend(_problem_line(p) for p in report.errors)
    return "".join(line + "\n" for line in lines)
