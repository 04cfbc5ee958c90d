"""Benchmark (issue 13, "Monorepo set"): flags on a repository's own code, and what knowing the whole project costs.

Builds the four shapes of tests/precision/first_party_shapes.py (pnpm/Turborepo workspace, Go modules in subfolders
with a go.work, Python src layout, uv workspace) as git repositories and scans each change as a diff, a `--git`
range, a tree, a Codex transcript whose session folder exists and one whose folder is gone, against the loopback
fake registry. Prints, per shape and way: the flags on own code (target 0), whether the hallucinated name added
beside it is still blocked (target yes), and the scan time. Then builds one large monorepo (own packages plus a big
node_modules and a virtual environment) and times the first-party walk alone and a diff scan in it.

    .venv/bin/python bench/bench_monorepo.py [--files 40000] [--before REV]

`--before REV` runs the same set against slopguard as it was at git revision REV (exported to a temporary folder)
and prints both tables.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "tests" / "precision"))

from fakeregistry import FakeRegistry  # noqa: E402
from first_party_shapes import SHAPES, Shape, build_repo, diff_of, transcript  # noqa: E402

from slopguard.config import Settings  # noqa: E402

MODES = ("diff", "git", "tree", "transcript", "transcript-gone")


def _scan(shape: Shape, mode: str, tmp: Path, settings: Settings) -> tuple[dict[str, str], float]:
    from slopguard.check import scan

    root = tmp / shape.name
    if not root.exists():
        build_repo(shape, root)
    paths: list[str] = []
    git_range = None
    cwd = root
    if mode == "diff":
        patch = tmp / f"{shape.name}.diff"
        patch.write_text(diff_of(root))
        paths = [str(patch)]
    elif mode == "git":
        git_range = "HEAD~1..HEAD"
        cwd = root / next(iter(shape.own)).split("/")[0]
    elif mode == "tree":
        paths, cwd = [str(root)], tmp
    else:
        gone = mode == "transcript-gone"
        session = tmp / f"rollout-{shape.name}-{mode}.jsonl"
        session.write_text(transcript(shape, "/nonexistent/session" if gone else str(root), True, gone))
        paths, cwd = [str(session)], tmp
    started = time.perf_counter()
    report = scan(paths, settings, git_range=git_range, cwd=cwd)
    took = time.perf_counter() - started
    return {f.name: f.verdict.value for f in report.findings if f.verdict.value != "ok"}, took


def monorepo_set() -> list[dict[str, object]]:
    """One row per (shape, way): flags on own code, the hallucinated name's verdict, seconds."""
    rows: list[dict[str, object]] = []
    with FakeRegistry() as registry, tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for shape in SHAPES:
            registry.load_world(shape.world)
        settings = registry.settings(tmp / "cache", use_cache=False)
        for shape in SHAPES:
            for mode in MODES:
                flags, took = _scan(shape, mode, tmp, settings)
                own = sorted(name for name in flags if name != shape.hallucinated)
                rows.append(
                    {
                        "shape": shape.name,
                        "way": mode,
                        "own_flags": own,
                        "hallucinated": flags.get(shape.hallucinated, "ok"),
                        "seconds": round(took, 3),
                    }
                )
    return rows


