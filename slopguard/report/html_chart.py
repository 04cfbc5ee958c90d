"""The HTML report's timeline: blocked and warned packages per day (or per week), one lane per agent, as SVG.

Counts come from the transcripts' own timestamps (`Location.time`, UTC days): a package flagged in a session on
a day counts once for that agent and day, however often it was referenced. Locations without a time (diffs,
files) are not on the chart.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from slopguard.escape import html
from slopguard.models import Finding, Verdict

AGENT_LABEL = {"claude": "Claude Code", "codex": "Codex"}
DAILY_SPAN = 92
"""Days shown one bar each; a longer span is counted per week (weeks start on Monday)."""
MAX_BUCKETS = 400
"""Days (or weeks) on the chart at most: the most recent ones."""
_WIDTH, _LEFT, _RIGHT, _LANE, _GAP, _TOP, _AXIS = 960, 104, 16, 96, 22, 10, 26


def agent_label(agent: str) -> str:
    """A display name for an agent kind (not escaped)."""
    return AGENT_LABEL.get(agent, agent)


def tally(findings: list[Finding]) -> tuple[dict[tuple[str, date, Verdict], int], bool]:
    """(agent, day or week start, verdict) -> distinct flagged packages, and whether buckets are weeks."""
    seen: set[tuple[str, date, Verdict, str, str]] = set()
    for finding in findings:
        if finding.verdict is Verdict.OK:
            continue
        for ref in finding.refs:
            loc = ref.location
            if loc.time is not None:
                seen.add((loc.agent or "?", loc.time.date(), finding.verdict, finding.ecosystem.value, finding.name))
    if not seen:
        return {}, False
    days = [item[1] for item in seen]
    weekly = (max(days) - min(days)).days >= DAILY_SPAN
    if weekly:  # a package flagged on several days of one week counts once for that week
        seen = {(a, d - timedelta(days=d.weekday()), v, e, n) for a, d, v, e, n in seen}
    counts: dict[tuple[str, date, Verdict], int] = defaultdict(int)
    for agent, bucket, verdict, _, _ in seen:
        counts[(agent, bucket, verdict)] += 1
    return dict(counts), weekly


def timeline_svg(findings: list[Finding]) -> str:
    """The chart as an inline `<svg>` (with a legend after it), or a note when no flagged location has a time."""
    counts, weekly = tally(findings)
    if not counts:
        return (
            '<p class="muted" id="timeline-empty">No flagged package has a time: the timeline shows agent '
            "transcripts (Claude Code, Codex sessions) only.</p>"
        )
    step = timedelta(days=7 if weekly else 1)
    last = max(key[1] for key in counts)
    first = max(min(key[1] for key in counts), last - step * (MAX_BUCKETS - 1))
    buckets = [first + step * i for i in range((last - first) // step + 1)]
    agents = sorted({key[0] for key in counts}, key=lambda a: (a not in AGENT_LABEL, a))
    top = max(sum(counts.get((a, b, v), 0) for v in (Verdict.BLOCK, Verdict.WARN)) for a in agents for b in buckets)
    plot = _WIDTH - _LEFT - _RIGHT
    slot = plot / len(buckets)
    bar = max(1.0, min(28.0, slot * 0.7))
    height = _TOP + len(agents) * (_LANE + _GAP) + _AXIS
    unit = "week" if weekly else "day"
    parts = [
        f'<svg class="timeline" id="timeline" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="Blocked and warned packages per {unit} and agent" xmlns="http://www.w3.org/2000/svg">'
    ]
    for lane, agent in enumerate(agents):
        y0 = _TOP + lane * (_LANE + _GAP)
        base = y0 + _LANE
        parts.append(f'<g class="lane" data-agent="{html(agent)}">')
        parts.append(f'<text class="lane" x="0" y="{y0 + _LANE / 2 + 4:.1f}">{html(agent_label(agent))}</text>')
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y0}" y2="{y0}"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y0 + 4}" text-anchor="end">{top}</text>')
        parts.append(f'<line class="axis" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{base}" y2="{base}"/>')
        for i, bucket in enumerate(buckets):
            x = _LEFT + slot * i + (slot - bar) / 2
            y = float(base)
            for verdict in (Verdict.BLOCK, Verdict.WARN):
                n = counts.get((agent, bucket, verdict), 0)
                if not n:
                    continue
                h = _LANE * n / top
                y -= h
                what = "blocked" if verdict is Verdict.BLOCK else "warned"
                label = f"{agent_label(agent)}, {unit} of {bucket.isoformat()}: {n} {what}"
                parts.append(
                    f'<rect class="bar bar-{verdict.value}" data-agent="{html(agent)}" data-day="{bucket.isoformat()}"'
                    f' data-verdict="{verdict.value}" data-count="{n}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}"'
                    f' height="{h:.1f}"><title>{html(label)}</title></rect>'
                )
        parts.append("</g>")
    axis_y = _TOP + len(agents) * (_LANE + _GAP) - _GAP + 16
    every = max(1, -(-len(buckets) // 12))
    for i in range(0, len(buckets), every):
        x = _LEFT + slot * i + slot / 2
        parts.append(f'<text class="tick" x="{x:.1f}" y="{axis_y}" text-anchor="middle">{buckets[i]:%b %d}</text>')
    parts.append("</svg>")
    per = "week (weeks start on Monday)" if weekly else "day (UTC)"
    parts.append(
        '<div class="legend"><span><i class="k-block"></i>blocked</span><span><i class="k-warn"></i>warned</span>'
        f"<span>distinct flagged packages per agent and {per}</span></div>"
    )
    return "".join(parts)
