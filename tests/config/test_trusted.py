"""`config.trusted`: config and `.npmrc` files of the repository come from the base commit, never the work tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from slopguard.config.trusted import MAX_CONFIG_BYTES, trusted_settings
from slopguard.errors import InputError, UsageError

_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **_ENV}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _repo(tmp_path: Path, files: dict[str, str], links: dict[str, str] | None = None) -> tuple[Path, str]:
    repo = tmp_path / "outer" / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    for rel, target in (links or {}).items():
        (repo / rel).symlink_to(target)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    return repo, _git(repo, "rev-parse", "HEAD")


def _head(repo: Path, files: dict[str, str]) -> str:
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "head")
    return _git(repo, "rev-parse", "HEAD")


def test_discovery_and_npmrc_come_from_the_base_commit_in_a_subfolder(tmp_path: Path) -> None:
    repo, base = _repo(
        tmp_path,
        {
            "pyproject.toml": '[tool.slopguard]\ndeny = ["evil-*"]\n',
            "web/.npmrc": "@acme:registry=https://corp.example/npm/\n",
            "web/package.json": "{}\n",
        },
    )
    head = _head(
        repo,
        {
            "web/.slopguard.toml": '[allow]\n"*" = ["*"]\n',
            "pyproject.toml": "[tool.slopguard]\noffline = true\n",
            "web/.npmrc": "@acme:registry=http://attacker.example/\n@evil:registry=http://attacker.example/\n",
        },
    )
    settings, notes = trusted_settings(repo / "web", base, env={}, head=head)
    assert settings.deny == (("*", "evil-*"),) and settings.allow == () and not settings.offline
    assert settings.npm_scope_registries == (("@acme", "https://corp.example/npm"),)
    assert notes == []
    plain, _ = trusted_settings(repo / "web", head, env={}, head=head)  # the head as base: its config applies
    assert plain.allow == (("*", "*"),)


def test_files_above_the_repository_are_read_from_disk(tmp_path: Path) -> None:
    repo, base = _repo(tmp_path, {"README.md": "x\n"})
    (repo.parent / ".slopguard.toml").write_text("few-releases = 7\n", encoding="utf-8")
    settings, _ = trusted_settings(repo, base, env={})
    assert settings.few_releases == 7


def test_a_symlink_or_a_huge_file_in_the_base_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('offline = true\n[allow]\n"*" = ["*"]\n', encoding="utf-8")
    repo, base = _repo(tmp_path, {}, links={".slopguard.toml": str(secret)})
    with pytest.raises(UsageError, match="not a regular file"):
        trusted_settings(repo, base, env={})
    big, big_base = _repo(tmp_path / "big", {".npmrc": "#" * (MAX_CONFIG_BYTES + 1)})
    with pytest.raises(UsageError, match="larger than"):
        trusted_settings(big, big_base, env={})


def test_explicit_config_paths(tmp_path: Path) -> None:
    repo, base = _repo(tmp_path, {"ci/slopguard.toml": "few-releases = 5\n"})
    head = _head(repo, {"ci/slopguard.toml": '[allow]\n"*" = ["*"]\n', "ci/new.toml": "offline = true\n"})
    settings, notes = trusted_settings(repo, base, env={}, config_path=Path("ci/slopguard.toml"), head=head)
    assert settings.few_releases == 5 and settings.allow == () and notes == []

    added, notes = trusted_settings(repo, base, env={}, config_path=Path("ci/new.toml"), head=head)
    assert not added.offline and len(notes) == 1 and "ci/new.toml is not in the base commit" in notes[0]

    (repo / "generated.toml").write_text("few-releases = 9\n", encoding="utf-8")  # an earlier step wrote it
    generated, notes = trusted_settings(repo, base, env={}, config_path=Path("generated.toml"), head=head)
    assert generated.few_releases == 9 and notes == []

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.toml").write_text("few-releases = 11\n", encoding="utf-8")
    (repo / "linked").symlink_to(outside)  # not tracked anywhere, but the path leaves through a symlink
    with pytest.raises(UsageError, match="symlink"):
        trusted_settings(repo, base, env={}, config_path=Path("linked/x.toml"), head=head)
    absolute, _ = trusted_settings(repo, base, env={}, config_path=outside / "x.toml", head=head)
    assert absolute.few_releases == 11  # outside the repository: not part of the change


def test_a_missing_base_or_repository_is_an_input_error(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, {"README.md": "x\n"})
    with pytest.raises(InputError, match="no commit"):
        trusted_settings(repo, "1" * 40, env={})
    with pytest.raises(InputError):
        trusted_settings(repo, "--output=/tmp/x", env={})
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(InputError, match="not inside a git repository"):
        trusted_settings(plain, "HEAD", env={})


def test_without_a_base_commit_no_repository_file_is_read(tmp_path: Path) -> None:
    repo, _ = _repo(tmp_path, {".slopguard.toml": "offline = true\n", "ci/guard.toml": "offline = true\n"})
    (repo / ".npmrc").write_text("@acme:registry=http://attacker.example/\n", encoding="utf-8")
    settings, notes = trusted_settings(repo, None, env={})
    assert not settings.offline and settings.npm_scope_registries == () and notes == []
    tracked, notes = trusted_settings(repo, None, env={}, config_path=Path("ci/guard.toml"))
    assert not tracked.offline and len(notes) == 1  # the checked-out commit tracks it: it is the change's
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / ".slopguard.toml").write_text("offline = true\n", encoding="utf-8")
    outside, notes = trusted_settings(plain, None, env={}, config_path=Path(".slopguard.toml"))
    assert not outside.offline and len(notes) == 1  # no history to ask: nothing inside the folder is trusted


def test_on_setting_change_decides_the_verdict_of_changed_setting_lines(tmp_path: Path) -> None:
    from slopguard.check import setting_changes
    from slopguard.config import load_settings
    from slopguard.models import Location, SettingChange, Verdict

    (tmp_path / ".slopguard.toml").write_text('on-setting-change = "block"\n', encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    change = SettingChange("index-changed", Location(".npmrc", 1), "Sets registry", "registry=x")
    assert change.verdict is Verdict.WARN
    decided = setting_changes([change, change], settings)
    assert [(c.code, c.verdict) for c in decided] == [("index-changed", Verdict.BLOCK)]
    (tmp_path / ".slopguard.toml").write_text('on-setting-change = "allow"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="on-setting-change"):
        load_settings(tmp_path, env={})
