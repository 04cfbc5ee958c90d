"""The HTML report without a browser: its parts, its counts, its chart data, its limits and its escaping."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from report_samples import EVIL_NAMES, all_codes_report, evil_report
from test_report_injection import _check_html, _Page

from slopguard.escape import terminal
from slopguard.models import (
    Ecosystem,
    Finding,
    Location,
    PackageRef,
    Reason,
    RefKind,
    RegistryRecord,
    Report,
    Status,
    Verdict,
)
from slopguard.report import OutputFormat, render
from slopguard.report import html as html_report
from slopguard.report.html_assets import CSP, SCRIPT, STYLE
from slopguard.report.html_chart import tally

DAY = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def _loc(path: str, line: int, agent: str | None, when: datetime | None, snippet: str | None = None) -> Location:
    return Location(path, line, 1, "toolu_1", agent, when, snippet)


def _finding(name: str, verdict: Verdict, *locs: Location, record: RegistryRecord | None = None) -> Finding:
    refs = tuple(PackageRef(Ecosystem.PYPI, name, name, RefKind.INSTALL, loc, evidence=name) for loc in locs)
    reasons = () if verdict is Verdict.OK else (Reason("not-found", f"{name} is missing"),)
    return Finding(Ecosystem.PYPI, name, refs, record, verdict, reasons, "requests" if name == "reqeusts" else None)


def _sessions_report() -> Report:
    claude, codex = "s/claude-a.jsonl", "s/codex-b.jsonl"
    findings = (
        _finding("reqeusts", Verdict.BLOCK, _loc(claude, 4, "claude", DAY, "pip install reqeusts"),
                 _loc(claude, 9, "claude", DAY + timedelta(hours=2)), _loc(codex, 3, "codex", DAY + timedelta(days=2))),
        _finding("fresh-pkg", Verdict.WARN, _loc(codex, 5, "codex", DAY + timedelta(days=2))),
        _finding("from-a-diff", Verdict.BLOCK, Location("app/requirements.txt", 3)),
        _finding("requests", Verdict.OK, _loc(claude, 2, "claude", DAY)),
    )  # fmt: skip
    return Report(findings, (), (claude, codex, "s/quiet-session.jsonl"))


def _text(out: str) -> str:
    page = _Page()
    page.feed(out)
    return "".join(page.texts)


def test_totals_count_packages_sessions_and_agents() -> None:
    out = render(_sessions_report(), OutputFormat.HTML)
    totals = dict(re.findall(r'id="total-(\w+)"><div class="n">(\d+)<', out))
    assert totals == {
        "checked": "4", "block": "2", "warn": "1", "ok": "1", "sessions": "3", "agents": "2", "inputs": "3",
        "errors": "0",
    }  # fmt: skip
    assert "agents: Claude Code (1), Codex (1)" in out


def test_timeline_counts_distinct_flagged_packages_per_agent_and_day() -> None:
    report = _sessions_report()
    counts, weekly = tally(list(report.findings))
    day = DAY.date()
    later = day + timedelta(days=2)
    assert not weekly
    assert counts == {  # reqeusts twice on the same day in claude counts once; the diff has no time; ok is left out
        ("claude", day, Verdict.BLOCK): 1,
        ("codex", later, Verdict.BLOCK): 1,
        ("codex", later, Verdict.WARN): 1,
    }
    out = render(report, OutputFormat.HTML)
    bars = re.findall(r'<rect class="bar bar-(\w+)" data-agent="(\w+)" data-day="([\d-]+)"', out)
    assert sorted(bars) == [
        ("block", "claude", day.isoformat()),
        ("block", "codex", later.isoformat()),
        ("warn", "codex", later.isoformat()),
    ]
    assert out.count('<g class="lane"') == 2 and "Nov 21" in out  # an empty day between keeps its place


def test_a_long_span_is_counted_per_week() -> None:
    locs = [_loc("s.jsonl", i, "claude", DAY + timedelta(days=i)) for i in range(0, 200, 3)]
    counts, weekly = tally([_finding("reqeusts", Verdict.BLOCK, *locs)])
    assert weekly
    assert all(key[1].weekday() == 0 for key in counts) and set(counts.values()) == {1}
    assert len(counts) == len({(DAY + timedelta(days=i)).date().isocalendar()[:2] for i in range(0, 200, 3)})


def test_without_timestamps_the_chart_says_why() -> None:
    report = Report((_finding("from-a-diff", Verdict.BLOCK, Location("requirements.txt", 3)),), (), ("git:a..b",))
    out = render(report, OutputFormat.HTML)
    assert 'id="timeline-empty"' in out and "<svg" not in out
    assert re.search(r'id="total-sessions"><div class="n">0<', out)


def test_table_lists_each_flagged_package_with_its_places_as_written() -> None:
    out = render(_sessions_report(), OutputFormat.HTML)
    rows = re.findall(r'<tr class="finding verdict-(\w+)" data-verdict="\w+" data-ecosystem="(\w+)" '
                      r'data-agents="([\w ]*)">', out)  # fmt: skip
    assert rows == [("block", "pypi", "claude codex"), ("block", "pypi", ""), ("warn", "pypi", "codex")]
    text = _text(out)
    assert "pip install reqeusts" in text  # the command as written, where the transcript gave it
    assert "s/claude-a.jsonl:4" in text and "2026-11-20 10:00 UTC" in text and "app/requirements.txt:3" in text
    assert '<td data-sort="requests"><code>requests</code></td>' in out  # did you mean
    assert "1 ok package(s)" in out


def test_many_locations_fold_away_and_stop() -> None:
    locs = [_loc("s.jsonl", i, "claude", DAY) for i in range(1, html_report.MAX_LOCATIONS + 11)]
    out = render(Report((_finding("reqeusts", Verdict.BLOCK, *locs),)), OutputFormat.HTML)
    assert out.count('<div class="loc">') == html_report.MAX_LOCATIONS
    assert f"<summary>{html_report.MAX_LOCATIONS - html_report.SHOWN_LOCATIONS} more</summary>" in out
    assert "and 10 more (see the JSON report)" in out


def test_rows_stop_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_report, "MAX_ROWS", 3)
    report = Report(tuple(_finding(f"bad-{i}", Verdict.BLOCK, Location("r.txt", i)) for i in range(1, 6)))
    out = render(report, OutputFormat.HTML)
    assert out.count('<tr class="finding') == 3 and "… and 2 more: see the JSON report." in out


def test_names_seen_missing_that_exist_now_come_first_in_red() -> None:
    missing_at = datetime(2026, 11, 2, tzinfo=timezone.utc)
    record = RegistryRecord(Ecosystem.PYPI, "huggingface-cli", Status.EXISTS, first_missing_at=missing_at,
                            first_release=missing_at + timedelta(days=3))  # fmt: skip
    still_missing = RegistryRecord(Ecosystem.PYPI, "gone", Status.NOT_FOUND, first_missing_at=missing_at)
    report = Report((
        _finding("huggingface-cli", Verdict.BLOCK, _loc("s.jsonl", 4, "claude", DAY), record=record),
        _finding("gone", Verdict.BLOCK, _loc("s.jsonl", 5, "claude", DAY), record=still_missing),
    ))  # fmt: skip
    out = render(report, OutputFormat.HTML)
    alert = out.index('<section class="alert" id="registered">')
    assert alert < out.index('id="totals"') and alert < out.index('id="findings"')
    section = out[alert : out.index("</section>", alert)]
    assert 'data-name="huggingface-cli"' in section and "gone" not in section
    assert "seen missing 2026-11-02 00:00 UTC, first published 2026-11-05 00:00 UTC" in section
    assert "--block" in STYLE and ".alert li{color:var(--block)" in STYLE  # drawn in red
    assert 'id="registered"' not in render(_sessions_report(), OutputFormat.HTML)


def test_the_page_needs_nothing_from_the_network() -> None:
    out = render(all_codes_report(), OutputFormat.HTML)
    assert not re.search(r"\b(src|href|srcset|action)\s*=", out, re.IGNORECASE)
    assert "@import" not in STYLE and "url(" not in STYLE and "fetch(" not in SCRIPT and "XMLHttpRequest" not in SCRIPT
    for text in (STYLE, SCRIPT):  # the policy allows exactly the page's own style and script
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in CSP
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in out
    assert "default-src 'none'" in CSP and "unsafe-inline" not in CSP


def test_every_attack_name_is_shown_as_written_and_stays_text() -> None:
    out = render(evil_report(), OutputFormat.HTML)
    text = _text(out)
    for name in EVIL_NAMES:
        assert terminal(name) in text
    assert "<script>alert" not in out and "&lt;/td&gt;&lt;script&gt;" in out
    for name in EVIL_NAMES:
        _check_html(render(_one(name), OutputFormat.HTML), flagged=1)


def _one(name: str) -> Report:
    loc = Location(f"{name}.jsonl", 2, 3, name, name, DAY, name)  # even the agent and command fields
    ref = PackageRef(Ecosystem.NPM, name, name, RefKind.INSTALL, loc, evidence=name)
    reason = Reason(name, name)
    return Report((Finding(Ecosystem.NPM, name, (ref,), None, Verdict.BLOCK, (reason,), name),), (), (name,))


def test_cli_writes_the_page_to_the_output_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_registry: FakeRegistry
) -> None:
    from slopguard.cli import main

    fake_registry.add_pypi("requests", versions={"1.0.0": "2015-01-01T00:00:00Z", "2.0.0": "2018-01-01T00:00:00Z"})
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    (tmp_path / "setup.sh").write_text("pip install reqeusts requests\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "setup.sh", "--format", "html", "--output", "report.html"])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert code == 1 and page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert page.count('<tr class="finding verdict-block"') == 1 and "setup.sh:1" in page and "1 ok package(s)" in page


def test_an_empty_report_is_a_page_too() -> None:
    out = render(Report(), OutputFormat.HTML)
    assert 'id="no-flagged"' in out and 'id="timeline-empty"' in out and out.endswith("</html>\n")
    _check_html(out, flagged=-1)  # no table at all
