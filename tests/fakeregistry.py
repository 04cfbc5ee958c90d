"""A fake package registry for tests and benches: a real loopback HTTP server serving a declarative world.

It speaks the PyPI JSON API, the PEP 691/503 Simple API, npm packuments and the GOPROXY protocol, with the
response shapes of the real samples in /work/shared/fixtures/registry/, and injects faults on demand.

Use it in a test (the `fake_registry` fixture in tests/conftest.py starts and stops one)::

    def test_something(fake_registry, tmp_path):
        fake_registry.add_pypi("requests", versions={"2.0.0": "2014-01-01T00:00:00Z"})
        fake_registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00Z"})
        fake_registry.add_go("github.com/a/b", versions={"v1.0.0": "2020-01-01T00:00:00Z"})
        fake_registry.fault("/npm/left-pad", "503", count=1)   # first request fails, the retry succeeds
        settings = fake_registry.settings(tmp_path)           # pypi_url/npm_url/goproxy/cache_dir set
        ...
        assert fake_registry.requests == [...]                 # raw request paths, in arrival order

Routes (base = `.url`): `/pypi/<name>/json`, `/simple/<name>/` (JSON when the Accept header asks for
`application/vnd.pypi.simple.v1+json`, else HTML), `/npm/<name>` (scoped: `/npm/@scope%2fname`),
`/go/<escaped module>/@v/list`, `/go/<escaped module>/@v/<version>.info`, `/go/<escaped module>/@latest`.
Unknown names answer with the real registries' 404 bodies.

Fault kinds for `.fault(match, kind, count=None)` (`match` is a substring of the raw or decoded path,
`count=None` means every matching request): any HTTP status as a string ("404", "405", "410", "500", "503"),
"429" (with `Retry-After`), "slow" (answers after `slow_seconds`, past a short read timeout), "garbage"
(200 with malformed JSON), "reset" (TCP reset without an answer), "null" (200 with the JSON body `null`),
"body" (200 with `body=` bytes as `ctype=`), "redirect" (`status=` 302 by default, to `location=`),
"gzip-bomb" (200, `Content-Encoding: gzip`, `size=` bytes of zeros, 1 GiB by default, in ~1 MB on the
wire). `.latency` adds seconds to every answer; `.max_in_flight` is the most requests ever handled at once.

Standalone, for benches and manual tries::

    python tests/fakeregistry.py --world world.json --port 8765 [--latency 0.02]

where world.json is `{"pypi": {name: {add_pypi kwargs}}, "npm": {...}, "go": {module: {add_go kwargs}}}`.
"""

from __future__ import annotations

import functools
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from slopguard.config import Settings
from slopguard.models import Ecosystem
from slopguard.names import canonicalize

AUTO = "auto"
_ERRORS = {  # bodies from /work/shared/fixtures/registry/error-bodies.json
    "pypi": (b'{"message": "Not Found"}', "application/json"),
    "simple": (b"404 Not Found", "text/plain"),
    "npm": (b'{"error":"Not found"}', "application/json"),
    "npm405": (b'{"code":"MethodNotAllowedError","message":"GET is not allowed"}', "application/json"),
    "go": (b"not found: module does not exist", "text/plain; charset=UTF-8"),
}
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
GIB = 1 << 30
_MIB = 1 << 20


