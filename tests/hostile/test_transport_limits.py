"""Issue 12, bounded resources on both transports (httpx for scans, sockets for the hook): a 1 GiB gzip bomb stops
at the decoded-body cap without blowing memory, and one redirect policy (<= 5 hops, no https -> http, same or
configured hosts) holds on both.

Run as a script to measure a bomb's peak RSS: `python tests/hostile/test_transport_limits.py httpx|socket [NAMES]`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))  # fakeregistry, also when run as a script

from fakeregistry import GIB, FakeRegistry  # noqa: E402

from slopguard.config import Settings  # noqa: E402
from slopguard.errors import Malformed  # noqa: E402
from slopguard.models import Ecosystem, LookupKey, Status  # noqa: E402
from slopguard.registry import RecordCache, resolve  # noqa: E402
from slopguard.registry.http import USER_AGENT  # noqa: E402
from slopguard.registry.limits import MAX_BODY, MAX_REDIRECTS, BodyDecoder  # noqa: E402
from slopguard.registry.stdhttp import StdlibTransport  # noqa: E402

NPM = LookupKey(Ecosystem.NPM, "left-pad")
RSS_CEILING_MB = 400
"""Peak RSS allowed for a process that met a 1 GiB bomb (it was 2.1 GB on the httpx path, ~1 GB on sockets)."""


def _peak_rss_mb() -> float:
    """This process's peak RSS. `VmHWM` belongs to the process's own memory, unlike `ru_maxrss`, which a process
    started by fork+exec inherits from the forking parent (a test runner that has grown to 400 MB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def probe(mode: str, names: int, cache_dir: str) -> dict[str, Any]:
    """Resolve `names` npm names that all answer with a 1 GiB gzip bomb, through `mode` ("httpx" / "socket")."""
    with FakeRegistry() as fake:
        keys = [LookupKey(Ecosystem.NPM, f"pkg-{i}") for i in range(names)]
        for key in keys:
            fake.add_npm(key.name)
        fake.fault("/npm/", "gzip-bomb", size=GIB)
        settings = fake.settings(cache_dir, read_timeout=60.0, deadline=300.0, use_cache=False)
        before = _peak_rss_mb()
        transport = StdlibTransport(USER_AGENT) if mode == "socket" else None
        records = resolve(keys, settings, transport=transport)
        return {
            "mode": mode,
            "names": names,
            "rss_before_mb": round(before, 1),
            "rss_peak_mb": round(_peak_rss_mb(), 1),
            "statuses": sorted({r.status.value for r in records.values()}),
            "errors": sorted({r.error or "" for r in records.values()}),
            "requests": len(fake.paths("/npm/")),
        }


# -- the decoded-body cap --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["httpx", "socket"])
def test_a_1_gib_gzip_bomb_stays_small(tmp_path: Path, mode: str) -> None:
    """The issue's row: 1 GiB of zeros with `Content-Encoding: gzip` took 2.1 GB RSS per lookup (httpx)."""
    script = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_transport_limits as t; "
    )
    script += f"print(json.dumps(t.probe({mode!r}, 2, {str(tmp_path)!r})))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statuses"] == ["unknown"]
    assert result["errors"] == [f"body inflates past the {MAX_BODY}-byte limit"]
    assert result["requests"] == 2  # one per name: a refused body is not asked for again
    assert result["rss_peak_mb"] < RSS_CEILING_MB, result


def test_bomb_is_unknown_not_retried_not_cached(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None
) -> None:
    fake_registry.add_npm("left-pad")
    fake_registry.fault("/npm/left-pad", "gzip-bomb", size=MAX_BODY + (1 << 20))
    for asked in (1, 2):
        record = resolve([NPM], registry_settings, transport=transport)[NPM]
        assert record.status is Status.UNKNOWN and "limit" in (record.error or "")
        assert len(fake_registry.paths("/npm/left-pad")) == asked  # not retried, and not cached
    cache = RecordCache(registry_settings)
    try:
        assert cache.first_missing(NPM) is None
    finally:
        cache.close()


def test_a_gzip_body_under_the_cap_is_read(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None
) -> None:
    """A compressed body just under the cap is decoded whole (it is zeros, so not a packument: malformed JSON)."""
    fake_registry.fault("/npm/left-pad", "gzip-bomb", size=MAX_BODY)
    record = resolve([NPM], registry_settings, transport=transport)[NPM]
    assert record.status is Status.UNKNOWN and "malformed JSON" in (record.error or ""), record.error


