"""What the MCP server keeps open between tool calls, and the three tools' answers as JSON-able dicts.

One `Service` lives as long as the server: the settings (loaded once, from the folder the agent started the
server in: trusted, like the hook's config), one httpx client (its connections stay open) and one record
cache, so a name asked about twice is answered from memory and disk, not the network. Tool calls are
serialised by a lock (the SDK runs each in a worker thread). No `mcp` import here: the SDK is `server`'s.

Everything a tool receives is the model's text, untrusted (SECURITY.md): package refs are only parsed,
snippets read no file (`snippets`), and a command's `cwd` is confined to the server's project like a hook
payload's, never choosing what is read outside it.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any

from slopguard.config import Settings
from slopguard.errors import UsageError
from slopguard.models import Location, PackageRef, Problem, RefKind, Report, Source
from slopguard.root import Refused, inside, project_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx

    from slopguard.registry import RecordCache
    from slopguard.registry.http import HttpxTransport

MAX_PACKAGES = 200
"""Most package refs one `check_packages` call looks up; the rest are listed in `errors`."""
MAX_TEXT = 2 * 1024 * 1024
"""Largest snippet `scan_text` reads (characters)."""
_AGENT = "claude-code"
"""The hook whose decisions `check_command` gives (allow / ask / deny: the richest of the four)."""


class Service:
    """The tools' state and answers. Close it (or use it as a context manager) to close the client and cache."""

    def __init__(self, settings: Settings, cwd: str | None = None, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.cwd = os.path.realpath(cwd or os.getcwd())
        self.root = project_root(self.cwd)
        """The project every file a command names must lie in: the repository of the server's own folder."""
        self._client = client
        self._own_client = client is None
        self._transport: HttpxTransport | None = None
        self._cache: RecordCache | None = None
        self._lock = threading.Lock()
        self.calls = 0
        """Tool calls answered so far."""

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the record cache and the client this service made."""
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None
            if self._own_client and self._client is not None:
                self._client.close()
                self._client = None
                self._transport = None

    def client(self) -> httpx.Client:
        """The one httpx client of this service (made on first use)."""
        if self._client is None:
            from slopguard.registry.http import make_client

            self._client = make_client(self.settings)
        return self._client

    def transport(self) -> HttpxTransport:
        """The `Transport` over `client()`, for the hook's check (never closed by it)."""
        if self._transport is None:
            from slopguard.registry.http import HttpxTransport

            self._transport = HttpxTransport(self.client())
        return self._transport

    def cache(self) -> RecordCache | None:
        """The record cache, opened once; `None` when the settings turn caching off."""
        if self._cache is None and self.settings.use_cache:
            from slopguard.registry import RecordCache

            self._cache = RecordCache(self.settings)
        return self._cache

    # --- the tools --------------------------------------------------------------------------------

    def check_packages(self, packages: list[str]) -> dict[str, Any]:
        """`slopguard check` for `packages` (`pypi:NAME`, `npm:NAME@RANGE`, `go:PATH@VERSION`): the `slopguard/1`
        report, one finding per package (verdict, reasons, suggestion, registry facts with the newest version)."""
        from slopguard.check import parse_ref

        refs: list[PackageRef] = []
        problems: list[Problem] = []
        for text in packages[:MAX_PACKAGES]:
            try:
                ref = parse_ref(str(text))
            except UsageError as exc:
                problems.append(Problem("<check_packages>", str(exc), code="usage-error"))
                continue
            refs.append(dataclasses.replace(ref, location=Location("<check_packages>")))
        if len(packages) > MAX_PACKAGES:
            why = f"{len(packages) - MAX_PACKAGES} more packages not checked: at most {MAX_PACKAGES} per call"
            problems.append(Problem("<check_packages>", why, code="usage-error"))
        return answer(self._check(refs, problems))

    def scan_text(self, text: str, kind: str) -> dict[str, Any]:
        """`slopguard scan` for a snippet: every package `text` (read as `kind`) installs, imports or declares,
        judged; imports of the server's own project are not looked up. Nothing the text names is read."""
        from slopguard.extract import extract
        from slopguard.mcp.snippets import snippet_sources

        if len(text) > MAX_TEXT:
            raise UsageError(f"the text is {len(text):,} characters long; scan_text reads at most {MAX_TEXT:,}")
        refs: list[PackageRef] = []
        problems: list[Problem] = []
        sources: list[Source] = []
        for item in snippet_sources(text, kind):
            if isinstance(item, Problem):
                problems.append(item)
            elif isinstance(item, Source):
                sources.append(item)
                try:
                    extraction = extract(item)
                except RecursionError:
                    problems.append(
                        Problem(item.path, "nested too deeply to be read; not scanned", None, "input-error")
                    )
                    continue
                refs.extend(extraction.refs)
                problems.extend(extraction.problems)
        return answer(self._check(self._not_first_party(refs, sources), problems))

    def check_command(self, command: str, cwd: str | None = None) -> dict[str, Any]:
        """What `slopguard hook` would decide for the shell `command` run in `cwd` (default: the server's
        folder): `decision` (allow, ask, deny), the hook's `message` to the agent, and the findings."""
        from slopguard.hook.protocols import Call
        from slopguard.hook.run import judge

        folder, refused = self._confine(cwd)
        call = Call(_AGENT, "Bash", command=command, cwd=folder, root=self.root or None)
        with self._lock:
            self.calls += 1
            decision, message, note, report = judge(call, self.settings, transport=self.transport())
        result: dict[str, Any] = {"decision": decision, "message": message}
        notes = [line.removeprefix("slopguard: ") for line in note.splitlines() if line]
        if refused is not None:
            notes.insert(0, refused)
        result["notes"] = notes
        if report is not None:
            result.update(answer(report))
        return result

    # --- helpers ----------------------------------------------------------------------------------

    def _check(self, refs: list[PackageRef], problems: list[Problem]) -> Report:
        from slopguard.check import check_refs

        with self._lock:
            self.calls += 1
            return check_refs(
                refs, self.settings, problems=problems, client=self.client(), cache=self.cache(), inputs=()
            )

    def _confine(self, cwd: str | None) -> tuple[str | None, str | None]:
        """The folder a command runs in: `cwd` (relative ones from the server's folder) when it is a folder
        inside the server's project, else none, with the reason (files the command names are then not read)."""
        if cwd is None or not str(cwd).strip():
            return self.cwd, None
        found = inside(str(cwd), self.cwd, self.root)
        if isinstance(found, Refused):
            return None, f"cwd not used ({found.reason}); files the command names were not read"
        if not os.path.isdir(found):
            return None, "cwd not used (not an existing folder); files the command names were not read"
        return found, None

    def _not_first_party(self, refs: list[PackageRef], sources: list[Source]) -> list[PackageRef]:
        """`refs` without imports and manifest entries of the server's own project (its repository)."""
        if not self.root or not any(r.kind in (RefKind.IMPORT, RefKind.MANIFEST) for r in refs):
            return refs
        from pathlib import Path

        from slopguard.extract.project import is_first_party, project_around
        from slopguard.extract.project_collect import Knowledge

        known = Knowledge()
        known.add_tree(self.root)
        for source in sources:
            known.add_source(source)
        project = known.project(project_around(Path(self.cwd)))
        own = (RefKind.IMPORT, RefKind.MANIFEST)
        return [r for r in refs if r.kind not in own or not is_first_party(r, project)]


def answer(report: Report) -> dict[str, Any]:
    """The `slopguard/1` report of one tool call (`slopguard.report.json.report_dict`)."""
    from slopguard.report.json import report_dict

    return report_dict(report)
