"""Time of the offline scan on adversarial inputs (issue 12, item 7): every shape should go at >= 1 MB/s.

Each shape is a file of about `--size` bytes built to hit a known worst case of a reader, an extractor or a rule
(long whitespace runs, deep nesting, huge lines, many quotes, many fences, ...). Each runs in its own process
through `slopguard.check.scan` with `offline = true` (no network; names are not looked up), so a shape that
hangs costs `--timeout` seconds and is reported as such instead of stopping the others. MB/s is computed from
the process's CPU time (wall time is printed too), so a busy machine does not make a shape look slow.

    python bench/bench_hostile.py [--size 1500000] [--timeout 120] [--only NAME ...] [--list]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

Builder = Callable[[int], tuple[str, str]]
"""size in bytes -> (file name, text)."""


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _claude_line(command: str) -> str:
    block = {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": command}}
    return json.dumps({"type": "assistant", "message": {"content": [block]}})


SHAPES: dict[str, Builder] = {
    # requirements files
    "req-space-run": lambda n: ("requirements.txt", "requests" + " " * n + "x\nreqeusts\n"),
    "req-space-run-hash": lambda n: ("requirements.txt", "requests" + " \t" * (n // 2) + "#\nreqeusts\n"),
    "req-long-comment": lambda n: ("requirements.txt", "requests # " + "# x" * (n // 3) + "\nreqeusts\n"),
    "req-many-comments": lambda n: ("requirements.txt", _repeat("pkg-a  # comment   with   spaces\n", n)),
    "req-continuations": lambda n: ("requirements.txt", "requests \\\n" + _repeat("  \\\n", n)),
    "req-many-options": lambda n: ("requirements.txt", "requests" + _repeat(" --hash=sha256:ab", n) + "\n"),
    # other Python manifests
    "pyproject-100k-deps": lambda n: (
        "pyproject.toml",
        '[project]\nname = "x"\ndependencies = [\n'
        + "".join(f'  "pkg{i}>=1",\n' for i in range(max(1, n // 16)))
        + "]\n",
    ),
    "pyproject-header-spaces": lambda n: ("pyproject.toml", "[a" + " " * n + "b\n"),
    "pipfile-many": lambda n: (
        "Pipfile",
        "[packages]\n" + "".join(f'pkg{i} = "*"\n' for i in range(max(1, n // 14))),
    ),
    "poetry-many": lambda n: (
        "pyproject.toml",
        "[tool.poetry.dependencies]\n" + "".join(f'pkg{i} = "^1"\n' for i in range(max(1, n // 14))),
    ),
    "setup-cfg-spaces": lambda n: (
        "setup.cfg",
        "[options]\ninstall_requires =\n    requests" + " " * n + "x\n",
    ),
    "tox-factors": lambda n: ("tox.ini", "[testenv]\ndeps =\n    " + "a ," * (n // 3) + "\n"),
    "env-yml-spaces": lambda n: (
        "environment.yml",
        "dependencies:\n  - pip:\n    - requests" + " " * n + "x\n",
    ),
    "setup-py-nested": lambda n: ("setup.py", "setup(install_requires=" + "[" * (n // 2) + "]" * (n // 2) + ")\n"),
    "go-mod-long": lambda n: ("go.mod", "module x\n\nrequire (\n" + '\t"a' + "\\" * n + '"\n)\n'),
    # JSON
    "package-json-nested": lambda n: ("package.json", "[" * (n // 2) + "]" * (n // 2)),
    "package-json-nested-obj": lambda n: ("package.json", '{"a":' * (n // 5) + "1" + "}" * (n // 5)),
    "package-json-many": lambda n: (
        "package.json",
        '{"dependencies": {' + ",".join(f'"p{i}": "^1"' for i in range(max(1, n // 14))) + "}}",
    ),
    "package-json-script": lambda n: (
        "package.json",
        json.dumps({"scripts": {"x": "pip install " + "a" * n}}),
    ),
    "tsconfig-comments": lambda n: ("tree/tsconfig.json", "/* " * (min(n, 990_000) // 3)),
    "gitignore-stars": lambda n: ("tree/.gitignore", _repeat("*a" * 40 + "*b\n", n)),
    # shell (kept under `slopguard.extract.shell.MAX_TEXT`, 1 MB, so the parser is measured, not the refusal)
    "sh-one-line-2mb": lambda n: ("install.sh", "pip install " + _repeat("reqeusts ", n) + "\n"),
    "sh-quotes": lambda n: ("install.sh", "pip install " + _repeat('"a\\"b\'c\\\\"', n) + "\n"),
    "sh-backslashes": lambda n: ("install.sh", "pip install " + "\\" * n + "\n"),
    "sh-unclosed-quote": lambda n: ("install.sh", 'pip install "' + _repeat('a\\" ', n) + "\n"),
    "sh-nested-subst": lambda n: ("install.sh", "echo " + "$(" * (n // 3) + "pip install x" + ")" * (n // 3) + "\n"),
    "sh-nested-subshell": lambda n: ("install.sh", "(" * (n // 2) + "pip install x" + ")" * (n // 2) + "\n"),
    "sh-many-commands": lambda n: ("install.sh", _repeat("pip install a && ", n) + "true\n"),
    "sh-for-loop": lambda n: ("install.sh", "for p in " + _repeat("a ", n) + "; do pip install $p; done\n"),
    "dockerfile-run": lambda n: ("Dockerfile", "RUN " + _repeat("--x ", n) + "pip install x\n"),
    "workflow-run": lambda n: (
        ".github/workflows/ci.yml",
        "jobs:\n  a:\n    steps:\n      - run: pip install " + " " * n + "x\n",
    ),
    # diffs, patches
    "diff-huge-line": lambda n: (
        "change.diff",
        "diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n"
        "@@ -0,0 +1,2 @@\n+requests" + " " * n + "x\n+reqeusts\n",
    ),
    "diff-many-hunks": lambda n: (
        "change.diff",
        "diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n"
        + "".join(f"@@ -{i},0 +{i},1 @@\n+p{i}\n" for i in range(1, max(2, n // 20))),
    ),
    "diff-long-path": lambda n: (
        "change.diff",
        f"diff --git a/{'requirements-' * (n // 26)}.txt b/x\n--- a/x\n+++ b/{'requirements-' * (n // 26)}.txt\n"
        "@@ -0,0 +1 @@\n+reqeusts\n",
    ),
    "diff-toml-value-spaces": lambda n: (
        "change.diff",
        "diff --git a/pyproject.toml b/pyproject.toml\n--- a/pyproject.toml\n+++ b/pyproject.toml\n"
        '@@ -0,0 +1,3 @@\n+[project]\n+dependencies = ["a' + " " * n + 'b"\n+ "reqeusts",\n',
    ),
    "diff-toml-header-spaces": lambda n: (
        "change.diff",
        "diff --git a/pyproject.toml b/pyproject.toml\n--- a/pyproject.toml\n+++ b/pyproject.toml\n"
        "@@ -0,0 +1,2 @@\n+[a" + " " * n + "b\n+x = 1\n",
    ),
    "diff-json-fragment": lambda n: (
        "change.diff",
        "diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n"
        '@@ -0,0 +1,2 @@\n+  "dependencies": {\n+    "a' + " " * n + "\n",
    ),
    # sources
    "py-long-import": lambda n: ("app.py", "import " + ", ".join(f"m{i}" for i in range(max(1, n // 7))) + "\n"),
    "py-long-from": lambda n: ("app.py", "from x import (" + _repeat("a, ", n) + ")\n"),
    "py-dotted": lambda n: ("app.py", "import " + _repeat("a.", n) + "b\n"),
    "py-nested-parens": lambda n: ("app.py", "x = " + "(" * (n // 2) + ")" * (n // 2) + "\nimport reqeusts\n"),
    "py-many-strings": lambda n: ("app.py", _repeat('"""a\n', n) + "\nimport reqeusts\n"),
    "js-long-import": lambda n: (
        "app.js",
        "import {" + ",".join(f"a{i}" for i in range(max(1, n // 6))) + "} from 'reqeusts';\n",
    ),
    "js-many-comments": lambda n: ("app.js", _repeat("/* ", n) + "\nrequire('x')\n"),
    "js-template": lambda n: ("app.js", _repeat("`${", n) + "\nrequire('x')\n"),
    "go-long-import": lambda n: ("main.go", "package main\nimport (\n" + _repeat('\t"a/b"\n', n) + ")\n"),
    # markdown
    "md-many-fences": lambda n: ("notes.md", _repeat("```bash\npip install a\n```\n", n)),
    "md-unclosed-fences": lambda n: ("notes.md", _repeat("````\n```\n", n)),
    "md-backticks": lambda n: ("notes.md", "run " + _repeat("`` ` ", n) + "\n"),
    "md-long-prompt": lambda n: ("notes.md", "    $ pip install " + " " * n + "x\n"),
    "md-env-assignments": lambda n: ("notes.md", _repeat(";A=; ", n) + "\n"),
    "md-inline-spans": lambda n: ("notes.md", _repeat("`pip install a` ", n) + "\n"),
    # transcripts
    "claude-long-line": lambda n: ("session.jsonl", _claude_line("pip install " + _repeat("reqeusts ", n)) + "\n"),
    "claude-nested-json": lambda n: ("session.jsonl", '{"type":"assistant","a":' + "[" * n + "\n"),
    "claude-many-lines": lambda n: ("session.jsonl", _repeat(_claude_line("pip install requests") + "\n", n)),
    "claude-long-text": lambda n: (
        "session.jsonl",
        json.dumps({"type": "assistant", "message": {"content": [{"type": "text", "text": _repeat("```\n`` x\n", n)}]}})
        + "\n",
    ),
    "codex-long-line": lambda n: (
        "rollout-x.jsonl",
        json.dumps(
            {
                "type": "response_item",
                "payload": {
                    "type": "function_call",
                    "name": "shell",
                    "arguments": json.dumps({"command": ["bash", "-lc", "pip install " + "x " * (n // 2)]}),
                },
            }
        )
        + "\n",
    ),
    "notebook-long-cell": lambda n: (
        "nb.ipynb",
        json.dumps({"cells": [{"cell_type": "code", "source": ["!pip install " + "a " * (n // 2)]}]}),
    ),
    # similarity
    "similar-long-name": lambda n: ("install.sh", "pip install " + "requests" * (n // 8) + "\n"),
    "similar-long-names": lambda n: (
        "requirements.txt",
        "".join(f"{i}{'requests' * 31}\n" for i in range(max(1, n // 256))),
    ),
    "similar-many-names": lambda n: (
        "requirements.txt",
        "".join(f"reqeusts-{i}\n" for i in range(max(1, n // 15))),
    ),
}


def _settings(cache: Path) -> object:
    from slopguard.config import Settings

    return Settings(offline=True, cache_dir=cache)


SHELL_TEXT = 950_000
"""Shell shapes stay under `slopguard.extract.shell.MAX_TEXT` (1 MB): longer commands are refused whole."""


def run_one(name: str, size: int) -> None:
    """Build shape `name`, scan it offline, print its time and counts as JSON on stdout."""
    from slopguard.check import scan

    shell = name.startswith(("sh-", "dockerfile-", "workflow-"))
    filename, text = SHAPES[name](min(size, SHELL_TEXT) if shell else size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        target = path
        if filename.startswith("tree/"):  # scanned as a folder, with a project around the file
            target = Path(tmp) / "tree"
            (target / "package.json").write_text('{"name": "web"}')
            (target / "app.ts").write_text("import x from 'reqeusts';\n")
            (target / ("a" * 200 + ".py")).write_text("import reqeusts\n")
        start, cpu = time.perf_counter(), time.process_time()
        report = scan([str(target)], _settings(Path(tmp) / "cache"), cwd=Path(tmp))  # type: ignore[arg-type]
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        json.dumps(
            {
                "seconds": took,
                "cpu": cpu,
                "bytes": len(data),
                "findings": len(report.findings),
                "errors": len(report.errors),
                "inputs": len(report.inputs),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_500_000)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.size)
        return 0
    if args.list:
        print("\n".join(SHAPES))
        return 0
    names = args.only or list(SHAPES)
    slow = 0
    print(f"{'shape':28} {'MB':>6} {'wall s':>8} {'CPU s':>8} {'MB/s':>8}  result (MB/s from CPU time)")
    for name in names:
        cmd = [sys.executable, __file__, "--one", name, "--size", str(args.size)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            limit = f"<{args.size / 1e6 / args.timeout:.3f}"
            print(f"{name:28} {args.size / 1e6:6.2f} {'>' + str(int(args.timeout)):>8} {'':>8} {limit:>8}  TIMEOUT")
            slow += 1
            continue
        if done.returncode != 0 or not done.stdout.strip():
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:28} {'':6} {'':8} {'':8} {'':8}  CRASH exit {done.returncode}: {tail[:80]}")
            slow += 1
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        mb = result["bytes"] / 1e6
        rate = mb / max(result["cpu"], 1e-9)
        slow += rate < 1.0
        flag = "" if rate >= 1.0 else "  SLOW"
        print(
            f"{name:28} {mb:6.2f} {result['seconds']:8.3f} {result['cpu']:8.3f} {rate:8.1f}  "
            f"{result['findings']} findings, {result['errors']} errors, {result['inputs']} read{flag}"
        )
    print(f"{len(names) - slow}/{len(names)} shapes at >= 1 MB/s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
