"""Config files for `load_settings`: `[tool.slopguard]` / `.slopguard.toml` keys, `.npmrc` scopes, the environment."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from slopguard.config import Secret, Settings, _split_patterns, default_cache_dir, first_usable_goproxy, with_changes
from slopguard.models import Verdict

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the agent hook reads settings on every install check
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Read = Callable[[Path], "str | None"]
    """Text of a settings file, or `None` when there is none (`slopguard.config.trusted` reads a commit)."""


def read_disk(path: Path) -> str | None:
    """The text of `path` on disk, or `None` when it is not a readable UTF-8 file."""
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


_ECOSYSTEMS = ("pypi", "npm", "go", "*")
_CHOICES = {"on_unknown": ("warn", "block", "allow"), "on_setting_change": ("warn", "block")}
_NUMBERS = {
    "new_package_days": float, "few_releases": int, "ttl_exists": float, "ttl_not_found": float,
    "concurrency": int, "connect_timeout": float, "read_timeout": float, "deadline": float, "max_tries": int,
    "hook_deadline": float, "max_file_bytes": int,
}  # fmt: skip
_BOOLS = ("offline", "use_cache")
_ALIASES = {"cache": "use_cache", "cache_ttl_exists": "ttl_exists", "cache_ttl_not_found": "ttl_not_found"}
_TABLES = ("allow", "deny", "registries", "cache_ttl")
_URL_LISTS = {
    "pypi-indexes": "pypi_indexes", "pypi_indexes": "pypi_indexes",
    "npm-registries": "npm_registries", "npm_registries": "npm_registries",
}  # fmt: skip


def find_config(cwd: Path, read: Read | None = None) -> Path | None:
    """`.slopguard.toml`, or a `pyproject.toml` with a `[tool.slopguard]` table, nearest upward from `cwd`
    (files as `read` sees them: default, the disk)."""
    for folder in (cwd.resolve(), *cwd.resolve().parents):
        candidate = folder / ".slopguard.toml"
        if candidate.is_file() if read is None else read(candidate) is not None:
            return candidate
        pyproject = folder / "pyproject.toml"
        text = read_disk(pyproject) if read is None else read(pyproject)
        if text is not None and "tool.slopguard" in text:
            return pyproject
    return None


def read_config(path: Path, *, explicit: bool = False, read: Read | None = None) -> dict[str, Any]:
    """The slopguard table of `path` (`[tool.slopguard]` of a pyproject, else the whole file), read with `read`
    (default: from disk)."""
    from slopguard.errors import UsageError

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        text = path.read_text(encoding="utf-8") if read is None else read(path)
        if text is None:
            raise UsageError(f"cannot read config file {path}: no such file")
        data = tomllib.loads(text)
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("slopguard", {})
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [tool.slopguard] must be a table")
        return dict(table)
    return dict(data)


def _key(name: str) -> str:
    return name.replace("-", "_")


def apply_file(settings: Settings, path: Path, table: Mapping[str, Any]) -> Settings:
    """`settings` with the keys of config `table` (read from `path`, named in errors) applied."""
    from slopguard.errors import UsageError

    def bad(key: str, why: str) -> UsageError:
        where = "[tool.slopguard]" if path.name == "pyproject.toml" else str(path.name)
        return UsageError(f"{path}: {where} key '{key}': {why}")

    changes: dict[str, Any] = {}
    for raw, value in table.items():
        key = _ALIASES.get(_key(raw), _key(raw))
        if key in ("allow", "deny"):
            changes[key] = _patterns(raw, value, bad)
        elif key == "registries":
            changes.update(_registries(raw, value, bad))
        elif key == "cache_ttl":
            if not isinstance(value, dict):
                raise bad(raw, "expected a table like { exists = 86400, not-found = 900 }")
            for sub, seconds in value.items():
                field_name = {"exists": "ttl_exists", "not_found": "ttl_not_found"}.get(_key(sub))
                if field_name is None:
                    raise bad(f"{raw}.{sub}", "expected 'exists' or 'not-found'")
                changes[field_name] = _number(f"{raw}.{sub}", seconds, float, bad)
        elif key in _NUMBERS:
            changes[key] = _number(raw, value, _NUMBERS[key], bad)
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise bad(raw, f"expected true or false, got {value!r}")
            changes[key] = value
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                raise bad(raw, f"expected one of {', '.join(_CHOICES[key])}, got {value!r}")
            changes[key] = value
        elif key == "fail_on":
            if value not in ("warn", "block", "never"):
                raise bad(raw, f"expected 'warn', 'block' or 'never', got {value!r}")
            changes[key] = None if value == "never" else Verdict(value)
        elif key == "cache_dir":
            if not isinstance(value, str) or not value:
                raise bad(raw, "expected a directory path")
            changes[key] = (path.parent / Path(value).expanduser()).resolve()
        elif key == "shared_cache":
            if not isinstance(value, str) or not value.startswith(("redis://", "rediss://")):
                raise bad(raw, "expected a redis:// or rediss:// URL")
            changes[key] = Secret(value)
        elif key == "goprivate":
            changes[key] = tuple(_strings(raw, value, bad))
        else:
            raise bad(raw, "unknown key" + _did_you_mean(raw))
    return with_changes(settings, **changes)


KNOWN_KEYS = (
    "allow", "deny", "registries", "cache-ttl", "fail-on", "on-unknown", "on-setting-change", "offline", "cache",
    "cache-dir", "goprivate", *(k.replace("_", "-") for k in _NUMBERS),
)  # fmt: skip
"""The keys of `[tool.slopguard]` / `.slopguard.toml`, as the README spells them."""


def _did_you_mean(raw: str) -> str:
    """The hint for a misspelt key (`; did you mean 'fail-on'?`, `-` and `_` alike), else the known keys."""
    import difflib

    wanted = _key(raw).lower()
    spelled = {_key(k): k for k in (*KNOWN_KEYS, *_ALIASES)}
    close = difflib.get_close_matches(wanted, list(spelled), n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{spelled[close[0]]}'?"
    return f" (known keys: {', '.join(sorted(KNOWN_KEYS))})"


def _number(key: str, value: Any, kind: type, bad: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise bad(key, f"expected a non-negative number, got {value!r}")
    if kind is int and not isinstance(value, int):
        raise bad(key, f"expected a whole number, got {value!r}")
    return kind(value)


def _strings(key: str, value: Any, bad: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise bad(key, "expected a list of names or globs")
    return [v.strip() for v in value]


def _patterns(key: str, value: Any, bad: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, list):
        return tuple(("*", v) for v in _strings(key, value, bad))
    if not isinstance(value, dict):
        raise bad(key, 'expected a table like { pypi = ["mycorp-*"], npm = ["@mycorp/*"] }')
    out: list[tuple[str, str]] = []
    for eco, names in value.items():
        if eco not in _ECOSYSTEMS:
            raise bad(f"{key}.{eco}", f"expected an ecosystem ({', '.join(_ECOSYSTEMS)})")
        out.extend((eco, glob) for glob in _strings(f"{key}.{eco}", names, bad))
    return tuple(out)


def _url(key: str, value: Any, bad: Any) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://", "file://")):
        raise bad(key, f"expected an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _registries(key: str, value: Any, bad: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad(key, 'expected a table like { pypi = "https://...", "@mycorp" = "https://..." }')
    out: dict[str, Any] = {}
    scopes: dict[str, str] = {}
    fields = {"pypi": "pypi_url", "npm": "npm_url", "go": "goproxy", "goproxy": "goproxy"}
    for sub, url in value.items():
        if sub in ("npm-scopes", "npm_scopes", "scopes"):
            if not isinstance(url, dict):
                raise bad(f"{key}.{sub}", 'expected a table like { "@mycorp" = "https://..." }')
            for scope, scope_url in url.items():
                if not scope.startswith("@"):
                    raise bad(f"{key}.{sub}.{scope}", "an npm scope starts with '@'")
                scopes[scope] = _url(f"{key}.{sub}.{scope}", scope_url, bad)
        elif sub.startswith("@"):
            scopes[sub] = _url(f"{key}.{sub}", url, bad)
        elif sub in _URL_LISTS:
            urls = url if isinstance(url, list) else [url]
            out[_URL_LISTS[sub]] = tuple(_url(f"{key}.{sub}", one, bad) for one in urls)
        elif sub in fields:
            out[fields[sub]] = _url(f"{key}.{sub}", url, bad)
        else:
            raise bad(f"{key}.{sub}", "expected pypi, npm, go, pypi-indexes, npm-registries or an npm @scope")
    if scopes:
        out["npm_scope_registries"] = tuple(sorted(scopes.items()))
    return out


def npmrc_scopes(cwd: Path, env: Mapping[str, str], read: Read | None = None) -> tuple[tuple[str, str], ...]:
    """`@scope:registry=URL` lines of `.npmrc` files upward from `cwd`, then the user's; the nearest wins
    (files as `read` sees them: default, the disk).

    On disk, one inside the project (the repository of `cwd`) is read only when it really lies there
    (`slopguard.root`): a link out of the project is not followed. Folders above the project and the user's own
    file are the user's."""
    from slopguard.root import Refused, inside, project_root

    root = project_root(cwd.resolve()) if read is None else None
    files = [folder / ".npmrc" for folder in (cwd.resolve(), *cwd.resolve().parents)]
    home = env.get("HOME") or env.get("USERPROFILE")
    if home:
        files.append(Path(home) / ".npmrc")
    scopes: dict[str, str] = {}
    for npmrc in files:
        in_project = root and Path(root) in (npmrc.parent, *npmrc.parent.parents)
        if root and in_project and isinstance(inside(str(npmrc), None, root), Refused):
            continue
        text = read_disk(npmrc) if read is None else read(npmrc)
        if text is None:
            continue
        for line in text.splitlines():
            name, sep, url = line.strip().partition("=")
            scope, _, what = name.strip().partition(":")
            url = url.strip().strip("\"'")
            if sep and scope.startswith("@") and what.strip() == "registry" and url.startswith(("http://", "https://")):
                scopes.setdefault(scope, url.rstrip("/"))
    return tuple(sorted(scopes.items()))


