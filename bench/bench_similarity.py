"""Bench the typosquat neighbour index: build time and time per name against the full popular lists.

Usage: python bench/bench_similarity.py [--data ../shared/data] [--n 20000]
Target: < 0.2 ms per name (mean) against the full PyPI list. Offline; no network.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from pathlib import Path

from slopguard.models import Ecosystem
from slopguard.names import canonicalize
from slopguard.popular import popular_names, popular_set
from slopguard.rules.similarity import _index, nearest_popular

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(len(name))
    op = rng.choice("dias")
    if op == "d":
        return name[:i] + name[i + 1 :]
    if op == "i":
        return name[:i] + rng.choice(string.ascii_lowercase) + name[i:]
    if op == "s" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :]


def queries(eco: Ecosystem, n: int, data: Path, rng: random.Random) -> list[str]:
    """Realistic non-popular names: typos of popular names, unlisted real names, random long names."""
    popular = popular_names(eco)
    out = [_typo(rng, rng.choice(popular)) for _ in range(n // 2)]
    hugovk = data / "popular" / "pypi_top15000_hugovk.tsv"
    if eco is Ecosystem.PYPI and hugovk.is_file():
        rows = [ln.split("\t")[1] for ln in hugovk.read_text(encoding="utf-8").splitlines()[1:]]
        out += [canonicalize(eco, r) for r in rows][: n // 4]
    while len(out) < n:
        length = rng.randint(5, 24)
        out.append("".join(rng.choice(string.ascii_lowercase + "-") for _ in range(length)).strip("-") or "x")
    return [q for q in out if q not in popular_set(eco)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bench the typosquat neighbour index")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args(argv)
    rng = random.Random(6)
    for eco in Ecosystem:
        t0 = time.perf_counter()
        _index(eco)
        build = time.perf_counter() - t0
        names = queries(eco, args.n, args.data, rng)
        times = []
        hits = 0
        for name in names:
            t = time.perf_counter()
            hits += nearest_popular(eco, name) is not None
            times.append(time.perf_counter() - t)
        times.sort()
        print(
            f"{eco.value:5} popular={len(popular_names(eco)):6} build={build * 1000:7.1f} ms  "
            f"names={len(names)} mean={statistics.fmean(times) * 1e3:.4f} ms  "
            f"median={times[len(times) // 2] * 1e3:.4f} ms  "
            f"p95={times[int(len(times) * 0.95)] * 1e3:.4f} ms  max={times[-1] * 1e3:.3f} ms  matched={hits}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
