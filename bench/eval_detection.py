"""Measure detection offline over the public datasets: typosquat recall, false flags, hallucination recall.

Usage: python bench/eval_detection.py [--data ../shared/data] [--top 5000] [--packages DIR] [--sample 20000]

`--packages` names a folder of real package lists (`pypi.tsv`, `npm.tsv`, `go-partial.tsv`, one name a line after
a header, tab-separated; read at bench time, never committed, never sent anywhere): every listed name is modelled as
an established package, and random samples of the names NOT on slopguard's popular lists are judged (false flags
at ecosystem scale).

No network: every package is a `RegistryRecord` built in memory (the test-registry world), then run through
`rules.assess` and `policy.decide` exactly as the pipeline does. Malicious and hallucinated names are modelled as
an attacker's fresh upload (10 days old, 1 release, no repository); popular names as established packages
(8 years old, 40 releases, a repository).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from slopguard.config import Settings
from slopguard.models import Ecosystem, Location, PackageRef, RefKind, RegistryRecord, Status, Verdict
from slopguard.names import canonicalize, invalid_reason
from slopguard.policy import decide
from slopguard.popular import data_dir, known_hallucinations, popular_set
from slopguard.rules import Assessment, assess

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
PACKAGES = Path("/work/.library/env/packages")
NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)
SETTINGS = Settings()


def established(eco: Ecosystem, name: str, releases: int = 40) -> RegistryRecord:
    return RegistryRecord(
        eco, name, Status.EXISTS, first_release=NOW - timedelta(days=2900), latest_release=NOW - timedelta(days=30),
        version_count=releases, repository=f"https://github.com/example/{name}", latest_version="4.0.0",
    )  # fmt: skip


def fresh(eco: Ecosystem, name: str) -> RegistryRecord:
    return RegistryRecord(eco, name, Status.EXISTS, first_release=NOW - timedelta(days=10), version_count=1)


def missing(eco: Ecosystem, name: str) -> RegistryRecord:
    return RegistryRecord(eco, name, Status.NOT_FOUND)


def judge(eco: Ecosystem, name: str, record: RegistryRecord | None) -> tuple[Assessment, Verdict]:
    ref = PackageRef(eco, name, name, RefKind.INSTALL, Location("<eval>"))
    assessment = assess(eco, name, [ref], record, SETTINGS, NOW)
    return assessment, decide(eco, name, assessment, SETTINGS)


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "0/0"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))


def typosquat_recall(eco_filter: Iterable[Ecosystem]) -> None:
    print("(a) typosquats whose target is popular, uploaded fresh; 'typosquat signal' ignores the malicious list")
    path = data_dir() / "eval" / "typosquat-pairs.tsv"
    lines = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    sums = Counter[str]()
    targets: set[tuple[Ecosystem, str]] = set()
    for source in ("ossf", "typogard"):
        for eco in eco_filter:
            pop = popular_set(eco)
            seen: set[str] = set()
            total = flagged = blocked = typo = right = 0
            for eco_s, bad, target, src in lines:
                if eco_s != eco.value or src.strip() != source:
                    continue
                bad_c, target_c = canonicalize(eco, bad), canonicalize(eco, target)
                if target_c not in pop or bad_c in pop or bad_c in seen or bad_c == target_c:
                    continue
                seen.add(bad_c)
                targets.add((eco, target_c))
                total += 1
                assessment, verdict = judge(eco, bad_c, fresh(eco, bad_c))
                flagged += verdict is not Verdict.OK
                blocked += verdict is Verdict.BLOCK
                typo += bool({"typosquat", "invalid-name"} & assessment.codes)
                right += assessment.suggestion == target_c
            if total:
                print(f"  {source:8} {eco.value:5} blocked {pct(blocked, total)}  flagged {pct(flagged, total)}  "
                      f"typosquat signal {pct(typo, total)}  right target {pct(right, total)}")  # fmt: skip
            sums.update(total=total, flagged=flagged, typo=typo, right=right)
    print(f"  all: flagged {pct(sums['flagged'], sums['total'])} (target >= 95%)  typosquat signal "
          f"{pct(sums['typo'], sums['total'])}  intended package named {pct(sums['right'], sums['total'])} "
          "(target >= 90%)")  # fmt: skip
    flagged_targets = [
        f"{e.value}:{t}" for e, t in sorted(targets) if judge(e, t, established(e, t))[1] is not Verdict.OK
    ]
    print(f"  the targets themselves, established: flagged {pct(len(flagged_targets), len(targets))} (target 0)"
          f"{'  e.g. ' + ', '.join(flagged_targets[:4]) if flagged_targets else ''}")  # fmt: skip


def false_flags(data: Path, top: int) -> None:
    print(f"(b) false flags on the top {top} names of each popular list, modelled as established packages")
    hugovk_rows = rows(data / "popular/pypi_top15000_hugovk.tsv")
    awesome = [r["derived_repo_path"] for r in rows(data / "popular/awesome_go_entries.tsv")]
    lists = {
        "pypi hugovk (not shipped)": (Ecosystem.PYPI, [r["project"] for r in hugovk_rows]),
        "pypi guarddog": (Ecosystem.PYPI, _plain(data / "popular/guarddog_top_pypi.txt")),
        "npm high-impact": (Ecosystem.NPM, _plain(data / "popular/npm_high_impact_top.txt")),
        "npm guarddog": (Ecosystem.NPM, _plain(data / "popular/guarddog_top_npm.txt")),
        "go guarddog": (Ecosystem.GO, _plain(data / "popular/guarddog_top_go.txt")),
        "go awesome-go repos": (Ecosystem.GO, awesome),
    }  # fmt: skip
    for label, (eco, names) in lists.items():
        _flag_rate(label, eco, names[:top])
    hugovk = [canonicalize(Ecosystem.PYPI, r["project"]) for r in hugovk_rows]
    unlisted = [n for n in hugovk if n not in popular_set(Ecosystem.PYPI)]
    _flag_rate("pypi hugovk names NOT in the shipped list (all ranks)", Ecosystem.PYPI, unlisted)


def _plain(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _flag_rate(label: str, eco: Ecosystem, names: list[str]) -> None:
    counts: Counter[Verdict] = Counter()
    examples: list[str] = []
    names = [canonicalize(eco, n) for n in names if n and invalid_reason(eco, canonicalize(eco, n)) is None]
    for name in names:
        assessment, verdict = judge(eco, name, established(eco, name))
        counts[verdict] += 1
        if verdict is not Verdict.OK and len(examples) < 4:
            examples.append(f"{name}->{assessment.suggestion or ','.join(sorted(assessment.codes))}")
    print(f"  {label:55} blocks {pct(counts[Verdict.BLOCK], len(names))}  warns {pct(counts[Verdict.WARN], len(names))}"
          f"  e.g. {'; '.join(examples)}")  # fmt: skip


def hallucination_recall(data: Path) -> None:
    print("(c) known hallucinations")
    for eco in Ecosystem:
        names = sorted(known_hallucinations(eco))
        for label, make in (("unregistered", missing), ("registered by an attacker", fresh)):
            blocked = sum(judge(eco, n, make(eco, n))[1] is Verdict.BLOCK for n in names)
            print(f"  {eco.value:5} shipped list, {label:27} blocked {pct(blocked, len(names))}")
    bench = rows(data / "hallucinations/libraryhallubench_typos_and_fabrications.tsv")
    pop = popular_set(Ecosystem.PYPI)
    by_kind: dict[str, set[str]] = {}
    for row in bench:
        name = canonicalize(Ecosystem.PYPI, row["name"])
        if name not in pop and invalid_reason(Ecosystem.PYPI, name) is None:
            by_kind.setdefault(row["kind"], set()).add(name)
    print("  pypi LibraryHalluBench names (independent of the shipped lists), registered by an attacker:")
    for kind, found in sorted(by_kind.items()):
        results = [judge(Ecosystem.PYPI, n, fresh(Ecosystem.PYPI, n)) for n in sorted(found)]
        blocked = sum(v is Verdict.BLOCK for _, v in results)
        flagged = sum(v is not Verdict.OK for _, v in results)
        typo = sum("typosquat" in a.codes for a, _ in results)
        print(f"    {kind:13} blocked {pct(blocked, len(found))}  flagged {pct(flagged, len(found))}  "
              f"typosquat signal {pct(typo, len(found))}")  # fmt: skip
    print("    (unregistered, every one of them is not-found: block)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offline detection figures over the public datasets")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--top", type=int, default=5000)
    parser.add_argument("--packages", type=Path, default=PACKAGES, help="folder with pypi.tsv, npm.tsv, go-partial.tsv")
    parser.add_argument("--sample", type=int, default=20000, help="names drawn per sample (seeded)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    typosquat_recall((Ecosystem.PYPI, Ecosystem.NPM, Ecosystem.GO))
    if args.packages.is_dir():
        from eval_world import ecosystem_false_flags

        ecosystem_false_flags(args.packages, args.sample, args.seed, judge, established, fresh)
    else:
        print(f"(d) skipped: no package lists in {args.packages} (--packages)")
    false_flags(args.data, args.top)
    hallucination_recall(args.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