def apply_env(settings: Settings, env: Mapping[str, str]) -> Settings:
    """The environment over the config file: only variables that are set count."""
    from slopguard.errors import UsageError

    changes: dict[str, Any] = {}
    if env.get("SLOPGUARD_PYPI_URL"):
        changes["pypi_url"] = env["SLOPGUARD_PYPI_URL"].rstrip("/")
    if env.get("SLOPGUARD_NPM_URL"):
        changes["npm_url"] = env["SLOPGUARD_NPM_URL"].rstrip("/")
    proxy = first_usable_goproxy(env.get("SLOPGUARD_GOPROXY")) or first_usable_goproxy(env.get("GOPROXY"))
    if proxy:
        changes["goproxy"] = proxy
    private = _split_patterns(env.get("GONOPROXY")) or _split_patterns(env.get("GOPRIVATE"))
    if private:
        changes["goprivate"] = tuple(dict.fromkeys(settings.goprivate + private))
    if env.get("SLOPGUARD_CACHE_DIR"):
        changes["cache_dir"] = default_cache_dir(env)
    if env.get("SLOPGUARD_SHARED_CACHE"):
        changes["shared_cache"] = Secret(env["SLOPGUARD_SHARED_CACHE"].strip())
    if env.get("SLOPGUARD_SHARED_KEY"):
        changes["shared_key"] = Secret(env["SLOPGUARD_SHARED_KEY"])
    if env.get("SLOPGUARD_OFFLINE"):
        changes["offline"] = env["SLOPGUARD_OFFLINE"].strip().lower() not in ("0", "false", "no", "")
    if env.get("SLOPGUARD_ON_UNKNOWN"):
        value = env["SLOPGUARD_ON_UNKNOWN"].strip().lower()
        if value not in _CHOICES["on_unknown"]:
            raise UsageError(f"SLOPGUARD_ON_UNKNOWN: expected warn, block or allow, got {value!r}")
        changes["on_unknown"] = value
    return with_changes(settings, **changes)
