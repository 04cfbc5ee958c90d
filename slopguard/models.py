"""The frozen vocabulary every stage speaks: sources, package references, registry records, findings.

Data flows one way::

    inputs  -> Source            (text to look at, with where it came from)
    extract -> PackageRef        (a package name found in a Source) and Problem (what could not be read)
    registry-> RegistryRecord    (what the registry says about a name; "not found" is a value)
    rules   -> Reason            (why a name is suspicious)
    policy  -> Verdict           (ok / warn / block)
    check   -> Finding, Report   (everything above, per distinct package)

Every class here is a frozen dataclass or a string enum, so values can be hashed, compared and
serialised without surprises. This module imports nothing heavy: the agent hook loads it on every call.

The dataclasses are built by `slopguard._frozen` (`@dataclass(frozen=True)` to type checkers), with each
`__init__` written out here instead of generated through `exec` at import (~15 ms on every hook call).
"""

from __future__ import annotations

import enum

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on every hook call
if TYPE_CHECKING:
    from dataclasses import dataclass
    from datetime import datetime
else:  # the same frozen dataclasses, built without `dataclasses` at import
    from slopguard._frozen import dataclass


class Ecosystem(str, enum.Enum):
    """A package registry slopguard knows how to ask."""

    PYPI = "pypi"
    NPM = "npm"
    GO = "go"


class RefKind(str, enum.Enum):
    """How a package was referenced: installed, run at once, imported, or declared in a manifest."""

    INSTALL = "install"
    RUN = "run"
    IMPORT = "import"
    MANIFEST = "manifest"


INDEX_FIRST = "index-first"
"""A `PackageRef` note: `index_url` is asked first and the default registry after it (uv's `--index`)."""


class Status(str, enum.Enum):
    """What a registry said about a name.

    `UNKNOWN` means "could not tell" (timeout, 5xx, garbage) and is never a verdict of its own;
    `SKIPPED` means slopguard deliberately did not ask (private module path, non-registry source).
    """

    EXISTS = "exists"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


class Verdict(str, enum.Enum):
    """The decision for one package, ordered `OK < WARN < BLOCK`."""

    OK = "ok"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        """Severity as an integer, for comparisons and `max()`."""
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Verdict.OK: 0, Verdict.WARN: 1, Verdict.BLOCK: 2}


class SourceKind(str, enum.Enum):
    """What language a `Source` holds, which decides the extractor that reads it."""

    SHELL = "shell"
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    TSX = "tsx"
    GO = "go"
    MANIFEST = "manifest"  # `filename` says which (requirements.txt, package.json, go.mod, ...)


@dataclass(frozen=True)
class Location:
    """Where a reference was found: a path, a 1-based line and column, and an optional detail.

    `detail` carries what a line number cannot, such as a transcript's tool-use id. `agent` and `time` say whose
    transcript it is (`claude`, `codex`) and when its record was written (timezone-aware UTC), when known.
    """

    path: str
    line: int | None = None
    column: int | None = None
    detail: str | None = None
    agent: str | None = None
    time: datetime | None = None
    snippet: str | None = None
    """The line of a shell command that holds the reference, as written (a shell ref's evidence is one word)."""

    def __init__(
        self,
        path: str,
        line: int | None = None,
        column: int | None = None,
        detail: str | None = None,
        agent: str | None = None,
        time: datetime | None = None,
        snippet: str | None = None,
    ) -> None:
        self.__dict__.update(
            path=path, line=line, column=column, detail=detail, agent=agent, time=time, snippet=snippet
        )


