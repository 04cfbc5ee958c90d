"""Stage 5: render a `Report` as text, JSON, SARIF, GitHub workflow commands, Markdown or HTML. Never prints."""

from __future__ import annotations

import enum

from slopguard.models import Report


class OutputFormat(str, enum.Enum):
    """The `--format` choices."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    MARKDOWN = "markdown"
    HTML = "html"


def render(
    report: Report, fmt: OutputFormat | str, *, verbose: bool = False, color: bool = False, quiet: bool = False
) -> str:
    """`report` in format `fmt`, as one string ending in a newline (or empty); `quiet` keeps only the flagged
    lines of the text format."""
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.JSON:
        from slopguard.report.json import render_json

        return render_json(report)
    if fmt is OutputFormat.SARIF:
        from slopguard.report.sarif import render_sarif

        return render_sarif(report)
    if fmt is OutputFormat.GITHUB:
        from slopguard.report.github import render_github

        return render_github(report)
    if fmt is OutputFormat.MARKDOWN:
        from slopguard.report.markdown import render_markdown

        return render_markdown(report)
    if fmt is OutputFormat.HTML:
        from slopguard.report.html import render_html

        return render_html(report)
    from slopguard.report.text import render_text

    return render_text(report, verbose=verbose, color=color, quiet=quiet)
