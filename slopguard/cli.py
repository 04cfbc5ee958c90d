"""The `slopguard` command line: parses flags, builds Settings, calls one library function, prints, exits."""

from __future__ import annotations

import os
import sys

from slopguard._version import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on the hook's fast path
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_DESCRIPTION = """\
slopguard stops AI coding agents from installing packages that do not exist (hallucinated names that
attackers register: "slopsquatting") or that imitate popular ones (typosquats).

  slopguard check pypi:requests npm:left-pad go:github.com/pkg/errors
  slopguard scan session.jsonl            # a Claude Code or Codex transcript
  slopguard scan changes.diff src/        # a diff, a patch, files or a whole tree
  slopguard scan --git origin/main..HEAD  # what this branch added
  slopguard install-hook claude-code      # deny bad installs before the agent runs them

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage error or no input could be read.
"""

_EPILOG = """\
environment: SLOPGUARD_PYPI_URL, SLOPGUARD_NPM_URL, SLOPGUARD_GOPROXY (else GOPROXY), GOPRIVATE/GONOPROXY,
SLOPGUARD_CACHE_DIR, NO_COLOR. Config: [tool.slopguard] in pyproject.toml or .slopguard.toml (searched upward).
"""


def _add_common(p: argparse.ArgumentParser) -> None:
    """Flags shared by `check` and `scan`."""
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        "-f",
        default="text",
        choices=["text", "json", "sarif", "github", "markdown"],
        help="report format (default: text)",
    )
    out.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument(
        "--fail-on",
        choices=["block", "warn", "never"],
        default=None,
        help="exit 1 when a finding reaches this verdict (default: block)",
    )
    out.add_argument("-v", "--verbose", action="store_true", help="list ok packages too (text format)")
    reg = p.add_argument_group("registries")
    reg.add_argument("--pypi-url", metavar="URL", help="PyPI base URL (default: https://pypi.org)")
    reg.add_argument("--npm-url", metavar="URL", help="npm registry URL (default: https://registry.npmjs.org)")
    reg.add_argument(
        "--goproxy",
        metavar="URL",
        help="Go module proxy (default: first URL of GOPROXY, else proxy.golang.org)",
    )
    reg.add_argument(
        "--offline",
        action="store_true",
        default=None,
        help="no network: decide from the cache and shipped data (unknown names warn)",
    )
    reg.add_argument("--no-cache", action="store_true", help="neither read nor write the lookup cache")
    reg.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="lookup cache directory (default: SLOPGUARD_CACHE_DIR or user cache)",
    )
    reg.add_argument(
        "--on-unknown",
        choices=["warn", "block", "allow"],
        default=None,
        help="what an unreachable registry means (default: warn)",
    )
    reg.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="read timeout of one registry request (default: 10); slower answers count as unknown",
    )
    reg.add_argument(
        "--config", metavar="FILE", help="config file (default: .slopguard.toml or pyproject.toml, upward)"
    )


_HOOK_HELP = """\
Check one tool call of a coding agent before it runs. The agent writes its hook JSON on stdin;
slopguard answers on stdout in that agent's format:
  deny     the command installs or runs a package that does not exist or imitates a popular
           one; the reason names the package it probably meant, so the agent can fix itself
  ask      a doubtful package (brand new, few releases, registry unreachable); Codex and
           Gemini CLI have no "ask": the call goes on with a warning
  nothing  everything else (Cursor always gets an answer: allow)
Commands that install nothing are answered without loading the checker. The hook never breaks
the agent: input it cannot read is let through with a note on stderr, and a check that passes
hook_deadline (5 s) applies on_unknown (default warn). The exit code is 0."""

