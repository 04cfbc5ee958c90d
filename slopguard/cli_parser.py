"""The `slopguard` command line's flags and help texts: `build_parser()` (the CLI's entry points live in `cli`)."""

from __future__ import annotations

import argparse

from slopguard._version import __version__

_DESCRIPTION = """\
slopguard stops AI coding agents from installing packages that do not exist (hallucinated names that
attackers register: "slopsquatting") or that imitate popular ones (typosquats).

  slopguard check pypi:requests npm:left-pad go:github.com/pkg/errors
  slopguard scan session.jsonl            # a Claude Code or Codex transcript
  slopguard scan changes.diff src/        # a diff, a patch, files or a whole tree
  slopguard scan --git origin/main..HEAD  # what this branch added
  slopguard install-hook claude-code      # deny bad installs before the agent runs them
  slopguard explain typosquat             # what a reason code means, how to allow a false positive

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage error or no input could be read.
"""

_EPILOG = """\
environment: SLOPGUARD_PYPI_URL, SLOPGUARD_NPM_URL, SLOPGUARD_GOPROXY (else GOPROXY), GOPRIVATE/GONOPROXY,
SLOPGUARD_CACHE_DIR, SLOPGUARD_SHARED_CACHE and SLOPGUARD_SHARED_KEY (a team's shared store), NO_COLOR.
Config: [tool.slopguard] in pyproject.toml or .slopguard.toml (searched upward).
"""


def _add_common(p: argparse.ArgumentParser) -> None:
    """Flags shared by `check` and `scan`."""
    out = p.add_argument_group("output")
    out.add_argument(
        "--format",
        "-f",
        default="text",
        choices=["text", "json", "sarif", "github", "markdown", "html"],
        help="report format (default: text); html is one self-contained page, best with --output FILE",
    )
    out.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument(
        "--fail-on",
        choices=["block", "warn", "never"],
        default=None,
        help="exit 1 when a finding reaches this verdict (default: block)",
    )
    loud = out.add_mutually_exclusive_group()
    loud.add_argument("-v", "--verbose", action="store_true", help="list ok packages too (text format)")
    loud.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only what is flagged: no summary, hints or progress, no input problems on stderr",
    )
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
        "--command",
        dest="hook_command",
        metavar="CMD",
        help="the hook command to write (default: this slopguard by its absolute path, "
        "'/path/to/slopguard hook AGENT'); it must answer a trial call before it is written",
    )
    inst.add_argument(
        "--edits", action="store_true", help="also check file writes (imports and manifests), not only commands"
    )
    inst.add_argument(
        "--mcp",
        action="store_true",
        help="register the `slopguard mcp` server in the agent's MCP settings instead of the hook (--command CMD "
        "then gives the server command)",
    )

    mcp = sub.add_parser(
        "mcp",
        help="run the MCP server (stdio) that lets an agent check packages before it writes them",
        description="A Model Context Protocol server on stdin/stdout with three tools: check_packages, "
        "check_command and scan_text. Agents start it themselves; register it with "
        "`slopguard install-hook AGENT --mcp`. Needs the `mcp` extra: pip install 'slopguard[mcp]'.",
    )
    mcp.add_argument("--config", metavar="FILE", help="config file (default: .slopguard.toml or pyproject.toml)")
    mcp.add_argument("--cache-dir", metavar="DIR", help="lookup cache directory")
    mcp.add_argument("--no-cache", action="store_true", help="neither read nor write the lookup cache")
    mcp.add_argument("--offline", action="store_true", default=None, help="no network: cache and shipped data only")

    explain = sub.add_parser(
        "explain",
        help="what a reason code means, why it matters, how to allow a false positive",
        description="Explain a reason code of a finding (the codes the reports print, such as not-found or "
        "typosquat); with no CODE, list them all.",
    )
    explain.add_argument("code", nargs="?", metavar="CODE", help="a reason code, e.g. typosquat")

    cache = sub.add_parser("cache", help="show or clear the lookup cache")
    cache.add_argument("action", choices=["info", "clear"])
    cache.add_argument("--cache-dir", metavar="DIR", help="cache directory")

    ledger = sub.add_parser("ledger", help="names the fleet's agents asked for that did not exist (shared store)")
    ledger.add_argument("--recheck", action="store_true", help="ask the registries which of them exist now")
    ledger.add_argument("--format", "-f", default="text", choices=["text", "json"], help="output format")
    ledger.add_argument("--limit", type=int, default=200, metavar="N", help="newest N names (default: 200)")
    ledger.add_argument("--config", metavar="FILE", help="config file (default: searched upward)")
    return parser