@functools.cache
def gzip_bomb(size: int = GIB) -> bytes:
    """A valid gzip stream of `size` zero bytes (a whole number of MiB) in about size/1000 bytes, made in well
    under a second: after a sync flush, every further MiB of zeros deflates to the same bytes."""
    zeros = b"\0" * _MIB
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    steady = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    count = max(1, size // _MIB)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
    final = b"\x03\x00"  # an empty final block with fixed codes
    return header + first + steady * (count - 1) + final + struct.pack("<II", crc, (count * _MIB) & 0xFFFFFFFF)


class FakeRegistry:
    """A loopback registry server over an in-memory world; see the module docstring."""

    def __init__(self, latency: float = 0.0, slow_seconds: float = 2.0) -> None:
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.pypi: dict[str, dict[str, Any]] = {}
        self.npm: dict[str, dict[str, Any]] = {}
        self.go: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._faults: list[list[Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeRegistry:
        """Listen on 127.0.0.1:`port` (0 = any free port) in a daemon thread."""
        server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        server.daemon_threads = True
        server.registry = self  # type: ignore[attr-defined]
        server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-registry", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeRegistry:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:41234` (PyPI base; npm is `url + "/npm"`, Go `url + "/go"`)."""
        assert self._server is not None, "start() the registry first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def env(self, cache_dir: Path | str) -> dict[str, str]:
        """The SLOPGUARD_* environment variables pointing a slopguard process at this registry."""
        return self.env_for(self.url, cache_dir)

    @staticmethod
    def env_for(url: str, cache_dir: Path | str | None = None) -> dict[str, str]:
        """`env()` for a registry at `url`; without `cache_dir`, no SLOPGUARD_CACHE_DIR."""
        env = {"SLOPGUARD_PYPI_URL": url, "SLOPGUARD_NPM_URL": url + "/npm", "SLOPGUARD_GOPROXY": url + "/go"}
        if cache_dir is not None:
            env["SLOPGUARD_CACHE_DIR"] = str(cache_dir)
        return env

    def settings(self, tmp_path: Path | str, **overrides: Any) -> Settings:
        """Settings pointing at this registry, cache in `tmp_path/cache`, short timeouts; `overrides` win."""
        return self.settings_for(self.url, tmp_path, **overrides)

    @staticmethod
    def settings_for(url: str, tmp_path: Path | str, **overrides: Any) -> Settings:
        """`settings()` for a fake registry at `url` (one started with `python tests/fakeregistry.py`)."""
        base = Settings(
            pypi_url=url,
            npm_url=url + "/npm",
            goproxy=url + "/go",
            cache_dir=Path(tmp_path) / "cache",
            connect_timeout=1.0,
            read_timeout=1.0,
            deadline=20.0,
        )
        return replace(base, **overrides)

    # -- the world -------------------------------------------------------------------------------
    def add_pypi(
        self,
        name: str,
        versions: Mapping[str, str | None] | None = None,
        repository: str | None = None,
        yanked: bool | Iterable[str] = False,
        quarantined: bool = False,
        status: str | None = None,
    ) -> None:
        """A PyPI project: `versions` maps version -> upload time (ISO, `None` = a release without files).

        `yanked` is True (every file) or the versions yanked; `quarantined` hides it from the JSON API and
        serves PEP 792 `project-status: quarantined` with no files; `status` sets another PEP 792 status.
        """
        versions = dict(versions if versions is not None else {"1.0.0": "2020-01-01T00:00:00Z"})
        gone = set(versions) if yanked is True else set(yanked or ())
        self.pypi[canonicalize(Ecosystem.PYPI, name)] = {
            "name": name,
            "versions": versions,
            "repository": repository,
            "yanked": gone,
            "quarantined": quarantined,
            "status": "quarantined" if quarantined else status,
        }

    def add_npm(
        self,
        name: str,
        versions: Mapping[str, str] | None = None,
        created: str | None = AUTO,
        deprecated: str | None = None,
        security_holder: bool = False,
        unpublished: bool = False,
        repository: str | None = None,
    ) -> None:
        """An npm package (case-sensitive name): `versions` maps version -> publish time, the last is `latest`.

        `created="auto"` uses the first version's time, `None` leaves `time.created` out (as some mirrors
        do); `deprecated` marks the latest version; `security_holder` replaces everything with npm's
        `0.0.1-security` takedown; `unpublished` serves the unpublished stub (no versions).
        """
        versions = dict(versions if versions is not None else {"1.0.0": "2020-01-01T00:00:00.000Z"})
        if security_holder:
            versions = {"0.0.1-security": list(versions.values())[-1]}
            repository = "npm/security-holder"
        self.npm[name] = {
            "versions": versions,
            "created": min(versions.values()) if created == AUTO else created,
            "deprecated": deprecated,
            "unpublished": unpublished,
            "repository": repository,
        }

    def add_go(
        self, module: str, versions: Mapping[str, str] | None = None, unlisted: Mapping[str, str] | None = None
    ) -> None:
        """A Go module: `versions` maps version -> commit time; the last one given is `@latest`. `unlisted`
        versions (pseudo-versions and the like) answer `.info` but are not in `@v/list`."""
        self.go[module] = {
            "versions": dict(versions if versions is not None else {"v1.0.0": "2020-01-02T17:33:45Z"}),
            "unlisted": dict(unlisted or {}),
        }

    def load_world(self, world: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> None:
        """Add everything in `{"pypi": {name: kwargs}, "npm": {name: kwargs}, "go": {module: kwargs}}`."""
        for name, kwargs in world.get("pypi", {}).items():
            self.add_pypi(name, **kwargs)
        for name, kwargs in world.get("npm", {}).items():
            self.add_npm(name, **kwargs)
        for module, kwargs in world.get("go", {}).items():
            self.add_go(module, **kwargs)

    def fault(
        self,
        match: str,
        kind: str,
        count: int | None = None,
        retry_after: str = "1",
        *,
        body: bytes = b"",
        ctype: str = "application/json",
        location: str = "",
        status: int = 302,
        size: int = GIB,
    ) -> None:
        """Make requests whose path contains `match` fail as `kind` (`count` times, or always); `body`/`ctype`
        for "body", `location`/`status` for "redirect", `size` for "gzip-bomb"."""
        extra = {"body": body, "ctype": ctype, "location": location, "status": status, "size": size}
        with self._lock:
            self._faults.append([match, kind, count, retry_after, extra])

    def paths(self, needle: str = "") -> list[str]:
        """The request paths received that contain `needle` (thread-safe copy)."""
        with self._lock:
            return [p for p in self.requests if needle in p]

    # -- internals used by the handler -----------------------------------------------------------
    def _take_fault(self, path: str) -> tuple[str, str, dict[str, Any]] | None:
        decoded = unquote(path)
        with self._lock:
            for fault in self._faults:
                match, kind, count, retry_after, extra = fault
                if (match in path or match in decoded) and (count is None or count > 0):
                    if count is not None:
                        fault[2] = count - 1
                    return kind, retry_after, extra
        return None

    def _enter(self, path: str) -> None:
        with self._lock:
            self.requests.append(path)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeregistry/1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    @property
    def registry(self) -> FakeRegistry:
        return self.server.registry  # type: ignore[attr-defined, no-any-return]

    def do_GET(self) -> None:
        reg = self.registry
        reg._enter(self.path)
        try:
            if reg.latency:
                time.sleep(reg.latency)
            fault = reg._take_fault(self.path)
            if fault is not None and self._fault(*fault):
                return
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            reg._leave()

    def _fault(self, kind: str, retry_after: str, extra: dict[str, Any]) -> bool:
        """Apply a fault; True when the answer is done (False: "slow" goes on to the real answer)."""
        if kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return True
        if kind == "slow":
            time.sleep(self.registry.slow_seconds)
            return False
        if kind == "garbage":
            self._send(200, b'{"info": {"name": "x", "version": ', "application/json")
            return True
        if kind in ("null", "body"):
            self._send(200, b"null" if kind == "null" else extra["body"], extra["ctype"])
            return True
        if kind == "redirect":
            self._send(extra["status"], b"", "text/plain", {"Location": extra["location"]})
            return True
        if kind == "gzip-bomb":
            self._send(200, gzip_bomb(extra["size"]), extra["ctype"], {"Content-Encoding": "gzip"})
            return True
        status = int(kind)
        body, ctype = _ERRORS["npm405"] if status == 405 else (f"HTTP {status}".encode(), "text/plain")
        if status in (404, 410):
            body, ctype = _ERRORS["go"]
        headers = {"Retry-After": retry_after} if status == 429 else {}
        self._send(status, body, ctype, headers)
        return True

    def _send(self, status: int, body: bytes, ctype: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, ctype: str = "application/json") -> None:
        self._send(200, json.dumps(data).encode(), ctype)

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        parts = path.split("/")
        if len(parts) == 4 and parts[1] == "pypi" and parts[3] == "json":
            return self._pypi_json(unquote(parts[2]))
        if len(parts) == 4 and parts[1] == "simple" and parts[3] == "":
            return self._simple(unquote(parts[2]))
        if len(parts) == 3 and parts[1] == "npm":
            return self._npm(unquote(parts[2]))
        if parts[1:2] == ["go"] and ("/@v/" in path or path.endswith("/@latest")):
            return self._go(path[len("/go/") :])
        self._send(404, *_ERRORS["simple"])

    # -- PyPI ------------------------------------------------------------------------------------
    def _redirect(self, location: str) -> None:
        self._send(301, b"", "text/plain", {"Location": location})

    def _pypi_json(self, name: str) -> None:
        canonical = canonicalize(Ecosystem.PYPI, name)
        project = self.registry.pypi.get(canonical)
        if project is None or project["quarantined"]:
            return self._send(404, *_ERRORS["pypi"])
        if name != canonical:
            return self._redirect(f"/pypi/{quote(canonical)}/json")
        releases = {v: _pypi_files(canonical, v, t, v in project["yanked"]) for v, t in project["versions"].items()}
        latest = list(project["versions"])[-1] if project["versions"] else None
        urls = {"Source": project["repository"]} if project["repository"] else None
        info = {"name": project["name"], "version": latest, "project_urls": urls, "home_page": None}
        self._json({"info": info, "last_serial": 1, "releases": releases, "urls": releases.get(latest, [])})

    def _simple(self, name: str) -> None:
        canonical = canonicalize(Ecosystem.PYPI, name)
        project = self.registry.pypi.get(canonical)
        if project is None:
            return self._send(404, *_ERRORS["simple"])
        if name != canonical:
            return self._redirect(f"/simple/{quote(canonical)}/")
        versions = [] if project["quarantined"] else list(project["versions"])
        files = [
            {
                "filename": f["filename"],
                "url": f["url"],
                "hashes": f["digests"],
                "upload-time": f["upload_time_iso_8601"],
                "yanked": f["yanked_reason"] if f["yanked"] else False,
            }
            for v in versions
            for f in _pypi_files(canonical, v, project["versions"][v], v in project["yanked"])
        ]
        status = {"status": project["status"]} if project["status"] else None
        if SIMPLE_JSON in self.headers.get("Accept", ""):
            data: dict[str, Any] = {"meta": {"api-version": "1.4"}, "name": canonical, "files": files}
            data["versions"] = versions
            if status:
                data["project-status"] = status
            return self._json(data, SIMPLE_JSON)
        meta = f'<meta name="pypi:project-status" content="{status["status"]}">' if status else ""
        links = "".join(
            f'<a href="{f["url"]}"{" data-yanked=" + chr(34) + chr(34) if f["yanked"] else ""}>{f["filename"]}</a><br>'
            for f in files
        )
        html = (
            f"<!DOCTYPE html><html><head>{meta}<title>Links for {canonical}</title></head><body>{links}</body></html>"
        )
        self._send(200, html.encode(), "text/html")

    # -- npm -------------------------------------------------------------------------------------
    def _npm(self, name: str) -> None:
        package = self.registry.npm.get(name)
        if package is None:
            return self._send(404, *_ERRORS["npm"])
        times: dict[str, Any] = {}
        if package["created"] is not None:
            times["created"] = package["created"]
        versions: dict[str, Any] = package["versions"]
        times["modified"] = max(versions.values()) if versions else package["created"]
        if package["unpublished"]:
            times["unpublished"] = {"time": times["modified"], "versions": list(versions)}
            return self._json({"_id": name, "name": name, "time": times})
        times.update(versions)
        latest = list(versions)[-1]
        docs = {}
        for v in versions:
            doc: dict[str, Any] = {"name": name, "version": v, "_id": f"{name}@{v}", "dist": {"tarball": "x"}}
            if package["repository"]:
                doc["repository"] = package["repository"]
            if v == latest and package["deprecated"]:
                doc["deprecated"] = package["deprecated"]
            docs[v] = doc
        self._json({"_id": name, "name": name, "dist-tags": {"latest": latest}, "time": times, "versions": docs})

    # -- GOPROXY ---------------------------------------------------------------------------------
    def _go(self, rest: str) -> None:
        escaped, _, tail = rest.partition("/@")
        module = _go_unescape(unquote(escaped))
        found = self.registry.go.get(module)
        if found is None:
            return self._send(404, *_ERRORS["go"])
        versions: dict[str, str] = found["versions"]
        if tail == "v/list":
            return self._send(200, "".join(v + "\n" for v in versions).encode(), "text/plain; charset=UTF-8")
        if tail == "latest" and versions:
            latest = list(versions)[-1]
            return self._json({"Version": latest, "Time": versions[latest]})
        if tail.startswith("v/") and tail.endswith(".info"):
            version = _go_unescape(unquote(tail[2:-5]))
            served = {**found.get("unlisted", {}), **versions}
            if version in served:
                return self._json({"Version": version, "Time": served[version]})
        self._send(404, *_ERRORS["go"])


def _pypi_files(name: str, version: str, uploaded: str | None, yanked: bool) -> list[dict[str, Any]]:
    """The files of one release, shaped like pypi-json-requests.excerpt.json (a wheel and an sdist)."""
    if uploaded is None:
        return []
    stem = name.replace("-", "_")
    return [
        {
            "filename": filename,
            "url": f"https://files.example/{filename}",
            "digests": {"sha256": "0" * 64},
            "packagetype": kind,
            "upload_time": uploaded.rstrip("Z")[:19],
            "upload_time_iso_8601": uploaded,
            "yanked": yanked,
            "yanked_reason": "yanked in the fake registry" if yanked else None,
        }
        for filename, kind in (
            (f"{stem}-{version}-py3-none-any.whl", "bdist_wheel"),
            (f"{stem}-{version}.tar.gz", "sdist"),
        )
    ]


def _go_unescape(path: str) -> str:
    out, bang = [], False
    for c in path:
        if bang:
            out.append(c.upper())
            bang = False
        elif c == "!":
            bang = True
        else:
            out.append(c)
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    """Serve a world file until interrupted, printing the base URLs."""
    import argparse

    parser = argparse.ArgumentParser(description="Serve a fake PyPI/npm/GOPROXY registry on 127.0.0.1.")
    parser.add_argument("--world", type=Path, help="JSON world file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args(argv)
    registry = FakeRegistry(latency=args.latency)
    if args.world:
        registry.load_world(json.loads(args.world.read_text()))
    registry.start(args.port)
    for name, value in registry.env_for(registry.url).items():
        print(f"{name}={value}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        registry.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
