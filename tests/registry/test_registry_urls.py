"""URL safety: nothing inside a name changes the request path; odd-but-valid names are percent-encoded."""

from __future__ import annotations

import re

import httpx
import pytest
from fakeregistry import FakeRegistry
from hypothesis import given, settings
from hypothesis import strategies as st

from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import resolve

HOSTILE = [
    (Ecosystem.PYPI, "../../x"),
    (Ecosystem.PYPI, "a?b"),
    (Ecosystem.PYPI, "%2e%2e"),
    (Ecosystem.PYPI, "a#b"),
    (Ecosystem.NPM, "../../x"),
    (Ecosystem.NPM, "a?b"),
    (Ecosystem.NPM, "%2e%2e"),
    (Ecosystem.NPM, "@../x"),
    (Ecosystem.NPM, "@a/..%2f"),
    (Ecosystem.NPM, "a\r\nHost: evil"),
    (Ecosystem.GO, "example.com/../../x"),
    (Ecosystem.GO, "example.com/a?b"),
    (Ecosystem.GO, "example.com/%2e%2e"),
    (Ecosystem.GO, "example.com/a#b"),
    (Ecosystem.GO, "example.com/a b"),
]


@pytest.mark.parametrize(("ecosystem", "name"), HOSTILE)
def test_hostile_names_are_never_sent(
    fake_registry: FakeRegistry, registry_settings: Settings, ecosystem: Ecosystem, name: str
) -> None:
    key = LookupKey(ecosystem, name)
    record = resolve([key], registry_settings)[key]
    assert record.status is Status.SKIPPED
    assert fake_registry.paths() == []


def test_valid_npm_punctuation_is_encoded(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_npm("odd(name)!")
    key = LookupKey(Ecosystem.NPM, "odd(name)!")
    assert resolve([key], registry_settings)[key].status is Status.EXISTS
    assert fake_registry.paths() == ["/npm/odd%28name%29%21"]


def _seen_paths(ecosystem: Ecosystem, name: str) -> list[httpx.URL]:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(404, text="not found")

    config = Settings(
        use_cache=False,
        pypi_url="https://reg.example/base",
        npm_url="https://reg.example/npm",
        goproxy="https://reg.example/go",
        max_tries=1,
    )
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        resolve([LookupKey(ecosystem, name)], config, client)
    return seen


_ELEMENT = re.compile(r"^[A-Za-z0-9\-._~!%@]+$")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(list(Ecosystem)), st.text(min_size=1, max_size=40))
def test_no_name_escapes_its_path_segment(ecosystem: Ecosystem, name: str) -> None:
    for url in _seen_paths(ecosystem, name):
        assert url.host == "reg.example" and not url.query and not url.fragment
        raw = url.raw_path.decode("ascii")
        parts = raw.split("/")
        assert all(_ELEMENT.match(p) for p in parts[1:] if p), raw
        assert ".." not in parts and "." not in parts
        if ecosystem is Ecosystem.NPM:
            assert len(parts) == 3 and parts[1] == "npm"
        elif ecosystem is Ecosystem.PYPI:
            assert parts[:2] == ["", "base"] and len(parts) in (5, 6)
        else:
            assert parts[1] == "go" and len(parts) <= len(name.split("/")) + 4
