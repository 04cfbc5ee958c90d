"""The pipeline: inputs -> extract -> registry -> rules -> policy -> `Report`. The one module wiring stages together.

Entry points (CLI, agent hook, GitHub Action) call `check_names`, `check_refs` or `scan` and nothing deeper.
Heavy stages are imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from slopguard import names
from slopguard.config import Settings
from slopguard.errors import InputError, UsageError
from slopguard.models import (
    INCOMPLETE,
    INDEX_FIRST,
    Ecosystem,
    Finding,
    Location,
    LookupKey,
    PackageRef,
    Problem,
    Project,
    RefKind,
    RegistryRecord,
    Report,
    SettingChange,
    Source,
    SourceKind,
    Verdict,
)

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook imports this module on every install check
if TYPE_CHECKING:
    from typing import BinaryIO

    import httpx

    from slopguard.extract.project_collect import Knowledge
    from slopguard.registry import RecordCache, Resolver
    from slopguard.registry.transport import Transport

_CODE_KINDS = frozenset(
    {SourceKind.PYTHON, SourceKind.JAVASCRIPT, SourceKind.TYPESCRIPT, SourceKind.TSX, SourceKind.GO}
)


def parse_ref(text: str) -> PackageRef:
    """A `PackageRef` from a command-line REF: `pypi:NAME`, `npm:NAME` or `go:PATH` (optional `@VERSION`/`==VER`)."""
    prefix, sep, rest = text.partition(":")
    try:
        ecosystem = Ecosystem(prefix.strip().lower())
    except ValueError:
        hint = names.ref_hint(text)
        raise UsageError(f"REF must look like pypi:NAME, npm:NAME or go:PATH, not {text!r}{hint}") from None
    if not sep or not rest:
        raise UsageError(f"REF {text!r} has no name after '{prefix}:'")
    name, spec = _split_version(ecosystem, rest.strip())
    return PackageRef(
        ecosystem=ecosystem,
        name=name,
        canonical=names.canonicalize(ecosystem, name),
        kind=RefKind.INSTALL,
        location=Location("<command line>"),
        evidence=text,
        spec=spec,
    )


def _split_version(ecosystem: Ecosystem, text: str) -> tuple[str, str | None]:
    if ecosystem is Ecosystem.PYPI:
        for op in ("===", "==", ">=", "<=", "~=", "!=", ">", "<"):
            if op in text:
                name, _, _ = text.partition(op)
                return name.strip(), text[len(name) :].strip()
        return text, None
    at = text.rfind("@")
    if at > 0:  # `@scope/name@1.0`, `name@latest`, `go.mod/path@v1.2.3`; a leading '@' is a scope
        return text[:at], text[at + 1 :] or None
    return text, None


def check_names(refs: Sequence[str], settings: Settings, *, client: httpx.Client | None = None) -> Report:
    """Check command-line REFs; an unparseable REF becomes an `errors` entry (`UsageError` if none parse)."""
    parsed: list[PackageRef] = []
    problems: list[Problem] = []
    for text in refs:
        try:
            parsed.append(parse_ref(text))
        except UsageError as exc:
            problems.append(Problem("<command line>", str(exc), code="usage-error"))
    if not parsed:
        raise UsageError(problems[0].message if problems else "no REF given")
    return check_refs(parsed, settings, problems=problems, client=client, inputs=tuple(refs))


def _lookup_key(ecosystem: Ecosystem, name: str, refs: Sequence[PackageRef], settings: Settings) -> LookupKey | None:
    """What to ask the registry for this package, or `None` when it must not be asked.

    The one gate every lookup passes (scan, check, hook, Action): names on the allow or deny list never
    leave the machine, and an index URL an input named is asked only when it is one the settings configure
    (then as the settings spell it); a ref naming any other index is not looked up (`unverified-index`).
    """
    from slopguard.config import list_match

    if names.invalid_reason(ecosystem, name) is not None:
        return None
    if list_match(settings.deny, ecosystem, name) or list_match(settings.allow, ecosystem, name):
        return None
    asked: list[tuple[str | None, bool]] = []  # (index to ask, asked before the default) per registry ref
    for ref in refs:
        if ref.source is not None:
            continue
        if ref.index_url is None:
            asked.append((None, False))
            continue
        from slopguard.config.indexes import lookup_index

        trusted, index = lookup_index(ecosystem, name, ref.index_url, settings)
        if trusted:
            asked.append((index, index is not None and INDEX_FIRST in ref.notes))
    if not asked:
        return None
    indexes = {index for index, _ in asked}
    index = indexes.pop() if len(indexes) == 1 else None
    then_default = index is not None and all(first for _, first in asked)
    return LookupKey(ecosystem, name, index, then_default)


def _group(refs: Iterable[PackageRef]) -> dict[tuple[Ecosystem, str], list[PackageRef]]:
    groups: dict[tuple[Ecosystem, str], list[PackageRef]] = {}
    for ref in refs:
        groups.setdefault((ref.ecosystem, ref.canonical), []).append(ref)
    return groups


def _keys(groups: dict[tuple[Ecosystem, str], list[PackageRef]], settings: Settings) -> list[LookupKey]:
    """What to ask the registries for `groups` (packages that must not be asked are left out)."""
    return [k for (eco, name), refs in groups.items() if (k := _lookup_key(eco, name, refs, settings)) is not None]


def _version_keys(
    groups: dict[tuple[Ecosystem, str], list[PackageRef]], records: dict[LookupKey, RegistryRecord], settings: Settings
) -> list[LookupKey]:
    """The Go versions to ask about one by one: exact pins the module's `@v/list` lacks (`rules.versions`)."""
    if not any(eco is Ecosystem.GO and any(r.spec for r in refs) for (eco, _), refs in groups.items()):
        return []
    from slopguard.rules.versions import probe_keys

    return probe_keys(groups, records, lambda eco, name, refs: _lookup_key(eco, name, refs, settings))


