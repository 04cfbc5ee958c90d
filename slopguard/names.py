"""Pure per-ecosystem name rules: canonical forms and validity checks, applied before any request."""

from __future__ import annotations

import re
from urllib.parse import quote

from slopguard.models import Ecosystem

# PEP 508 / core metadata "Name" rule.
_PEP508_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_PEP503_SEP = re.compile(r"[-_.]+")
# Characters npm keeps unescaped in encodeURIComponent; validate-npm-package-name requires
# encodeURIComponent(name) == name for each part. Letters are checked separately.
_NPM_SAFE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_GO_ELEMENT = re.compile(r"^[A-Za-z0-9\-._~]+$")
_GO_FIRST = re.compile(r"^[a-z0-9\-.]+$")
_NPM_BLOCKED = frozenset({"node_modules", "favicon.ico"})
_GO_SEMVER = re.compile(r"^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def canonicalize(ecosystem: Ecosystem, name: str) -> str:
    """The name the registry is asked for: PEP 503 for PyPI; npm and Go names are kept as written."""
    if ecosystem is Ecosystem.PYPI:
        return _PEP503_SEP.sub("-", name).lower()
    return name


def invalid_reason(ecosystem: Ecosystem, name: str) -> str | None:
    """Why `name` cannot be a package of `ecosystem`, or `None` when it is well-formed."""
    if ecosystem is Ecosystem.PYPI:
        return _pypi_invalid(name)
    if ecosystem is Ecosystem.NPM:
        return _npm_invalid(name)
    return _go_invalid(name)


def _pypi_invalid(name: str) -> str | None:
    if not _PEP508_NAME.match(name):
        return "not a valid Python distribution name (PEP 508: letters, digits, '.', '_', '-')"
    return None


def _npm_invalid(name: str) -> str | None:
    if not name:
        return "an npm name cannot be empty"
    if len(name) > 214:
        return "an npm name cannot be longer than 214 characters"
    if name != name.strip():
        return "an npm name cannot have leading or trailing spaces"
    if name.lower() in _NPM_BLOCKED:
        return f"'{name}' is a reserved npm name"
    if name.startswith("@"):
        scope, sep, rest = name[1:].partition("/")
        if not sep or not scope or not rest or "/" in rest:
            return "a scoped npm name has the form @scope/name"
        parts = [scope, rest]
    else:
        if "/" in name:
            return "an unscoped npm name cannot contain '/'"
        parts = [name]
    for part in parts:
        if part.startswith((".", "_")):
            return "an npm name cannot start with '.' or '_'"
        if not _NPM_SAFE.match(part):
            return "an npm name must be URL-safe"
    return None


def _go_invalid(path: str) -> str | None:
    if not path or len(path) > 1024:
        return "a Go module path cannot be empty or over 1024 characters"
    elements = path.split("/")
    first = elements[0]
    if "." not in first:
        return "the first element of a Go module path must contain a dot (a domain name)"
    if not _GO_FIRST.match(first):
        return "the first element of a Go module path allows only lower-case letters, digits, '.' and '-'"
    if first.startswith("-"):
        return "a Go module path cannot start with '-'"
    for element in elements:
        if not element:
            return "a Go module path cannot have empty elements"
        if element in (".", "..") or ".." in element:
            return "a Go module path cannot contain '..'"
        if element.startswith(".") or element.endswith("."):
            return "a Go path element cannot start or end with '.'"
        if not _GO_ELEMENT.match(element):
            return "a Go module path allows only letters, digits and '-._~'"
    return None


def is_go_stdlib(path: str) -> bool:
    """Standard-library import paths have no dot in their first element (`fmt`, `net/http`)."""
    return "." not in path.split("/", 1)[0]


def npm_url_name(name: str) -> str:
    """The path segment for an npm name: `@scope%2fname` for scoped names, each part escaped."""
    if name.startswith("@") and "/" in name:
        scope, _, rest = name[1:].partition("/")
        return "@" + quote(scope, safe="") + "%2f" + quote(rest, safe="")
    return quote(name, safe="")


def go_escape(path: str) -> str:
    """GOPROXY case-encoding: every upper-case letter becomes '!' and its lower-case form."""
    return "".join("!" + c.lower() if "A" <= c <= "Z" else c for c in path)


def go_semver_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Sort key for Go semantic versions: a pre-release sorts before its release; a non-version sorts first."""
    match = _GO_SEMVER.match(version)
    if not match:
        return (-1, -1, -1, -1, ())
    major, minor, patch, pre = match.groups()
    parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in (pre.split(".") if pre else ()))
    return (int(major), int(minor), int(patch), 0 if pre else 1, parts)


def ref_hint(text: str) -> str:
    """The hint for a REF written without its ecosystem (`; did you mean pypi:requests or npm:requests?`)."""
    name = text.strip()
    if not name or ":" in name or any(c.isspace() for c in name):
        return ""
    first = name.split("/", 1)[0]
    if "/" in name and "." in first and not name.startswith("@"):  # github.com/pkg/errors
        forms = [f"go:{name}"]
    elif name.startswith("@"):  # @types/node
        forms = [f"npm:{name}"]
    else:
        forms = [f"pypi:{name}", f"npm:{name}"]
    return f"; did you mean {' or '.join(forms)}?"