@dataclass(frozen=True)
class Source:
    """A piece of text to extract package references from, and where its lines land.

    Readers (`slopguard.inputs`) produce these; extractors (`slopguard.extract`) consume them.
    Use `locate()` to turn a position inside `text` into a `Location`, and `keeps()` to ask whether a
    line of `text` counts (in a diff only added lines do).
    """

    text: str
    kind: SourceKind
    path: str
    """Path used in locations: repo-relative file, transcript file, or `-` for stdin."""
    filename: str | None = None
    """The file name that decides a manifest's format, or the source file's own path (for first-party rules)."""
    line_offset: int = 0
    """Added to a 1-based line inside `text` to give the line in `path`."""
    pin_line: int | None = None
    """When set, every location gets this line (a transcript's JSONL line), whatever the line inside `text`."""
    added_lines: frozenset[int] | None = None
    """1-based lines inside `text` that may produce references; `None` means all of them."""
    cwd: str | None = None
    """Working directory of a command, for `pip install -r FILE` and the like."""
    detail: str | None = None
    """Copied into every `Location.detail` (for example the tool-use id)."""
    root: str | None = None
    """The folder every file this text names must lie in (`slopguard.root`): set by the reader; `""` means none
    is known (nothing is read), `None` that it follows from `cwd` (`slopguard.root.root_of`)."""
    agent: str | None = None
    """The agent whose transcript holds the text (`claude`, `codex`); copied into every `Location`."""
    time: datetime | None = None
    """When the transcript record holding the text was written (UTC); copied into every `Location`."""

    def __init__(
        self,
        text: str,
        kind: SourceKind,
        path: str,
        filename: str | None = None,
        line_offset: int = 0,
        pin_line: int | None = None,
        added_lines: frozenset[int] | None = None,
        cwd: str | None = None,
        detail: str | None = None,
        root: str | None = None,
        agent: str | None = None,
        time: datetime | None = None,
    ) -> None:
        self.__dict__.update(
            text=text, kind=kind, path=path, filename=filename, line_offset=line_offset, pin_line=pin_line,
            added_lines=added_lines, cwd=cwd, detail=detail, root=root, agent=agent, time=time,
        )  # fmt: skip

    def locate(self, line: int, column: int | None = None, snippet: str | None = None) -> Location:
        """Location of 1-based `line` (and column) inside `text`. A pinned source (a command inside a transcript
        line) gets no column: a column inside `text` is not a column of `path`."""
        if self.pin_line is not None:
            return Location(self.path, self.pin_line, None, self.detail, self.agent, self.time, snippet)
        return Location(self.path, line + self.line_offset, column, self.detail, self.agent, self.time, snippet)

    def keeps(self, line: int) -> bool:
        """Whether a reference on 1-based `line` inside `text` should be reported."""
        return self.added_lines is None or line in self.added_lines


