"""The terminal table: flagged packages one per line, ok counted, colour only when asked."""

from __future__ import annotations

import re

from report_samples import EVIL_NAMES  # type: ignore[import-not-found]

from slopguard.models import Report
from slopguard.report.text import render_text

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_one_line_per_flagged_package_and_ok_counted(sample_report: Report) -> None:
    lines = render_text(sample_report).splitlines()
    flagged = [line for line in lines if line.startswith(("BLOCK", "WARN"))]
    assert len(flagged) == 21
    assert flagged[0].startswith("BLOCK")
    assert all(f.startswith("BLOCK") for f in flagged[:9]) and all(f.startswith("WARN") for f in flagged[9:])
    row = next(line for line in flagged if "pypi:reqeusts" in line)
    assert re.fullmatch(
        r"BLOCK  pypi:reqeusts +requirements\.txt:3 \(\+3\) +not-found, known-hallucination: "
        r"'reqeusts' trips not-found\. Did you mean requests\?",
        row,
    )
    assert "9 block, 12 warn, 3 ok (-v lists them)" in lines
    assert "numpy" not in "\n".join(lines)
    assert lines[-3:] == [
        "2 errors:",
        "  - broken.json:4: not valid JSON: Expecting value [input-error]",
        "  - -: stdin was empty [input-error]",
    ]


def test_columns_line_up(sample_report: Report) -> None:
    flagged = [line for line in render_text(sample_report).splitlines() if line.startswith(("BLOCK", "WARN"))]
    starts = {re.match(r"\S+ +\S+ +", line).end() for line in flagged}  # type: ignore[union-attr]
    assert len(starts) == 1  # every location starts in the same column


def test_verbose_lists_ok_packages_and_every_location(sample_report: Report) -> None:
    out = render_text(sample_report, verbose=True)
    assert re.search(r"^OK     pypi:numpy +requirements\.txt:1$", out, re.M)
    assert "       also at app/main.py:7 (import)" in out
    assert "       also at setup.cfg (install)" in out
    assert "'reqeusts' trips not-found. 'reqeusts' trips known-hallucination. Did you mean requests?" in out
    assert "9 block, 12 warn, 3 ok\n" in out


def test_colour_only_when_asked(sample_report: Report) -> None:
    plain = render_text(sample_report, verbose=True)
    coloured = render_text(sample_report, verbose=True, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31mBLOCK\x1b[0m" in coloured and "\x1b[33mWARN \x1b[0m" in coloured
    assert _SGR.sub("", coloured) == plain


def test_untrusted_text_cannot_drive_the_terminal(injection_report: Report) -> None:
    for color in (False, True):
        out = _SGR.sub("", render_text(injection_report, verbose=True, color=color))
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out)
    out = render_text(injection_report)
    assert "\\x1b[2J\\x1b[31mreqeusts" in out
    assert "a\\n::warning::x" in out
    body = out.split(" errors:")[0].splitlines()
    assert len([line for line in body if line.startswith(("BLOCK", "WARN"))]) == len(EVIL_NAMES)
    # The Actions runner trims leading spaces before looking for `::`: no line of the table may start a command.
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]


def test_empty_report() -> None:
    assert render_text(Report()) == "no package references found\n"
