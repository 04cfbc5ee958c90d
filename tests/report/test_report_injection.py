"""Any package name, path or message an agent can produce is inert in every output format."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.models import Ecosystem, Finding, Location, PackageRef, Problem, Reason, RefKind, Report, Verdict
from slopguard.report import OutputFormat, render

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


_CHECKS = {
    OutputFormat.TEXT: _check_text,
    OutputFormat.GITHUB: _check_github,
    OutputFormat.MARKDOWN: _check_markdown,
    OutputFormat.SARIF: _check_sarif,
    OutputFormat.JSON: _check_json,
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
