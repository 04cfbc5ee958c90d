"""Bench: resolve 500 distinct names (PyPI, npm, Go; most existing) against the fake registry, cold then warm.

    python bench/bench_resolve.py [--names 500] [--latency 0.02] [--concurrency 16] [--in-process]

The fake registry (tests/fakeregistry.py) runs in its own process by default, as a real registry would
(`--in-process` shares this interpreter and its GIL, which slows both sides). Cold = empty cache directory,
every name goes over HTTP with 20 ms added to every answer; warm = the same names again, from the cache.
Targets: cold >= 200 names/s at concurrency 16, warm >= 10,000 names/s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from fakeregistry import FakeRegistry  # noqa: E402

from slopguard.models import Ecosystem, LookupKey, Status  # noqa: E402
from slopguard.registry import resolve  # noqa: E402


def build(count: int) -> tuple[dict[str, dict[str, Any]], list[LookupKey]]:
    """A world and `count` distinct keys: 40% PyPI, 40% npm (a third scoped), 20% Go; nine in ten exist."""
    world: dict[str, dict[str, Any]] = {"pypi": {}, "npm": {}, "go": {}}
    keys: list[LookupKey] = []
    for i in range(count):
        exists = i % 10 != 0
        if i % 5 in (0, 1):
            name = f"bench-py-{i}"
            if exists:
                world["pypi"][name] = {"versions": {"1.0": "2020-01-01T00:00:00Z", "1.1": "2021-01-01T00:00:00Z"}}
            keys.append(LookupKey(Ecosystem.PYPI, name))
        elif i % 5 in (2, 3):
            name = f"@bench/js-{i}" if i % 3 == 0 else f"bench-js-{i}"
            if exists:
                world["npm"][name] = {"versions": {"1.0.0": "2020-01-01T00:00:00.000Z"}}
            keys.append(LookupKey(Ecosystem.NPM, name))
        else:
            module = f"github.com/bench/go-{i}"
            if exists:
                world["go"][module] = {"versions": {"v0.9.0": "2019-01-01T00:00:00Z", "v1.0.0": "2020-01-01T00:00:00Z"}}
            keys.append(LookupKey(Ecosystem.GO, module))
    return world, keys


def run(keys: list[LookupKey], registry_url: str, tmp: str, concurrency: int) -> tuple[float, float, dict[str, int]]:
    settings = FakeRegistry.settings_for(registry_url, tmp, concurrency=concurrency, deadline=120.0)
    started = time.perf_counter()
    cold = resolve(keys, settings)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    warm = resolve(keys, settings)
    warm_s = time.perf_counter() - started
    assert all(r.from_cache for r in warm.values()), "warm run missed the cache"
    statuses = {s.value: sum(1 for r in cold.values() if r.status is s) for s in Status}
    assert statuses["unknown"] == 0, statuses
    return cold_s, warm_s, statuses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Resolve names cold and warm against the fake registry.")
    parser.add_argument("--names", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--in-process", action="store_true", help="run the fake registry in this process")
    args = parser.parse_args(argv)
    world, keys = build(args.names)
    extra = ""
    with tempfile.TemporaryDirectory() as tmp:
        if args.in_process:
            with FakeRegistry(latency=args.latency) as registry:
                registry.load_world(world)
                cold_s, warm_s, statuses = run(keys, registry.url, tmp, args.concurrency)
                extra = f", {len(registry.requests)} requests, max in flight {registry.max_in_flight}"
        else:
            world_file = Path(tmp) / "world.json"
            world_file.write_text(json.dumps(world))
            command = [sys.executable, str(TESTS / "fakeregistry.py"), "--world", str(world_file)]
            server = subprocess.Popen([*command, "--latency", str(args.latency)], stdout=subprocess.PIPE, text=True)
            try:
                assert server.stdout is not None
                url = server.stdout.readline().strip().partition("=")[2]
                cold_s, warm_s, statuses = run(keys, url, tmp, args.concurrency)
            finally:
                server.terminate()
                server.wait()
    where = "in-process" if args.in_process else "separate process"
    print(f"names: {len(keys)}  statuses: {statuses}  (fake registry: {where}{extra})")
    print(
        f"cold: {len(keys) / cold_s:,.0f} names/s ({cold_s:.2f} s, latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency})"
    )
    print(f"warm: {len(keys) / warm_s:,.0f} names/s ({warm_s * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
