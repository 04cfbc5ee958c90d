"""Fleet memory (issue 14): how often a fleet with one shared store asks the registries, and what a shared answer costs.

A real `redis-server` (started here on a free loopback port, stopped after) and the tests' loopback fake
registry (tests/fakeregistry.py, 50 ms latency) with 100 names, 80 that exist and 20 that do not:

1. 8 "machines" (processes with separate local caches, run side by side) make 200 hook calls each
   (`pip install NAME`, names drawn at random from the 100): registry lookups per distinct name across the
   fleet (a lookup is the JSON API request every name starts with; a missing name then takes a Simple API
   request too), target 1.0 (8 without the store: each machine learns alone);
2. the hook's median time for a name another machine already looked up (a fresh local cache each call,
   so the answer comes from the shared store), against the same call with a warm local cache: target <= 2x;
3. with `--hook`, `bench/bench_hook.py` without and with the shared store configured: the non-install and
   warm figures should not move (beyond noise).

    python bench/bench_fleet.py [--calls 200] [--runs 20] [--hook]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "fleet"))

from fakeregistry import FakeRegistry  # noqa: E402
from redisserver import RedisServer  # noqa: E402

LATENCY = 0.05
MACHINES = 8
HOOK = [sys.executable, "-m", "slopguard", "hook", "claude-code"]
NAMES = [f"fleet-pkg-{i:03d}" for i in range(100)]
EXISTING = NAMES[:80]


def payload(command: str, cwd: Path) -> bytes:
    """A Claude Code PreToolUse payload for `command` run in `cwd`."""
    return json.dumps(
        {
            "session_id": "bench",
            "cwd": str(cwd),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "bench"},
            "tool_use_id": "toolu_bench",
        }  # fmt: skip
    ).encode()


def hook(command: str, cwd: Path, env: dict[str, str]) -> tuple[float, bytes, bytes]:
    """Seconds one hook call takes, its stdout and stderr."""
    start = time.perf_counter()
    done = subprocess.run(HOOK, input=payload(command, cwd), capture_output=True, env=env, check=False)
    return time.perf_counter() - start, done.stdout, done.stderr


def fleet(registry: FakeRegistry, env: dict[str, str], work: Path, calls: int) -> tuple[float, int, list[bytes]]:
    """Run the 8 machines side by side; (seconds, hook calls, stderr of every call that wrote one)."""
    errors: list[bytes] = []

    def machine(i: int) -> None:
        rng = random.Random(i)
        machine_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / f"machine-{i}"), SLOPGUARD_MACHINE=f"bench-{i}")
        for _ in range(calls):
            _, _, err = hook(f"pip install {rng.choice(NAMES)}", work, machine_env)
            if err:
                errors.append(err)

    start = time.perf_counter()
    threads = [threading.Thread(target=machine, args=(i,)) for i in range(MACHINES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, MACHINES * calls, errors


def lookups(requests: list[str]) -> dict[str, int]:
    """Lookups per name: the JSON API requests (`/pypi/NAME/json`) among `requests`."""
    out: dict[str, int] = {}
    for path in requests:
        match = re.match(r"^/pypi/([^/]+)/json", path)
        if match:
            out[match.group(1)] = out.get(match.group(1), 0) + 1
    return out


def shared_vs_warm(env: dict[str, str], work: Path, runs: int) -> tuple[float, float]:
    """Median seconds of a hook call answered by the shared store (fresh local cache) and by a warm one."""
    warm_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / "warm"))
    command = f"pip install {EXISTING[0]}"
    hook(command, work, warm_env)
    shared: list[float] = []
    warm: list[float] = []
    for i in range(runs + 1):
        fresh_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / f"fresh-{i}"))
        seconds, _, err = hook(command, work, fresh_env)
        if err:
            raise SystemExit(f"the shared-answer call wrote to stderr: {err.decode(errors='replace')}")
        if i:  # the first round writes bytecode and warms the OS caches
            shared.append(seconds)
            warm.append(hook(command, work, warm_env)[0])
    return statistics.median(shared), statistics.median(warm)


def bench_hook(runs: int, extra_env: dict[str, str]) -> dict[str, str]:
    """The non-install and warm lines of `bench/bench_hook.py` run with `extra_env`."""
    env = {**os.environ, **extra_env}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_hook.py"), "--runs", str(runs)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    wanted = ("python -c pass", "non-install command", "install, warm cache")
    return {line.split("  ")[0].strip(): line for line in done.stdout.splitlines() if line.startswith(wanted)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="hook calls per machine (default 200)")
    parser.add_argument("--runs", type=int, default=20, help="rounds of the timing comparisons (default 20)")
    parser.add_argument("--hook", action="store_true", help="also run bench_hook.py without and with the store")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")
    work = Path(tempfile.mkdtemp(prefix="slopguard-fleet-"))
    project = work / "proj"
    project.mkdir()
    server = RedisServer(work).start()
    try:
        with FakeRegistry(latency=LATENCY) as registry:
            for name in EXISTING:
                registry.add_pypi(name, versions={f"1.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(5)})
            env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed users have: bytecode cached
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
            env.update(registry.env(work / "unused"), SLOPGUARD_SHARED_CACHE=server.url)

            seconds, calls, errors = fleet(registry, env, project, args.calls)
            per_name = lookups(registry.requests)
            distinct = len(per_name)
            ratio = sum(per_name.values()) / max(1, distinct)
            print(f"fleet: {MACHINES} machines x {args.calls} hook calls over {len(NAMES)} names, own local caches,")
            print(f"       one shared store: {calls} calls in {seconds:.1f} s, {len(registry.requests)} requests")
            print(f"registry lookups per distinct name  {ratio:5.2f}  (target 1.0; {MACHINES} without the store)"
                  f"  [{distinct} names looked up, most asked {max(per_name.values(), default=0)}x]")  # fmt: skip
            print(f"registry requests per distinct name {len(registry.requests) / max(1, distinct):5.2f}"
                  "  (a missing name takes 2: JSON API, then Simple API)")  # fmt: skip
            if errors:
                print(f"stderr from {len(errors)} calls, first: {errors[0].decode(errors='replace')[:300]}")
            store_keys = server.command("DBSIZE").strip().decode()
            print(f"shared store keys: {store_keys.lstrip(':')}; ledger names: "
                  f"{server.command('ZCARD', 'slopguard:1:ledger').strip().decode().lstrip(':')}")  # fmt: skip

            shared, warm = shared_vs_warm(env, project, args.runs)
            print(
                f"hook, name another machine looked up {shared * 1000:7.1f} ms  (fresh local cache, {args.runs} runs)"
            )
            print(f"hook, warm local cache              {warm * 1000:7.1f} ms  ratio {shared / warm:.2f}x (<= 2x)")
        if args.hook:
            without = bench_hook(args.runs, {})
            with_store = bench_hook(args.runs, {"SLOPGUARD_SHARED_CACHE": server.url})
            print("\nbench_hook.py without / with the shared store configured:")
            for key in without:
                print(f"  without: {without[key]}")
                print(f"  with:    {with_store.get(key, '?')}")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
