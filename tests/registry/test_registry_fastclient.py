"""The plain-http client: same answers as the default client, no TLS context for http, full verification for https."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fakeregistry import FakeRegistry

from slopguard.check import lookup
from slopguard.config import Settings
from slopguard.models import Ecosystem, LookupKey, Status
from slopguard.registry import fastclient
from slopguard.registry.fastclient import plain_http_client, usable


def test_usable_only_for_plain_http_without_a_proxy() -> None:
    assert usable(["http://127.0.0.1:1", "http://localhost/npm"], env={})
    assert not usable(["http://127.0.0.1:1", "https://pypi.org"], env={})
    assert not usable([], env={})
    assert not usable(["http://127.0.0.1:1"], env={"HTTPS_PROXY": "http://proxy:3128"})
    assert not usable(["http://127.0.0.1:1"], env={"all_proxy": "socks5://proxy"})
    assert usable(["HTTP://127.0.0.1:1"], env={"NO_PROXY": "*"})


def test_lookup_through_the_plain_client_matches(fake_registry: FakeRegistry, registry_settings: Settings) -> None:
    fake_registry.add_pypi("requests")
    records = lookup([LookupKey(Ecosystem.PYPI, "requests"), LookupKey(Ecosystem.PYPI, "reqeusts")], registry_settings)
    assert {k.name: r.status for k, r in records.items()} == {"requests": Status.EXISTS, "reqeusts": Status.NOT_FOUND}
    with plain_http_client(registry_settings) as client:
        answer = client.get(f"{fake_registry.url}/pypi/requests/json")
    assert answer.status_code == 200 and answer.json()["info"]["name"] == "requests"


def test_the_plain_transport_refuses_https(registry_settings: Settings) -> None:
    with plain_http_client(registry_settings) as client:
        plain = client._transport_for_url(httpx.URL("http://example.invalid/"))
        with pytest.raises(httpx.UnsupportedProtocol):
            plain.handle_request(httpx.Request("GET", "https://example.invalid/"))


def test_https_goes_through_a_verified_transport(
    registry_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made: list[dict[str, Any]] = []
    real = httpx.HTTPTransport

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            made.append(kwargs)
            super().__init__(**kwargs)

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, request=request, text="ok")

    monkeypatch.setattr(httpx, "HTTPTransport", Recording)
    with plain_http_client(registry_settings) as client:
        assert made == []  # the http transport is built without HTTPTransport's TLS set-up
        assert client.get("https://registry.invalid/x").text == "ok"
    assert len(made) == 1 and made[0].get("verify", True) is True


def test_plain_http_makes_no_tls_context(
    fake_registry: FakeRegistry, registry_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpcore._sync.connection
    import httpx._transports.default

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a TLS context was made for plain http")

    monkeypatch.setattr(httpx._transports.default, "create_ssl_context", refuse)
    monkeypatch.setattr(httpcore._sync.connection, "default_ssl_context", refuse)
    fake_registry.add_pypi("requests")
    with plain_http_client(registry_settings) as client:
        assert client.get(f"{fake_registry.url}/pypi/requests/json").status_code == 200
        assert client.get(f"{fake_registry.url}/pypi/nope/json").status_code == 404


def test_an_https_registry_keeps_the_default_client(
    monkeypatch: pytest.MonkeyPatch, registry_settings: Settings
) -> None:
    used: list[Settings] = []
    monkeypatch.setattr(fastclient, "plain_http_client", lambda s: used.append(s))
    settings = registry_settings.replace(pypi_url="https://127.0.0.1:9", max_tries=1, deadline=2.0, use_cache=False)
    records = lookup([LookupKey(Ecosystem.PYPI, "requests")], settings)
    assert used == [] and next(iter(records.values())).status is Status.UNKNOWN
