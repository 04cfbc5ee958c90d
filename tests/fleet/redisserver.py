"""A redis-server of the tests' own on a free loopback port, and a hook call as an agent makes it (tests and bench)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


class RedisServer:
    """One `redis-server` process this test run started (never one it did not)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *extra: str) -> RedisServer:
        """Start on a free loopback port (a new one each time), no persistence; wait until it answers."""
        binary = shutil.which("redis-server")
        assert binary is not None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self.directory), *extra]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"*1\r\n$4\r\nPING\r\n")
                    if conn.recv(16)[:1] in (b"+", b"-"):  # PONG, or NOAUTH with a password set
                        return self
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        """`redis://127.0.0.1:PORT/0`."""
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self, *args: str) -> bytes:
        """Run one command on the server (raw RESP reply), for a test to look at or change what is stored."""
        from slopguard.fleet.link import encode

        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(encode(args))
            time.sleep(0.05)
            return conn.recv(1 << 20)

    def stop(self) -> None:
        """Kill the server and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def run_hook(env: dict[str, str], cwd: Path, command: str) -> subprocess.CompletedProcess[bytes]:
    """One `slopguard hook claude-code` call (a process of its own, as an agent runs it) for `command` in `cwd`."""
    import json
    import sys

    payload = {
        "session_id": "fleet", "cwd": str(cwd), "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": command}, "tool_use_id": "toolu_fleet",
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "slopguard", "hook", "claude-code"],
        input=json.dumps(payload).encode(), capture_output=True, env=env, cwd=cwd, timeout=60, check=False,
    )  # fmt: skip
