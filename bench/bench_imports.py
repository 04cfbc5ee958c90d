"""MB/s of source the import extractors get through, per language, on one core (issue 4).

Target: >= 5 MB/s per core for Python and TypeScript. The corpus is generated (deterministic, seeded):
files of ordinary code with imports at the top and inside functions, docstrings and comments that
mention imports, and strings that look like imports. Each language is timed twice: as shipped (big
files go through the sparse fast path of `slopguard.extract.import_scan`), and with every file parsed
whole, for reference. Parsers and queries are warmed up first; the time is `extract_imports` only.

    python bench/bench_imports.py [--mb 4] [--runs 3] [--dir PATH]

`--dir` also times the real `.py/.js/.ts/.tsx/.go` files under PATH (for example an unpacked sdist).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

from slopguard.extract import imports
from slopguard.extract.imports import extract_imports
from slopguard.models import Project, Source, SourceKind

KINDS = {".py": SourceKind.PYTHON, ".js": SourceKind.JAVASCRIPT, ".ts": SourceKind.TYPESCRIPT, ".tsx": SourceKind.TSX}
KINDS[".go"] = SourceKind.GO
PY_PACKAGES = ["requests", "numpy", "yaml", "rich.console", "sklearn.metrics", "attr", "google.cloud.storage"]
JS_PACKAGES = ["react", "lodash/merge", "@tanstack/react-query", "zod", "express", "./local", "node:fs"]
GO_PACKAGES = ["fmt", "net/http", "github.com/spf13/cobra", "golang.org/x/sync/errgroup", "gopkg.in/yaml.v3"]


def python_file(rng: random.Random) -> str:
    out = ['"""Generated module.\n\nExample::\n\n    import example_in_docstring\n"""\n']
    out += [f"import {rng.choice(PY_PACKAGES)}\n" for _ in range(rng.randint(3, 12))]
    out.append("from . import sibling\nfrom __future__ import annotations\n\n")
    for i in range(rng.randint(20, 80)):
        out.append(
            f"class Model{i}:\n    '''A model; see `import thing` in the docs.'''\n\n"
            f"    def method_{i}(self, value: int, *, scale: float = 1.5) -> list[int]:\n"
            f"        # import nothing here\n"
            f"        data = [value * k for k in range({i} + 3) if k % 2]\n"
            f"        text = 'from fake import trap {i}'\n"
            f"        return sorted(data, key=lambda x: (x, str(x)))\n\n"
        )
        if i % 15 == 0:
            out.append(f"def lazy_{i}():\n    import {rng.choice(PY_PACKAGES)}\n    return None\n\n")
    return "".join(out)


def js_file(rng: random.Random, typed: bool, jsx: bool) -> str:
    out = [f"import x{i} from '{rng.choice(JS_PACKAGES)}';\n" for i in range(rng.randint(3, 12))]
    out.append("const fs = require('fs');\n/** Docs: `import y from 'trap'` */\n")
    for i in range(rng.randint(20, 80)):
        ann = ": number" if typed else ""
        body = (
            f'  return <div className="c{i}">{{value}}</div>;\n'
            if jsx
            else f"  return [value, {i}].map((v) => v * 2);\n"
        )
        out.append(
            f"export function helper{i}(value{ann}, options = {{ retries: {i} }}) {{\n"
            f"  // require('not-a-dependency')\n"
            f"  const message = `value ${{value}} from 'trap'`;\n"
            f"  if (options.retries > 3) {{ console.log(message); }}\n{body}}}\n\n"
        )
        if typed and i % 10 == 0:
            out.append(f"interface Shape{i} {{ id: string; size?: number }}\n\n")
        if i % 25 == 0:
            out.append(f"export async function load{i}() {{ return import('{rng.choice(JS_PACKAGES)}'); }}\n\n")
    return "".join(out)


def go_file(rng: random.Random) -> str:
    specs = "".join(f'\t"{rng.choice(GO_PACKAGES)}"\n' for _ in range(rng.randint(3, 10)))
    out = [f"package gen\n\nimport (\n{specs})\n\n"]
    out.extend(
        f'// Helper{i} does things; import "github.com/trap/trap" is not an import.\n'
        f"func Helper{i}(value int, names []string) (int, error) {{\n"
        f"\tfor _, n := range names {{\n\t\tif len(n) > {i} {{\n\t\t\treturn value * {i}, nil\n\t\t}}\n\t}}\n"
        f'\treturn 0, fmt.Errorf("helper{i}: %d", value)\n}}\n\n'
        for i in range(rng.randint(20, 80))
    )
    return "".join(out)


GENERATORS: dict[SourceKind, Callable[[random.Random], str]] = {
    SourceKind.PYTHON: python_file,
    SourceKind.JAVASCRIPT: lambda rng: js_file(rng, typed=False, jsx=False),
    SourceKind.TYPESCRIPT: lambda rng: js_file(rng, typed=True, jsx=False),
    SourceKind.TSX: lambda rng: js_file(rng, typed=True, jsx=True),
    SourceKind.GO: go_file,
}


def corpus(kind: SourceKind, megabytes: float, seed: int = 4) -> list[Source]:
    rng = random.Random(seed)
    sources: list[Source] = []
    total = 0
    while total < megabytes * 1_000_000:
        text = GENERATORS[kind](rng)
        sources.append(Source(text, kind, f"gen{len(sources)}"))
        total += len(text.encode())
    return sources


def throughput(sources: list[Source], runs: int) -> tuple[float, int]:
    """Best-of-`runs` MB/s of `extract_imports` over `sources`, and the number of refs found."""
    size = sum(len(s.text.encode()) for s in sources) / 1_000_000
    project = Project()
    extract_imports(sources[0], project)  # grammar load and query compilation are not timed
    best = float("inf")
    found = 0
    for _ in range(runs):
        start = time.perf_counter()
        found = sum(len(extract_imports(s, project).refs) for s in sources)
        best = min(best, time.perf_counter() - start)
    return size / best, found


def measure(label: str, sources: list[Source], runs: int) -> None:
    size = sum(len(s.text.encode()) for s in sources) / 1_000_000
    fast, refs = throughput(sources, runs)
    saved = imports.SPARSE_MIN_BYTES
    imports.SPARSE_MIN_BYTES = 10**12
    try:
        whole, _ = throughput(sources, runs)
    finally:
        imports.SPARSE_MIN_BYTES = saved
    print(f"{label:<12} {len(sources):>6} files {size:>7.2f} MB {refs:>7} refs {fast:>8.1f} MB/s {whole:>12.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="MB of generated source per language")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best is reported")
    parser.add_argument("--dir", type=Path, help="also time the real source files under this directory")
    args = parser.parse_args()
    print(f"{'language':<12} {'':>12} {'':>10} {'':>12} {'shipped':>13} {'whole-file':>17}")
    for kind in GENERATORS:
        measure(kind.value, corpus(kind, args.mb), args.runs)
    if args.dir:
        for suffix, kind in KINDS.items():
            files = [p for p in sorted(args.dir.rglob(f"*{suffix}")) if p.is_file() and "node_modules" not in p.parts]
            sources = [Source(p.read_text(encoding="utf-8", errors="replace"), kind, str(p)) for p in files]
            if sources:
                measure(f"dir {suffix}", sources, args.runs)
    print("target: >= 5 MB/s per core for python and typescript (shipped column)")


if __name__ == "__main__":
    main()
