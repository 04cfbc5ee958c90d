"""`install-hook --mcp`'s trial run: start the server as the agent would and see it answer `initialize`.

As for the hooks (`slopguard.hook.probe`), an agent starts MCP servers with its own `PATH`, often without the
virtual environment, and without the `mcp` extra a `slopguard mcp` cannot start at all; an agent then just
lacks the tools, silently. So the command is run once, without the venv on `PATH`, before it is written.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

PROBE_TIMEOUT_S = 30
"""How long the server may take to answer `initialize`."""
_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "slopguard-install-hook", "version": "1"},
    },
}


def probe_mcp(words: list[str], cwd: Path, environ: dict[str, str] | None = None) -> str | None:
    """`None` when the server `words` starts, run in `cwd` with `agent_env(environ)`, answers an MCP
    `initialize` request with a result; otherwise why it does not, for the user."""
    from slopguard.hook.probe import agent_env

    try:
        process = subprocess.Popen(
            words,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=agent_env(environ),
        )
    except OSError as exc:
        return f"it could not be started ({exc.strerror or exc})"
    answer: list[bytes] = []
    reader = threading.Thread(target=lambda: answer.append(_first_reply(process)), daemon=True)
    try:
        assert process.stdin is not None
        process.stdin.write(json.dumps(_INITIALIZE).encode() + b"\n")
        process.stdin.flush()
        reader.start()
        reader.join(PROBE_TIMEOUT_S)
    except OSError:
        pass  # the server is gone already: its exit code and stderr say why
    finally:
        err = _stop(process)
    reply = answer[0] if answer else b""
    try:
        body = json.loads(reply) if reply.strip() else None
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("id") == 1 and isinstance(body.get("result"), dict):
        return None
    if reader.is_alive():
        return f"it did not answer within {PROBE_TIMEOUT_S} s"
    from slopguard.escape import terminal

    said = err.strip().splitlines()[-3:] or [reply.decode("utf-8", "replace").strip()[:200]]
    what = f"exit code {process.returncode}" if process.returncode else "no MCP answer"
    return f"{what}: {terminal(' / '.join(line for line in said if line))[:500]}"


def _first_reply(process: subprocess.Popen[bytes]) -> bytes:
    """The first line the server writes that is a JSON-RPC response (log lines and notifications skipped)."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip().startswith(b"{") and b'"id"' in line:
            return line
    return b""


def _stop(process: subprocess.Popen[bytes]) -> str:
    """Close the server's stdin (an MCP server's signal to exit), make sure it is gone, close its pipes;
    what it wrote on stderr."""
    try:
        if process.stdin is not None:
            process.stdin.close()
    except OSError:
        pass
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    err = b""
    if process.stderr is not None:
        err = process.stderr.read()
        process.stderr.close()
    if process.stdout is not None:
        process.stdout.close()
    return err.decode("utf-8", "replace")
