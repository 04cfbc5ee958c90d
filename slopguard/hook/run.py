"""One hook call: read the payload, check the command or written text under a hard deadline, decide, reply.

Fail-safe by construction: a malformed payload is let through with a note on stderr and in the agent's own
message channel; an internal error, an unreadable cache, a check that outlives `settings.hook_deadline`, and
a command that could not be read in full (longer than `MAX_COMMAND` bytes, a syntax error or an extractor
cap where it may install something: `models.INCOMPLETE`) all give the `on_unknown` decision (default warn,
which is "ask" where the agent has it) through the one `fallback()`, and say why. Nothing here raises.
"""

from __future__ import annotations

from slopguard.hook.protocols import Call, MalformedPayload, is_pre_event, parse_call, render

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~10 ms on every hook call
if TYPE_CHECKING:
    from typing import BinaryIO, TextIO

    from slopguard.config import Settings
    from slopguard.hook.result import HookResult
    from slopguard.models import Report
    from slopguard.registry.transport import Transport

_ON_UNKNOWN = {"warn": "ask", "block": "deny", "allow": "allow"}
_RANK = {"allow": 0, "ok": 0, "warn": 1, "ask": 1, "block": 2, "deny": 2}
MAX_COMMAND = 1_000_000
"""Longest command (UTF-8 bytes) the hook reads; a longer one that may install gets the `on_unknown` decision."""


def read_input(stdin: bytes | str | BinaryIO | TextIO) -> bytes | str:
    """The payload bytes or text from raw data or a stream."""
    if isinstance(stdin, (bytes, str)):
        return stdin
    return stdin.read()


def run_hook(
    agent: str,
    stdin_data: bytes | str | BinaryIO | TextIO,
    settings: Settings,
    *,
    allow_edits: bool = False,
) -> HookResult:
    """The reply to one hook call of `agent` (`claude-code`, `codex`, `gemini`, `cursor`) whose stdin is
    `stdin_data` (bytes, text, or a stream to read).

    Shell commands are checked always; file writes (`Write`, `Edit`, `MultiEdit`, Codex `apply_patch`, and the
    source files a command writes through a here-document) only with `allow_edits`, and then only a block
    denies them. Never raises, never waits past the hook deadline.
    """
    try:
        data = read_input(stdin_data)
        call = parse_call(agent, data)
    except MalformedPayload as exc:
        return unreadable(agent, str(exc))
    except Exception as exc:  # a broken stream must not break the agent either
        return unreadable(agent, f"could not read the hook input ({exc.__class__.__name__}: {exc})")
    return decide(call, settings, allow_edits=allow_edits)


def unreadable(agent: str, why: str) -> HookResult:
    """The reply to a payload that is not a tool call the hook can read (malformed JSON, wrong shape): let
    through, saying so on stderr and in the agent's own message channel (Claude's `systemMessage`, ...)."""
    from slopguard.hook.protocols import notice

    return notice(agent, f"slopguard: {why}; the tool call was not checked")


def too_long(command: str) -> str | None:
    """Why `command` is too long for the hook to read, or `None`."""
    if len(command) * 4 <= MAX_COMMAND:  # a UTF-8 character is at most 4 bytes: no need to encode
        return None
    size = len(command.encode("utf-8", "surrogatepass"))
    if size <= MAX_COMMAND:
        return None
    return f"the command is {size:,} bytes long, more than the {MAX_COMMAND:,} the hook reads"


def needs_check(call: Call, *, allow_edits: bool) -> bool:
    """Whether `call` may install or add a package at all (the cheap lexical test, no heavy imports)."""
    if not is_pre_event(call):
        return False
    from slopguard.hook.selfconfig import settings_change

    if settings_change(call) is not None:  # never allowed unseen, whatever else the call does
        return True
    if call.command is not None:
        from slopguard.extract.prefilter import may_install, may_write_code

        # A command that writes a source file through a here-document (`cat > app.py <<EOF`) is a file
        # write: checked, like the Write tool, only with `allow_edits`.
        return may_install(call.command) or (allow_edits and may_write_code(call.command))
    if not allow_edits:
        return False
    from slopguard.filetypes import source_kind

    return any(e.patch or source_kind(e.path) is not None for e in call.edits)


def decide(call: Call, settings: Settings, *, allow_edits: bool = False) -> HookResult:
    """The reply to a parsed `call`: allow at once when nothing may install, else check under the deadline."""
    decision, message, note, _ = judge(call, settings, allow_edits=allow_edits)
    return render(call.agent, decision, message, note)


