"""False flags at ecosystem scale: real package lists modelled as established packages, sampled off the popular lists.

Used by `bench/eval_detection.py --packages DIR`. The lists are read from `DIR` at bench time (never committed,
never sent to a registry): every listed name exists in the in-memory world as an established package (years
old, 5 releases over time, a repository), and seeded random samples of the names slopguard's shipped popular
lists leave out (the popular names are exempt by construction, so sampling them proves nothing) are judged
through `rules.assess` and `policy.decide`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from slopguard.models import Ecosystem, RegistryRecord, Verdict
from slopguard.names import canonicalize, invalid_reason
from slopguard.popular import popular_set

BANDS = ((1_000, 10_000, "1k-10k"), (10_000, 100_000, "10k-100k"), (100_000, 1 << 62, "100k+"))
"""npm download bands (downloads a month) sampled separately."""


def _table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        next(fh, None)  # the header names the columns
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def _unlisted(eco: Ecosystem, raw: list[str]) -> list[str]:
    popular = popular_set(eco)
    out: set[str] = set()
    for name in raw:
        canon = canonicalize(eco, name.strip())
        if canon and canon not in popular and invalid_reason(eco, canon) is None:
            out.add(canon)
    return sorted(out)


def samples(packages: Path) -> list[tuple[str, Ecosystem, list[str]]]:
    """Each sample's label, ecosystem and every name it may draw from (not on the popular lists)."""
    out: list[tuple[str, Ecosystem, list[str]]] = []
    pypi = _table(packages / "pypi.tsv")
    unranked = [r[0] for r in pypi if len(r) < 4 or not r[3].strip()]
    out.append(("pypi unranked", Ecosystem.PYPI, _unlisted(Ecosystem.PYPI, unranked)))
    npm = [r for r in _table(packages / "npm.tsv") if len(r) >= 3 and r[2].strip().isdigit()]
    for low, high, label in BANDS:
        band = [r[0] for r in npm if low <= int(r[2]) < high]
        out.append((f"npm {label} downloads/month", Ecosystem.NPM, _unlisted(Ecosystem.NPM, band)))
    go = [r[0] for r in _table(packages / "go-partial.tsv") if len(r) >= 2 and r[1].strip() != "not-served"]
    out.append(("go modules (go-partial)", Ecosystem.GO, _unlisted(Ecosystem.GO, go)))
    return out


def ecosystem_false_flags(
    packages: Path,
    size: int,
    seed: int,
    judge: Callable[[Ecosystem, str, RegistryRecord], tuple[object, Verdict]],
    established: Callable[[Ecosystem, str, int], RegistryRecord],
    fresh: Callable[[Ecosystem, str], RegistryRecord],
) -> None:
    """Print, for each sample, the warn and block rates and the `typosquat` warn rate (target <= 0.3%, 0 block)."""
    print(f"(d) false flags at ecosystem scale: names from {packages} NOT on the popular lists, each established "
          f"(5 releases, years old, a repository); seeded samples of up to {size}")  # fmt: skip
    rng = random.Random(seed)
    for label, eco, pool in samples(packages):
        drawn = rng.sample(pool, min(size, len(pool)))
        counts: Counter[str] = Counter()
        examples: list[str] = []
        blocked: list[str] = []
        for name in drawn:
            assessment, verdict = judge(eco, name, established(eco, name, 5))
            codes = {r.code for r in getattr(assessment, "reasons", ())}
            counts[verdict.value] += 1
            if verdict is Verdict.BLOCK:
                blocked.append(f"{name}:{','.join(sorted(codes))}")
            counts["look-alike"] += "look-alike" in codes
            young, _ = judge(eco, name, fresh(eco, name))
            counts["as-fresh"] += any(r.code == "typosquat" for r in getattr(young, "reasons", ()))
            if "typosquat" in codes:
                counts["typosquat"] += 1
                if len(examples) < 5:
                    examples.append(f"{name}->{getattr(assessment, 'suggestion', None)}")
        print(f"  {label:28} (of {len(pool):>6}) warn {_rate(counts, 'warn', len(drawn)):18} "
              f"block {_rate(counts, 'block', len(drawn)):16} typosquat {_rate(counts, 'typosquat', len(drawn)):18} "
              f"look-alike (info) {_rate(counts, 'look-alike', len(drawn)):18} "
              f"typosquat if uploaded fresh {_rate(counts, 'as-fresh', len(drawn))}")  # fmt: skip
        if examples:
            print(f"    flagged: {'; '.join(examples)}")
        if blocked:
            print(f"    blocked: {'; '.join(blocked[:6])}")
    print("  target: warn <= 0.3%, block 0 (look-alike: a resemblance kept as information, never a flag;")
    print("  the last column is the matcher's reach: the same names as fresh one-release uploads, judged typosquats)")


def _rate(counts: Counter[str], key: str, whole: int) -> str:
    return f"{counts[key]}/{whole} = {100 * counts[key] / whole:.2f}%" if whole else "0/0"
