"""The monorepo set (issue 13): small synthetic repositories of four shapes; a diff, a transcript, a tree of each.

Shapes: a pnpm/Turborepo workspace, Go modules in subfolders tied by a `go.work`, a Python src layout, a uv workspace.
Each has its own code added by a change (imports of the repository's own packages) and, beside it, a file importing
a hallucinated name. Used by tests/precision/test_first_party.py and bench/bench_monorepo.py.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OLD = {"1.0.0": "2016-01-01T00:00:00Z", "1.1.0": "2018-01-01T00:00:00Z", "2.0.0": "2021-01-01T00:00:00Z"}
GO_OLD = {"v1.0.0": "2016-01-01T00:00:00Z", "v1.1.0": "2018-01-01T00:00:00Z", "v1.8.0": "2023-01-01T00:00:00Z"}
REPO = "https://github.com/example/real"


@dataclass(frozen=True)
class Shape:
    """One repository shape: the files at the base commit, the own code a change adds, a hallucinated import."""

    name: str
    files: dict[str, str]
    """The repository before the change (path -> text)."""
    own: dict[str, str]
    """Files the change adds that import the repository's own packages (and real registry packages)."""
    bad_path: str
    bad_text: str
    """A file the change adds beside them, importing `hallucinated`."""
    hallucinated: str
    world: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """The real packages the shape uses, for the fake registry."""
    evidence: tuple[str, ...] = ()
    """Files of the repository an agent that built it in a session would have written (its manifests, package
    `__init__.py` files): all a transcript whose project folder is gone shows of the project."""


def _json(data: Any) -> str:
    return json.dumps(data, indent=2) + "\n"


PNPM = Shape(
    name="pnpm-turborepo",
    files={
        "package.json": _json(
            {"name": "acme-mono", "private": True, "devDependencies": {"turbo": "^2.0.0"}, "packageManager": "pnpm@9"}
        ),
        "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
        "turbo.json": _json({"tasks": {"build": {"dependsOn": ["^build"]}}}),
        "apps/web/package.json": _json(
            {
                "name": "web",
                "private": True,
                "dependencies": {
                    "@repo/ui": "workspace:*",
                    "@repo/utils": "workspace:^",
                    "@repo/legacy": "link:../../packages/legacy",
                    "react": "^2.0.0",
                },
                "devDependencies": {
                    "@repo/typescript-config": "workspace:*",
                    "@repo/eslint-config": "file:../../packages/eslint-config",
                },
            }
        ),
        "apps/web/tsconfig.json": '{\n  // Next.js app\n  "extends": "@repo/typescript-config/nextjs.json",\n'
        '  "compilerOptions": {"paths": {"@/*": ["./src/*"], "~lib/*": ["./lib/*"]}},\n}\n',
        "apps/web/src/lib/format.ts": "export const format = (s: string) => s.trim();\n",
        "packages/ui/package.json": _json({"name": "@repo/ui", "exports": {"./button": "./src/button.tsx"}}),
        "packages/ui/src/button.tsx": "export const Button = () => null;\n",
        "packages/utils/package.json": _json({"name": "@repo/utils", "main": "./src/index.ts"}),
        "packages/utils/src/index.ts": "export const cn = (...a: string[]) => a.join(' ');\n",
        "packages/legacy/package.json": _json({"name": "@repo/legacy"}),
        "packages/typescript-config/package.json": _json({"name": "@repo/typescript-config"}),
        "packages/typescript-config/nextjs.json": _json({"compilerOptions": {"jsx": "preserve"}}),
        "packages/eslint-config/package.json": _json({"name": "@repo/eslint-config"}),
    },
    own={
        "apps/web/src/app/page.tsx": 'import React from "react";\nimport { Button } from "@repo/ui/button";\n'
        'import { cn } from "@repo/utils";\nimport { old } from "@repo/legacy";\n'
        'import { format } from "@/lib/format";\n'
        'import { x } from "~lib/x";\nimport type { Config } from "@repo/typescript-config";\n'
        "export default function Page() { return Button(); }\n",
    },
    bad_path="apps/web/src/app/magic.tsx",
    bad_text='import { useMagic } from "react-quantum-hookz";\nexport const m = useMagic;\n',
    hallucinated="react-quantum-hookz",
    world={"npm": {"react": {"versions": OLD, "repository": REPO}, "turbo": {"versions": OLD, "repository": REPO}}},
    evidence=("apps/web/package.json", "apps/web/tsconfig.json"),
)

GO = Shape(
    name="go-subfolder-go.work",
    files={
        "go.work": "go 1.22\n\nuse (\n\t./svc\n\t./lib\n)\n",
        "svc/go.mod": "module example.com/acme/svc\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n",
        "svc/internal/handler/handler.go": "package handler\n\nfunc Handle() {}\n",
        "lib/go.mod": "module example.com/acme/lib\n\ngo 1.22\n",
        "lib/strutil/strutil.go": "package strutil\n\nfunc Up(s string) string { return s }\n",
        "README.md": "# acme\n",
    },
    own={
        "svc/cmd/api/main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/acme/lib/strutil"\n'
        '\t"example.com/acme/svc/internal/handler"\n\t"github.com/spf13/cobra"\n)\n\n'
        'func main() { fmt.Println(strutil.Up("x")); handler.Handle(); _ = cobra.Command{} }\n',
    },
    bad_path="svc/cmd/api/extra.go",
    bad_text='package main\n\nimport "github.com/acme-labs/fastkit-zz"\n\nvar _ = fastkit.New\n',
    hallucinated="github.com/acme-labs/fastkit-zz",
    world={"go": {"github.com/spf13/cobra": {"versions": GO_OLD}}},
    evidence=("svc/go.mod", "lib/go.mod"),
)

