"""Reports built by hand for the reporter tests: one with every reason code, one full of injection attempts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from slopguard.models import (
    Ecosystem,
    Finding,
    Location,
    PackageRef,
    Problem,
    Reason,
    RefKind,
    RegistryRecord,
    Report,
    Status,
    Verdict,
)
from slopguard.report.codes import CODES

HERE = Path(__file__).resolve().parent
WHEN = datetime(2026, 11, 1, tzinfo=timezone.utc)

# Names an agent's output could carry to attack each output medium.
EVIL_NAMES = (
    "evil%0A::error::pwned",
    "a\n::warning::x",
    "b\r\n::add-mask::secret",
    "</td><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "\x1b[2J\x1b[31mreqeusts",
    "`code` | *bold* _it_ # ![img](http://e/x.png)",
    "@octocat/team",
    "x,line=1,title=::error::y",
    "\u202eslopguard\u202c",
    "::error::pwned",
    " ::warning file=x::y",
)


def ref(
    eco: Ecosystem, name: str, path: str, line: int | None, *, kind: RefKind = RefKind.INSTALL, col: int | None = None
) -> PackageRef:
    return PackageRef(eco, name, name, kind, Location(path, line, col), evidence=f"install {name}")


def record(eco: Ecosystem, name: str, status: Status = Status.EXISTS) -> RegistryRecord:
    return RegistryRecord(eco, name, status, source_url=f"https://registry.example/{name}", fetched_at=WHEN)


def finding(
    eco: Ecosystem,
    name: str,
    verdict: Verdict,
    codes: tuple[str, ...],
    refs: tuple[PackageRef, ...],
    *,
    suggestion: str | None = None,
) -> Finding:
    reasons = tuple(Reason(code, f"'{name}' trips {code}") for code in codes)
    status = Status.NOT_FOUND if "not-found" in codes else Status.EXISTS
    return Finding(eco, name, refs, record(eco, name, status), verdict, reasons, suggestion)


# The flagging codes, fixed here so adding an ok-level code to CODES does not reshuffle the samples.
SAMPLE_CODES = (
    "archived",
    "deprecated",
    "extra-index-url",
    "few-releases",
    "invalid-name",
    "known-hallucination",
    "known-malicious",
    "new-package",
    "no-repository",
    "non-registry-source",
    "not-found",
    "quarantined",
    "registered-after-missing",
    "registry-unavailable",
    "typosquat",
    "unpublished",
    "unresolvable-import",
    "yanked",
)


def all_codes_report() -> Report:
    """A block and a warn finding per known reason code, multi-location findings, ok packages and errors."""
    findings: list[Finding] = []
    for i, code in enumerate(SAMPLE_CODES):
        verdict = Verdict.BLOCK if CODES[code].level == "error" else Verdict.WARN
        eco = (Ecosystem.PYPI, Ecosystem.NPM, Ecosystem.GO)[i % 3]
        name = f"pkg-{code}" if eco is not Ecosystem.GO else f"example.com/{code}/mod"
        refs = (ref(eco, name, f"src/dir {i}/file_{i}.txt", i + 1, col=3),)
        findings.append(finding(eco, name, verdict, (code,), refs))
    findings.append(
        finding(
            Ecosystem.PYPI,
            "reqeusts",
            Verdict.BLOCK,
            ("not-found", "known-hallucination"),
            (
                ref(Ecosystem.PYPI, "reqeusts", "requirements.txt", 3),
                ref(Ecosystem.PYPI, "reqeusts", "app/main.py", 7, kind=RefKind.IMPORT, col=8),
                ref(Ecosystem.PYPI, "reqeusts", "app/main.py", 7, kind=RefKind.IMPORT, col=8),  # duplicate
                ref(Ecosystem.PYPI, "reqeusts", "app/other.py", 2, kind=RefKind.IMPORT),
                ref(Ecosystem.PYPI, "reqeusts", "setup.cfg", None),
            ),
            suggestion="requests",
        )
    )
    findings.append(
        finding(Ecosystem.NPM, "left-pad", Verdict.WARN, ("typosquat",), (), suggestion="leftpad")  # no location
    )
    findings.append(
        finding(
            Ecosystem.PYPI,
            "cmd-line",
            Verdict.BLOCK,
            ("not-found",),
            (ref(Ecosystem.PYPI, "cmd-line", "<command line>", None),),
        )
    )
    findings.extend(
        Finding(
            Ecosystem.PYPI,
            name,
            (ref(Ecosystem.PYPI, name, "requirements.txt", 1),),
            record(Ecosystem.PYPI, name),
            Verdict.OK,
        )
        for name in ("requests", "numpy", "flask")
    )
    errors = (
        Problem("broken.json", "not valid JSON: Expecting value", line=4, code="input-error"),
        Problem("-", "stdin was empty"),
    )
    return Report(tuple(findings), errors, ("requirements.txt", "app/"))


def evil_report() -> Report:
    """Every output medium's injection attempt, as names, paths, messages, suggestions and errors."""
    findings = []
    for i, name in enumerate(EVIL_NAMES):
        eco = Ecosystem.NPM if i % 2 else Ecosystem.PYPI
        refs = (ref(eco, name, f"dir/{name}.txt", i + 1),)
        reasons = (Reason("not-found", f"{name} is not on the registry"),)
        findings.append(Finding(eco, name, refs, None, Verdict.BLOCK if i % 3 else Verdict.WARN, reasons, name))
    findings.append(
        Finding(Ecosystem.PYPI, EVIL_NAMES[0], (ref(Ecosystem.PYPI, EVIL_NAMES[0], "ok.txt", 1),), None, Verdict.OK)
    )
    errors = tuple(Problem(f"{name}.json", f"cannot read {name}", line=1) for name in EVIL_NAMES)
    return Report(tuple(findings), errors, ("x",))
