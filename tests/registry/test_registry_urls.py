"""URL safety: nothing inside a name changes the request path; odd-but-valid names are percent-encoded."""

from __future__ import annotations

import pytest
from fakeregistry import FakeRegistry

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
