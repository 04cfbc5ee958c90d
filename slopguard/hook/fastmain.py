"""`slopguard hook AGENT [--edits]`: the agent hook's entry point, tuned to exit at once when nothing installs.

Three paths, cheapest first:

1. *gate*: the command in the raw payload bytes contains no package-tool word at all (`pip`, `npm`, `go`, ...)
   -> reply "allow" having imported nothing but `sys` (most shell commands an agent runs end here). Only the
   command counts, so a `cwd` of `/home/hugo` does not send every call down the slower paths; a payload whose
   command cannot be isolated for certain (two `"command"` keys, ...) is judged on all its bytes;
2. *pre-filter*: parse the JSON and run `slopguard.extract.prefilter.may_install` on the command (imports
   `json` and `re` only) -> "allow";
3. *check*: load settings and run `run_hook`'s deadline-bounded check in a worker thread.

A payload with a `\\u` escape skips the gate (an escape could spell a letter), so the gate can only be
wrong towards doing more work, never towards letting an install through unchecked. The gate also lets only
what looks like the agent's JSON object through at once (braces, UTF-8, `"tool_name"`): anything else takes
the full path, so a payload the hook cannot read always gets its note. A payload larger than `MAX_PAYLOAD`
is not read at all and gets the `on_unknown` decision, as does an internal error.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from typing import BinaryIO

    from slopguard.config import Settings
    from slopguard.hook.result import HookResult

AGENTS = ("claude-code", "codex", "gemini", "cursor")
GATE_WORDS = (
    b"pip",  # pip, pip3, pipx, pipenv, ensurepip
    b"uv",  # uv, uvx
    b"npm",  # npm, pnpm
    b"npx",
    b"yarn",
    b"bun",  # bun, bunx
    b"deno",
    b"go",
    b"poetry",
    b"pdm",
    b"conda",  # conda, micromamba via "mamba"
    b"mamba",
    b"rye",
    b"hatch",
    b"pixi",
    b"install",  # easy_install and any other "install" verb
    b"corepack",
    # manifest files a here-document or a redirect may write
    b"requirements",
    b"constraints",
    b"pyproject",
    b"setup.",
    b"environment.y",
    b"package.json",
    # files that configure slopguard or the project's registries (`slopguard.hook.selfconfig`)
    b"slopguard",
    b"npmrc",
)
"""Words at least one of which appears in any command `may_install()` accepts (checked by tests)."""

SHELL_TOOLS = frozenset({b"Bash", b"PowerShell", b"shell", b"exec_command", b"local_shell", b"run_shell_command"})
"""The agents' shell tool names (`slopguard.hook.protocols`), for the gate's shape test."""
_USAGE = "usage: slopguard hook {claude-code,codex,gemini,cursor} [--edits]\n"
MAX_PAYLOAD = 64 * 1024 * 1024
"""Largest hook input read (bytes); a larger one is not parsed and gets the `on_unknown` decision."""


def gate_may_install(data: bytes) -> bool:
    """False when the raw payload certainly holds no install command: no tool word in its command (in the whole
    payload when the command cannot be told apart for certain), no `\\u` escape anywhere."""
    if b"\\u" in data:  # an escape could spell a letter of a word, or of a second "command" key
        return True
    text = command_bytes(data)
    lowered = (data if text is None else text).lower()
    return any(word in lowered for word in GATE_WORDS)


def command_bytes(data: bytes) -> bytes | None:
    """The command of a payload as written (the JSON string's or array's bytes between its delimiters), or
    `None` unless the payload has exactly one `"command"` or `"cmd"` and its value ends where the scan says:
    a second one (a repeated key, a nested object, the word as a value) could be the command JSON reads."""
    found = [(data.find(key), key) for key in (b'"command"', b'"cmd"') if key in data]
    if len(found) != 1 or data.count(found[0][1]) != 1:
        return None
    at, key = found[0]
    rest = data[at + len(key) :].lstrip()
    if rest[:1] != b":":
        return None
    rest = rest[1:].lstrip()
    opener = rest[:1]
    if opener not in (b'"', b"["):
        return None
    end = _value_end(rest)
    return rest[1:end] if end is not None else None


def _value_end(rest: bytes) -> int | None:
    """The index of the `"` closing the JSON string at the start of `rest`, or of the `]` closing its array."""
    array = rest[:1] == b"["
    i = 1
    while True:
        quote = rest.find(b'"', i)
        if array:
            close = rest.find(b"]", i)
            if close >= 0 and (quote < 0 or close < quote):
                return close
            if quote < 0:
                return None
            end = _string_end(rest, quote + 1)
            if end is None:
                return None
            i = end + 1
            continue
        return _string_end(rest, i)


def _string_end(data: bytes, start: int) -> int | None:
    """The index of the unescaped `"` ending a JSON string whose text starts at `start`."""
    i = start
    while True:
        quote = data.find(b'"', i)
        if quote < 0:
            return None
        slashes = 0
        while data[quote - 1 - slashes] == 0x5C:  # a backslash
            slashes += 1
        if slashes % 2 == 0:
            return quote
        i = quote + 1


def plausible(agent: str, data: bytes) -> bool:
    """Whether `data` looks like the agent's hook JSON object (cheap byte tests, no `json` import): what
    fails them takes the full path, where a payload the hook cannot read is reported."""
    if data.lstrip()[:1] != b"{" or data.rstrip()[-1:] != b"}":
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if agent == "cursor":
        return _value(data, b'"command"')[:1] in (b"", b'"')
    name = _value(data, b'"tool_name"')
    if name[:1] != b'"' or _value(data, b'"tool_input"')[:1] not in (b"", b"{"):
        return False
    # A shell tool's call must carry its command: `tool_input` lacking it is a shape the hook cannot read.
    shell = name[1:].partition(b'"')[0] in SHELL_TOOLS
    return not shell or _value(data, b'"command"')[:1] in (b'"', b"[") or _value(data, b'"cmd"')[:1] in (b'"', b"[")


def _value(data: bytes, key: bytes) -> bytes:
    """Up to 64 bytes of the value after the first `key` in `data` (`b""` when `key` is absent, `b"?"` when no
    `:` follows it). A JSON string cannot hold `key` with its quotes unescaped, so the first one is a key."""
    at = data.find(key)
    if at < 0:
        return b""
    rest = data[at + len(key) : at + len(key) + 128].lstrip()
    return rest[1:].lstrip()[:64] if rest[:1] == b":" else b"?"


def allow_reply(agent: str) -> str:
    """The agent's "nothing to say" reply: empty, except Cursor which always wants a JSON answer."""
    return '{"permission":"allow"}\n' if agent == "cursor" else ""


