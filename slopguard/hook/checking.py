"""The slow path of a hook call: turn the command or the written text into package refs and check them.

Runs in the hook's worker thread, so it may import the heavy stages; the registry deadline is shortened
to fit inside the hook's own deadline, so lookups that cannot finish come back `unknown` with the other
answers intact instead of the whole call timing out.
"""

from __future__ import annotations

from pathlib import Path

from slopguard.config import Settings
from slopguard.hook.protocols import Call
from slopguard.models import Extraction, PackageRef, Problem, RefKind, Report, Source, SourceKind

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: on the hook's path
if TYPE_CHECKING:
    from slopguard.registry.transport import Transport

_MARGIN = 0.25
"""Seconds of the hook deadline kept back after the lookups, for the rules, the reply and a slow machine."""


def hook_settings(settings: Settings, elapsed: float = 0.0) -> Settings:
    """`settings` with a registry deadline and timeouts that end before `settings.hook_deadline` does,
    `elapsed` seconds of it being gone already (start-up, imports, extraction)."""
    budget = max(0.05, float(settings.hook_deadline) - elapsed - _MARGIN)
    # A request stuck in a read is only abandoned when its read timeout expires, which may come after the
    # registry deadline: so deadline + timeout, not the deadline alone, must fit in the budget.
    timeout = min(settings.read_timeout, budget / 3)
    return settings.replace(
        deadline=min(settings.deadline, budget - timeout),
        connect_timeout=min(settings.connect_timeout, timeout),
        read_timeout=timeout,
    )


def check_call(
    call: Call,
    settings: Settings,
    started: float | None = None,
    *,
    allow_edits: bool = False,
    transport: Transport | None = None,
) -> Report:
    """The report for everything `call` would install (a command) or add (written text).

    `started` is the `time.monotonic()` at which the hook deadline began (default: now). The imports of
    source files a command writes through a here-document count only with `allow_edits` (as file writes do).
    Requests go through `transport` when one is given (it is not closed here), else through plain sockets.
    """
    import time

    started = time.monotonic() if started is None else started
    from slopguard.check import check_refs_stored
    from slopguard.extract import extract

    refs: list[PackageRef] = []
    problems: list[Problem] = []
    written: list[str] = []
    sources = command_sources(call) if call.command is not None else edit_sources(call, problems)
    root = call_root(call)
    sources = rooted(sources, root)
    for source in sources:
        extraction: Extraction = extract(source)
        refs.extend(extraction.refs)
        problems.extend(extraction.problems)
        written.extend(extraction.written)
    if call.command is not None and not allow_edits:  # a command's imports are those of files it writes
        refs = [r for r in refs if r.kind is not RefKind.IMPORT]
    if any(r.kind is RefKind.IMPORT for r in refs):
        refs = _drop_first_party(refs, call, sources, root, tuple(written))
    bounded = hook_settings(settings, time.monotonic() - started)
    # Plain sockets rather than httpx (~100 ms to import) for the hook's few requests (`registry.stdhttp`);
    # `None` (use httpx) when a proxy is configured. Nothing is imported until a request is really sent.
    if transport is not None:
        return check_refs_stored(
            refs, bounded, problems=problems, transport=transport, inputs=(f"<{call.agent} hook>",)
        )
    from slopguard.registry.http import USER_AGENT
    from slopguard.registry.stdhttp import light_transport

    own = light_transport(USER_AGENT)
    try:
        return check_refs_stored(refs, bounded, problems=problems, transport=own, inputs=(f"<{call.agent} hook>",))
    finally:
        if own is not None:
            own.close()


def call_root(call: Call) -> str:
    """The project of `call`: the repository of the payload's cwd (else of the hook's own working directory).
    A tool's `workdir` moves a command, never this root (`slopguard.root`)."""
    import os

    from slopguard.root import project_root

    return project_root(call.root if call.root else os.getcwd())


def rooted(sources: list[Source], root: str) -> list[Source]:
    """`sources`, whose named files may be read only inside `root` (`call_root`)."""
    from slopguard.root import with_root

    return [with_root(s, root) for s in sources]


def command_sources(call: Call) -> list[Source]:
    """The shell command as one `Source` (its `cwd` resolves `pip install -r FILE`)."""
    assert call.command is not None
    return [Source(call.command, SourceKind.SHELL, "<command>", cwd=call.cwd, pin_line=None)]


def edit_sources(call: Call, problems: list[Problem]) -> list[Source]:
    """A `Source` per file the call writes, of the kind its name implies; unreadable kinds are skipped."""
    sources: list[Source] = []
    for edit in call.edits:
        if edit.patch:
            sources.extend(patch_sources(edit.text, problems))
            continue
        source = _file_source(edit.path, edit.text, None, call.cwd)
        if source is not None:
            sources.append(source)
    return sources


def _file_source(path: str, text: str, added: frozenset[int] | None, cwd: str | None) -> Source | None:
    """A `Source` for `text` written to `path` (kind from the file name), `None` for files slopguard skips."""
    from slopguard.inputs.text import relative_to, written_source

    return written_source(path, text, path=relative_to(path, cwd), added_lines=added, cwd=cwd)


def patch_sources(patch: str, problems: list[Problem]) -> list[Source]:
    """Sources for the files a Codex `apply_patch` body adds or updates (`slopguard.inputs.apply_patch`).

    The hook runs before the patch is applied, so there is no file after the change to read: each updated
    hunk becomes a Source of its own whose added lines alone count.
    """
    from slopguard.inputs.apply_patch import patch_sources as read_patch
    from slopguard.inputs.apply_patch import text_lines

    sources: list[Source] = []
    for item in read_patch(text_lines(patch), "<apply_patch>"):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            sources.append(item)
    return sources


def _drop_first_party(
    refs: list[PackageRef], call: Call, sources: list[Source], root: str, created: tuple[str, ...] = ()
) -> list[PackageRef]:
    """`refs` without imports of the project's own code: the whole project `root` (`call_root`; never a folder
    a tool's `workdir` names), the files being written (`created` among them: those a command writes), and what
    they show of the project (manifests, `workspace:` dependencies)."""
    from slopguard.extract.project import is_first_party, project_from_files
    from slopguard.extract.project_collect import Knowledge

    known = Knowledge()
    if call.root and Path(call.root).is_dir():
        known.add_tree(root)
    for source in sources:
        known.add_source(source)
    known.add_refs(refs)  # where each came from is not kept here: a relative path is taken from the project top
    written = [name for s in sources if (name := s.filename or s.path) and not name.startswith("<")]
    written.extend(created)
    project = known.project(project_from_files(written, call.cwd)) if written else known.project()
    return [r for r in refs if r.kind is not RefKind.IMPORT or not is_first_party(r, project)]
