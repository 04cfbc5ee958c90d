"""The HTML report: one self-contained page (inline CSS, SVG and a small script; no network) for a scan.

At the top, in red, the names slopguard once saw missing that exist now (the slopsquat pattern: the record's
`first_missing_at` comes from the seen-missing ledger, `slopguard.registry.missing`); then totals, a timeline
of flagged packages per day and agent (`slopguard.report.html_chart`), and the table of flagged packages, which
the script sorts and filters. Every string from the report passes through `escape.html`; the page's
Content-Security-Policy runs only the script and style of `slopguard.report.html_assets`.
"""

from __future__ import annotations

from datetime import datetime

from slopguard.escape import html
from slopguard.models import Finding, Location, Report, Status, Verdict
from slopguard.report.common import ECOSYSTEM_LABEL, change_text, counts, flagged, flagged_changes, locations, where
from slopguard.report.html_assets import CSP, SCRIPT, STYLE
from slopguard.report.html_chart import agent_label, timeline_svg

MAX_ROWS = 5000
"""Flagged packages listed in the table (the JSON report has them all)."""
MAX_LOCATIONS = 100
"""Locations listed per package."""
SHOWN_LOCATIONS = 3
"""Locations shown before the rest fold away."""
MAX_LIST = 500
"""Entries of the other lists (ok packages, setting changes, input problems)."""