def load_settings(cwd: str | None) -> Settings:
    """Settings for a hook call in `cwd`: the config file found upward from it, then the environment."""
    from pathlib import Path

    from slopguard.config import load_settings as load

    return load(Path(cwd) if cwd else Path.cwd())


def respond(agent: str, data: bytes, *, allow_edits: bool = False) -> HookResult | str:
    """The reply to payload `data`: a plain stdout string on the fast paths, a `HookResult` otherwise."""
    if not allow_edits and not gate_may_install(data) and plausible(agent, data):
        return allow_reply(agent)
    from slopguard.hook.protocols import MalformedPayload, parse_call
    from slopguard.hook.run import decide, needs_check, unreadable

    try:
        call = parse_call(agent, data)
    except MalformedPayload as exc:
        return unreadable(agent, str(exc))
    try:
        if not needs_check(call, allow_edits=allow_edits):
            return allow_reply(agent)
    except Exception:  # decide() below meets the same error and answers with on-unknown
        pass
    try:
        settings = load_settings(call.root)  # the project's config, not one in a folder the tool call names
    except Exception as exc:  # a broken config file must not break the agent: check with the defaults, and say so
        from slopguard.config import from_env
        from slopguard.hook.protocols import clean, with_notice

        why = (
            f"slopguard could not load its config ({clean(str(exc), 500)}), so this call was checked with the "
            "defaults: the config's allow and deny lists and registries were not applied. Fix the config file."
        )
        return with_notice(agent, decide(call, from_env(), allow_edits=allow_edits), why)
    return decide(call, settings, allow_edits=allow_edits)


def main(argv: list[str]) -> int:
    """Run the hook for `argv` (`AGENT [--edits]`), reading stdin and writing the agent's reply."""
    args = [a for a in argv if a != "--edits"]
    allow_edits = len(args) != len(argv)
    if len(args) != 1 or args[0] not in AGENTS:
        sys.stderr.write(_USAGE)
        return 2
    agent = args[0]
    if sys.stdin is None or sys.stdin.isatty():
        sys.stderr.write("slopguard hook reads the agent's hook JSON on stdin\n" + _USAGE)
        return 2
    reply: HookResult | str
    try:
        data = sys.stdin.buffer.read(MAX_PAYLOAD + 1)
        if len(data) > MAX_PAYLOAD:
            why = f"the hook input is larger than {MAX_PAYLOAD:,} bytes and was not read"
            _drain(sys.stdin.buffer)
            reply = not_read(agent, why)
        else:
            reply = respond(agent, data, allow_edits=allow_edits)
    except Exception as exc:  # the last line of defence: on-unknown decides, as on a timeout
        try:
            reply = not_read(agent, f"internal error ({exc.__class__.__name__}: {exc})")
        except Exception:  # not even that: never crash the agent
            sys.stderr.write(f"slopguard: internal error ({exc.__class__.__name__}: {exc}); not checked\n")
            sys.stdout.write(allow_reply(agent))
            return 0
    if isinstance(reply, str):
        sys.stdout.write(reply)
        return 0
    sys.stdout.write(reply.stdout)
    sys.stderr.write(reply.stderr)
    if _worker_left_running():
        # The check outlived the deadline: leave now rather than wait for it at interpreter exit.
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(reply.exit_code)
    return reply.exit_code


def not_read(agent: str, why: str) -> HookResult:
    """The `on_unknown` reply (`slopguard.hook.run.fallback`) when the tool call could not be read at all;
    settings from the process's folder (the payload's `cwd` is unknown) or, failing that, the defaults."""
    from slopguard.hook.protocols import Call
    from slopguard.hook.run import fallback

    try:
        settings = load_settings(None)
    except Exception:
        from slopguard.config import from_env

        settings = from_env()
    # Treated as a command (the agents' hooks are installed for shell commands), so "warn" asks.
    return fallback(Call(agent, "unknown", command=""), settings, why)


def _drain(stream: BinaryIO) -> None:
    """Read `stream` to its end without keeping it, so the agent's write to it does not fail."""
    while stream.read(1 << 20):
        pass


def _worker_left_running() -> bool:
    threading = sys.modules.get("threading")
    if threading is None:
        return False
    return any(t.name == "slopguard-hook-check" and t.is_alive() for t in threading.enumerate())
