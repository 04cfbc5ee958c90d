"""First-party knowledge of one scan or hook call, gathered as inputs are read: project trees and input evidence.

Diffs, `--git` ranges and transcripts name the project they belong to (each `Source`'s `root`: the checkout, the
session's folder); that whole project is walked once (`project_from_tree`, bounded). When a session's folder is
gone, the evidence inside the input stands in for it: the manifests the agent wrote (package.json names, go.mod
`module` lines, pyproject names, workspace members), dependencies on `workspace:`/`link:`/`file:` folders and
uv workspace sources, and `go mod init PATH` commands.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from slopguard.extract import project_files
from slopguard.extract.project_manifests import is_manifest, local_ref, read_manifest_text
from slopguard.models import Ecosystem, PackageRef, Project, Source, SourceKind

MAX_ROOTS = 8
"""Distinct project folders walked per scan (a scan of many sessions from many projects stays bounded)."""
_PROJECT_MARKS = (".git", "package.json", "go.mod", "go.work", "pyproject.toml", "setup.cfg", "pnpm-workspace.yaml")
_GO_INIT = re.compile(r"\bgo\s+mod\s+init\s+([A-Za-z0-9][A-Za-z0-9._~/-]*)")


class Knowledge:
    """What one scan knows is first-party so far; `project()` freezes it."""

    def __init__(self) -> None:
        self.projects: list[Project] = []
        self.walked: set[str] = set()
        self.asked: set[tuple[str, bool]] = set()
        self.evidence = project_files.Collected()

    def add_tree(self, folder: str | Path | None, only_project: bool = False) -> None:
        """Walk the project at `folder` once (nothing for no folder, `""`, `/` or a folder that is gone); with
        `only_project`, only a folder that is one (a repository, or a manifest at its top: not a home folder)."""
        from slopguard.extract.project import project_from_tree

        if not folder or len(self.walked) >= MAX_ROOTS or (str(folder), only_project) in self.asked:
            return
        self.asked.add((str(folder), only_project))  # every Source names its root: decide once per root
        key = os.path.realpath(folder)
        if key in self.walked or os.path.dirname(key) == key or not os.path.isdir(key):
            return
        if only_project and not any(os.path.lexists(os.path.join(key, n)) for n in _PROJECT_MARKS):
            return
        self.walked.add(key)
        self.projects.append(project_from_tree(Path(key)))

    def add_listing(self, paths: Iterable[str], read: Callable[[str], str | None], root: str) -> None:
        """A project as a commit holds it (`--git` with the head revision not checked out)."""
        from slopguard.extract.project_workspace import project_from_listing

        acc = project_files.Collected()
        project_from_listing(paths, read, acc)
        self.walked.add(os.path.realpath(root))  # the work tree holds another revision: not walked
        self.projects.append(acc.project(root))

    def add_source(self, source: Source) -> None:
        """The evidence in one input text: a manifest it writes or shows, a `go mod init` it runs; and its project."""
        if source.root:
            self.add_tree(source.root, only_project=True)
        if source.kind is SourceKind.MANIFEST:
            name = (source.filename or source.path).replace("\\", "/")
            if is_manifest(posixpath.basename(name)):
                read_manifest_text(self.evidence, posixpath.basename(name), source.text, posixpath.dirname(name))
        elif source.kind is SourceKind.SHELL and "mod" in source.text:
            self.evidence.go_modules.update(m.rstrip("/") for m in _GO_INIT.findall(source.text))

    def add_refs(self, refs: Iterable[PackageRef], filename: str | None = None) -> None:
        """Dependencies on the repository's own folders and workspace members are first-party names (`filename`:
        the file they were read from, relative to the project; `None` for a command)."""
        for ref in refs:
            if ref.source is not None and local_ref(ref, filename):
                if ref.ecosystem is Ecosystem.PYPI:
                    from slopguard.extract.project_manifests import add_distribution

                    add_distribution(self.evidence, ref.name)
                else:
                    self.evidence.npm_packages.add(ref.name)

    def project(self, *more: Project) -> Project:
        """Everything known, merged with `more`."""
        from slopguard.extract.project import merge_projects

        return merge_projects(*self.projects, *more, self.evidence.project(None))
