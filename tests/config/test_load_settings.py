"""Config loading: pyproject / .slopguard.toml found upward, then env, then flags; `.npmrc` scopes; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard.config import Settings, list_match, load_settings
from slopguard.errors import UsageError
from slopguard.models import Ecosystem, Verdict

PYPROJECT = """
[project]
name = "demo"

[tool.slopguard]
on-unknown = "block"
fail-on = "warn"
new-package-days = 14
few-releases = 2
offline = false
cache-ttl = { exists = 3600, not-found = 60 }

[tool.slopguard.allow]
pypi = ["mycorp-*", "Internal_Tool"]
npm = ["@mycorp/*"]
go = ["github.com/mycorp/*"]

[tool.slopguard.deny]
pypi = ["evil-*"]

[tool.slopguard.registries]
pypi = "https://pypi.mycorp.example/"
"@mycorp" = "https://npm.mycorp.example"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_found_upward(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    deep = tmp_path / "src" / "pkg"
    deep.mkdir(parents=True)
    s = load_settings(deep, env={})
    assert s.on_unknown == "block" and s.fail_on is Verdict.WARN
    assert s.new_package_days == 14.0 and s.few_releases == 2
    assert (s.ttl_exists, s.ttl_not_found) == (3600.0, 60.0)
    assert ("pypi", "mycorp-*") in s.allow and ("npm", "@mycorp/*") in s.allow and ("pypi", "evil-*") in s.deny
    assert s.pypi_url == "https://pypi.mycorp.example"
    assert s.npm_scope_registries == (("@mycorp", "https://npm.mycorp.example"),)
    assert list_match(s.allow, Ecosystem.PYPI, "mycorp-billing") == "mycorp-*"
    assert list_match(s.allow, Ecosystem.PYPI, "internal-tool") == "Internal_Tool"
    assert list_match(s.allow, Ecosystem.GO, "github.com/mycorp/x/cmd/y") == "github.com/mycorp/*"
    assert list_match(s.allow, Ecosystem.NPM, "@other/x") is None


def test_slopguard_toml_wins_over_pyproject_without_table(tmp_path: Path) -> None:
    write(tmp_path / ".slopguard.toml", 'on-unknown = "allow"\n[allow]\nnpm = ["left-pad"]\n')
    write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\n')
    s = load_settings(tmp_path / "app", env={})
    assert s.on_unknown == "allow" and s.allow == (("npm", "left-pad"),)


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    s = load_settings(tmp_path, env={})
    d = Settings()
    assert (s.on_unknown, s.allow, s.fail_on, s.pypi_url) == (d.on_unknown, d.allow, d.fail_on, d.pypi_url)


def test_env_over_file_and_flags_over_env(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    env = {"SLOPGUARD_PYPI_URL": "https://env.example/", "SLOPGUARD_ON_UNKNOWN": "warn", "GOPRIVATE": "corp.example/*"}
    s = load_settings(tmp_path, env=env)
    assert s.pypi_url == "https://env.example" and s.on_unknown == "warn" and s.goprivate == ("corp.example/*",)
    s = load_settings(tmp_path, env=env, overrides={"pypi_url": "https://flag.example", "offline": None})
    assert s.pypi_url == "https://flag.example" and s.offline is False and s.on_unknown == "warn"


def test_explicit_config_path(tmp_path: Path) -> None:
    cfg = write(tmp_path / "elsewhere" / "custom.toml", "few-releases = 5\n")
    s = load_settings(tmp_path, env={}, config_path=cfg)
    assert s.few_releases == 5
    with pytest.raises(UsageError, match="missing.toml"):
        load_settings(tmp_path, env={}, config_path=tmp_path / "missing.toml")


def test_npmrc_scopes_found_upward(tmp_path: Path) -> None:
    write(tmp_path / ".npmrc", "@corp:registry=https://npm.corp.example/\nregistry=https://ignored.example\n")
    write(tmp_path / "web" / ".npmrc", "@web:registry = https://web.example\n; comment\n")
    s = load_settings(tmp_path / "web", env={})
    assert dict(s.npm_scope_registries) == {"@corp": "https://npm.corp.example", "@web": "https://web.example"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('on-unknown = "maybe"', "on-unknown"),
        ('few-releases = "three"', "few-releases"),
        ("new-package-days = -1", "new-package-days"),
        ('fail-on = "ok"', "fail-on"),
        ("offline = 1", "offline"),
        ("colour = true", "colour"),
        ('[allow]\nrubygems = ["x"]', "allow.rubygems"),
        ("[allow]\npypi = [1]", "allow.pypi"),
        ('[registries]\npypi = "ftp://x"', "registries.pypi"),
        ('[registries]\ncargo = "https://x"', "registries.cargo"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    cfg = write(tmp_path / ".slopguard.toml", text + "\n")
    with pytest.raises(UsageError) as info:
        load_settings(tmp_path, env={})
    assert str(cfg) in str(info.value) and f"'{key}'" in str(info.value)


def test_bad_toml_and_bad_pyproject_table(tmp_path: Path) -> None:
    write(tmp_path / ".slopguard.toml", "on-unknown = \n")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_settings(tmp_path, env={})
    other = tmp_path / "other"
    write(other / "pyproject.toml", "[tool.slopguard]\nthreshold = 3\n")
    with pytest.raises(UsageError, match=r"\[tool.slopguard\] key 'threshold'"):
        load_settings(other, env={})


def test_bad_env_and_unknown_override(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="SLOPGUARD_ON_UNKNOWN"):
        load_settings(tmp_path, env={"SLOPGUARD_ON_UNKNOWN": "sometimes"})
    with pytest.raises(UsageError, match="no_such_flag"):
        load_settings(tmp_path, env={}, overrides={"no_such_flag": 1})
