"""`install-hook`'s command: the absolute path of the slopguard that runs it, and a trial run as the agent would.

An agent runs its hooks with its own `PATH`, which often lacks the virtual environment slopguard was installed
in: a bare `slopguard hook AGENT` then fails with 127 and, in every agent, a failing hook lets the tool call
through. So the command written names the running slopguard by its absolute path, and before it is written
it is run once, through `sh -c` with the virtual environment taken off `PATH`, on a harmless tool call.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

PROBE_TIMEOUT_S = 30
"""How long the trial run may take (the agents' own hook timeout, `slopguard.hook.install.HOOK_TIMEOUT_S`)."""
PROBE_COMMAND = "pip --version"
"""The trial run's shell command: it passes the hook's byte gate and installs nothing, so it is answered
"allow" after the payload has been parsed, without settings, cache or network."""


def own_command(argv0: str | None = None, executable: str | None = None) -> str:
    """The shell words that run this slopguard: the console script's absolute path when that is what runs
    (`sys.argv[0]`, found on `PATH` if it has no folder), else `PYTHON -m slopguard` with this interpreter."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    name = os.path.basename(argv0)
    if name.startswith("slopguard") and not name.endswith(".py"):  # `slopguard`, `slopguard.exe`
        found = argv0 if os.path.dirname(argv0) else shutil.which(argv0)
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return shlex.quote(os.path.abspath(found))
    if not executable:
        from slopguard.errors import UsageError

        raise UsageError("cannot tell which Python runs slopguard; give the hook command with --command")
    # Not resolved: a virtual environment's python is a symlink, and resolving it would leave the venv.
    return f"{shlex.quote(os.path.abspath(executable))} -m slopguard"


def hook_command(agent: str, *, edits: bool = False) -> str:
    """The hook command `install-hook` writes by default: `/abs/path/slopguard hook AGENT [--edits]`."""
    return f"{own_command()} hook {agent}" + (" --edits" if edits else "")


def agent_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """`environ` (default: ours) as an agent started outside the virtual environment would have it: no
    `VIRTUAL_ENV`, `PYTHONPATH` or `PYTHONHOME`, and neither the active venv's nor this interpreter's venv's
    scripts folder on `PATH`."""
    env = dict(os.environ if environ is None else environ)
    venvs = [env.pop("VIRTUAL_ENV", "")]
    if sys.prefix != sys.base_prefix:
        venvs.append(sys.prefix)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    scripts = {os.path.realpath(os.path.join(v, d)) for v in venvs if v for d in ("bin", "Scripts")}
    kept = [p for p in env.get("PATH", "").split(os.pathsep) if p and os.path.realpath(p) not in scripts]
    env["PATH"] = os.pathsep.join(kept)
    return env


def probe_payload(agent: str, cwd: Path) -> bytes:
    """A harmless tool call (`PROBE_COMMAND`) in `agent`'s hook format."""
    body: dict[str, object]
    if agent == "cursor":
        body = {"hook_event_name": "beforeShellExecution", "command": PROBE_COMMAND, "cwd": str(cwd)}
    elif agent == "gemini":
        body = {"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "cwd": str(cwd)}
        body["tool_input"] = {"command": PROBE_COMMAND}
    else:
        body = {"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": str(cwd)}
        body["tool_input"] = {"command": PROBE_COMMAND}
    return json.dumps({"session_id": "slopguard-install-hook-check", **body}).encode()


def probe(command: str, agent: str, cwd: Path, environ: dict[str, str] | None = None) -> str | None:
    """`None` when `command`, run as the agent runs hooks (`sh -c`, in `cwd`, with `agent_env(environ)`),
    answers a harmless call with the allow reply; otherwise why it does not, for the user."""
    from slopguard.hook.fastmain import allow_reply

    try:
        done = subprocess.run(
            command,
            shell=True,  # `/bin/sh -c COMMAND`, as the agents run their hooks
            input=probe_payload(agent, cwd),
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            cwd=cwd,
            env=agent_env(environ),
        )
    except subprocess.TimeoutExpired:
        return f"it did not answer within {PROBE_TIMEOUT_S} s"
    except OSError as exc:
        return f"it could not be started ({exc.strerror or exc})"
    stdout = done.stdout.decode("utf-8", "replace")
    if done.returncode == 0 and stdout == allow_reply(agent):
        return None
    from slopguard.escape import terminal

    said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:] or [stdout.strip()[:200]]
    what = f"exit code {done.returncode}" + (" (command not found)" if done.returncode == 127 else "")
    return f"{what}: {terminal(' / '.join(line for line in said if line))[:500]}"
