"""Random JSON values (and random mutations of real shapes) as registry replies: a 200 is never read as "missing",
and a reply that is certainly not the documented shape never becomes an existing package."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, RegistryRecord, Status
from slopguard.names import canonicalize
from slopguard.registry import resolve
from slopguard.registry.transport import Reply

SETTINGS = Settings(
    pypi_url="https://pypi.example",
    npm_url="https://npm.example",
    goproxy="https://proxy.example",
    cache_dir=Path("/nonexistent/slopguard-test-cache"),
    use_cache=False,
    max_tries=1,
)
NPM = LookupKey(Ecosystem.NPM, "left-pad")
PYPI = LookupKey(Ecosystem.PYPI, "requests")
GO = LookupKey(Ecosystem.GO, "github.com/spf13/cobra")
INDEX = LookupKey(Ecosystem.PYPI, "requests", index_url="https://index.example/simple")
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=16,
)


class Canned:
    """A `Transport` answering 200 with a fixed body for URLs ending in one of `answers`, else 404."""

    def __init__(self, answers: dict[str, tuple[str, bytes]]) -> None:
        self.answers = answers

    def get(
        self, url: str, headers: dict[str, str], connect: float, read: float, hosts: frozenset[str] = frozenset()
    ) -> Reply:
        for suffix, (ctype, body) in self.answers.items():
            if url.endswith(suffix):
                return Reply(200, {"content-type": ctype}, body, url)
        return Reply(404, {"content-type": "text/plain"}, b"not found", url)

    def close(self) -> None:
        return None


def ask(key: LookupKey, answers: dict[str, tuple[str, bytes]]) -> RegistryRecord:
    return resolve([key], SETTINGS, transport=Canned(answers))[key]


def mutants(valid: dict[str, Any], keys: list[str]) -> st.SearchStrategy[Any]:
    """`valid` with one of `keys` deleted or replaced by a random JSON value."""

    def mutate(key: str, value: Any, delete: bool) -> dict[str, Any]:
        doc = dict(valid)
        if delete:
            doc.pop(key, None)
        else:
            doc[key] = value
        return doc

    return st.builds(mutate, st.sampled_from(keys), json_values, st.booleans())


# -- oracles: shapes that are certainly not the documented one (a looser test than the validator's) ----------


def npm_certainly_malformed(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("name") != NPM.name:
        return True
    versions, times = value.get("versions"), value.get("time")
    unpublished = isinstance(times, dict) and isinstance(times.get("unpublished"), dict)
    return not (isinstance(versions, dict) or (versions is None and unpublished))


def pypi_certainly_malformed(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("info"), dict):
        return True
    name = value["info"].get("name")
    if not isinstance(name, str) or canonicalize(Ecosystem.PYPI, name) != PYPI.name:
        return True
    return not isinstance(value.get("releases"), dict)


def simple_certainly_malformed(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("files"), list):
        return True
    name = value.get("name")
    return not isinstance(name, str) or canonicalize(Ecosystem.PYPI, name) != INDEX.name


PACKUMENT = {"name": "left-pad", "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": {"name": "left-pad"}}}
PYPI_JSON = {"info": {"name": "requests", "version": "1.0"}, "releases": {"1.0": []}, "urls": []}
SIMPLE = {"meta": {"api-version": "1.1"}, "name": "requests", "files": [], "versions": []}
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(json_values | mutants(PACKUMENT, ["name", "versions", "time", "dist-tags"]))
def test_npm_random_replies(value: Any) -> None:
    record = ask(NPM, {"/left-pad": ("application/json", json.dumps(value).encode())})
    assert record.status is not Status.NOT_FOUND
    if npm_certainly_malformed(value):
        assert record.status is Status.UNKNOWN, (value, record)


@EXAMPLES
@given(json_values | mutants(PYPI_JSON, ["info", "releases", "urls"]))
def test_pypi_random_replies(value: Any) -> None:
    record = ask(PYPI, {"/pypi/requests/json": ("application/json", json.dumps(value).encode())})
    assert record.status is not Status.NOT_FOUND
    if pypi_certainly_malformed(value):
        assert record.status is Status.UNKNOWN, (value, record)


@EXAMPLES
@given(json_values | mutants(SIMPLE, ["meta", "name", "files", "versions"]))
def test_simple_random_replies(value: Any) -> None:
    record = ask(INDEX, {"/simple/requests/": (SIMPLE_JSON, json.dumps(value).encode())})
    assert record.status is not Status.NOT_FOUND
    if simple_certainly_malformed(value):
        assert record.status is Status.UNKNOWN, (value, record)


@EXAMPLES
@given(st.lists(st.text(max_size=12), min_size=1, max_size=5), json_values)
def test_goproxy_random_replies(lines: list[str], latest: Any) -> None:
    listing = "\n".join(lines).encode()
    record = ask(
        GO, {"/@v/list": ("text/plain", listing), "/@latest": ("application/json", json.dumps(latest).encode())}
    )
    assert record.status is not Status.NOT_FOUND
    bad_line = any(
        line.strip() and not re.fullmatch(r"v[!-~]+", line.strip()) for line in "\n".join(lines).splitlines()
    )
    bad_latest = latest is not None and not (isinstance(latest, dict) and isinstance(latest.get("Version"), str))
    if bad_line or bad_latest:
        assert record.status is Status.UNKNOWN, (lines, latest, record)
