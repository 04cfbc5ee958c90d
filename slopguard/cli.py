"""The `slopguard` command line: parses flags, builds Settings, calls one library function, prints, exits."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on the hook's fast path
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace, stderr: TextIO | None = None) -> Any:
    from pathlib import Path

    from slopguard.config import load_settings
    from slopguard.models import Verdict

    fail_on = getattr(args, "fail_on", None)
    overrides: dict[str, Any] = {
        "pypi_url": _strip(getattr(args, "pypi_url", None)),
        "npm_url": _strip(getattr(args, "npm_url", None)),
        "goproxy": _strip(getattr(args, "goproxy", None)),
        "offline": getattr(args, "offline", None),
        "read_timeout": getattr(args, "timeout", None),
        "max_file_bytes": getattr(args, "max_file_size", None),
        "on_unknown": getattr(args, "on_unknown", None),
        "use_cache": False if getattr(args, "no_cache", False) else None,
        "cache_dir": Path(args.cache_dir).expanduser() if getattr(args, "cache_dir", None) else None,
        "fail_on": None if fail_on in (None, "never") else Verdict(fail_on),
    }
    config = getattr(args, "config", None)
    git_range = getattr(args, "git", None)
    if git_range:  # the range's base commit configures the scan, never the change under review
        from slopguard.config.trusted import trusted_settings
        from slopguard.inputs.gitdiff import split_range

        base, _, head = split_range(git_range)
        settings, notes = trusted_settings(
            Path.cwd(), base, os.environ, overrides, Path(config) if config else None, head=head
        )
        for note in notes:
            (stderr or sys.stderr).write(f"slopguard: {_safe(note)}\n")
        return settings
    return load_settings(Path.cwd(), os.environ, overrides, Path(config) if config else None)


def _strip(url: str | None) -> str | None:
    return url.rstrip("/") if url else None


def _emit(text: str, output: str | None, stdout: TextIO) -> None:
    from pathlib import Path

    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        stdout.write(text)


def _exit_code(report: Any, args: argparse.Namespace, settings: Any) -> int:
    fail_on = settings.fail_on  # `None`: the config's fail-on = "never"
    if getattr(args, "fail_on", None) == "never" or fail_on is None:
        return EXIT_OK
    return EXIT_FINDINGS if report.verdict.rank >= fail_on.rank else EXIT_OK


def _color(stdout: TextIO, args: argparse.Namespace) -> bool:
    return args.format == "text" and not args.output and not os.environ.get("NO_COLOR") and stdout.isatty()


def _run_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from slopguard import check
    from slopguard.report import render

    settings = _settings(args, stderr)
    if args.command == "check":
        report = check.check_names(args.refs, settings)
    else:
        paths = list(args.paths) + _session_paths(args, stderr)
        if not paths and not args.git:
            raise _Usage("scan needs a PATH, '-' for stdin, --git BASE..HEAD or --claude-sessions/--codex-sessions")
        if args.git:
            _check_range(args.git)
        kind = None if args.input_kind in (None, "auto") else args.input_kind
        from slopguard import progress

        status = progress.TerminalProgress(stderr) if progress.wanted(stderr) and not args.quiet else None
        try:
            report = check.scan(
                paths, settings, input_kind=kind, git_range=args.git, stdin=sys.stdin.buffer, progress=status
            )
        finally:
            if status is not None:
                status.close()
        if not report.inputs:
            _problems_to_stderr(report.errors, stderr)
            stderr.write("slopguard: no input could be read\n")
            return EXIT_USAGE
    if not args.quiet and (args.format != "text" or args.output):  # a text report on stdout lists them itself
        _problems_to_stderr(report.errors, stderr)
    text = render(report, args.format, verbose=args.verbose, color=_color(stdout, args), quiet=args.quiet)
    _emit(text, args.output, stdout)
    return _exit_code(report, args, settings)


_AGENT_NAMES = {"claude": ("--claude-sessions", "Claude Code", "CLAUDE_CONFIG_DIR"),
                "codex": ("--codex-sessions", "Codex", "CODEX_HOME")}  # fmt: skip


def _session_paths(args: argparse.Namespace, stderr: TextIO) -> list[str]:
    """The transcripts `--claude-sessions` / `--codex-sessions` stand for; none found is a usage error that
    names the folders looked in (a note on stderr when other inputs remain)."""
    from slopguard.inputs import session_folders, session_paths

    paths: list[str] = []
    missing: list[str] = []
    for agent, wanted in (("claude", args.claude_sessions), ("codex", args.codex_sessions)):
        if not wanted:
            continue
        found = [str(p) for p in session_paths(agent)]
        if not found:
            flag, name, variable = _AGENT_NAMES[agent]
            folders = " or ".join(str(f) for f in session_folders(agent))
            missing.append(f"{flag}: no {name} transcripts (*.jsonl) in {folders} (set {variable} if elsewhere)")
        paths.extend(found)
    if missing and not paths and not args.paths and not args.git:
        raise _Usage("; ".join(missing))
    for note in missing:
        stderr.write(f"slopguard: {_safe(note)}\n")
    return paths


def _check_range(rev_range: str) -> None:
    """A usage error for a `--git` range with nothing in it (`HEAD`: HEAD..HEAD), rather than a clean scan."""
    from pathlib import Path

    from slopguard.inputs.gitdiff import same_commit

    sha = same_commit(rev_range, Path.cwd())
    if sha is not None:
        raise _Usage(
            f"--git {rev_range} compares commit {sha[:12]} with itself, so there is nothing to scan; give a range "
            "BASE..HEAD, e.g. --git origin/main..HEAD (this branch) or --git HEAD~1..HEAD (the last commit)"
        )


def _problems_to_stderr(problems: Sequence[Any], stderr: TextIO, most: int = 5) -> None:
    """One line per input problem on stderr, the first `most` of them (the report lists them all); inputs
    that could not be read at all come first."""
    problems = sorted(problems, key=lambda p: p.line is not None)  # whole-input problems have no line
    for problem in problems[:most]:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        stderr.write(f"slopguard: {_safe(where)}: {_safe(problem.message)}\n")
    if len(problems) > most:
        stderr.write(f"slopguard: ... and {len(problems) - most} more input problems (listed in the report)\n")


def _safe(text: str) -> str:
    from slopguard.escape import terminal

    return terminal(text)


class _Usage(Exception):
    pass


def _run_explain(args: argparse.Namespace, stdout: TextIO) -> int:
    from slopguard.report.explain import explain_code, list_codes

    try:
        stdout.write(explain_code(args.code) if args.code else list_codes())
    except LookupError as exc:
        raise _Usage(str(exc.args[0])) from None
    return EXIT_OK


def _run_cache(args: argparse.Namespace, stdout: TextIO) -> int:
    from slopguard.registry.cache import RecordCache

    settings = _settings(args)
    cache = RecordCache(settings)
    if args.action == "clear":
        removed = cache.clear()
        stdout.write(f"cleared {removed} entries from {settings.cache_dir}\n")
    else:
        from slopguard.registry.decisions import DecisionStore

        for key, value in cache.info().items():
            stdout.write(f"{key}: {value}\n")
        stdout.write(f"hook_decisions: {DecisionStore(settings).count()}\n")
    return EXIT_OK


def _run_ledger(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`slopguard ledger`: the shared store's seen-missing names (`slopguard.fleet.ledger`)."""
    from slopguard.fleet import ledger, open_store

    settings = _settings(args)
    store = open_store(settings)
    if store is None:
        raise _Usage("no shared cache configured: set SLOPGUARD_SHARED_CACHE=redis://... or shared-cache in the config")
    try:
        found = ledger.entries(store, args.limit)
        if found is None:
            return EXIT_USAGE  # the store said why on stderr
        if args.recheck:
            ledger.recheck(found, settings)
        where = store.link.address.shown()
        render = ledger.render_json if args.format == "json" else ledger.render_text
        stdout.write(render(found, where))
        return EXIT_FINDINGS if any(e.now == "exists" for e in found) else EXIT_OK
    finally:
        store.close()