def judge(
    call: Call, settings: Settings, *, allow_edits: bool = False, transport: Transport | None = None
) -> tuple[str, str, str, Report | None]:
    """The hook's decision on `call` in no agent's format: (`allow`/`ask`/`deny`, the message for the agent, the
    note for the human, the report when a check ran). `transport` sends the check's requests (default: the
    hook's own plain sockets, `slopguard.hook.checking.check_call`); the MCP server passes its long-lived one.
    A call that would change slopguard's own settings or the project's registries (`slopguard.hook.selfconfig`)
    gets `on-setting-change` at least."""
    decision, message, note, report = _judge(call, settings, allow_edits=allow_edits, transport=transport)
    if not is_pre_event(call):
        return decision, message, note, report
    from slopguard.hook.selfconfig import message as change_message
    from slopguard.hook.selfconfig import settings_change

    what = settings_change(call)
    if what is None:
        return decision, message, note, report
    verdict = "block" if settings.on_setting_change == "block" else "warn"
    said = f"slopguard: this call would change {what}; applying on-setting-change={verdict}"
    note = f"{said}\n{note}" if note else said
    if decision == "deny":
        return decision, f"{message}\n\n{change_message(what, verdict)}", note, report
    message = change_message(what, verdict) + (f"\n\n{message}" if message else "")
    return ("deny" if verdict == "block" else "ask"), message, note, report


def _judge(
    call: Call, settings: Settings, *, allow_edits: bool, transport: Transport | None
) -> tuple[str, str, str, Report | None]:
    """`judge()` without the settings-change rule."""
    try:
        if not needs_check(call, allow_edits=allow_edits):
            return "allow", "", "", None
    except Exception as exc:
        return _fallback(call, settings, f"internal error in the pre-filter ({exc.__class__.__name__}: {exc})")
    if call.command is not None and (why := too_long(call.command)) is not None:
        return _fallback(call, settings, why)
    import threading
    import time

    started = time.monotonic()
    what = "this command" if call.command is not None else "this file change"
    box: dict[str, object] = {}

    def work() -> None:
        try:
            from slopguard.hook.checking import check_call

            if transport is None:
                box["report"] = check_call(call, settings, started, allow_edits=allow_edits)
            else:
                box["report"] = check_call(call, settings, started, allow_edits=allow_edits, transport=transport)
        except BaseException as exc:  # reported to the main thread, never raised in the worker
            box["error"] = exc

    deadline = max(0.05, float(settings.hook_deadline))
    worker = threading.Thread(target=work, name="slopguard-hook-check", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - (time.monotonic() - started)))
    if worker.is_alive():
        return _fallback(call, settings, f"the check did not finish within the {deadline:g} s hook deadline")
    error = box.get("error")
    if error is not None:
        return _fallback(call, settings, f"internal error ({error.__class__.__name__}: {error})")
    report: Report = box["report"]  # type: ignore[assignment]
    why = _incomplete(report, what)
    if why is not None and _RANK[report.verdict.value] <= _RANK.get(str(settings.on_unknown), 1):
        # Not read in full, and what was read is no worse than on-unknown: on-unknown decides, as on a timeout.
        # (A block found in the part that was read still denies, with the reason it gives.)
        decision, message, note, _ = _fallback(call, settings, why)
        return decision, message, note, report
    return (*_reply(call, report, what, why), report)


def _incomplete(report: Report, what: str) -> str | None:
    """Why `report` does not cover all of `what` (problems coded `INCOMPLETE`), or `None`."""
    from slopguard.models import INCOMPLETE

    missed = [p for p in report.errors if p.code == INCOMPLETE]
    if not missed:
        return None
    first = missed[0]
    where = f"line {first.line}: " if first.line is not None else ""
    more = f" (and {len(missed) - 1} more)" if len(missed) > 1 else ""
    return f"part of {what} was not read: {where}{first.message}{more}"


def _reply(call: Call, report: Report, what: str, incomplete: str | None = None) -> tuple[str, str, str]:
    from slopguard.hook.message import explain
    from slopguard.models import RefKind, Verdict

    notes = [f"slopguard: {p.path}: {p.message}" for p in report.errors[:5]]
    note = "\n".join(notes)
    verdict = report.verdict
    extra = f"\nAlso, {incomplete}." if incomplete else ""
    if verdict is Verdict.BLOCK:
        return "deny", explain(report, verdict, what=what) + extra, note
    if verdict is Verdict.WARN:
        # A file write is only ever denied on a block: a doubtful import warns and the write goes on. So does
        # a command whose warnings are all about imports in files it writes (`cat > app.py <<EOF`).
        writes = call.command is None or all(
            r.kind is RefKind.IMPORT for f in report.findings if f.verdict is Verdict.WARN for r in f.refs
        )
        decision = "allow" if writes else "ask"
        return decision, explain(report, verdict, what=what) + extra, note
    return "allow", "", note


def fallback(call: Call, settings: Settings, why: str) -> HookResult:
    """The `on_unknown` decision when slopguard could not decide, with the reason on stderr."""
    decision, message, note, _ = _fallback(call, settings, why)
    return render(call.agent, decision, message, note)


def _fallback(call: Call, settings: Settings, why: str) -> tuple[str, str, str, None]:
    """`fallback()`'s decision, message and note, in no agent's format."""
    from slopguard.hook.message import unknown

    on_unknown = str(getattr(settings, "on_unknown", "warn"))
    decision = _ON_UNKNOWN.get(on_unknown, "ask")
    if call.command is None and decision == "ask":
        decision = "allow"
    what = "this command" if call.command is not None else "this file change"
    note = f"slopguard: {why}; applying on-unknown={on_unknown}"
    message = unknown(what, why) if decision != "allow" else ""
    return decision, message, note, None