@pytest.mark.parametrize("coding", ["", "gzip", "deflate"])
def test_the_decoder_counts_raw_and_decoded_bytes(coding: str) -> None:
    import zlib

    packer = zlib.compressobj(wbits={"gzip": 31, "deflate": 15}.get(coding, 15))
    body = b"x" * 1000 if not coding else packer.compress(b"x" * 1000) + packer.flush()
    decoder = BodyDecoder(coding, limit=999)
    with pytest.raises(Malformed, match="limit"):
        for start in range(0, len(body), 7):
            decoder.feed(body[start : start + 7])
        decoder.finish()
    whole = BodyDecoder(coding, limit=1000)
    for start in range(0, len(body), 7):
        whole.feed(body[start : start + 7])
    assert whole.finish() == b"x" * 1000


# -- one redirect policy ---------------------------------------------------------------------------------------


def test_redirect_to_another_host_is_refused(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None
) -> None:
    """`localhost` is the same server under another name: had the redirect been followed, it would answer."""
    fake_registry.add_npm("left-pad")
    port = fake_registry.url.rsplit(":", 1)[1]
    fake_registry.fault("/npm/left-pad", "redirect", count=1, location=f"http://localhost:{port}/npm/left-pad")
    record = resolve([NPM], registry_settings, transport=transport)[NPM]
    assert record.status is Status.UNKNOWN and "host" in (record.error or "")
    assert len(fake_registry.paths("/npm/left-pad")) == 1


def test_redirect_to_a_configured_host_is_followed(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None
) -> None:
    fake_registry.add_npm("left-pad")
    port = fake_registry.url.rsplit(":", 1)[1]
    fake_registry.fault("/npm/left-pad", "redirect", count=1, location=f"http://localhost:{port}/npm/left-pad")
    settings = registry_settings.replace(goproxy=f"http://localhost:{port}/go")
    record = resolve([NPM], settings, transport=transport)[NPM]
    assert record.status is Status.EXISTS, record.error
    assert record.source_url == f"http://localhost:{port}/npm/left-pad"


@pytest.mark.parametrize("hops", [MAX_REDIRECTS, MAX_REDIRECTS + 1])
def test_at_most_five_hops(
    fake_registry: FakeRegistry, registry_settings: Settings, transport: StdlibTransport | None, hops: int
) -> None:
    fake_registry.add_npm("left-pad")
    fake_registry.fault("/npm/left-pad", "redirect", count=hops, location="/npm/left-pad", status=307)
    record = resolve([NPM], registry_settings, transport=transport)[NPM]
    if hops <= MAX_REDIRECTS:
        assert record.status is Status.EXISTS, record.error
    else:
        assert record.status is Status.UNKNOWN and "redirects" in (record.error or "")
        assert len(fake_registry.paths("/npm/left-pad")) == MAX_REDIRECTS + 1


def test_https_to_http_is_refused_on_the_httpx_path(tmp_path: Path) -> None:
    """The issue's row: an https registry redirecting to http:// was followed on the httpx path."""
    import httpx

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.scheme == "https":
            return httpx.Response(301, headers={"Location": "http://registry.example/left-pad"})
        packument = {"name": "left-pad", "versions": {"1.0.0": {}}, "dist-tags": {"latest": "1.0.0"}}
        return httpx.Response(200, json=packument)

    settings = Settings(cache_dir=tmp_path, npm_url="https://registry.example", max_tries=1)
    with httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True) as client:
        record = resolve([NPM], settings, client)[NPM]
    assert record.status is Status.UNKNOWN and "https to http" in (record.error or "")
    assert seen == ["https://registry.example/left-pad"]


def test_https_to_http_is_refused_on_the_socket_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from slopguard.registry.transport import Reply

    seen: list[str] = []

    def send(self: StdlibTransport, url: str, headers: dict[str, str], connect: float, read: float) -> Reply:
        seen.append(url)
        return Reply(301, {"location": "http://registry.example/left-pad"}, b"", url)

    monkeypatch.setattr(StdlibTransport, "_send", send)
    settings = Settings(cache_dir=tmp_path, npm_url="https://registry.example", max_tries=1)
    record = resolve([NPM], settings, transport=StdlibTransport(USER_AGENT))[NPM]
    assert record.status is Status.UNKNOWN and "https to http" in (record.error or "")
    assert seen == ["https://registry.example/left-pad"]


if __name__ == "__main__":  # pragma: no cover - a measurement, not a test
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        mode = sys.argv[1] if len(sys.argv) > 1 else "httpx"
        print(json.dumps(probe(mode, int(sys.argv[2]) if len(sys.argv) > 2 else 1, folder)))
        sys.stdout.flush()
        os._exit(0)


def test_every_configured_registry_is_a_redirect_host() -> None:
    """Private indexes and npm registries the user listed count as configured hosts, and nothing else does."""
    from slopguard.registry.limits import configured_hosts

    settings = Settings(
        pypi_indexes=("https://pypi.corp.example/simple",), npm_registries=("https://npm.corp.example/",)
    )
    hosts = configured_hosts(settings)
    assert {"pypi.corp.example", "npm.corp.example", "pypi.org", "registry.npmjs.org"} <= hosts
    assert "attacker.example" not in hosts
