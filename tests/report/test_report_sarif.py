"""SARIF 2.1.0: valid against the official schema, with what GitHub code scanning needs."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from report_samples import SAMPLE_CODES

from slopguard.models import Ecosystem, Finding, Location, PackageRef, Reason, RefKind, Report, Verdict
from slopguard.report import OutputFormat, render
from slopguard.report.sarif import FINGERPRINT_KEY, artifact_uri, render_sarif

# RFC 3986 URI-reference characters: unreserved, reserved, and percent-encoded octets.
_URI = re.compile(r"^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*$")


def _log(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(report))
    return data


def _validate(log: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)


@pytest.mark.parametrize("name", ["sample_report", "injection_report"])
def test_sarif_validates_against_the_official_schema(
    name: str, request: pytest.FixtureRequest, sarif_schema: dict[str, Any]
) -> None:
    report: Report = request.getfixturevalue(name)
    _validate(_log(report), sarif_schema)


def test_empty_report_is_valid_sarif_with_no_results(sarif_schema: dict[str, Any]) -> None:
    log = _log(Report())
    _validate(log, sarif_schema)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_schema_rejects_a_broken_log(sarif_schema: dict[str, Any]) -> None:
    """The shipped schema really checks: a result with a bad level fails."""
    log = _log(Report((_finding("x", Verdict.BLOCK, "not-found", "a.txt", 1),)))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate(log, sarif_schema)


def _finding(name: str, verdict: Verdict, code: str, path: str, line: int | None) -> Finding:
    ref = PackageRef(Ecosystem.PYPI, name, name, RefKind.MANIFEST, Location(path, line))
    return Finding(Ecosystem.PYPI, name, (ref,), None, verdict, (Reason(code, f"{name} is bad"),))


def test_top_level_and_driver(sample_report: Report) -> None:
    log = _log(sample_report)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "slopguard" and driver["version"] and driver["informationUri"].startswith("https://")


def test_one_rule_per_reason_code_present(sample_report: Report) -> None:
    run = _log(sample_report)["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(SAMPLE_CODES)  # the sample has a flagged finding led by every flagging code
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_verdicts_and_ok_packages_are_not_results(sample_report: Report) -> None:
    results = _log(sample_report)["runs"][0]["results"]
    by_package = {(r["properties"]["package"], r["level"]) for r in results}
    assert ("reqeusts", "error") in by_package and ("left-pad", "warning") in by_package
    assert not {"requests", "numpy", "flask"} & {r["properties"]["package"] for r in results}
    for result in results:
        assert result["level"] == {"block": "error", "warn": "warning"}[result["properties"]["verdict"]]


def test_one_result_per_distinct_location_with_regions(sample_report: Report) -> None:
    results = [r for r in _log(sample_report)["runs"][0]["results"] if r["properties"]["package"] == "reqeusts"]
    places = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region"),
        )
        for r in results
    ]
    assert places == [
        ("requirements.txt", {"startLine": 3}),
        ("app/main.py", {"startLine": 7, "startColumn": 8}),
        ("app/other.py", {"startLine": 2}),
        ("setup.cfg", None),  # no line: a file-level location, not a made-up line 1
    ]
    assert results[0]["ruleId"] == "not-found"
    text = results[0]["message"]["text"]
    assert "pypi:reqeusts (block)" in text and "known-hallucination" in text and "Did you mean requests?" in text


def test_uris_are_repo_relative_encoded_references(sample_report: Report) -> None:
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in _log(sample_report)["runs"][0]["results"]
        for loc in r.get("locations", [])
    ]
    assert "src/dir%204/file_4.txt" in uris
    assert all(_URI.match(u) and not u.startswith("/") for u in uris)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("src\\win\\file.py", "src/win/file.py"),
        ("./a/b.txt", "a/b.txt"),
        ("/abs/p q.txt", "file:///abs/p%20q.txt"),
        ("C:\\x\\y.py", "file:///C:/x/y.py"),
        ("a:b/c#d?e%f", "a%3Ab/c%23d%3Fe%25f"),
        ("[x](y)", "%5Bx%5D(y)"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
    assert _URI.match(uri)


def test_lines_and_columns_are_at_least_one() -> None:
    ref = PackageRef(Ecosystem.NPM, "x", "x", RefKind.IMPORT, Location("a.js", 0, 0))
    report = Report((Finding(Ecosystem.NPM, "x", (ref,), None, Verdict.BLOCK, (Reason("not-found", "m"),)),))
    region = _log(report)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1}


def test_non_file_locations_have_no_physical_location(sample_report: Report) -> None:
    results = _log(sample_report)["runs"][0]["results"]
    cmd = [r for r in results if r["properties"]["package"] == "cmd-line"]
    assert len(cmd) == 1 and "locations" not in cmd[0]


def test_fingerprints_are_stable_unique_and_ignore_line_moves(sample_report: Report) -> None:
    first = _log(sample_report)["runs"][0]["results"]
    again = _log(sample_report)["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][FINGERPRINT_KEY] for r in again]
    assert len(prints) == len(set(prints))
    moved = Report((_finding("x", Verdict.BLOCK, "not-found", "a.txt", 10),))
    original = Report((_finding("x", Verdict.BLOCK, "not-found", "a.txt", 3),))
    assert (
        _log(moved)["runs"][0]["results"][0]["partialFingerprints"]
        == _log(original)["runs"][0]["results"][0]["partialFingerprints"]
    )


def test_errors_become_tool_notifications(sample_report: Report) -> None:
    notes = _log(sample_report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["not valid JSON: Expecting value", "stdin was empty"]
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert "locations" not in notes[1]


def test_dispatch_renders_every_format(sample_report: Report) -> None:
    for fmt in OutputFormat:
        out = render(sample_report, fmt)
        assert out.endswith("\n") and "reqeusts" in out
    assert render(sample_report, "sarif") == render_sarif(sample_report)


def test_every_reason_code_the_rules_emit_is_documented() -> None:
    from slopguard.report.codes import CODES as DOCUMENTED
    from slopguard.rules import CODES as EMITTED

    assert set(EMITTED) <= set(DOCUMENTED)
