"""Wall time of `slopguard hook claude-code` as an agent runs it, against `python -c pass` (issue 7).

Three cases, each the median of `--runs` (>= 20) subprocess runs of the same interpreter:

1. a command that installs nothing (`ls -la && git status`)      target <= 2x `python -c pass`
2. an install whose package is in a warm cache                  target <= 5x `python -c pass`
3. an install with a cold cache, fake registry with 50 ms latency target <= 1 round trip + 150 ms

plus, for information, a payload that passes the raw-bytes gate but not the pre-filter (a `go` in the
command), one with a `go` in its cwd only (the gate reads the command alone, so it ends there), a warm and a
cold install of a misspelt name (`pip install reqeusts`: a block with a suggestion; cold, it takes two round
trips, PyPI's JSON API and then its Simple API to confirm the name is missing), and the
non-install, warm and cold cases again through the installed `slopguard` script, which is how agents run
the hook (`install-hook` writes `/path/to/slopguard hook AGENT`; `python -m` adds runpy's imports). The registry is
the tests' loopback fake (tests/fakeregistry.py); nothing leaves the machine.

Besides wall time, each case's CPU time (user + system of the child, from `getrusage(RUSAGE_CHILDREN)`)
is printed as min and median: on a shared, loaded machine the CPU minimum is the steadiest figure.

    python bench/bench_hook.py [--runs 20] [--importtime]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fakeregistry import FakeRegistry  # noqa: E402

LATENCY = 0.05
HOOK = [sys.executable, "-m", "slopguard", "hook", "claude-code"]


def payload(command: str, cwd: Path) -> bytes:
    """A Claude Code PreToolUse payload for `command` run in `cwd`."""
    return json.dumps(
        {
            "session_id": "bench",
            "transcript_path": f"{cwd}/.claude/bench.jsonl",
            "cwd": str(cwd),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "bench"},
            "tool_use_id": "toolu_bench",
        }
    ).encode()


CPU: list[float] = []
"""CPU seconds (user + system) of each `wall()` run, in order: the last entry is the last run's."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(args: list[str], data: bytes = b"", env: dict[str, str] | None = None) -> tuple[float, bytes]:
    """Seconds one subprocess run takes, and its stdout; its CPU seconds are appended to `CPU`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(args, input=data, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed, done.stdout


def medians(
    runs: int, cases: dict[str, Callable[[], tuple[float, bytes]]]
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Median seconds of each case over `runs` rounds, and each case's CPU seconds per run; a round runs
    every case once, so a busy moment on the machine slows all of them alike. One untimed round first
    writes the bytecode and warms the caches."""
    for make in cases.values():
        make()
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, make in cases.items():
            times[name].append(make()[0])
            cpu[name].append(CPU[-1])
    return {name: statistics.median(values) for name, values in times.items()}, cpu


def round_trip(registry: FakeRegistry, runs: int) -> float:
    """Median seconds of one HTTP GET to the fake registry (its latency plus loopback)."""
    host, port = registry.url.removeprefix("http://").split(":")
    times = []
    for _ in range(runs):
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        start = time.perf_counter()
        conn.request("GET", "/pypi/requests/json")
        conn.getresponse().read()
        times.append(time.perf_counter() - start)
        conn.close()
    return statistics.median(times)


