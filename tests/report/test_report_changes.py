"""Setting changes (`config-changed`, `index-changed`) in every format: at their line, and inert whatever the text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.models import Location, Report, SettingChange, Verdict
from slopguard.report import render

HERE = Path(__file__).resolve().parent
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_OWN_TAGS = {"<code>", "</code>", "<br>", "<details>", "</details>", "<summary>", "</summary>"}
_ALPHABET = st.sampled_from(list("\n\r\t\x1b\u202e%:,=|`*_[]()<>&#!@\\/ aZ09'\"")) | st.characters()


def _report(path: str, evidence: str, verdict: Verdict = Verdict.WARN) -> Report:
    changes = (
        SettingChange("index-changed", Location(path, 2), f"Sets {evidence}", evidence, verdict),
        SettingChange("config-changed", Location(path), "Deletes a file with slopguard settings", "", verdict),
    )
    return Report(inputs=("-",), changes=changes)


def test_each_format_places_the_change_at_its_line() -> None:
    report = _report(".npmrc", "@acme:registry=http://evil.example/")
    assert report.verdict is Verdict.WARN
    github = render(report, "github").splitlines()
    assert github[0].startswith("::warning file=.npmrc,line=2,title=slopguard warn%3A index-changed::")
    assert github[1].startswith("::warning file=.npmrc,title=slopguard warn%3A config-changed::")
    data = json.loads(render(report, "json"))
    assert [(c["code"], c["path"], c["line"], c["verdict"]) for c in data["changes"]] == [
        ("index-changed", ".npmrc", 2, "warn"),
        ("config-changed", ".npmrc", None, "warn"),
    ]
    assert data["verdict"] == "warn" and data["findings"] == []
    sarif = json.loads(render(report, "sarif"))
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["index-changed", "config-changed"]
    first, second = run["results"]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert "region" not in second["locations"][0]["physicalLocation"]  # a deleted file: file level
    assert first["partialFingerprints"] != second["partialFingerprints"]
    text = render(report, "text")
    assert "index-changed  .npmrc:2" in text and "2 changed setting lines to review" in text
    markdown = render(report, "markdown")
    assert markdown.startswith("### slopguard: ⚠️ warn — 2 changed setting(s) to review")
    assert "**index-changed** <code>\\.npmrc\\:2</code>" in markdown
    blocking = _report(".npmrc", "x", Verdict.BLOCK)
    assert blocking.verdict is Verdict.BLOCK and render(blocking, "github").startswith("::error ")


@settings(max_examples=100, deadline=None)
@given(path=st.text(_ALPHABET, min_size=1, max_size=16), evidence=st.text(_ALPHABET, min_size=1, max_size=24))
def test_any_path_or_changed_line_is_inert(path: str, evidence: str) -> None:
    report = _report(path, evidence)
    text = render(report, "text", color=True)
    assert not _RAW_CONTROL.search(_SGR.sub("", text))
    for line in render(report, "github").splitlines():
        head, sep, _ = line[2:].partition("::")
        assert line.startswith("::warning ") and sep and "\r" not in line
        for item in head.split(" ", 1)[1].split(","):
            key, _, value = item.partition("=")
            assert key in {"file", "line", "title"} and ":" not in value
    assert len(render(report, "github").splitlines()) == 2
    markdown = render(report, "markdown")
    assert set(re.findall(r"<[^>]*>", markdown)) <= _OWN_TAGS and not _RAW_CONTROL.search(markdown)
    for result in json.loads(render(report, "sarif"))["runs"][0]["results"]:
        assert not _RAW_CONTROL.search(result["message"]["text"])
    out = render(report, "json")
    assert out.isascii() and json.loads(out)["changes"][0]["evidence"] == evidence