def _big_repo(root: Path, files: int) -> str:
    """A pnpm monorepo of `files` own files in 200 packages, with a node_modules and a venv as big again."""
    packages = 200
    per = max(1, files // packages)
    (root / "pnpm-workspace.yaml").parent.mkdir(parents=True, exist_ok=True)
    (root / "pnpm-workspace.yaml").write_text("packages:\n  - 'packages/*'\n")
    (root / "package.json").write_text('{"name": "big", "private": true}\n')
    for p in range(packages):
        pkg = root / "packages" / f"pkg{p}"
        (pkg / "src" / "deep" / "er").mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"name": f"@big/pkg{p}", "dependencies": {"react": "^18"}}))
        for i in range(per):
            sub = pkg / "src" / ("deep/er" if i % 3 == 0 else "")
            (sub / f"m{i}.ts").write_text("export const x = 1;\n")
    for p in range(packages):
        mod = root / "node_modules" / ".pnpm" / f"dep{p}" / "node_modules" / f"dep{p}"
        mod.mkdir(parents=True)
        (mod / "package.json").write_text(json.dumps({"name": f"dep{p}"}))
        for i in range(per):
            (mod / f"f{i}.js").write_text("module.exports = 1;\n")
    venv = root / "env"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for i in range(files // 4):
        (venv / "lib" / f"mod{i}.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return "packages/pkg7/src/app.ts"


def walk_cost(files: int) -> dict[str, object]:
    """Seconds for the first-party walk of a large monorepo, and for a whole diff scan in it (offline)."""
    from slopguard.check import scan
    from slopguard.extract.project import project_from_tree

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "big"
        built = time.perf_counter()
        rel = _big_repo(root, files)
        built = time.perf_counter() - built
        entries = sum(len(f) + len(d) for _, d, f in os.walk(root))
        started = time.perf_counter()
        project = project_from_tree(root)
        walk = time.perf_counter() - started
        patch = Path(folder) / "change.diff"
        code = 'import { x } from "@big/pkg150";\nimport react from "react";\n'
        added = "".join(f"+{x}\n" for x in code.splitlines())
        patch.write_text(f"--- /dev/null\n+++ b/{rel}\n@@ -0,0 +1,2 @@\n{added}")
        settings = Settings(offline=True, use_cache=False, cache_dir=str(Path(folder) / "cache"))
        started = time.perf_counter()
        report = scan([str(patch)], settings, cwd=root)
        took = time.perf_counter() - started
        return {
            "entries_in_tree": entries,
            "build_seconds": round(built, 1),
            "walk_seconds": round(walk, 3),
            "npm_packages_found": len(project.npm_packages),
            "diff_scan_seconds": round(took, 3),
            "own_flagged": [f.name for f in report.findings if f.name.startswith("@big/")],
        }


def _print(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n{title}")
    print(f"{'shape':22} {'way':16} {'own flags':>9} {'hallucinated':>12} {'seconds':>8}")
    for row in rows:
        own = row["own_flags"]
        assert isinstance(own, list)
        print(f"{row['shape']!s:22} {row['way']!s:16} {len(own):>9} {row['hallucinated']!s:>12} {row['seconds']!s:>8}")
    total = sum(len(r["own_flags"]) for r in rows)  # type: ignore[arg-type]
    blocked = sum(r["hallucinated"] == "block" for r in rows)
    print(f"own-code flags: {total} (target 0); hallucinated blocked: {blocked}/{len(rows)} (target {len(rows)})")


def _before(rev: str) -> list[dict[str, object]]:
    """The monorepo set as slopguard at `rev` scores it (run in a subprocess with that code first on the path)."""
    repo = HERE.parent
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "archive", rev, "slopguard", "registries"], cwd=repo, capture_output=True)
        subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": old}
        done = subprocess.run(
            [sys.executable, __file__, "--json-set"], env=env, capture_output=True, text=True, check=True
        )
        rows: list[dict[str, object]] = json.loads(done.stdout)
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=40_000, help="own files of the large monorepo (0: skip)")
    parser.add_argument("--before", metavar="REV", help="also score slopguard as it was at git revision REV")
    parser.add_argument("--json-set", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json_set:
        print(json.dumps(monorepo_set()))
        return 0
    if args.before:
        _print(f"Monorepo set, before ({args.before}):", _before(args.before))
    rows = monorepo_set()
    _print("Monorepo set, now:", rows)
    if args.files:
        cost = walk_cost(args.files)
        print("\nLarge monorepo (own packages + node_modules + a venv):")
        for key, value in cost.items():
            print(f"  {key}: {value}")
    ok = all(not r["own_flags"] and r["hallucinated"] == "block" for r in rows)
    print(f"\ntargets met: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