def _run_install(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Write the hook (this slopguard's absolute path, or `--command`) once a trial call shows it runs."""
    from pathlib import Path

    if args.mcp:
        return _run_install_mcp(args, stdout, stderr)
    from slopguard.hook.install import install_hook
    from slopguard.hook.probe import hook_command, probe

    command = args.hook_command or hook_command(args.agent, edits=args.edits)
    why = probe(command, args.agent, Path.cwd())
    if why is not None:
        stderr.write(
            f"slopguard: the agent would not be able to run the hook command {_safe(command)!r}: {_safe(why)}\n"
            "Nothing was written: a hook that cannot run lets every command through. Install slopguard where "
            "the agent can run it, or give a command that works with --command.\n"
        )
        return EXIT_FINDINGS
    result = install_hook(args.agent, args.scope or "project", dry_run=args.dry_run, edits=args.edits, command=command)
    stdout.write("".join(_safe(line) + "\n" for line in result.summary.rstrip("\n").split("\n")))
    stdout.write(f"checked: {command} answers a trial call, run as the agent runs it (without this venv on PATH)\n")
    return EXIT_OK


def _run_install_mcp(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Register `slopguard mcp` (this slopguard by its absolute path, or `--command`) once a trial start shows
    that it answers as an MCP server."""
    import shlex
    from pathlib import Path

    from slopguard.mcp.install import install_mcp, server_command
    from slopguard.mcp.probe import probe_mcp

    if args.edits:
        raise _Usage("--edits is for the hook; the MCP server has no such option")
    words = server_command(args.hook_command)
    shown = shlex.join(words)
    why = probe_mcp(words, Path.cwd())
    if why is not None:
        stderr.write(
            f"slopguard: the agent would not be able to start the MCP server {_safe(shown)!r}: {_safe(why)}\n"
            "Nothing was written. Install slopguard with its MCP extra (pip install 'slopguard[mcp]') where the "
            "agent can run it, or give a command that works with --command.\n"
        )
        return EXIT_FINDINGS
    result = install_mcp(args.agent, args.scope or "project", dry_run=args.dry_run, command=shown)
    stdout.write(result.summary.rstrip("\n") + "\n")
    stdout.write(f"checked: {shown} answers an MCP initialize request, started as the agent starts it\n")
    return EXIT_OK


def _run_mcp(args: argparse.Namespace, stderr: TextIO) -> int:
    """Serve MCP on stdin/stdout (nothing else may be written to stdout) until the client goes away."""
    settings = _settings(args, stderr)
    try:
        from slopguard.mcp.server import serve
    except ImportError as exc:
        stderr.write(
            f"slopguard: `slopguard mcp` needs the MCP SDK: pip install 'slopguard[mcp]' ({_safe(str(exc))})\n"
        )
        return EXIT_USAGE
    from slopguard.mcp.service import Service

    with Service(settings) as service:
        serve(service)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run slopguard with `argv`; returns the exit code (0 ok, 1 findings, 2 usage or input error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if argv[:1] == ["hook"] and "-h" not in argv and "--help" not in argv:
        from slopguard.hook.fastmain import main as hook_main

        return hook_main(argv[1:])
    from slopguard.cli_parser import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage / help
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if args.command is None:
        parser.print_help(stdout)
        return EXIT_USAGE
    from slopguard.errors import SlopguardError

    try:
        if args.command in ("check", "scan"):
            return _run_report(args, stdout, stderr)
        if args.command == "explain":
            return _run_explain(args, stdout)
        if args.command == "cache":
            return _run_cache(args, stdout)
        if args.command == "install-hook":
            return _run_install(args, stdout, stderr)
        if args.command == "mcp":
            return _run_mcp(args, stderr)
        if args.command == "ledger":
            return _run_ledger(args, stdout, stderr)
        return EXIT_USAGE  # "hook" with -h is handled by argparse above
    except (_Usage, SlopguardError) as exc:
        stderr.write(f"slopguard: {_safe(str(exc))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("slopguard: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
