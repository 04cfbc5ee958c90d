"""`slopguard.models` builds its frozen dataclasses without `exec` (hook start-up): they behave exactly as
`dataclasses.dataclass(frozen=True)` classes built from the same fields would."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from slopguard import models
from slopguard.config import Settings, default_cache_dir
from slopguard.hook.result import HookResult
from slopguard.models import (
    Ecosystem,
    Location,
    PackageRef,
    RefKind,
    RegistryRecord,
    Report,
    Source,
    SourceKind,
    Status,
    Verdict,
)

CLASSES = [
    c
    for c in vars(models).values()
    if isinstance(c, type) and c.__module__ == models.__name__ and "__match_args__" in vars(c)
] + [HookResult, Settings]


def _reference(cls: type) -> Any:
    """A real frozen dataclass with the same name, fields and defaults."""
    ns: dict[str, Any] = {"__annotations__": dict(cls.__annotations__), "__module__": cls.__module__}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not dataclasses.MISSING:
            ns[f.name] = dataclasses.field(default_factory=f.default_factory)
        elif f.default is not dataclasses.MISSING:
            ns[f.name] = f.default
    return dataclasses.dataclass(frozen=True)(type(cls.__name__, (), ns))


def _sample(cls: type) -> dict[str, Any]:
    """Values for every required field (and one optional one) of `cls`."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = f"value-{f.name}"
    return values


def test_every_dataclass_is_covered() -> None:
    names = {c.__name__ for c in CLASSES}
    assert names == {
        "Location", "Source", "PackageRef", "Problem", "Extraction", "Project", "LookupKey", "RegistryRecord",
        "Reason", "Finding", "SettingChange", "Report", "HookResult", "Settings",
    }  # fmt: skip


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_behaves_like_a_frozen_dataclass(cls: type) -> None:
    ref = _reference(cls)
    assert [(f.name, f.type, f.default) for f in dataclasses.fields(cls)] == [  # type: ignore[arg-type]
        (f.name, f.type, f.default) for f in dataclasses.fields(ref)
    ]
    assert dataclasses.is_dataclass(cls) and cls.__match_args__ == ref.__match_args__  # type: ignore[attr-defined]
    values = _sample(cls)
    mine, theirs = cls(**values), ref(**values)
    assert repr(mine) == repr(theirs)
    assert hash(mine) == hash(theirs)
    assert mine == cls(**values) and mine != theirs and (mine == theirs) is False
    assert mine.__eq__(theirs) is NotImplemented
    every = {n: getattr(mine, n) for n in ref.__match_args__}
    positional = cls(*every.values())
    assert positional == mine
    first = ref.__match_args__[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(mine, first, "other")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(mine, first)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mine.not_a_field = 1  # type: ignore[attr-defined]
    changed = dataclasses.replace(mine, **{first: "changed"})  # type: ignore[type-var]
    assert getattr(changed, first) == "changed" and changed != mine and type(changed) is cls
    assert pickle.loads(pickle.dumps(mine)) == mine
    with pytest.raises(TypeError):
        cls(**values, no_such_field=1)
    if values:
        with pytest.raises(TypeError):
            cls()


def test_real_values() -> None:
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    record = RegistryRecord(Ecosystem.PYPI, "requests", Status.EXISTS, fetched_at=when, version_count=3)
    assert dataclasses.replace(record, from_cache=True).from_cache and not record.from_cache
    assert {f.name for f in dataclasses.fields(RegistryRecord)} >= {"first_missing_at", "from_cache"}
    ref = PackageRef(Ecosystem.PYPI, "Requests", "requests", RefKind.INSTALL, Location("<command>", 1))
    assert {ref, dataclasses.replace(ref)} == {ref}
    assert Source("x", SourceKind.SHELL, "p").locate(2, 3) == Location("p", 2, 3, None)
    assert Report().verdict.value == "ok" and Report().inputs == ()
    match ref:
        case PackageRef(Ecosystem.PYPI, name):
            assert name == "Requests"


def test_settings_defaults_and_replace() -> None:
    assert Settings().cache_dir == default_cache_dir() and "cache_dir" not in vars(Settings)
    settings = Settings(pypi_url="http://127.0.0.1:1")
    assert settings.replace(npm_url=None, offline=True) == dataclasses.replace(settings, offline=True)
    assert [f.name for f in dataclasses.fields(Settings)][:3] == ["pypi_url", "npm_url", "goproxy"]
    with pytest.raises(TypeError):
        settings.replace(no_such_setting=1)
    with pytest.raises(TypeError):
        Settings("a", "b", "c", (), (), Path("x"), True, 1.0, 1.0, 1, 1.0, 1.0, 1.0, 1, False, Verdict.BLOCK,
                 "warn", (), (), 30.0, 3, 5.0, 2_000_000, (), (), "warn", "", "", "one too many")  # fmt: skip
    with pytest.raises(TypeError):
        Settings("http://a", pypi_url="http://b")


def test_importing_models_loads_neither_dataclasses_nor_typing() -> None:
    code = (
        "import sys, slopguard.models, slopguard.config, slopguard.hook.result, slopguard.check;"
        "print(sorted(m for m in ('dataclasses', 'typing') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
