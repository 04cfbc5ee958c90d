"""The HTML report in a real browser: headless Chromium opens the page of a scan of examples/ from its file URL.

Driven through the DevTools protocol over a pipe (`cdp_pipe`): the test reads the rendered DOM, uses the
filters and the sort buttons as a person would, and fails on any console error, log error (a Content-Security-
Policy refusal is one) or uncaught exception. Skipped only where no Chromium binary exists (Debian:
`apt-get install chromium`; `.ci/run` installs it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp_pipe import Browser, find_chromium
from fakeregistry import FakeRegistry

from slopguard.cli import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from report_screenshot import world  # noqa: E402  (the world the README's picture is made in)

EXAMPLES = [str(ROOT / "examples" / "claude-session.jsonl"), str(ROOT / "examples" / "codex-session.jsonl")]
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium binary on PATH (Debian: apt-get install chromium); .ci/run installs it"
)


@pytest.fixture
def page(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The HTML report of a scan of the bundled examples against the fake registry, written by the CLI."""
    world(fake_registry)
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.html"
    assert main(["scan", *EXAMPLES, "--format", "html", "--output", str(out)]) == 1
    return out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM, str(tmp_path / "profile")) as opened:
        yield opened


def _rows(browser: Browser) -> list[str]:
    return browser.evaluate(  # type: ignore[no-any-return]
        "Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.querySelector('code.name').textContent)"
    )


def test_report_renders_with_table_chart_and_no_console_errors(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    assert browser.evaluate("document.title") == "slopguard report: block"
    assert sorted(_rows(browser)) == [
        "axois", "huggingface-cli", "meteo-client", "react-codeshift", "reqeusts", "tenacity"
    ]  # fmt: skip
    bars = browser.evaluate(
        "Array.from(document.querySelectorAll('svg#timeline rect.bar')).map(r => "
        "[r.dataset.agent, r.dataset.day, r.dataset.verdict, Number(r.dataset.count), r.getBBox().height > 0])"
    )
    assert sorted(bars) == [
        ["claude", "2026-11-20", "block", 3, True],
        ["codex", "2026-11-22", "block", 2, True],
        ["codex", "2026-11-22", "warn", 1, True],
    ]
    assert browser.evaluate("document.querySelectorAll('svg#timeline g.lane').length") == 2
    totals = browser.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('.card')).map(c => "
        "[c.id, c.querySelector('.n').textContent]))"
    )
    assert totals["total-block"] == "5" and totals["total-sessions"] == "2" and totals["total-agents"] == "2"
    assert browser.evaluate("getComputedStyle(document.querySelector('.badge.block')).backgroundColor") == (
        "rgb(198, 40, 40)"  # the inline style sheet applied under the page's Content-Security-Policy
    )
    assert browser.errors() == []


def test_filters_and_sorting_work_without_a_framework(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    assert browser.evaluate("document.getElementById('filter-count').textContent") == "6 of 6 shown"
    browser.evaluate("(() => { const s = document.getElementById('filter-agent'); s.value = 'codex';"
                     " s.dispatchEvent(new Event('change')); })()")  # fmt: skip
    assert sorted(_rows(browser)) == ["axois", "meteo-client", "tenacity"]
    browser.evaluate("(() => { const s = document.getElementById('filter-agent'); s.value = '';"
                     " s.dispatchEvent(new Event('change'));"
                     " const t = document.getElementById('filter-text'); t.value = 'HUGGING';"
                     " t.dispatchEvent(new Event('input')); })()")  # fmt: skip
    assert _rows(browser) == ["huggingface-cli"]
    assert browser.evaluate("document.getElementById('filter-count').textContent") == "1 of 6 shown"
    browser.evaluate("(() => { const t = document.getElementById('filter-text'); t.value = '';"
                     " t.dispatchEvent(new Event('input')); })()")  # fmt: skip
    browser.evaluate("document.querySelectorAll('#findings thead button')[1].click()")  # Package, ascending
    assert _rows(browser) == sorted(_rows(browser))
    browser.evaluate("document.querySelectorAll('#findings thead button')[1].click()")  # descending
    assert _rows(browser) == sorted(_rows(browser), reverse=True)
    assert browser.evaluate("document.querySelectorAll('#findings thead th')[1].getAttribute('aria-sort')") == (
        "descending"
    )
    assert browser.errors() == []


def test_an_injected_script_would_not_run(page: Path, browser: Browser, tmp_path: Path) -> None:
    """The errors check is live, and the page's policy refuses any script but its own."""
    html = page.read_text(encoding="utf-8").replace("</main>", "<script>window.pwned = 1;</script></main>")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(html, encoding="utf-8")
    browser.open(hostile.as_uri())
    assert browser.evaluate("window.pwned === undefined") is True
    assert any("Content Security Policy" in str(error) for error in browser.errors())


def test_headless_screenshot_and_dump_dom(page: Path, tmp_path: Path) -> None:
    """The way scripts/report_screenshot.py shoots the README's picture works on this page."""
    assert CHROMIUM is not None
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p'}"]
    image = tmp_path / "shot.png"
    subprocess.run([*flags, "--window-size=1280,1000", f"--screenshot={image}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 20_000
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True,
                         timeout=120).stdout  # fmt: skip
    assert "6 of 6 shown" in dom  # the script ran
    assert len(re.findall(r'<tr class="finding', dom)) == 6


def test_screenshot_script_makes_the_readme_picture(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "report_screenshot.py"), "--out", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="registered"' in page and 'data-name="huggingface-cli"' in page
    assert (tmp_path / "report.png").read_bytes()[:4] == b"\x89PNG"
