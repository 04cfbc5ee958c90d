"""Settings: the one place that reads config files, `.npmrc` scopes and SLOPGUARD_* / GOPROXY environment variables."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from slopguard.models import Verdict

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook loads settings on every install check
if TYPE_CHECKING:
    from collections.abc import Callable
    from dataclasses import dataclass, field
    from typing import Any
else:  # the same frozen dataclass, built without `dataclasses` at import (see slopguard._frozen)
    from slopguard._frozen import dataclass, field

DEFAULT_PYPI_URL = "https://pypi.org"
DEFAULT_NPM_URL = "https://registry.npmjs.org"
DEFAULT_GOPROXY = "https://proxy.golang.org"


class Secret(str):
    """A string whose `repr` hides it (the shared store's URL, which may hold a password, and its key)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<set>'" if self else "''"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Built by `from_env()`, then overridden by config files and flags."""

    pypi_url: str = DEFAULT_PYPI_URL
    npm_url: str = DEFAULT_NPM_URL
    goproxy: str = DEFAULT_GOPROXY
    goprivate: tuple[str, ...] = ()
    """Glob patterns (GOPRIVATE / GONOPROXY) of Go module paths that are never sent to the proxy."""
    npm_scope_registries: tuple[tuple[str, str], ...] = ()
    """(`@scope`, registry URL) pairs, from config or `.npmrc` `@scope:registry=`."""
    cache_dir: Path = field(default_factory=lambda: default_cache_dir())
    use_cache: bool = True
    ttl_exists: float = 24 * 3600.0
    ttl_not_found: float = 15 * 60.0
    concurrency: int = 16
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 60.0
    """Seconds for all registry lookups of one run; what is not answered by then is `unknown`."""
    max_tries: int = 3
    offline: bool = False
    fail_on: Verdict | None = Verdict.BLOCK
    """The verdict that makes a run exit 1; `None` never does (config `fail-on = "never"`)."""
    on_unknown: str = "warn"
    """What `registry-unavailable` means: `warn`, `block` or `allow`."""
    allow: tuple[tuple[str, str], ...] = ()
    """(ecosystem, glob) pairs that are always ok (private packages)."""
    deny: tuple[tuple[str, str], ...] = ()
    """(ecosystem, glob) pairs that are always blocked."""
    new_package_days: float = 30.0
    few_releases: int = 3
    hook_deadline: float = 5.0
    max_file_bytes: int = 2 * 1024 * 1024
    """Files on disk larger than this are skipped with a note (sources and manifests in trees, single files)."""
    pypi_indexes: tuple[str, ...] = ()
    """More PyPI Simple index URLs of your own (private mirrors) a command's `-i URL` may name and be asked."""
    npm_registries: tuple[str, ...] = ()
    """More npm registry URLs of your own a command's `--registry URL` may name and be asked."""
    on_setting_change: str = "warn"
    """The verdict of a diff line that changes slopguard's settings or a package index: `warn` or `block`."""
    shared_cache: str = ""
    """`redis://` or `rediss://` URL of the fleet's shared store (`slopguard.fleet`); empty: none."""
    shared_key: str = ""
    """`SLOPGUARD_SHARED_KEY`: signs and checks every shared entry (HMAC-SHA256); empty: unsigned."""

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` applied; `None` values are ignored, so unset flags keep the default."""
        return with_changes(self, **{k: v for k, v in changes.items() if v is not None})


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """`dataclasses.replace(settings, **changes)` without loading `dataclasses` (an unknown key raises
    `TypeError` all the same)."""
    return Settings(**{**settings.__dict__, **changes})


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The platform's user cache directory for slopguard (or `SLOPGUARD_CACHE_DIR`)."""
    env = os.environ if env is None else env
    if env.get("SLOPGUARD_CACHE_DIR"):
        return Path(env["SLOPGUARD_CACHE_DIR"]).expanduser()
    if sys.platform == "win32":
        base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "slopguard" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "slopguard"
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "slopguard"


def first_usable_goproxy(value: str | None) -> str | None:
    """The first entry of a `GOPROXY` list slopguard can ask: an http(s) URL (`direct`, `off` and `file://`
    proxies are skipped; `file://` is a local directory the resolver cannot serve)."""
    if not value:
        return None
    for entry in value.replace("|", ",").split(","):
        entry = entry.strip()
        if entry.startswith(("http://", "https://")):
            return entry.rstrip("/")
    return None


def _split_patterns(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Defaults overridden by `SLOPGUARD_*`, `GOPROXY`, `GOPRIVATE` and `GONOPROXY`."""
    env = os.environ if env is None else env
    goproxy = (
        first_usable_goproxy(env.get("SLOPGUARD_GOPROXY"))
        or first_usable_goproxy(env.get("GOPROXY"))
        or DEFAULT_GOPROXY
    )
    private = _split_patterns(env.get("GONOPROXY")) or _split_patterns(env.get("GOPRIVATE"))
    return Settings(
        pypi_url=(env.get("SLOPGUARD_PYPI_URL") or DEFAULT_PYPI_URL).rstrip("/"),
        npm_url=(env.get("SLOPGUARD_NPM_URL") or DEFAULT_NPM_URL).rstrip("/"),
        goproxy=goproxy,
        goprivate=private,
        cache_dir=default_cache_dir(env),
        shared_cache=Secret(env.get("SLOPGUARD_SHARED_CACHE", "").strip()),
        shared_key=Secret(env.get("SLOPGUARD_SHARED_KEY", "")),
    )


