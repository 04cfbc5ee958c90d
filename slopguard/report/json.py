"""The JSON report, schema `slopguard/1`: the one machine contract of slopguard."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slopguard.models import Finding, Problem, RegistryRecord, Report, SettingChange

SCHEMA = "slopguard/1"


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def record_dict(record: RegistryRecord | None) -> dict[str, Any] | None:
    """The `registry` object of a finding."""
    if record is None:
        return None
    return {
        "status": record.status.value,
        "name": record.name,
        "source_url": record.source_url,
        "fetched_at": _time(record.fetched_at),
        "first_release": _time(record.first_release),
        "latest_release": _time(record.latest_release),
        "latest_version": record.latest_version,
        "version_count": record.version_count,
        "repository": record.repository,
        "deprecated": record.deprecated,
        "yanked": record.yanked,
        "quarantined": record.quarantined,
        "archived": record.archived,
        "unpublished": record.unpublished,
        "security_holder": record.security_holder,
        "first_missing_at": _time(record.first_missing_at),
        "error": record.error,
        "from_cache": record.from_cache,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One entry of `findings`."""
    locations = []
    seen = set()
    for ref in finding.refs:
        loc = ref.location
        key = (loc.path, loc.line, loc.column, ref.kind, loc.detail)
        if key in seen:
            continue
        seen.add(key)
        entry: dict[str, Any] = {"path": loc.path, "line": loc.line, "kind": ref.kind.value}
        if loc.column is not None:
            entry["column"] = loc.column
        if loc.detail is not None:
            entry["detail"] = loc.detail
        entry["written"] = ref.name
        if ref.evidence:
            entry["evidence"] = ref.evidence
        locations.append(entry)
    return {
        "ecosystem": finding.ecosystem.value,
        "name": finding.name,
        "verdict": finding.verdict.value,
        "reasons": [{"code": r.code, "message": r.message} for r in finding.reasons],
        "suggestion": finding.suggestion,
        "locations": locations,
        "registry": record_dict(finding.record),
    }


def problem_dict(problem: Problem) -> dict[str, Any]:
    """One entry of `errors`."""
    return {"path": problem.path, "line": problem.line, "code": problem.code, "message": problem.message}


def change_dict(change: SettingChange) -> dict[str, Any]:
    """One entry of `changes`: a line of the diff that changes slopguard's settings or a package index."""
    loc = change.location
    return {
        "code": change.code,
        "verdict": change.verdict.value,
        "path": loc.path,
        "line": loc.line,
        "message": change.message,
        "evidence": change.evidence,
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON-able data."""
    counts = {"ok": 0, "warn": 0, "block": 0}
    for f in report.findings:
        counts[f.verdict.value] += 1
    return {
        "schema": SCHEMA,
        "verdict": report.verdict.value,
        "summary": counts,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [problem_dict(p) for p in report.errors],
        "changes": [change_dict(c) for c in report.changes],
    }


def render_json(report: Report) -> str:
    """The report as pretty JSON (non-ASCII kept escaped, so terminals see no control characters)."""
    return json.dumps(report_dict(report), indent=2, ensure_ascii=True) + "\n"