PY_SRC = Shape(
    name="python-src-layout",
    files={
        "pyproject.toml": '[project]\nname = "acme-widgets"\nversion = "0.1.0"\ndependencies = ["requests>=2"]\n\n'
        '[project.optional-dependencies]\ntest = ["acme-widgets[fast]"]\n',
        "src/widgets_core/__init__.py": "",
        "src/widgets_core/shapes.py": "def square(x):\n    return x * x\n",
        "tools/setup.cfg": "[metadata]\nname = acme-tools\n\n[options]\npackages = find:\n",
        "tools/acme_tools/__init__.py": "",
    },
    own={
        "tests/test_shapes.py": "import requests\nimport widgets_core\nfrom widgets_core.shapes import square\n"
        "import acme_tools\n\n\ndef test_square():\n    assert square(2) == 4\n",
    },
    bad_path="tests/test_fast.py",
    bad_text="import quantumjsonfastx\n\n\ndef test_x():\n    assert quantumjsonfastx\n",
    hallucinated="quantumjsonfastx",
    world={"pypi": {"requests": {"versions": OLD, "repository": REPO}}},
    evidence=("pyproject.toml", "src/widgets_core/__init__.py", "tools/setup.cfg", "tools/acme_tools/__init__.py"),
)

UV = Shape(
    name="uv-workspace",
    files={
        "pyproject.toml": '[project]\nname = "acme-root"\nversion = "0.1.0"\ndependencies = ["alpha-lib"]\n\n'
        '[tool.uv.sources]\nalpha-lib = { workspace = true }\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "packages/alpha/pyproject.toml": '[project]\nname = "alpha-lib"\nversion = "0.1.0"\ndependencies = []\n',
        "packages/alpha/src/alpha/__init__.py": "def a():\n    return 1\n",
        "packages/beta/pyproject.toml": '[project]\nname = "beta-svc"\nversion = "0.1.0"\n'
        'dependencies = ["alpha-lib", "httpx>=0.27"]\n\n[tool.uv.sources]\nalpha-lib = { workspace = true }\n',
        "packages/beta/beta/__init__.py": "",
    },
    own={
        "packages/beta/beta/app.py": "import httpx\nimport alpha\nfrom alpha import a\nfrom beta import app\n"
        "import beta_svc\n",
    },
    bad_path="packages/beta/beta/cache.py",
    bad_text="import hyperfastcachezz\n",
    hallucinated="hyperfastcachezz",
    world={"pypi": {"httpx": {"versions": OLD, "repository": REPO}}},
    evidence=("packages/beta/pyproject.toml", "packages/alpha/src/alpha/__init__.py"),
)

SHAPES = (PNPM, GO, PY_SRC, UV)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    import os

    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout.decode()


def build_repo(shape: Shape, root: Path, bad: bool = True) -> Path:
    """A git repository at `root`: the shape's files committed, then a second commit adding its own code
    (and the hallucinated import when `bad`); the work tree is at that second commit."""
    root.mkdir(parents=True, exist_ok=True)
    _write(root, shape.files)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    _write(root, added(shape, bad))
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "change")
    return root


def added(shape: Shape, bad: bool = True) -> dict[str, str]:
    """What the change adds: the own code, and the hallucinated import when `bad`."""
    return {**shape.own, **({shape.bad_path: shape.bad_text} if bad else {})}


def diff_of(root: Path) -> str:
    """The change as `git diff` prints it (own code only: no manifest is in it)."""
    return _git(root, "diff", "HEAD~1", "HEAD")


def transcript(shape: Shape, cwd: str, bad: bool = True, with_evidence: bool = False) -> str:
    """A Codex rollout in `cwd` whose `apply_patch` adds the change (with the manifests it wrote first when
    `with_evidence`: all that is left of the project when the session's folder is gone)."""
    files = {k: shape.files[k] for k in shape.evidence} if with_evidence else {}
    files.update(added(shape, bad))
    body = "".join(
        f"*** Add File: {path}\n" + "".join(f"+{line}\n" for line in text.splitlines()) for path, text in files.items()
    )
    patch = f"*** Begin Patch\n{body}*** End Patch\n"
    records = [
        {"timestamp": "2026-01-01T00:00:00Z", "type": "session_meta", "payload": {"id": "s", "cwd": cwd}},
        {
            "timestamp": "2026-01-01T00:00:01Z",
            "type": "response_item",
            "payload": {"type": "custom_tool_call", "name": "apply_patch", "call_id": "c1", "input": patch},
        },
    ]
    return "".join(json.dumps(r) + "\n" for r in records)