@dataclass(frozen=True)
class PackageRef:
    """One mention of a package: the name as written and the registry name it stands for.

    `canonical` is what the registry is asked for: the PEP 503 name for PyPI, the exact (case-sensitive)
    name for npm, the module or package path for Go, and for a Python import the distribution it maps to.
    `source` is set for references that do not come from a registry (git URL, local path, `file:` spec);
    those are reported but never looked up. `notes` carries reason codes decided at extraction time
    (`non-registry-source`, `extra-index-url`) and `INDEX_FIRST`.
    """

    ecosystem: Ecosystem
    name: str
    canonical: str
    kind: RefKind
    location: Location
    evidence: str = ""
    spec: str | None = None
    source: str | None = None
    index_url: str | None = None
    notes: tuple[str, ...] = ()

    def __init__(
        self,
        ecosystem: Ecosystem,
        name: str,
        canonical: str,
        kind: RefKind,
        location: Location,
        evidence: str = "",
        spec: str | None = None,
        source: str | None = None,
        index_url: str | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.__dict__.update(
            ecosystem=ecosystem, name=name, canonical=canonical, kind=kind, location=location, evidence=evidence,
            spec=spec, source=source, index_url=index_url, notes=notes,
        )  # fmt: skip


INCOMPLETE = "input-incomplete"
"""`Problem.code` of a part of the input that was not read (a size cap was hit, the text could not be parsed):
a package there may be missed. The agent hook answers a command with one by its `on_unknown` policy."""


@dataclass(frozen=True)
class Problem:
    """Something that could not be read or understood; becomes an entry of the report's `errors`."""

    path: str
    message: str
    line: int | None = None
    code: str = "input-error"

    def __init__(self, path: str, message: str, line: int | None = None, code: str = "input-error") -> None:
        self.__dict__.update(path=path, message=message, line=line, code=code)


@dataclass(frozen=True)
class Extraction:
    """What an extractor found in one `Source`."""

    refs: tuple[PackageRef, ...] = ()
    problems: tuple[Problem, ...] = ()
    written: tuple[str, ...] = ()
    """Source files the text creates (a shell here-document `cat > app.py <<EOF`), as named: first-party code."""

    def __init__(
        self, refs: tuple[PackageRef, ...] = (), problems: tuple[Problem, ...] = (), written: tuple[str, ...] = ()
    ) -> None:
        self.__dict__.update(refs=refs, problems=problems, written=written)


@dataclass(frozen=True)
class Project:
    """What is first-party in the tree being scanned, so its imports are never looked up.

    Built once per run from the tree, a diff or a transcript's written files, then passed to the
    extractors so they stay pure.
    """

    root: str | None = None
    python_modules: frozenset[str] = frozenset()
    """Top-level importable names that belong to the project (`mypkg`, `tests`, `conftest`)."""
    npm_packages: frozenset[str] = frozenset()
    """The project's own package names (package.json `name`, workspaces)."""
    js_aliases: tuple[str, ...] = ()
    """Import prefixes that are path aliases (`@/`, `~/`, tsconfig `paths` keys without `*`)."""
    go_modules: frozenset[str] = frozenset()
    """Module paths declared by `go.mod` files in the tree."""
    python_distributions: frozenset[str] = frozenset()
    """The project's own PyPI names (PEP 503), so `myproj[test]` in its own manifest is not looked up."""

    def __init__(
        self,
        root: str | None = None,
        python_modules: frozenset[str] = frozenset(),
        npm_packages: frozenset[str] = frozenset(),
        js_aliases: tuple[str, ...] = (),
        go_modules: frozenset[str] = frozenset(),
        python_distributions: frozenset[str] = frozenset(),
    ) -> None:
        self.__dict__.update(
            root=root, python_modules=python_modules, npm_packages=npm_packages, js_aliases=js_aliases,
            go_modules=go_modules, python_distributions=python_distributions,
        )  # fmt: skip


@dataclass(frozen=True)
class LookupKey:
    """What to ask a registry: an ecosystem, a canonical name and, optionally, a non-default index.

    With `then_default`, a name `index_url` does not have is asked of the default registry too (uv's
    `--index`: indexes are tried in order, and the first that has the name wins). With `version`, the key
    asks whether module `name` serves that one version (a Go pin its `@v/list` lacks, such as a pseudo-version).
    """

    ecosystem: Ecosystem
    name: str
    index_url: str | None = None
    then_default: bool = False
    version: str | None = None

    def __init__(
        self,
        ecosystem: Ecosystem,
        name: str,
        index_url: str | None = None,
        then_default: bool = False,
        version: str | None = None,
    ) -> None:
        self.__dict__.update(
            ecosystem=ecosystem, name=name, index_url=index_url, then_default=then_default, version=version
        )


@dataclass(frozen=True)
class RegistryRecord:
    """What a registry said about one name. "Not found" is a value; so is "could not tell".

    Times are timezone-aware UTC. `first_missing_at` is the first moment this name was ever seen
    missing on this registry (kept by the cache for good): a first release after it is the slopsquat
    pattern.
    """

    ecosystem: Ecosystem
    name: str
    status: Status
    source_url: str = ""
    fetched_at: datetime | None = None
    first_release: datetime | None = None
    latest_release: datetime | None = None
    latest_version: str | None = None
    version_count: int | None = None
    repository: str | None = None
    deprecated: str | None = None
    """The deprecation message of the latest version, if any."""
    yanked: bool = False
    """Every release is yanked (PyPI)."""
    quarantined: bool = False
    """PEP 792 `quarantined`, or npm's `0.0.1-security` malware takedown."""
    archived: bool = False
    unpublished: bool = False
    security_holder: bool = False
    """npm replaced the package with its `0.0.1-security` holder (a malware takedown)."""
    first_missing_at: datetime | None = None
    error: str | None = None
    """Why the status is `UNKNOWN` or `SKIPPED`."""
    from_cache: bool = False
    versions: tuple[str, ...] | None = None
    """Every version the registry lists (`None`: not known); a pinned version is checked against it."""

    def __init__(
        self,
        ecosystem: Ecosystem,
        name: str,
        status: Status,
        source_url: str = "",
        fetched_at: datetime | None = None,
        first_release: datetime | None = None,
        latest_release: datetime | None = None,
        latest_version: str | None = None,
        version_count: int | None = None,
        repository: str | None = None,
        deprecated: str | None = None,
        yanked: bool = False,
        quarantined: bool = False,
        archived: bool = False,
        unpublished: bool = False,
        security_holder: bool = False,
        first_missing_at: datetime | None = None,
        error: str | None = None,
        from_cache: bool = False,
        versions: tuple[str, ...] | None = None,
    ) -> None:
        self.__dict__.update(
            ecosystem=ecosystem, name=name, status=status, source_url=source_url, fetched_at=fetched_at,
            first_release=first_release, latest_release=latest_release, latest_version=latest_version,
            version_count=version_count, repository=repository, deprecated=deprecated, yanked=yanked,
            quarantined=quarantined, archived=archived, unpublished=unpublished, security_holder=security_holder,
            first_missing_at=first_missing_at, error=error, from_cache=from_cache, versions=versions,
        )  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """A reason code (`not-found`, `typosquat`, ...) and a message a developer understands."""

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        self.__dict__.update(code=code, message=message)


@dataclass(frozen=True)
class Finding:
    """The decision about one distinct package, with every place it was referenced."""

    ecosystem: Ecosystem
    name: str
    refs: tuple[PackageRef, ...]
    record: RegistryRecord | None
    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    suggestion: str | None = None

    def __init__(
        self,
        ecosystem: Ecosystem,
        name: str,
        refs: tuple[PackageRef, ...],
        record: RegistryRecord | None,
        verdict: Verdict,
        reasons: tuple[Reason, ...] = (),
        suggestion: str | None = None,
    ) -> None:
        self.__dict__.update(
            ecosystem=ecosystem, name=name, refs=refs, record=record, verdict=verdict, reasons=reasons,
            suggestion=suggestion,
        )  # fmt: skip


@dataclass(frozen=True)
class SettingChange:
    """A line a diff adds or removes in a file that configures slopguard (`config-changed`) or where packages
    are fetched from (`index-changed`): `.slopguard.toml`, `[tool.slopguard]`, `.npmrc` registries, pip index
    options, `[[tool.uv.index]]`, poetry sources. Such settings are read from the base commit, never from a
    change under review, so the change is shown to a reviewer instead of obeyed.
    """

    code: str
    location: Location
    message: str
    evidence: str = ""
    """The changed line, with credentials in URLs masked and cut to a readable length."""
    verdict: Verdict = Verdict.WARN

    def __init__(
        self, code: str, location: Location, message: str, evidence: str = "", verdict: Verdict = Verdict.WARN
    ) -> None:
        self.__dict__.update(code=code, location=location, message=message, evidence=evidence, verdict=verdict)


@dataclass(frozen=True)
class Report:
    """The result of one run: a finding per distinct package, the setting changes a diff makes, and the
    problems met on the way."""

    findings: tuple[Finding, ...] = ()
    errors: tuple[Problem, ...] = ()
    inputs: tuple[str, ...] = ()
    changes: tuple[SettingChange, ...] = ()
    incomplete: Verdict | None = None
    """The `on_unknown` verdict when an input was not read in full (`errors` coded `INCOMPLETE` say where)."""

    def __init__(
        self,
        findings: tuple[Finding, ...] = (),
        errors: tuple[Problem, ...] = (),
        inputs: tuple[str, ...] = (),
        changes: tuple[SettingChange, ...] = (),
        incomplete: Verdict | None = None,
    ) -> None:
        self.__dict__.update(findings=findings, errors=errors, inputs=inputs, changes=changes, incomplete=incomplete)

    @property
    def verdict(self) -> Verdict:
        """The worst verdict of all findings, setting changes and `incomplete` (`OK` when there are none)."""
        verdicts = [f.verdict for f in self.findings] + [c.verdict for c in self.changes]
        verdicts += [self.incomplete] if self.incomplete is not None else []
        return max(verdicts, key=lambda v: v.rank, default=Verdict.OK)
