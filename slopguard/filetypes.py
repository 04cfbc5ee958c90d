"""File name -> what it holds: the manifest format or the `SourceKind` of a path (pure, no I/O).

Decisions (shared by every stage that sees file names):

- Manifests: `requirements*.txt` / `*-requirements.txt` / `*.in` of pip-tools, `constraints*.txt`, any `.txt`
  inside a `requirements/` folder, `pyproject.toml`, `setup.cfg`, `setup.py`, `Pipfile`, `environment.yml|yaml`,
  `package.json`, `go.mod`, `tox.ini` (its `deps`). `setup.py` is a manifest, not Python source.
- Lock files (`package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`, `poetry.lock`, `uv.lock`, `Pipfile.lock`,
  `go.sum`, ...) are `None`: they are written by tools, not by agents, and list every transitive package.
- Shell: `.sh`, `.bash`, `.zsh`, and `Dockerfile` / `Containerfile` (`*.dockerfile`, `Dockerfile.*`) and
  `Makefile` / `GNUmakefile` / `*.mk`, and CI files (GitHub Actions workflows, `.gitlab-ci.yml`). The readers
  hand the extractor only the `RUN` instructions of a Dockerfile, the recipe lines of a Makefile and the
  `run:` / `script:` commands of a CI file (see `slopguard.inputs.text.shell_view`).
"""

from __future__ import annotations

import re

from slopguard.models import SourceKind

_REQUIREMENTS = re.compile(r"^(?:.*[-_.])?requirements(?:[-_.].*)?\.(?:txt|in)$")
_CONSTRAINTS = re.compile(r"^(?:.*[-_.])?constraints(?:[-_.].*)?\.(?:txt|in)$")
_EXACT = {
    "pyproject.toml": "pyproject",
    "setup.cfg": "setup.cfg",
    "setup.py": "setup.py",
    "pipfile": "pipfile",
    "environment.yml": "environment.yml",
    "environment.yaml": "environment.yml",
    "package.json": "package.json",
    "go.mod": "go.mod",
    "tox.ini": "tox.ini",
}
_LOCKS = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "yarn.lock",
        "bun.lockb",
        "bun.lock",
        "poetry.lock",
        "pipfile.lock",
        "pdm.lock",
        "uv.lock",
        "go.sum",
        "go.work.sum",
    }
)
_SUFFIX_KIND = {
    ".py": SourceKind.PYTHON,
    ".pyi": SourceKind.PYTHON,
    ".js": SourceKind.JAVASCRIPT,
    ".mjs": SourceKind.JAVASCRIPT,
    ".cjs": SourceKind.JAVASCRIPT,
    ".jsx": SourceKind.JAVASCRIPT,
    ".ts": SourceKind.TYPESCRIPT,
    ".mts": SourceKind.TYPESCRIPT,
    ".cts": SourceKind.TYPESCRIPT,
    ".tsx": SourceKind.TSX,
    ".go": SourceKind.GO,
    ".sh": SourceKind.SHELL,
    ".bash": SourceKind.SHELL,
    ".zsh": SourceKind.SHELL,
    ".mk": SourceKind.SHELL,
    ".dockerfile": SourceKind.SHELL,
}
_SHELL_NAMES = frozenset({"dockerfile", "containerfile", "makefile", "gnumakefile"})


def _split(filename: str) -> tuple[str, str]:
    """(parent folder name, base name), lower-cased; accepts `/` and `\\` separators."""
    parts = filename.replace("\\", "/").rstrip("/").split("/")
    base = parts[-1].lower()
    parent = parts[-2].lower() if len(parts) > 1 else ""
    return parent, base


def manifest_format(filename: str) -> str | None:
    """The manifest format of `filename` (a base name or a path), or `None` when it is not a manifest."""
    parent, base = _split(filename)
    if base in _LOCKS:
        return None
    if base in _EXACT:
        return _EXACT[base]
    if _REQUIREMENTS.match(base):
        return "requirements"
    if _CONSTRAINTS.match(base):
        return "constraints"
    if parent == "requirements" and base.endswith((".txt", ".in")):
        return "requirements"
    return None


def is_dockerfile(filename: str) -> bool:
    """Whether `filename` names a Dockerfile (`Dockerfile`, `Dockerfile.dev`, `app.dockerfile`, `Containerfile`)."""
    _, base = _split(filename)
    return base in ("dockerfile", "containerfile") or base.startswith("dockerfile.") or base.endswith(".dockerfile")


def is_makefile(filename: str) -> bool:
    """Whether `filename` names a Makefile (`Makefile`, `GNUmakefile`, `*.mk`)."""
    _, base = _split(filename)
    return base in ("makefile", "gnumakefile") or base.endswith(".mk")


def ci_format(filename: str) -> str | None:
    """`github` for a GitHub Actions workflow (`.github/workflows/*.yml`), `gitlab` for `.gitlab-ci.yml`,
    else `None`."""
    path = filename.replace("\\", "/").lower()
    _, base = _split(filename)
    if base.endswith((".yml", ".yaml")) and (path.startswith(".github/workflows/") or "/.github/workflows/" in path):
        return "github"
    if base in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return "gitlab"
    return None


def ci_root(path: str) -> str | None:
    """Where the commands of the CI file at `path` run (the repository root: the folder holding `.github`, or
    `.gitlab-ci.yml`'s own folder), `"."` for a path given relative to it; `None` for other files."""
    kind = ci_format(path)
    if kind is None:
        return None
    norm = path.replace("\\", "/")
    if kind == "github":
        cut = norm.lower().rfind(".github/workflows/")
        root = norm[:cut].rstrip("/")
    else:
        root = norm.rsplit("/", 1)[0] if "/" in norm else ""
    return root or "."


def source_kind(filename: str) -> SourceKind | None:
    """What `filename` holds, or `None` when slopguard does not read such files (lock files, docs, data)."""
    if manifest_format(filename) is not None:
        return SourceKind.MANIFEST
    _, base = _split(filename)
    if base in _LOCKS:
        return None
    if base in _SHELL_NAMES or is_dockerfile(filename) or ci_format(filename) is not None:
        return SourceKind.SHELL
    dot = base.rfind(".")
    if dot <= 0:
        return None
    return _SUFFIX_KIND.get(base[dot:])
