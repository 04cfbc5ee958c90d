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
    if getattr(args, "fail_on", None) == "never":
        return EXIT_OK
    return EXIT_FINDINGS if report.verdict.rank >= settings.fail_on.rank else EXIT_OK


def _color(stdout: TextIO, args: argparse.Namespace) -> bool:
    return args.format == "text" and not args.output and not os.environ.get("NO_COLOR") and stdout.isatty()


def _run_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from slopguard import check
    from slopguard.report import render

    settings = _settings(args, stderr)
    if args.command == "check":
        report = check.check_names(args.refs, settings)
    else:
        paths = list(args.paths)
        if args.claude_sessions or args.codex_sessions:
            from slopguard.inputs import session_paths

            for agent, wanted in (("claude", args.claude_sessions), ("codex", args.codex_sessions)):
                paths.extend(str(p) for p in session_paths(agent) if wanted)
        if not paths and not args.git:
            raise _Usage("scan needs a PATH, '-' for stdin, --git BASE..HEAD or --claude-sessions/--codex-sessions")
        kind = None if args.input_kind in (None, "auto") else args.input_kind
        from slopguard import progress

        status = progress.TerminalProgress(stderr) if progress.wanted(stderr) else None
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
    _problems_to_stderr(report.errors, stderr)
    _emit(render(report, args.format, verbose=args.verbose, color=_color(stdout, args)), args.output, stdout)
    return _exit_code(report, args, settings)


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
    stdout.write(result.summary.rstrip("\n") + "\n")
    stdout.write(f"checked: {command} answers a trial call, run as the agent runs it (without this venv on PATH)\n")
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
        if args.command == "cache":
            return _run_cache(args, stdout)
        if args.command == "install-hook":
            return _run_install(args, stdout, stderr)
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