_HOOK_EXAMPLE = """\
Agents run this for you; set it up with `slopguard install-hook AGENT`. To try it by hand:
  echo '{"hook_event_name": "PreToolUse", "tool_name": "Bash",
         "tool_input": {"command": "pip install reqeusts"}}' | slopguard hook claude-code"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (the `hook` fast path bypasses it)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="slopguard",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"slopguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="check package names: pypi:NAME npm:NAME go:PATH",
        description="Ask the registries about each REF and judge it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  slopguard check pypi:requests npm:@types/node go:github.com/pkg/errors\n"
        "  slopguard check --format json pypi:reqeusts",
    )
    check.add_argument("refs", nargs="+", metavar="REF", help="ECOSYSTEM:NAME, e.g. pypi:requests, npm:left-pad")
    _add_common(check)

    scan = sub.add_parser(
        "scan",
        help="scan transcripts, diffs, patches, manifests, sources or trees",
        description="Find every package an agent installs, imports or declares in the inputs, and judge each one.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  slopguard scan ~/.claude/projects/myproj/SESSION.jsonl\n"
        "  git diff main | slopguard scan -\n  slopguard scan --git origin/main..HEAD",
    )
    scan.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' reads stdin")
    scan.add_argument(
        "--input-kind",
        choices=["auto", "diff", "patch", "claude", "codex", "markdown", "shell", "file", "tree"],
        help="force the input kind (default: detect)",
    )
    scan.add_argument("--git", metavar="BASE..HEAD", help="scan what the commits BASE..HEAD added (uses git)")
    scan.add_argument("--claude-sessions", action="store_true", help="scan ~/.claude/projects/**/*.jsonl")
    scan.add_argument("--codex-sessions", action="store_true", help="scan ~/.codex/sessions/**/*.jsonl")
    scan.add_argument(
        "--max-file-size",
        type=int,
        metavar="BYTES",
        help="skip source files and manifests larger than this (default: 2097152, 2 MiB; config max-file-bytes)",
    )
    _add_common(scan)

    hook = sub.add_parser(
        "hook",
        help="run as an agent hook (reads the hook JSON on stdin)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_HOOK_HELP,
        epilog=_HOOK_EXAMPLE,
    )
    hook.add_argument("agent", choices=["claude-code", "codex", "gemini", "cursor"], help="whose hook format to speak")
    hook.add_argument(
        "--edits",
        action="store_true",
        help="also check the imports and manifest entries that file writes (Write/Edit/apply_patch) add; only a "
        "block denies a write",
    )

    inst = sub.add_parser("install-hook", help="add slopguard to an agent's hook settings")
    inst.add_argument("agent", choices=["claude-code", "codex", "gemini", "cursor"])
    scope = inst.add_mutually_exclusive_group()
    scope.add_argument(
        "--project",
        dest="scope",
        action="store_const",
        const="project",
        help="this project's settings (default)",
    )
    scope.add_argument("--user", dest="scope", action="store_const", const="user", help="your user settings")
    inst.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    inst.add_argument(
        "--edits", action="store_true", help="also check file writes (imports and manifests), not only commands"
    )

    cache = sub.add_parser("cache", help="show or clear the lookup cache")
    cache.add_argument("action", choices=["info", "clear"])
    cache.add_argument("--cache-dir", metavar="DIR", help="cache directory")
    return parser


def _settings(args: argparse.Namespace) -> Any:
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

    settings = _settings(args)
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


def _run_install(args: argparse.Namespace, stdout: TextIO) -> int:
    from slopguard.hook.install import install_hook

    result = install_hook(args.agent, args.scope or "project", dry_run=args.dry_run, edits=args.edits)
    stdout.write(result.summary.rstrip("\n") + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run slopguard with `argv`; returns the exit code (0 ok, 1 findings, 2 usage or input error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if argv[:1] == ["hook"] and "-h" not in argv and "--help" not in argv:
        from slopguard.hook.fastmain import main as hook_main

        return hook_main(argv[1:])
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
            return _run_install(args, stdout)
        return EXIT_USAGE  # "hook" with -h is handled by argparse above
    except (_Usage, SlopguardError) as exc:
        stderr.write(f"slopguard: {_safe(str(exc))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("slopguard: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