def _worst_first(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """`findings` in report order: blocks first, then warns, then ok; by ecosystem and name within each."""
    return tuple(sorted(findings, key=lambda f: (-f.verdict.rank, f.ecosystem.value, f.name)))


def lookup(
    keys: Iterable[LookupKey],
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    transport: Transport | None = None,
    cache: RecordCache | None = None,
) -> dict[LookupKey, RegistryRecord]:
    """Registry records for `keys`: from the cache alone when it has them all (no network stack loaded),
    else through `transport`, `client` or a client of slopguard's own (see `slopguard.registry.Resolver`);
    `cache` is the record cache to use (default: a `RecordCache` of `settings`)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    from slopguard.registry import Resolver, cached_records

    # A cache directory without a database has nothing to read: do not create one just to find it empty.
    has_cache = settings.use_cache and (bool(settings.shared_cache) or (Path(settings.cache_dir) / "cache.db").exists())
    records = cached_records(wanted, settings, cache) if has_cache else {}
    missing = [k for k in wanted if k not in records]
    if missing:
        with Resolver(settings, client=client, transport=transport, cache=cache) as resolver:
            resolver.submit_many(missing)
            records.update(resolver.results())
    return records


def decide_all(
    groups: dict[tuple[Ecosystem, str], list[PackageRef]],
    records: dict[LookupKey, RegistryRecord],
    settings: Settings,
    now: datetime | None = None,
    keys: dict[tuple[Ecosystem, str], LookupKey | None] | None = None,
) -> tuple[Finding, ...]:
    """Assess every package and decide its verdict; blocks first, then warns, then ok (`keys`: each group's
    `_lookup_key`, when the caller has them already)."""
    from slopguard.policy import decide
    from slopguard.rules import assess

    now = now or datetime.now(timezone.utc)
    if groups:  # many names: the typosquat index is built at once (`assess` loads the module anyway)
        from slopguard.rules.similarity import expect

        for ecosystem in Ecosystem:
            expect(ecosystem, sum(eco is ecosystem for eco, _ in groups))
    findings = []
    probes: dict[tuple[Ecosystem, str], dict[str, RegistryRecord]] = {}
    if any(key.version is not None for key in records):  # Go versions asked one by one (`_version_keys`)
        from slopguard.rules.versions import by_module

        probes = by_module(records)
    for (ecosystem, name), refs in groups.items():
        key = keys[(ecosystem, name)] if keys is not None else _lookup_key(ecosystem, name, refs, settings)
        record = records.get(key) if key else None
        versions = probes.get((ecosystem, record.name)) if record is not None else None
        assessment = assess(ecosystem, name, refs, record, settings, now, versions)
        verdict = decide(ecosystem, name, assessment, settings)
        findings.append(
            Finding(ecosystem, name, tuple(refs), record, verdict, assessment.reasons, assessment.suggestion)
        )
    return _worst_first(findings)


def check_refs(
    refs: Iterable[PackageRef],
    settings: Settings,
    *,
    problems: Iterable[Problem] = (),
    now: datetime | None = None,
    client: httpx.Client | None = None,
    inputs: tuple[str, ...] = (),
    cache: RecordCache | None = None,
) -> Report:
    """Look up, assess and decide every distinct package among `refs` (`cache`: the record cache to use,
    kept open by the caller; default: one opened for the lookups)."""
    groups = _group(refs)
    records = lookup(_keys(groups, settings), settings, client=client, cache=cache)
    records.update(lookup(_version_keys(groups, records, settings), settings, client=client, cache=cache))
    return Report(decide_all(groups, records, settings, now), tuple(problems), inputs)


def check_refs_stored(
    refs: Iterable[PackageRef],
    settings: Settings,
    *,
    problems: Iterable[Problem] = (),
    now: datetime | None = None,
    client: httpx.Client | None = None,
    transport: Transport | None = None,
    inputs: tuple[str, ...] = (),
) -> Report:
    """`check_refs`, answering from the decision store first (`slopguard.registry.decisions`) and storing
    the decisions it has to make: the agent hook's path, where the same names come back call after call.

    A stored decision is the one `check_refs` would reach for the same inputs (it expires before it could
    differ); packages the store does not answer for go through the full lookup, rules and policy.
    """
    if not settings.use_cache:
        groups = _group(refs)
        records = lookup(_keys(groups, settings), settings, client=client, transport=transport)
        records.update(lookup(_version_keys(groups, records, settings), settings, client=client, transport=transport))
        return Report(decide_all(groups, records, settings, now), tuple(problems), inputs)
    from slopguard.registry.decisions import DecisionStore

    now = now or datetime.now(timezone.utc)
    groups = _group(refs)
    store = DecisionStore(settings)
    stored = store.get_many(groups, now.timestamp())
    findings = list(stored.values())
    rest = {group: rs for group, rs in groups.items() if group not in stored}
    if rest:
        from slopguard.registry.cache import RecordCache

        # What is looked up here is kept in the decision store: the record cache is only read (diskcache is
        # not loaded), and first misses still go to the seen-missing ledger.
        shared = None
        if settings.shared_cache:  # the fleet's store: one round trip for decisions, records and first misses
            from slopguard.fleet import decisions as shared_decisions
            from slopguard.fleet import open_store

            shared = open_store(settings, light=True)
        cache = RecordCache(settings, read_only=True, shared=shared)
        try:
            if shared is not None:
                cache.prefetch(_keys(rest, settings), shared_decisions.wanted(rest, settings))
                known = shared_decisions.read(shared, rest, settings)
                store.put_many(list(known.values()), now.timestamp())
                findings.extend(known.values())
                rest = {group: rs for group, rs in rest.items() if group not in known}
            records = lookup(_keys(rest, settings), settings, client=client, transport=transport, cache=cache)
            more = _version_keys(rest, records, settings)
            records.update(lookup(more, settings, client=client, transport=transport, cache=cache))
            fresh = decide_all(rest, records, settings, now)
            store.put_many(fresh, now.timestamp())
            if shared is not None:
                shared_decisions.write(shared, fresh, settings, now.timestamp())
            findings.extend(fresh)
        finally:
            cache.close()
            if shared is not None:
                shared.close()
    return Report(_worst_first(findings), tuple(problems), inputs)


class _Scan:
    """Mutable state of one scan: refs so far, problems, lookups already under way."""

    def __init__(self, settings: Settings, client: httpx.Client | None) -> None:
        self.settings = settings
        self.client = client
        self.refs: list[PackageRef] = []
        self.problems: list[Problem] = []
        self.changes: list[SettingChange] = []
        self.written: set[str] = set()
        self.submitted: set[LookupKey] = set()
        self.resolver: Resolver | None = None

    def submit(self, ref: PackageRef) -> None:
        """Start looking `ref` up now, while reading goes on (imports wait for first-party knowledge)."""
        if ref.kind is RefKind.IMPORT or self.settings.offline:
            return
        key = _lookup_key(ref.ecosystem, ref.canonical, [ref], self.settings)
        if key is None or key in self.submitted:
            return
        if self.resolver is None:
            from slopguard.registry import Resolver

            self.resolver = Resolver(self.settings, client=self.client).__enter__()
        self.submitted.add(key)
        self.resolver.submit(key)


MAX_INPUT_SOURCES = 10_000
"""Sources (commands, code blocks, inline spans, diff hunks) read per input; past it the rest of the input is
not read, with an `INCOMPLETE` problem (bounded time: each source costs a parse, however small)."""
MAX_INPUT_NAMES = 10_000
"""Distinct packages read per input (each source keeps its own `MAX_REFS`); past it, as `MAX_INPUT_SOURCES`."""
_UNREADABLE = frozenset({"binary", "input-error"})
"""Codes of a Problem that says a whole input could not be read (an input that gave only these was not read)."""
_TOO_DEEP = "nested too deeply to be read (recursion limit); not scanned"


def scan(
    paths: Sequence[str],
    settings: Settings,
    *,
    input_kind: str | None = None,
    git_range: str | None = None,
    cwd: Path | None = None,
    stdin: BinaryIO | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Read every input (files, trees, diffs, transcripts, `-` for stdin, or a git range), then check what they use.

    `progress`, when given, is called with a one-line status as the work goes on (the CLI shows it on a
    terminal); it never receives names or paths from the inputs.
    """
    from slopguard.extract import extract
    from slopguard.extract.project import is_first_party, project_around, project_from_files, project_near_file
    from slopguard.extract.project_collect import Knowledge
    from slopguard.inputs.tree import is_read

    cwd = cwd or Path.cwd()
    state = _Scan(settings, client)
    projects: list[Project] = []
    known = Knowledge()
    read_ok: list[str] = []
    total = len(paths) + (git_range is not None)
    try:
        for label, items in _input_streams(paths, input_kind, git_range, cwd, stdin, settings.max_file_bytes):
            if git_range is not None and label == f"git:{git_range}":
                _git_project(known, git_range, cwd)
                projects.append(project_around(cwd))
            elif Path(label).is_dir():
                known.add_tree(Path(label))
                projects.append(project_around(Path(label)))
            elif label != "-" and is_read(Path(label).name) and Path(label).is_file():
                projects.append(project_near_file(Path(label)))
            sources = unreadable = 0
            distinct: set[tuple[Ecosystem, str]] = set()
            try:
                for item in items:
                    if progress is not None:
                        progress(f"{len(read_ok)}/{total} inputs read, {len(state.refs)} package references so far")
                    if isinstance(item, Problem):
                        state.problems.append(item)
                        unreadable += item.line is None and item.code in _UNREADABLE
                        continue
                    if isinstance(item, SettingChange):
                        state.changes.append(item)
                        continue
                    if item.filename and item.kind in _CODE_KINDS:
                        state.written.add(item.filename)
                    known.add_source(item)  # its project (checkout, session folder) and what it shows of it
                    try:
                        extraction = extract(item)
                    except RecursionError:  # nesting deeper than a parser copes with: this source only
                        state.problems.append(Problem(item.path, _TOO_DEEP, item.locate(1).line, "input-error"))
                        unreadable += 1
                        continue
                    sources += 1
                    known.add_refs(extraction.refs, item.filename)
                    _extract_into(state, extraction)
                    distinct.update((r.ecosystem, r.canonical) for r in extraction.refs)
                    if sources >= MAX_INPUT_SOURCES or len(distinct) > MAX_INPUT_NAMES:
                        what = f"{MAX_INPUT_SOURCES} commands, code blocks or hunks"
                        what = what if sources >= MAX_INPUT_SOURCES else f"{MAX_INPUT_NAMES} distinct packages"
                        at = item.locate(1)  # where the last source read begins
                        message = f"more than {what} in this input; the rest of it was not read"
                        state.problems.append(Problem(at.path, message, at.line, INCOMPLETE))
                        break
                if sources or not unreadable:
                    read_ok.append(label)
            except InputError as exc:
                state.problems.append(Problem(label, str(exc), code="input-error"))
            except RecursionError:
                state.problems.append(Problem(label, _TOO_DEEP, code="input-error"))
        if state.written:
            projects.append(project_from_files(sorted(state.written), str(cwd)))
        project = known.project(*projects)
        own = (RefKind.IMPORT, RefKind.MANIFEST)  # an install or run naming the project would still fetch it
        refs = [r for r in state.refs if r.kind not in own or not is_first_party(r, project)]
        groups = _group(refs)
        group_keys = {group: _lookup_key(*group, rs, settings) for group, rs in groups.items()}
        keys = [key for key in group_keys.values() if key is not None]
        if progress is not None:
            progress(f"{len(read_ok)} inputs read; waiting for the registries on {len(keys)} packages")
        records = _finish_lookups(state, keys, groups)
    finally:
        if state.resolver is not None:
            state.resolver.__exit__(None, None, None)
    findings = decide_all(groups, records, settings, now, group_keys)
    changes = setting_changes(state.changes, settings)
    return Report(findings, tuple(state.problems), tuple(read_ok), changes, _incomplete(state.problems, settings))


def _incomplete(problems: Iterable[Problem], settings: Settings) -> Verdict | None:
    """The `on_unknown` verdict when a problem says part of an input was not read (`INCOMPLETE`), else `None`:
    a file cut short at a cap never passes clean (the agent hook decides the same way)."""
    if not any(p.code == INCOMPLETE for p in problems):
        return None
    return {"block": Verdict.BLOCK, "allow": Verdict.OK}.get(str(settings.on_unknown), Verdict.WARN)


def _git_project(known: Knowledge, git_range: str, cwd: Path) -> None:
    """The project of a `--git` range: the checkout when the head revision is checked out, else the head commit."""
    from slopguard.inputs.gitdiff import head_files

    found = head_files(git_range, cwd)
    if found is None:
        return
    root, listing, read = found
    if listing is None:
        known.add_tree(root)
    else:
        known.add_listing(listing, read, root)


def setting_changes(changes: Iterable[SettingChange], settings: Settings) -> tuple[SettingChange, ...]:
    """`changes` without repeats, each with the verdict `settings.on_setting_change` gives it, in file order."""
    from slopguard.models import Verdict

    verdict = Verdict(settings.on_setting_change)
    unique = {(c.code, c.location.path, c.location.line): c for c in changes}
    ordered = sorted(unique.values(), key=lambda c: (c.location.path, c.location.line or 0, c.code))
    return tuple(SettingChange(c.code, c.location, c.message, c.evidence, verdict) for c in ordered)


def _extract_into(state: _Scan, extraction: object) -> None:
    from slopguard.models import Extraction

    assert isinstance(extraction, Extraction)
    state.problems.extend(extraction.problems)
    state.written.update(extraction.written)  # source files a command writes (`cat > app.py <<EOF`)
    for ref in extraction.refs:
        state.refs.append(ref)
        state.submit(ref)


def _finish_lookups(
    state: _Scan, keys: list[LookupKey], groups: dict[tuple[Ecosystem, str], list[PackageRef]]
) -> dict[LookupKey, RegistryRecord]:
    if state.resolver is None:
        records = lookup(keys, state.settings, client=state.client)
        records.update(lookup(_version_keys(groups, records, state.settings), state.settings, client=state.client))
        return records
    state.resolver.extend_deadline()  # the deadline is for the lookups, not for reading the inputs
    state.resolver.submit_many(key for key in keys if key not in state.submitted)
    records = state.resolver.results()
    more = _version_keys(groups, records, state.settings)
    if not more:
        return records
    state.resolver.submit_many(more)
    return state.resolver.results()


def _input_streams(
    paths: Sequence[str],
    input_kind: str | None,
    git_range: str | None,
    cwd: Path,
    stdin: BinaryIO | None,
    max_file: int,
) -> Iterator[tuple[str, Iterable[Source | Problem | SettingChange]]]:
    """One (label, stream of Sources) per input; a stream raises `InputError` if its input cannot be read."""
    from slopguard.inputs import InputKind, read_git, read_inputs

    kind = InputKind(input_kind) if input_kind else None
    if git_range is not None:
        yield f"git:{git_range}", read_git(git_range, cwd)
    for path in paths:
        yield path, read_inputs([path], kind, stdin=stdin, cwd=cwd, max_file=max_file)
