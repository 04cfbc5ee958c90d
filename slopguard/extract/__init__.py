"""Stage 2: turn a `Source` into `PackageRef`s, dispatching on its kind. Heavy parsers load lazily."""

from __future__ import annotations

TYPE_CHECKING = False  # the hook imports `extract.prefilter`, which loads this package: keep it free
if TYPE_CHECKING:
    from slopguard.models import Extraction, Project, Source


def extract(source: Source, project: Project | None = None) -> Extraction:
    """Every package reference in `source` (only on lines it keeps), and what could not be parsed."""
    from slopguard.models import Project, SourceKind

    project = project or Project()
    if source.kind is SourceKind.SHELL:
        from slopguard.extract.shell import extract_shell

        return extract_shell(source, project)
    if source.kind is SourceKind.MANIFEST:
        from slopguard.extract.manifests import extract_manifest

        return extract_manifest(source, project)
    from slopguard.extract.imports import extract_imports

    return extract_imports(source, project)
