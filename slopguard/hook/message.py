"""The words of a hook decision: why a package is blocked or doubtful, the likely intended name, what to do."""

from __future__ import annotations

from slopguard.hook.protocols import MAX_TEXT, clean
from slopguard.models import Ecosystem, Finding, Report, Verdict

_NAME_LIMIT = 200
_REGISTRY = {Ecosystem.PYPI: "PyPI", Ecosystem.NPM: "npm", Ecosystem.GO: "the Go module proxy"}


def quoted(name: str) -> str:
    """An untrusted name, cleaned of control characters, shortened and single-quoted."""
    return "'" + clean(name, _NAME_LIMIT) + "'"


def describe(finding: Finding) -> str:
    """One line about one package: where, why, and the name the agent probably meant."""
    written = {r.name for r in finding.refs if r.name != finding.name}
    head = f"{quoted(finding.name)} ({_REGISTRY.get(finding.ecosystem, finding.ecosystem.value)})"
    if written:
        head += " written as " + ", ".join(quoted(w) for w in sorted(written)[:3])
    sentences = [clean(r.message, 500).strip() for r in finding.reasons]
    why = " ".join(s if s.endswith((".", "?", "!")) else s + "." for s in sentences if s) or "It looks suspicious."
    line = f"- {head}: {why}"
    if finding.suggestion and finding.suggestion != finding.name and "did you mean" not in why.lower():
        line += f" Did you mean {quoted(finding.suggestion)}?"
    return line


def explain(report: Report, verdict: Verdict, *, what: str) -> str:
    """The message for the agent when `report` reached `verdict` (block or warn) for `what` (a noun phrase)."""
    findings = [f for f in report.findings if f.verdict is verdict]
    suggestions = [f.suggestion for f in findings if f.suggestion and f.suggestion != f.name]
    if verdict is Verdict.BLOCK:
        lines = [f"slopguard blocked {what}: it uses packages that look hallucinated or typosquatted."]
    else:
        lines = [f"slopguard could not vouch for every package in {what}:"]
    lines += [describe(f) for f in findings[:20]]
    if len(findings) > 20:
        lines.append(f"- ... and {len(findings) - 20} more")
    if verdict is Verdict.BLOCK:
        if suggestions:
            fix = ", ".join(quoted(s) for s in suggestions[:5])
            lines.append(f"Do not retry as written. Use the intended package ({fix}) and run the corrected command.")
        else:
            lines.append(
                "Do not retry as written and do not guess another spelling. Find the real package name in "
                "the library's documentation, or ask the user which package they mean."
            )
        lines.append(
            "If the name is right and private, the user can allow it in [tool.slopguard] allow or .slopguard.toml."
        )
    else:
        lines.append("Check that these are the packages you intend before going on.")
    return "\n".join(lines)[:MAX_TEXT]


def unknown(what: str, why: str) -> str:
    """The message for the agent when slopguard could not decide (deadline, error, registry down)."""
    return (
        f"slopguard could not check the packages in {what} ({clean(why, 500)}). "
        "Make sure every package name is the intended, real one before running it."
    )
