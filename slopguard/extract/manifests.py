"""Dependency manifests: which file names are manifests, and dispatch to the per-format readers."""

from __future__ import annotations

from slopguard.models import Extraction, Problem, Project, Source

MAX_MANIFEST = 5_000_000
"""Largest manifest text read (characters); a larger one becomes a problem, not a hang."""

# `slopguard.filetypes` decides which file names are manifests (one rule for readers and extractors);
# these are the format names this module dispatches on.
_FORMATS = {
    "requirements": "requirements.txt",
    "constraints": "requirements.txt",
    "pyproject": "pyproject.toml",
    "setup.cfg": "setup.cfg",
    "setup.py": "setup.py",
    "pipfile": "Pipfile",
    "environment.yml": "environment.yml",
    "package.json": "package.json",
    "tox.ini": "tox.ini",
    "go.mod": "go.mod",
}


def manifest_format(filename: str) -> str | None:
    """The manifest format of a file name (`requirements.txt`, `pyproject.toml`, `setup.cfg`, `setup.py`,
    `Pipfile`, `environment.yml`, `package.json`, `go.mod`, `tox.ini`), or None when it is not a manifest.

    Requirements and constraints files (`requirements*.txt`, `*-requirements.txt`, pip-tools `*.in`,
    `constraints*.txt`, any `.txt` in a `requirements/` folder) all have the `requirements.txt` format.
    """
    from slopguard import filetypes

    return _FORMATS.get(filetypes.manifest_format(filename) or "")


def extract_manifest(source: Source, project: Project) -> Extraction:
    """Every dependency declared in the manifest `source` (only on the lines it keeps), and what could not be read."""
    fmt = manifest_format(source.filename or source.path)
    if fmt is None:
        return Extraction((), (Problem(source.path, "not a dependency manifest this tool knows", None),))
    if len(source.text) > MAX_MANIFEST:
        message = f"manifest longer than {MAX_MANIFEST} characters was not checked"
        return Extraction((), (Problem(source.path, message, source.locate(1).line),))
    if fmt == "requirements.txt":
        from slopguard.extract.manifest_python import extract_requirements

        return extract_requirements(source)
    if fmt == "setup.cfg":
        from slopguard.extract.manifest_python import extract_setup_cfg

        return extract_setup_cfg(source)
    if fmt == "tox.ini":
        from slopguard.extract.manifest_python import extract_tox

        return extract_tox(source)
    if fmt == "environment.yml":
        from slopguard.extract.manifest_python import extract_environment

        return extract_environment(source)
    if fmt == "setup.py":
        from slopguard.extract.manifest_setup_py import extract_setup_py

        return extract_setup_py(source)
    if fmt in ("pyproject.toml", "Pipfile"):
        from slopguard.extract.manifest_toml import extract_pipfile, extract_pyproject

        return extract_pyproject(source) if fmt == "pyproject.toml" else extract_pipfile(source)
    if fmt == "package.json":
        from slopguard.extract.manifest_npm import extract_package_json

        return extract_package_json(source)
    from slopguard.extract.manifest_go import extract_go_mod

    return extract_go_mod(source, project)
