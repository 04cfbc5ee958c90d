"""Any package name, path or message an agent can produce is inert in every output format."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.models import Ecosystem, Finding, Location, PackageRef, Problem, Reason, RefKind, Report, Verdict
from slopguard.report import OutputFormat, render
from slopguard.report.html_assets import SCRIPT, STYLE

_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_OWN_TAGS = {"<code>", "</code>", "<br>", "<details>", "</details>", "<summary>", "</summary>"}
_ALPHABET = (
    st.sampled_from(list("\ud800\n\r\t\x1b\x07\x9b\u202e\u2028%:,=|`*_[]()<>&#!@\\/ abcAZ09;'\"")) | st.characters()
)


def _report(name: str, path: str) -> Report:
    ref = PackageRef(Ecosystem.NPM, name, name, RefKind.IMPORT, Location(path, 3, 2, detail=name))
    findings = (
        Finding(Ecosystem.NPM, name, (ref,), None, Verdict.BLOCK, (Reason("not-found", f"{name} missing"),), name),
        Finding(Ecosystem.PYPI, name, (ref,), None, Verdict.WARN, (Reason("typosquat", name),), None),
        Finding(Ecosystem.GO, name, (ref,), None, Verdict.OK),
    )
    return Report(findings, (Problem(path, name, line=2),), (path,))


def _check_text(out: str) -> None:
    assert not _RAW_CONTROL.search(_SGR.sub("", out))


def _check_github(out: str) -> None:
    lines = out.splitlines()
    assert len(lines) == 3  # block + warn annotation + one input error: nothing more, nothing less
    for line in lines:
        assert re.match(r"^::(error|warning) ", line)
        head, sep, data = line[2:].partition("::")
        assert sep and "\r" not in line
        props = head.split(" ", 1)[1]
        for item in props.split(","):
            key, _, value = item.partition("=")
            assert key in {"file", "line", "col", "title"} and ":" not in value


def _check_markdown(out: str) -> None:
    assert set(re.findall(r"<[^>]*>", out)) <= _OWN_TAGS
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 4
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)
    assert not _RAW_CONTROL.search(out)


def _check_sarif(out: str) -> None:
    log = json.loads(out)
    for result in log["runs"][0]["results"]:
        text = result["message"]["text"]
        assert not _RAW_CONTROL.search(text)
        assert not re.search(r"(?<!\\)\[", text.replace("\\\\", ""))  # no embedded link can open


def _check_json(out: str) -> None:
    assert out.isascii() and json.loads(out)["schema"] == "slopguard/1"


_HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "span", "section", "div", "ul", "li",
    "code", "b", "details", "summary", "table", "thead", "tbody", "tr", "th", "td", "button", "input", "select",
    "option", "time", "svg", "g", "text", "line", "rect", "script", "i",
}  # fmt: skip


class _Page(HTMLParser):
    """Every tag, attribute and text node of a page, and the text of its `<script>` and `<style>` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.texts: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in self.raw:
            self.raw[self._open[-1]].append(data)
        else:
            self.texts.append(data)


def _check_html(out: str, flagged: int = 2) -> None:
    page = _Page()
    page.feed(out)
    page.close()
    assert {tag for tag, _ in page.tags} <= _HTML_TAGS
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert page.raw == {"script": [SCRIPT], "style": [STYLE]}  # no report text ever reaches script or style
    for _, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("src", "href", "srcdoc", "formaction", "style")
            assert not _RAW_CONTROL.search(value or "")
    assert not any(_RAW_CONTROL.search(text) for text in page.texts)
    assert sum(1 for tag, _ in page.tags if tag == "tr") == 1 + flagged  # the header and a row per flagged package


_CHECKS = {
    OutputFormat.TEXT: _check_text,
    OutputFormat.GITHUB: _check_github,
    OutputFormat.MARKDOWN: _check_markdown,
    OutputFormat.SARIF: _check_sarif,
    OutputFormat.JSON: _check_json,
    OutputFormat.HTML: _check_html,
}


def test_every_format_has_an_injection_check() -> None:
    assert set(_CHECKS) == set(OutputFormat)


def test_known_attacks_are_inert_in_every_format(injection_report: Report) -> None:
    for fmt in OutputFormat:
        out = render(injection_report, fmt, verbose=True, color=True)
        assert out.endswith("\n")
        if fmt is OutputFormat.TEXT:
            _check_text(out)
    for name in ("evil%0A::error::pwned", "a\n::warning::x", "</td><script>", "[x](javascript:alert(1))", "\x1b[2J"):
        report = _report(name, f"src/{name}.py")
        for fmt, check in _CHECKS.items():
            check(render(report, fmt, verbose=True, color=fmt is OutputFormat.TEXT))


@settings(max_examples=150, deadline=None)
@given(name=st.text(_ALPHABET, min_size=1, max_size=24), path=st.text(_ALPHABET, min_size=1, max_size=12))
def test_any_name_is_inert_in_every_format(name: str, path: str) -> None:
    report = _report(name, path)
    for fmt, check in _CHECKS.items():
        out = render(report, fmt, verbose=True, color=fmt is OutputFormat.TEXT)
        check(out)
        out.encode("utf-8")  # printable and writable as UTF-8, even with lone surrogates in the input
