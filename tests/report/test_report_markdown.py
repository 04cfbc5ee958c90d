"""The Markdown step summary: a well-formed table in which names render as text."""

from __future__ import annotations

import re

from report_samples import EVIL_NAMES  # type: ignore[import-not-found]

from slopguard.models import Ecosystem, Finding, Reason, Report, Verdict
from slopguard.report.markdown import MAX_ROWS, MAX_TABLE_CHARS, render_markdown

_OWN_TAGS = {"<code>", "</code>", "<br>", "<details>", "</details>", "<summary>", "</summary>"}


def unescaped_pipes(row: str) -> int:
    """Cell separators as GFM's table parser counts them: a pipe right after a backslash is escaped."""
    return len(re.findall(r"(?<!\\)\|", row))


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_summary_headline_counts_and_table(sample_report: Report) -> None:
    out = render_markdown(sample_report)
    assert out.startswith("### slopguard: 🛑 block — 9 package(s) blocked\n")
    assert "**9** blocked, **12** to review, 3 ok (24 distinct packages)." in out
    rows = _table_rows(out)
    assert rows[0] == "| Package | Ecosystem | Verdict | Reason | Where |"
    assert len(rows) == 2 + 21  # header, delimiter, one row per flagged package
    row = next(r for r in rows if "<code>reqeusts</code>" in r)
    assert row == (
        "| <code>reqeusts</code> | PyPI | 🛑 block | **not-found**: &#39;reqeusts&#39; trips not-found<br>"
        "**known-hallucination**: &#39;reqeusts&#39; trips known-hallucination<br>"
        "did you mean <code>requests</code>? | "
        "<code>requirements.txt\\:3</code><br><code>app/main.py\\:7</code><br>"
        "<code>app/other.py\\:2</code><br>and 1 more |"
    )
    assert "<summary>3 ok package(s)</summary>" in out and "<code>pypi\\:numpy</code>" in out
    assert "**2 input(s) could not be read:**" in out


def test_every_row_has_five_cells_even_under_attack(injection_report: Report) -> None:
    for report_rows in (_table_rows(render_markdown(injection_report)),):
        assert len(report_rows) == 2 + len(EVIL_NAMES)
        for row in report_rows:
            assert unescaped_pipes(row) == 6, row


def test_no_html_but_our_own_and_no_live_links(injection_report: Report) -> None:
    out = render_markdown(injection_report)
    assert set(re.findall(r"<[^>]*>", out)) <= _OWN_TAGS
    assert "<script" not in out and "</td>" not in out
    assert not re.search(r"(?<!\\)\]\(", out)  # no [text](url) link or image can form
    assert not re.search(r"(?<!\\)!\[", out)
    assert "\x1b" not in out and "\u202e" not in out


def test_mentions_are_defused_outside_code(injection_report: Report) -> None:
    out = render_markdown(injection_report)
    outside_code = re.sub(r"<code>.*?</code>", "", out)
    assert "@octocat" not in outside_code
    assert "@&#8203;octocat/team" in outside_code
    assert "<code>@octocat/team</code>" in out


def test_clean_and_empty_reports() -> None:
    out = render_markdown(Report())
    assert out == "### slopguard: ✅ ok\n\nNo package references found in the inputs.\n"


def test_long_reports_are_capped(sample_report: Report) -> None:
    many = Report(tuple(sample_report.findings[:1]) * (MAX_ROWS + 5))
    out = render_markdown(many)
    assert len(_table_rows(out)) == 2 + MAX_ROWS
    assert "… and 5 more flagged packages" in out


def test_huge_names_cannot_blow_the_summary_size_limit() -> None:
    big = tuple(
        Finding(Ecosystem.NPM, f"{i}" + "x" * 20_000, (), None, Verdict.BLOCK, (Reason("invalid-name", "y" * 20_000),))
        for i in range(100)
    )
    out = render_markdown(Report(big))
    assert len(out.encode("utf-8")) < 1024 * 1024  # GitHub's step summary limit
    assert len(out) <= MAX_TABLE_CHARS + 10_000
    assert "more flagged packages: see the JSON report." in out
