"""Replies that are not the documented shape, per registry and on both transports: every one is UNKNOWN (never
NOT_FOUND/EXISTS), asked once (not retried), never cached and never written to the seen-missing ledger."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import RecordCache, resolve
from slopguard.registry.stdhttp import StdlibTransport

JSON = "application/json"
NPM = LookupKey(Ecosystem.NPM, "left-pad")
PYPI = LookupKey(Ecosystem.PYPI, "requests")
GO = LookupKey(Ecosystem.GO, "github.com/spf13/cobra")
DEEP = b"[" * 100_000 + b"]" * 100_000


def _j(value: Any) -> bytes:
    return json.dumps(value).encode()


def _packument(**fields: Any) -> bytes:
    doc: dict[str, Any] = {"name": "left-pad", "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": {}}}
    doc.update(fields)
    return _j({k: v for k, v in doc.items() if v is not ...})


def _pypi(**fields: Any) -> bytes:
    doc: dict[str, Any] = {"info": {"name": "requests", "version": "1.0"}, "releases": {"1.0": []}}
    doc.update(fields)
    return _j({k: v for k, v in doc.items() if v is not ...})


def _simple(**fields: Any) -> bytes:
    doc: dict[str, Any] = {"meta": {"api-version": "1.1"}, "name": "requests", "files": [], "versions": []}
    doc.update(fields)
    return _j({k: v for k, v in doc.items() if v is not ...})


NPM_ROWS = {
    "null": b"null",
    "array": b"[]",
    "string": b'"left-pad"',
    "number": b"42",
    "true": b"true",
    "empty object": b"{}",
    "no versions": _packument(versions=...),
    "no name": _packument(name=...),
    "another name": _packument(name="right-pad"),
    "name of another case": _packument(name="Left-Pad"),
    "name not a string": _packument(name=["left-pad"]),
    "versions a list": _packument(versions=["1.0.0"]),
    "version not an object": _packument(versions={"1.0.0": "x"}),
    "dist-tags a list": _packument(**{"dist-tags": ["1.0.0"]}),
    "dist-tag not a string": _packument(**{"dist-tags": {"latest": 1}}),
    "time a string": _packument(time="2020"),
    "time value not a string": _packument(time={"created": 5}),
    "unpublished not an object": _packument(versions=..., time={"unpublished": True}),
    "nested too deeply": DEEP,
    "html": b"<html><body>maintenance</body></html>",
}
PYPI_ROWS = {
    "null": b"null",
    "array": b"[]",
    "empty object": b"{}",
    "no info": _pypi(info=...),
    "info null": _pypi(info=None),
    "no releases": _pypi(releases=...),
    "releases a list": _pypi(releases=[]),
    "another project": _pypi(info={"name": "urllib3"}),
    "info without a name": _pypi(info={"version": "1.0"}),
    "version not a string": _pypi(info={"name": "requests", "version": 1}),
    "release not a list": _pypi(releases={"1.0": {}}),
    "file not an object": _pypi(releases={"1.0": ["requests-1.0.tar.gz"]}),
    "urls not a list": _pypi(urls={}),
    "nested too deeply": DEEP,
}
SIMPLE_ROWS = {  # (body, content type) of /simple/requests/ on an index
    "plain text": (b"requests-1.0.tar.gz", "text/plain"),
    "no content type": (b"<a href='x'>requests-1.0.tar.gz</a>", ""),
    "octet-stream": (b"\x00\x01", "application/octet-stream"),
    "json null": (b"null", "application/vnd.pypi.simple.v1+json"),
    "json without meta": (_simple(meta=...), "application/vnd.pypi.simple.v1+json"),
    "json for another project": (_simple(name="urllib3"), "application/vnd.pypi.simple.v1+json"),
    "files not a list": (_simple(files={}), "application/vnd.pypi.simple.v1+json"),
    "file without filename": (_simple(files=[{"url": "x"}]), "application/vnd.pypi.simple.v1+json"),
    "version not a string": (_simple(versions=[1]), "application/vnd.pypi.simple.v1+json"),
}
GO_ROWS = {  # (path matched, body)
    "list of prose": ("/@v/list", b"not a version\n"),
    "list with a command": ("/@v/list", b"v1.0.0\nrm -rf /\n"),
    "list of html": ("/@v/list", b"<html>v1.0.0</html>\n"),
    "latest null": ("/@latest", b"null"),
    "latest empty": ("/@latest", b"{}"),
    "latest version a number": ("/@latest", _j({"Version": 1})),
    "latest version not a version": ("/@latest", _j({"Version": "latest"})),
    "latest time a number": ("/@latest", _j({"Version": "v1.0.0", "Time": 0})),
    "info array": ("/@v/v1.0.0.info", b"[]"),
    "info garbage": ("/@v/v1.0.0.info", b'{"Version": '),
}


def _assert_refused(
    fake: FakeRegistry, settings: Settings, key: LookupKey, path: str, transport: StdlibTransport | None
) -> None:
    record = resolve([key], settings, transport=transport)[key]
    assert record.status is Status.UNKNOWN, record
    assert record.error and any(w in record.error for w in ("malformed", "another", "content type")), record.error
    assert len(fake.paths(path)) == 1  # not retried
    again = resolve([key], settings, transport=transport)[key]
    assert again.status is Status.UNKNOWN and not again.from_cache
    assert len(fake.paths(path)) == 2  # not cached: asked again
    cache = RecordCache(settings)
    try:
        assert cache.first_missing(key) is None  # not in the seen-missing ledger
    finally:
        cache.close()


@pytest.mark.parametrize("row", NPM_ROWS)
def test_npm(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None, row: str
) -> None:
    fake_registry.add_npm("left-pad")
    fake_registry.fault("/npm/left-pad", "body", body=NPM_ROWS[row])
    _assert_refused(fake_registry, registry_settings, NPM, "/npm/left-pad", transport)


@pytest.mark.parametrize("row", PYPI_ROWS)
def test_pypi_json(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None, row: str
) -> None:
    fake_registry.add_pypi("requests")
    fake_registry.fault("/pypi/requests/json", "body", body=PYPI_ROWS[row])
    _assert_refused(fake_registry, registry_settings, PYPI, "/pypi/requests/json", transport)
    assert not fake_registry.paths("/simple/")  # a malformed JSON answer is not a miss to confirm


@pytest.mark.parametrize("row", SIMPLE_ROWS)
def test_simple_index(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None, row: str
) -> None:
    fake_registry.add_pypi("requests")
    body, ctype = SIMPLE_ROWS[row]
    fake_registry.fault("/simple/requests/", "body", body=body, ctype=ctype)
    key = LookupKey(Ecosystem.PYPI, "requests", index_url=f"{fake_registry.url}/simple")
    _assert_refused(fake_registry, registry_settings, key, "/simple/requests/", transport)


@pytest.mark.parametrize("row", GO_ROWS)
def test_goproxy(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None, row: str
) -> None:
    fake_registry.add_go("github.com/spf13/cobra", versions={"v1.0.0": "2020-01-01T00:00:00Z"})
    path, body = GO_ROWS[row]
    fake_registry.fault(path, "body", body=body, ctype="text/plain; charset=UTF-8")
    _assert_refused(fake_registry, registry_settings, GO, path, transport)


def test_null_is_never_not_found(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    """The issue's row: npm's 200 `null` read as "missing" (block `not-found`, cached, first miss noted)."""
    fake_registry.fault("/npm/left-pad", "null")
    record = resolve([NPM], registry_settings)[NPM]
    assert record.status is Status.UNKNOWN and record.first_missing_at is None


def test_the_real_shapes_stay_valid(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    """The well-formed answers of every route of the fake registry (shaped like the real samples) pass."""
    fake_registry.add_npm("left-pad", deprecated="use String.prototype.padStart")
    fake_registry.add_npm("gone", unpublished=True)
    fake_registry.add_pypi("requests")
    fake_registry.add_pypi("held", quarantined=True)
    fake_registry.add_go("github.com/spf13/cobra", versions={"v1.0.0": "2020-01-01T00:00:00Z", "v1.1.0": "2021-01-01Z"})
    index = LookupKey(Ecosystem.PYPI, "requests", index_url=f"{fake_registry.url}/simple")
    keys = [NPM, LookupKey(Ecosystem.NPM, "gone"), PYPI, LookupKey(Ecosystem.PYPI, "held"), GO, index]
    records = resolve(keys, registry_settings)
    assert {k.name: records[k].status for k in keys} == {k.name: Status.EXISTS for k in keys}