# --- allow / deny lists -----------------------------------------------------------------------------


def list_match(patterns: tuple[tuple[str, str], ...], ecosystem: object, name: str) -> str | None:
    """The first glob of (ecosystem, glob) `patterns` matching `name`, or `None`.

    The ecosystem `*` matches every ecosystem. PyPI names and globs compare in PEP 503 form; a Go glob
    also matches every path below it (like GOPRIVATE), so `github.com/mycorp/*` covers `.../x/y`.
    """
    if not patterns:
        return None
    import fnmatch

    from slopguard.names import canonicalize

    eco = getattr(ecosystem, "value", ecosystem)
    for pattern_eco, glob in patterns:
        if pattern_eco not in (eco, "*"):
            continue
        if eco == "pypi":
            from slopguard.models import Ecosystem

            if fnmatch.fnmatchcase(canonicalize(Ecosystem.PYPI, name), canonicalize(Ecosystem.PYPI, glob)):
                return glob
            continue
        if fnmatch.fnmatchcase(name, glob):
            return glob
        if eco == "go":
            parts = name.split("/")
            if any(fnmatch.fnmatchcase("/".join(parts[:end]), glob) for end in range(1, len(parts))):
                return glob
    return None


def load_settings(
    cwd: Path,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
    config_path: Path | None = None,
    read: Callable[[Path], str | None] | None = None,
) -> Settings:
    """Settings from defaults, then the config file found upward from `cwd` (or `config_path`), then the
    environment, then `overrides` (CLI flags; `None` values are unset). A bad config raises `UsageError`.

    `read` reads the config and `.npmrc` files (default: from disk); `slopguard.config.trusted` passes one that
    reads the files of the repository from a base commit, so a change under review cannot configure its own check.
    """
    from slopguard.config.files import apply_env, apply_file, find_config, npmrc_scopes, read_config

    env = os.environ if env is None else env
    settings = Settings(cache_dir=default_cache_dir(env))
    path = config_path if config_path is not None else find_config(Path(cwd), read)
    if path is not None:
        settings = apply_file(settings, path, read_config(path, explicit=config_path is not None, read=read))
    scopes = npmrc_scopes(Path(cwd), env, read)
    if scopes:
        known = dict(scopes)
        known.update(dict(settings.npm_scope_registries))  # the slopguard config wins over .npmrc
        settings = with_changes(settings, npm_scope_registries=tuple(sorted(known.items())))
    settings = apply_env(settings, env)
    if overrides:
        unknown = sorted(k for k in overrides if k not in Settings.__dataclass_fields__)
        if unknown:
            from slopguard.errors import UsageError

            raise UsageError(f"unknown setting(s): {', '.join(unknown)}")
        settings = settings.replace(**dict(overrides))
    return settings