def importtime(args: list[str], data: bytes, env: dict[str, str]) -> str:
    """The ten costliest imports (cumulative microseconds) of one run, from `-X importtime`."""
    done = subprocess.run([args[0], "-X", "importtime", *args[1:]], input=data, capture_output=True, env=env)
    rows = []
    for line in done.stderr.decode().splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (p.strip() for p in line.removeprefix("import time:").split("|"))
            if name.strip() == name:  # top-level imports only (nested ones are indented)
                rows.append((int(cumulative), name))
    rows.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.1f} ms" for us, name in rows[:10])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--importtime", action="store_true", help="also show the costliest imports per case")
    args = parser.parse_args()
    runs = max(20, args.runs)
    work = Path(tempfile.mkdtemp(prefix="slopguard-bench-"))
    project = work / "proj"  # a path free of package-tool words, as most projects' are
    project.mkdir()
    try:
        with FakeRegistry(latency=LATENCY) as registry:
            registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
            env = dict(os.environ)
            # Installed users have bytecode cached; this sandbox sets PYTHONDONTWRITEBYTECODE, so cache it
            # outside the tree for the bench (the first, untimed run of each case writes it).
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
            env.update(registry.env(work / "warm-cache"))
            quiet = payload("ls -la && git status", project)
            gated = payload("ls -la ~/go/src && git status", project)  # `go` in the command: the gate passes
            home = payload("ls -la && git status", work / "go" / "src")  # `go` in the cwd only: the gate says no
            install = payload("pip install requests", project)
            typo = payload("pip install reqeusts", project)

            script = Path(sys.executable).with_name("slopguard")
            counter = iter(range(100_000))

            asked = {"cold": 0, "cold_typo": 0}

            def cold(payload_bytes: bytes, case: str) -> Callable[[], tuple[float, bytes]]:
                def run() -> tuple[float, bytes]:
                    cold_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / f"cold-{next(counter)}"))
                    before = len(registry.requests)
                    try:
                        return wall(HOOK, payload_bytes, cold_env)
                    finally:
                        asked[case] += len(registry.requests) - before

                return run

            cases: dict[str, Callable[[], tuple[float, bytes]]] = {
                "base": lambda: wall([sys.executable, "-c", "pass"], b"", env),
                "non_install": lambda: wall(HOOK, quiet, env),
                "prefilter": lambda: wall(HOOK, gated, env),
                "go_in_cwd": lambda: wall(HOOK, home, env),
                "warm": lambda: wall(HOOK, install, env),
                "warm_typo": lambda: wall(HOOK, typo, env),
                "cold": cold(install, "cold"),
                "cold_typo": cold(typo, "cold_typo"),
            }
            if script.is_file():  # how agents run it: `install-hook` writes `slopguard hook AGENT`
                script_cmd = [sys.executable, str(script), *HOOK[3:]]
                cases["console"] = lambda: wall(script_cmd, quiet, env)
                cases["warm_script"] = lambda: wall(script_cmd, install, env)

                def cold_script_run() -> tuple[float, bytes]:
                    cold_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / f"cold-{next(counter)}"))
                    return wall(script_cmd, install, cold_env)

                cases["cold_script"] = cold_script_run
            wall(HOOK, install, env)  # fill the warm cache
            wall(HOOK, typo, env)
            result, cpu = medians(runs, cases)
            cold_requests = asked["cold"] / (runs + 1)
            typo_requests = asked["cold_typo"] / (runs + 1)
            base, non_install, prefilter = result["base"], result["non_install"], result["prefilter"]
            warm, cold, console = result["warm"], result["cold"], result.get("console")
            rtt = round_trip(registry, runs)
            decision = wall(HOOK, install, env)[1].decode().strip() or "(nothing: allowed)"

            print(f"python -c pass                 {base * 1000:7.1f} ms  (median of {runs})")
            print(
                f"non-install command            {non_install * 1000:7.1f} ms  ratio {non_install / base:.2f}x (<= 2x)"
            )
            print(f"install, warm cache            {warm * 1000:7.1f} ms  ratio {warm / base:.2f}x (<= 5x)")
            print(f"install, cold cache            {cold * 1000:7.1f} ms  ratio {cold / (rtt + 0.150):.2f} of "
                  f"(1 round trip {rtt * 1000:.1f} ms + 150 ms) (<= 1); {cold_requests:.1f} requests/run")  # fmt: skip
            print(f"(gate passed, pre-filter no)   {prefilter * 1000:7.1f} ms  ratio {prefilter / base:.2f}x")
            in_cwd = result["go_in_cwd"]
            print(f"(`go` in the cwd only: gated)  {in_cwd * 1000:7.1f} ms  ratio {in_cwd / base:.2f}x")
            typo_time = result["warm_typo"]
            print(f"(warm, misspelt name: block)   {typo_time * 1000:7.1f} ms  ratio {typo_time / base:.2f}x")
            cold_typo = result["cold_typo"]
            typo_budget = typo_requests * rtt + 0.150
            print(f"(cold, misspelt name: block)   {cold_typo * 1000:7.1f} ms  ratio {cold_typo / typo_budget:.2f}"
                  f" of ({typo_requests:.1f} round trips + 150 ms)")  # fmt: skip
            if console is not None:
                warm_script, cold_script = result["warm_script"], result["cold_script"]
                print(f"(non-install, `slopguard` script) {console * 1000:5.1f} ms  ratio {console / base:.2f}x")
                print(f"(warm, `slopguard` script)     {warm_script * 1000:7.1f} ms  ratio {warm_script / base:.2f}x")
                print(f"(cold, `slopguard` script)     {cold_script * 1000:7.1f} ms  ratio "
                      f"{cold_script / (rtt + 0.150):.2f} of (1 round trip + 150 ms)")  # fmt: skip
            print(f"reply to the install: {decision[:200]}")
            print("\nCPU time of the child (user + system), ms:  min / median   (ratio of mins to python -c pass)")
            base_cpu = min(cpu["base"])
            for name, values in cpu.items():
                low, mid = min(values) * 1000, statistics.median(values) * 1000
                print(f"  {name:12} {low:7.1f} / {mid:7.1f}   {min(values) / base_cpu:5.2f}x")
            if args.importtime:
                print("\ncostliest imports:")
                print("  non-install:", importtime(HOOK, quiet, env))
                print("  pre-filter: ", importtime(HOOK, gated, env))
                print("  warm:       ", importtime(HOOK, install, env))
                cold_env = dict(env, SLOPGUARD_CACHE_DIR=str(work / "cold-importtime"))
                print("  cold:       ", importtime(HOOK, install, cold_env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
