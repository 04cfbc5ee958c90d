"""SARIF 2.1.0 for GitHub code scanning: one rule per reason code, one result per flagged package location.

Decisions, so code scanning shows what a reviewer needs:

- Only `warn` and `block` findings become results (`block` -> level `error`, `warn` -> `warning`); ok packages
  are not alerts. A finding referenced in three places gives three results, one per distinct location.
- `ruleId` is the finding's first reason code (the policy lists the decisive reason first); the message names
  every reason and the suggestion.
- `artifactLocation.uri` is the location's path, repo-relative with forward slashes and percent-encoded as a URI
  reference; an absolute path becomes a `file://` URI (upload-sarif's `checkout_path` makes it relative).
- A location without a line (a package named on the command line, or a whole-file reference) gets a
  `physicalLocation` with no `region`: a file-level alert, rather than a made-up line 1. Lines and columns
  are 1-based and never below 1.
- `partialFingerprints["slopguardFinding/v1"]` hashes the ecosystem, name, rule, path, kind and the
  occurrence number of that package in that file, not the line number: moving the line keeps the alert.
- What could not be read (`report.errors`) goes to `invocations[0].toolExecutionNotifications`.
- A diff line that changes slopguard's settings or a package index (`report.changes`) is a result of its own,
  with rule `config-changed` or `index-changed`, at that line.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from slopguard._version import __version__
from slopguard.escape import sarif_text
from slopguard.models import Finding, Location, Problem, RefKind, Report, SettingChange, Verdict
from slopguard.report.codes import code_info
from slopguard.report.common import (
    change_text,
    display_name,
    flagged,
    flagged_changes,
    is_file_path,
    locations,
    message,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/slopguard/slopguard"
FINGERPRINT_KEY = "slopguardFinding/v1"
_LEVEL = {Verdict.BLOCK: "error", Verdict.WARN: "warning"}
# GitHub sorts security alerts by this 0.1-10 score: >= 7 is "high", >= 9 "critical".
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "note": "2.0"}
_URI_SAFE = "/:@!$&'()*+,;=-._~"


def artifact_uri(path: str) -> str:
    """`path` as a SARIF URI reference: forward slashes, percent-encoded, `file://` when absolute."""
    posix = path.replace("\\", "/")
    raw = posix.encode("utf-8", "surrogatepass")  # a lone surrogate is percent-encoded, not an error
    if len(posix) > 2 and posix[1:3] == ":/" and posix[0].isalpha():  # C:/x on Windows
        return "file:///" + quote(raw, safe=_URI_SAFE)
    if posix.startswith("/"):
        return "file://" + quote(raw, safe=_URI_SAFE)
    while raw.startswith(b"./"):
        raw = raw[2:]
    return quote(raw, safe=_URI_SAFE.replace(":", ""))  # a relative reference must not look like a scheme


def _rule(code: str) -> dict[str, Any]:
    info = code_info(code)
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in code.split("-")),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description},
        "help": {"text": info.help, "markdown": info.help},
        "defaultConfiguration": {"level": info.level},
        "properties": {
            "tags": ["security", "supply-chain", "external/cwe/cwe-1357"],
            "precision": "high" if info.level == "error" else "medium",
            "security-severity": _SECURITY_SEVERITY[info.level],
        },
    }


def _physical(location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(location.path)}}
    if location.line is not None:
        region: dict[str, Any] = {"startLine": max(1, location.line)}
        if location.column is not None:
            region["startColumn"] = max(1, location.column)
        physical["region"] = region
    return physical


def _fingerprint(finding: Finding, rule: str, location: Location, kind: RefKind, nth: int) -> str:
    raw = "\x00".join([finding.ecosystem.value, finding.name, rule, location.path, kind.value, str(nth)])
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _results(finding: Finding, rule: str, rule_index: int) -> list[dict[str, Any]]:
    text = sarif_text(f"{display_name(finding)} ({finding.verdict.value}): {message(finding)}")
    places = locations(finding) or [(Location("<unknown>"), RefKind.MANIFEST)]
    occurrences: dict[str, int] = {}
    results = []
    for location, kind in places:
        nth = occurrences.get(location.path, 0)
        occurrences[location.path] = nth + 1
        result: dict[str, Any] = {
            "ruleId": rule,
            "ruleIndex": rule_index,
            "level": _LEVEL[finding.verdict],
            "message": {"text": text},
            "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding, rule, location, kind, nth)},
            "properties": {
                "ecosystem": finding.ecosystem.value,
                "package": finding.name,
                "verdict": finding.verdict.value,
                "reasons": [r.code for r in finding.reasons],
                "suggestion": finding.suggestion,
                "kind": kind.value,
            },
        }
        if is_file_path(location.path):
            result["locations"] = [{"physicalLocation": _physical(location)}]
        if location.detail:
            result["properties"]["detail"] = location.detail
        results.append(result)
    return results


def _change_result(change: SettingChange, rule_index: int, nth: int) -> dict[str, Any]:
    """A result for a line that changes slopguard's settings or a package index; its fingerprint hashes the code,
    the path, the changed text and its occurrence number, not the line number."""
    raw = "\x00".join([change.code, change.location.path, change.evidence, str(nth)])
    result: dict[str, Any] = {
        "ruleId": change.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[change.verdict],
        "message": {"text": sarif_text(change_text(change))},
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]},
        "properties": {"verdict": change.verdict.value, "kind": "setting-change"},
    }
    if is_file_path(change.location.path):
        result["locations"] = [{"physicalLocation": _physical(change.location)}]
    return result


def _notification(problem: Problem) -> dict[str, Any]:
    note: dict[str, Any] = {
        "level": "error",
        "message": {"text": sarif_text(problem.message)},
        "descriptor": {"id": problem.code},
    }
    if is_file_path(problem.path):
        loc = Location(problem.path, problem.line)
        note["locations"] = [{"physicalLocation": _physical(loc)}]
    return note


def sarif_dict(report: Report) -> dict[str, Any]:
    """The SARIF log of `report` as plain JSON-able data."""
    findings = flagged(report)
    codes: list[str] = []
    for finding in findings:
        code = finding.reasons[0].code if finding.reasons else finding.verdict.value
        if code not in codes:
            codes.append(code)
    changes = flagged_changes(report)
    for change in changes:
        if change.code not in codes:
            codes.append(change.code)
    results: list[dict[str, Any]] = []
    for finding in findings:
        code = finding.reasons[0].code if finding.reasons else finding.verdict.value
        results.extend(_results(finding, code, codes.index(code)))
    seen: dict[tuple[str, str, str], int] = {}
    for change in changes:
        key = (change.code, change.location.path, change.evidence)
        seen[key] = seen.get(key, -1) + 1
        results.append(_change_result(change, codes.index(change.code), seen[key]))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "slopguard",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(code) for code in codes],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(p) for p in report.errors],
            }
        ],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Report) -> str:
    """`report` as a SARIF 2.1.0 log (pretty JSON, ASCII only, ending in a newline)."""
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=True) + "\n"
