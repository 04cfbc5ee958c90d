"""Throughput of the shell extractor on generated agent-session commands (issue 3): target >= 20,000 commands/s.

Most generated commands install nothing (ls, git status, pytest, cat, grep, sed, make, python script.py,
npm test, npm run build, go build, ...), as in real sessions; about 6% install or run a package. Each
command is a `Source` of kind SHELL; the timed loop is `extract_shell` over all of them, so the cheap
pre-filter keeps non-install commands away from tree-sitter. Prints commands/s, the pre-filter pass rate
and how many references were found.

    python bench/bench_extract.py [--count 100000] [--seed 3] [--install-share 0.06]
"""

from __future__ import annotations

import argparse
import random
import time

from slopguard.extract.prefilter import may_install
from slopguard.extract.shell import extract_shell
from slopguard.models import Project, Source, SourceKind

FILES = ["src/app.py", "tests/test_api.py", "README.md", "package.json", "main.go", "setup.cfg", "src/index.ts"]
WORDS = ["TODO", "install", "pipeline", "import", "error", "get", "def main", "useState", "goroutine"]
PY = ["requests", "flask", "numpy", "pandas", "httpx", "rich", "pydantic", "fastapi", "Django>=4.2", "pytest-cov"]
JS = ["react", "lodash", "zod", "@types/node", "typescript@^5", "vite", "express", "axios", "@tanstack/react-query"]
GO = ["github.com/gin-gonic/gin@v1.9.1", "golang.org/x/tools/cmd/stringer@latest", "github.com/spf13/cobra"]


def _plain(rng: random.Random) -> str:
    f, w = rng.choice(FILES), rng.choice(WORDS)
    return rng.choice(
        [
            "ls -la",
            "ls src/",
            "git status",
            "git diff --stat",
            f"git add {f} && git commit -m 'update {w}'",
            "git log --oneline -5",
            "pytest -x -q",
            f"pytest {f} -k {w.split()[0]}",
            f"cat {f}",
            f"head -50 {f}",
            f"grep -rn '{w}' src/",
            f'rg -n "{w}" --type py',
            f"sed -n '1,80p' {f}",
            f"sed -i 's/{w}/x/' {f}",
            "make",
            "make test",
            "python script.py",
            f"python -m pytest {f}",
            "python manage.py migrate",
            "npm test",
            "npm run build",
            "npm run lint -- --fix",
            "npm ci",
            "yarn test",
            "pnpm lint",
            "go build ./...",
            "go test ./... -run TestGet",
            "go vet ./...",
            "cargo build",
            "docker compose up -d",
            f"cd src && ls && cat {f}",
            f"echo 'pip install {rng.choice(PY)}'",
            f"wc -l {f}",
            "find . -name '*.py' | head",
            "mkdir -p build && cd build",
            "pip --version",
            "pip list | grep requests",
            "ruff check . && mypy src",
            "tsc --noEmit",
        ]
    )


def _install(rng: random.Random) -> str:
    p, j, g = rng.choice(PY), rng.choice(JS), rng.choice(GO)
    return rng.choice(
        [
            f"pip install {p}",
            f"pip install -q '{p}' {rng.choice(PY)}",
            f"python -m pip install -U {p}",
            "pip install -r requirements.txt",
            f"uv add {p}",
            f"uv pip install {p}",
            f"uvx ruff check . && uv add {p}",
            f"poetry add {p}",
            f"npm install {j}",
            f"npm i -D {j} {rng.choice(JS)}",
            f"cd web && npm install --save {j}",
            f"yarn add {j}",
            f"pnpm add {j}",
            "npx create-next-app@latest my-app --ts",
            f"bunx {j.split('@')[0] or j}",
            f"go get {g}",
            f"go install {g}",
            f"sudo pip install {p}",
            f"bash -c 'pip install {p}'",
        ]
    )


def commands(count: int, seed: int, install_share: float) -> list[str]:
    """`count` reproducible commands, `install_share` of them installs."""
    rng = random.Random(seed)
    return [_install(rng) if rng.random() < install_share else _plain(rng) for _ in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--install-share", type=float, default=0.06)
    args = parser.parse_args(argv)
    texts = commands(args.count, args.seed, args.install_share)
    sources = [Source(t, SourceKind.SHELL, "bench", pin_line=i + 1, cwd="/nonexistent") for i, t in enumerate(texts)]
    project = Project()
    extract_shell(Source("pip install warmup", SourceKind.SHELL, "warm"), project)  # load the grammar once
    passed = sum(1 for t in texts if may_install(t))
    start = time.perf_counter()
    refs = problems = 0
    for source in sources:
        extraction = extract_shell(source, project)
        refs += len(extraction.refs)
        problems += len(extraction.problems)
    elapsed = time.perf_counter() - start
    rate = len(sources) / elapsed
    print(f"commands: {len(sources):,}  time: {elapsed:.3f} s  throughput: {rate:,.0f} commands/s (target >= 20,000)")
    print(f"pre-filter: {passed:,} passed to the parser ({passed / len(texts):.1%}), {len(texts) - passed:,} skipped")
    print(f"references found: {refs:,}  problems: {problems:,}")
    return 0 if rate >= 20_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
