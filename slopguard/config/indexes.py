"""Which index and registry URLs may be asked: only those of the user's settings, never one an input names.

A `pip install -i URL`, `npm i --registry URL`, `uv --index URL`, a requirements file's `--index-url` line or a
manifest's index table comes from agent output or a pull request. Such a URL is compared with the registries
the settings name (`pypi_url`, its `/simple` index, `pypi_indexes`; `npm_url`, the npm scope registries,
`npm_registries`; `goproxy`); when it is one of them, the settings' own URL string is what gets asked, so the
host, port, credentials and path a request uses always come from the user. Any other URL is never contacted:
the package is reported as `unverified-index` with the URL shown by `shown_url` (credentials hidden, cut,
escaped). `slopguard.check` gates every lookup through `lookup_index`; `is_configured` is the registry's own
second check right before the network.
"""

from __future__ import annotations

from slopguard.config import Settings
from slopguard.models import Ecosystem

_SHOWN_LIMIT = 100
"""Characters of an unverified URL shown in a message; longer ones are cut."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def configured_urls(ecosystem: Ecosystem, settings: Settings) -> tuple[str, ...]:
    """Every registry URL of `settings` for `ecosystem`, without trailing slashes, the default one first."""
    if ecosystem is Ecosystem.PYPI:
        base = settings.pypi_url.rstrip("/")
        urls = (base, base + "/simple", *settings.pypi_indexes)
    elif ecosystem is Ecosystem.NPM:
        urls = (settings.npm_url, *(url for _, url in settings.npm_scope_registries), *settings.npm_registries)
    else:
        urls = (settings.goproxy,)
    return tuple(dict.fromkeys(url.rstrip("/") for url in urls))


def is_configured(ecosystem: Ecosystem, url: str, settings: Settings) -> bool:
    """Whether `url` is, string for string (trailing slashes aside), a registry URL of `settings`."""
    return url.rstrip("/") in configured_urls(ecosystem, settings)


def _comparable(url: str) -> str | None:
    """`url` as scheme://host[:port]/path[?query] with scheme and host lowercased, the default port, the
    credentials and trailing slashes dropped; `None` for anything but a well-formed http(s) URL."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    where = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        where += f":{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{where}{parts.path.rstrip('/')}{query}"


def lookup_index(ecosystem: Ecosystem, name: str, url: str, settings: Settings) -> tuple[bool, str | None]:
    """Whether a ref of `name` whose input named index `url` may be looked up, and where.

    `(True, None)`: `url` is the registry `name` is asked of anyway (the default, or its npm scope's);
    `(True, URL)`: another configured registry, `URL` being the settings' string for it;
    `(False, None)`: not a configured registry, so it is never contacted.
    """
    wanted = _comparable(url)
    if wanted is None:
        return False, None
    urls = configured_urls(ecosystem, settings)
    for configured in urls:
        if _comparable(configured) == wanted:
            return True, _default_or(ecosystem, name, configured, settings)
    return False, None


def _default_or(ecosystem: Ecosystem, name: str, configured: str, settings: Settings) -> str | None:
    """`None` when `configured` is where `name` is asked without an index, else `configured`."""
    if ecosystem is Ecosystem.PYPI:
        base = settings.pypi_url.rstrip("/")
        return None if configured in (base, base + "/simple") else configured
    if ecosystem is Ecosystem.NPM:
        return None if npm_registry_for(name, settings) == configured else configured
    return None


def npm_registry_for(name: str, settings: Settings) -> str:
    """The npm registry `name` is asked of without an index: its scope's registry, else `npm_url`."""
    if name.startswith("@"):
        scope = name.split("/", 1)[0].lstrip("@")
        for configured, url in settings.npm_scope_registries:
            if configured.lstrip("@") == scope:
                return url.rstrip("/")
    return settings.npm_url.rstrip("/")


def shown_url(url: str) -> str:
    """`url` fit to print: credentials (`user:token@`) and the query hidden, cut to a length, escaped."""
    from slopguard.escape import terminal

    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:  # not a URL (a path, `git@host:repo`): nothing to hide
        return terminal(text if len(text) <= _SHOWN_LIMIT else text[: _SHOWN_LIMIT - 1] + "…")
    end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    if "@" in authority:
        authority = "***@" + authority.rpartition("@")[2]
    for mark in ("?", "#"):
        if mark in tail:
            tail = tail.partition(mark)[0] + mark + "…"
            break
    shown = f"{scheme}{sep}{authority}{tail}"
    if len(shown) > _SHOWN_LIMIT:
        shown = shown[: _SHOWN_LIMIT - 1] + "…"
    return terminal(shown)