def _time(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else ""


def _badge(verdict: Verdict) -> str:
    return f'<span class="badge {verdict.value}">{verdict.value}</span>'


def registered_since(report: Report) -> list[Finding]:
    """Findings whose name slopguard saw missing and the registry has now."""
    return [
        f
        for f in report.findings
        if f.record is not None and f.record.status is Status.EXISTS and f.record.first_missing_at is not None
    ]


def _registered(report: Report) -> str:
    found = registered_since(report)
    if not found:
        return ""
    items = []
    for finding in found[:MAX_LIST]:
        record = finding.record
        assert record is not None and record.first_missing_at is not None
        published = f", first published {_time(record.first_release)}" if record.first_release else ""
        items.append(
            f'<li data-name="{html(finding.name)}">{_badge(finding.verdict)} <code>{html(finding.name)}</code> '
            f"({ECOSYSTEM_LABEL[finding.ecosystem]}): seen missing {_time(record.first_missing_at)}{published}; "
            "it exists now.</li>"
        )
    return (
        '<section class="alert" id="registered"><h2>Seen missing, registered since</h2>'
        "<p>slopguard once found these names missing from their registry, and someone has published them since: "
        "the slopsquatting pattern. Check who published them before anything installs them.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def _sessions(report: Report) -> dict[str, set[str]]:
    """Agent -> the transcripts of it that referenced a package; `?` for transcripts of an unknown agent."""
    out: dict[str, set[str]] = {}
    for finding in report.findings:
        for ref in finding.refs:
            if ref.location.agent is not None:
                out.setdefault(ref.location.agent, set()).add(ref.location.path)
    named = set().union(*out.values()) if out else set()
    rest = {p for p in report.inputs if p.endswith(".jsonl") and p not in named}
    if rest:
        out.setdefault("?", set()).update(rest)
    return out


def _totals(report: Report) -> str:
    tally = counts(report)
    sessions = _sessions(report)
    agents = sorted(a for a in sessions if a != "?")
    covered = ", ".join(f"{agent_label(a)} ({len(sessions[a])})" for a in agents) or "none"
    cards = [
        ("checked", len(report.findings), "packages checked"),
        ("block", tally[Verdict.BLOCK], "blocked"),
        ("warn", tally[Verdict.WARN], "warned"),
        ("ok", tally[Verdict.OK], "ok"),
        ("sessions", sum(len(s) for s in sessions.values()), "sessions"),
        ("agents", len(agents), f"agents: {covered}"),
        ("inputs", len(report.inputs), "inputs read"),
        ("errors", len(report.errors), "input problems"),
    ]
    cells = "".join(
        f'<div class="card {key}" id="total-{key}"><div class="n">{n}</div><div class="l">{html(label)}</div></div>'
        for key, n, label in cards
    )
    return f'<section id="totals"><div class="cards">{cells}</div></section>'


def _location(loc: Location, kind: str, evidence: str) -> str:
    agent = f'<span class="agent">{html(agent_label(loc.agent))}</span> ' if loc.agent else ""
    when = f' <time datetime="{loc.time.isoformat()}">{_time(loc.time)}</time>' if loc.time else ""
    written = loc.snippet or evidence
    shown = f'<code class="cmd" title="{html(kind)}">{html(written)}</code>' if written else ""
    return f'<div class="loc">{agent}<code class="where">{html(where(loc))}</code>{when}{shown}</div>'


def _places(finding: Finding) -> tuple[str, str]:
    """The location cell's HTML and its sort key (the earliest time, else the first place)."""
    evidence = {(r.location, r.kind): r.evidence for r in finding.refs}
    places = locations(finding)
    shown = [_location(loc, kind.value, evidence.get((loc, kind), "")) for loc, kind in places[:MAX_LOCATIONS]]
    cell = "".join(shown[:SHOWN_LOCATIONS])
    if len(shown) > SHOWN_LOCATIONS:
        more = "".join(shown[SHOWN_LOCATIONS:])
        cell += f"<details><summary>{len(shown) - SHOWN_LOCATIONS} more</summary>{more}</details>"
    if len(places) > MAX_LOCATIONS:
        cell += f'<p class="muted">and {len(places) - MAX_LOCATIONS} more (see the JSON report)</p>'
    times = [loc.time for loc, _ in places if loc.time is not None]
    key = min(times).isoformat() if times else (where(places[0][0]) if places else "")
    return cell or '<span class="muted">–</span>', key


def _row(finding: Finding) -> str:
    agents = sorted({r.location.agent for r in finding.refs if r.location.agent})
    reasons = "".join(f'<li><span class="rc">{html(r.code)}</span> {html(r.message)}</li>' for r in finding.reasons)
    codes = " ".join(r.code for r in finding.reasons)
    suggestion = f"<code>{html(finding.suggestion)}</code>" if finding.suggestion else ""
    places, place_key = _places(finding)
    eco = ECOSYSTEM_LABEL[finding.ecosystem]
    return (
        f'<tr class="finding verdict-{finding.verdict.value}" data-verdict="{finding.verdict.value}" '
        f'data-ecosystem="{finding.ecosystem.value}" data-agents="{html(" ".join(agents))}">'
        f'<td data-sort="{finding.verdict.rank}">{_badge(finding.verdict)}</td>'
        f'<td data-sort="{html(finding.name.lower())}"><code class="name">{html(finding.name)}</code></td>'
        f'<td data-sort="{eco}">{eco}</td>'
        f'<td data-sort="{html(codes)}"><ul>{reasons}</ul></td>'
        f'<td data-sort="{html(finding.suggestion or "")}">{suggestion}</td>'
        f'<td data-sort="{html(place_key)}">{places}</td></tr>'
    )


def _table(report: Report) -> str:
    bad = flagged(report)
    if not bad:
        return '<section id="flagged"><h2>Flagged packages</h2><p id="no-flagged">Nothing was flagged.</p></section>'
    agents = sorted({r.location.agent for f in bad for r in f.refs if r.location.agent})
    ecos = sorted({f.ecosystem for f in bad}, key=lambda e: e.value)
    agent_options = "".join(f'<option value="{html(a)}">{html(agent_label(a))}</option>' for a in agents)
    eco_options = "".join(f'<option value="{e.value}">{ECOSYSTEM_LABEL[e]}</option>' for e in ecos)
    heads = [("Verdict", "number"), ("Package", ""), ("Ecosystem", ""), ("Reasons", ""), ("Did you mean", "")]
    head = "".join(f'<th data-type="{t or "text"}"><button type="button">{h}</button></th>' for h, t in heads)
    head += '<th data-type="text"><button type="button">Where (session, line, as written)</button></th>'
    rows = "".join(_row(f) for f in bad[:MAX_ROWS])
    more = f'<p class="muted">… and {len(bad) - MAX_ROWS} more: see the JSON report.</p>' if len(bad) > MAX_ROWS else ""
    return (
        f'<section id="flagged"><h2>Flagged packages ({len(bad)})</h2><div class="tools">'
        '<input type="search" id="filter-text" placeholder="Filter: name, reason, session, command…" '
        'aria-label="Filter the table">'
        '<select id="filter-verdict" aria-label="Verdict"><option value="">all verdicts</option>'
        '<option value="block">block</option><option value="warn">warn</option></select>'
        f'<select id="filter-ecosystem" aria-label="Ecosystem"><option value="">all ecosystems</option>{eco_options}'
        f'</select><select id="filter-agent" aria-label="Agent"><option value="">all agents</option>{agent_options}'
        f'</select><span class="count" id="filter-count">{min(len(bad), MAX_ROWS)} shown</span></div>'
        f'<table id="findings"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}</section>'
    )


def _lists(report: Report) -> str:
    parts = []
    changes = flagged_changes(report)
    if changes:
        items = "".join(
            f"<li>{_badge(c.verdict)} <b>{html(c.code)}</b> <code>{html(where(c.location))}</code>: "
            f"{html(change_text(c))}</li>"
            for c in changes[:MAX_LIST]
        )
        parts.append(f'<section id="changes"><h2>Changed settings ({len(changes)})</h2><ul>{items}</ul></section>')
    ok = [f for f in report.findings if f.verdict is Verdict.OK]
    if ok:
        names = ", ".join(f"<code>{html(f.ecosystem.value)}:{html(f.name)}</code>" for f in ok[:MAX_LIST])
        parts.append(f'<section id="ok"><details><summary>{len(ok)} ok package(s)</summary>{names}</details></section>')
    if report.errors:
        items = "".join(
            f"<li><code>{html(where(Location(p.path, p.line)))}</code> {html(p.message)}</li>"
            for p in report.errors[:MAX_LIST]
        )
        parts.append(
            f'<section id="errors"><details><summary>{len(report.errors)} input problem(s)</summary>'
            f"<ul>{items}</ul></details></section>"
        )
    return "".join(parts)


def render_html(report: Report) -> str:
    """`report` as one HTML page that needs nothing else: no network, no external file."""
    verdict = report.verdict
    inputs = ", ".join(html(i) for i in report.inputs[:5]) + (" …" if len(report.inputs) > 5 else "")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>slopguard report: {verdict.value}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>slopguard report {_badge(verdict)}</h1>"
        f'<p class="sub">Inputs: {inputs or "none"}</p>'
        f"{_registered(report)}{_totals(report)}"
        '<section id="timeline-section"><h2>Flagged packages over time</h2><div class="panel">'
        f"{timeline_svg(list(report.findings))}</div></section>"
        f"{_table(report)}{_lists(report)}"
        f"</main><script>{SCRIPT}</script></body></html>\n"
    )
