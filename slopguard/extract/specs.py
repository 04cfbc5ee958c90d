"""Parsing of one dependency spec as written: a PEP 508 requirement, an npm spec, a Go `path@version`."""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook loads this module on install commands
if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # a frozen dataclass built without `dataclasses` at import
    from slopguard._frozen import dataclass

_SIMPLE_PY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_SIMPLE_PIN = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*(==|!=|>=|<=|>|<|~=)[ \t]*([0-9]+(?:\.[0-9]+)*)"
)
"""A name and one comparison with a plain release number (`pkg>=1.2`), matched whole (`fullmatch`)."""
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PY_ARCHIVE = re.compile(r"\.(?:whl|tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$", re.IGNORECASE)
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_NPM_NAME_AT = re.compile(r"^((?:@[^@/\s]+/)?[^@/\s]+)@(.*)$", re.DOTALL)
_NPM_HOSTED = ("github:", "gitlab:", "bitbucket:", "gist:", "git:", "git+", "git@")
_NPM_LOCAL = ("file:", "link:", "workspace:", "portal:", "patch:", "exec:")
_NPM_TARBALL = re.compile(r"\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)


@dataclass(frozen=True)
class Spec:
    """One dependency as written: the name, the version part, and where it comes from when not a registry."""

    name: str
    canonical_name: str
    """For npm aliases the real package (`a@npm:real@1` -> `real`); otherwise `name`."""
    spec: str | None = None
    source: str | None = None
    """Set when the dependency does not come from the registry (URL, git, local path, workspace)."""

    def __init__(self, name: str, canonical_name: str, spec: str | None = None, source: str | None = None) -> None:
        self.__dict__.update(name=name, canonical_name=canonical_name, spec=spec, source=source)


class SpecError(ValueError):
    """The text is not a dependency spec of the ecosystem."""


def _looks_like_path(text: str) -> bool:
    return (
        bool(re.match(r"^\.\.?(?:$|\[)", text))  # `.`, `..`, `.[dev]`
        or text.startswith(("./", "../", "/", "~/", ".\\", "..\\"))
        or "\\" in text
        or bool(re.match(r"^[A-Za-z]:[\\/]", text))
    )


def _name_from_location(location: str) -> str:
    """A best-effort distribution name for a URL or path (wheel/sdist file name, `#egg=`, repo name)."""
    egg = _EGG.search(location)
    if egg:
        return egg.group(1)
    tail = re.split(r"[#?]", location, maxsplit=1)[0].rstrip("/\\")
    base = re.split(r"[/\\:@]", tail)[-1] if tail else ""
    if base.endswith(".git"):
        base = base[:-4]
    if _PY_ARCHIVE.search(base):
        if base.lower().endswith(".whl"):
            base = base.split("-", 1)[0]
        else:
            base = base.rsplit("-", 1)[0] if "-" in base else _PY_ARCHIVE.sub("", base)
    return base or location


def python_spec(text: str) -> Spec:
    """A PEP 508 requirement, a direct URL or a local path (pip's command-line / requirements forms)."""
    text = text.strip()
    if not text:
        raise SpecError("empty requirement")
    if _SIMPLE_PY.match(text):
        return Spec(text, text)
    simple = _SIMPLE_PIN.fullmatch(text)  # `name>=1.2`: what `packaging` would make of it, without its parser
    if simple is not None and (simple.group(2) != "~=" or "." in simple.group(3)):
        return Spec(simple.group(1), simple.group(1), simple.group(2) + simple.group(3))
    if _URL.match(text) or text.startswith(("git+", "hg+", "svn+", "bzr+", "file:")) or _looks_like_path(text):
        name = _name_from_location(text)
        return Spec(name, name, None, text)
    if _PY_ARCHIVE.search(text) and "@" not in text and ";" not in text:
        name = _name_from_location(text)
        return Spec(name, name, None, text)
    if len(text) > 4096:
        raise SpecError("requirement longer than 4096 characters")
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise SpecError(str(exc).splitlines()[0] if str(exc) else "invalid requirement") from None
    spec = str(req.specifier) or None
    if req.url:
        return Spec(req.name, req.name, spec, req.url)
    return Spec(req.name, req.name, spec)


def poetry_spec(text: str) -> Spec:
    """`poetry add` forms: a requirement, or `name@constraint` (`requests@^2.31`, `pkg@latest`)."""
    match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)@(?!\s*[A-Za-z][A-Za-z0-9+.-]*://)(.*)$", text)
    if match:
        name = match.group(1).split("[", 1)[0]
        return Spec(name, name, match.group(2).strip() or None)
    return python_spec(text)


def npm_registry_spec(name: str, spec: str | None) -> Spec:
    """The package a `name` + `spec` pair stands for (`npm:` aliases resolved, git/file/URL specs marked)."""
    if spec is None:
        return Spec(name, name)
    value = spec.strip()
    if value.startswith("npm:"):
        real = value[4:]
        match = _NPM_NAME_AT.match(real)
        if match and match.group(1):
            return Spec(name, match.group(1), match.group(2) or None)
        return Spec(name, real or name)
    if (
        value.startswith(_NPM_HOSTED + _NPM_LOCAL)
        or _URL.match(value)
        or _looks_like_path(value)
        or ("/" in value and not value.startswith("@") and " " not in value and "||" not in value)
    ):
        return Spec(name, name, None, value)
    return Spec(name, name, value or None)


def npm_spec(text: str) -> Spec:
    """An npm command-line package spec: `name`, `name@range`, `@scope/name@tag`, `alias@npm:real@1`, or a
    git / URL / file / github-shorthand spec (marked with `source`)."""
    text = text.strip()
    if not text:
        raise SpecError("empty npm spec")
    if text.startswith(_NPM_HOSTED + _NPM_LOCAL) or _URL.match(text) or _looks_like_path(text):
        name = _name_from_location(text)
        return Spec(name, name, None, text)
    if _NPM_TARBALL.search(text) and "@" not in text:
        name = _name_from_location(text)
        return Spec(name, name, None, text)
    match = _NPM_NAME_AT.match(text)
    if match:
        return npm_registry_spec(match.group(1), match.group(2) or None)
    if "/" in text and not text.startswith("@"):  # `user/repo` is a GitHub shorthand
        name = _name_from_location(text)
        return Spec(name, name, None, "github:" + text)
    return Spec(text, text)


def npm_create_package(text: str) -> Spec:
    """The package `npm init X` / `npm create X` runs: `create-X`, `@s/create`, `@s/create-x`."""
    spec = npm_spec(text)
    if spec.source is not None:
        return spec
    name = spec.canonical_name
    if name.startswith("@"):
        scope, _, rest = name.partition("/")
        real = f"{scope}/create" if not rest else f"{scope}/create-{rest}"
    elif name.startswith("create-"):
        real = name
    else:
        real = f"create-{name}"
    return Spec(real, real, spec.spec)


def go_spec(text: str) -> Spec | None:
    """A Go `path[@version]` argument, or None for local paths, files, patterns and the standard library."""
    path, _, version = text.partition("@")
    if path.endswith("/..."):
        path = path[: -len("/...")]
    if (
        not path
        or path.endswith(".go")
        or _looks_like_path(path)
        or path in ("all", "std", "cmd", "tool")
        or "..." in path
        or "." not in path.split("/", 1)[0]
        or version == "none"
    ):
        return None
    return Spec(path, path, version or None)
