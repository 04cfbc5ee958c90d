"""`inputs.changed_settings`: which diff lines change slopguard's settings or a package index, and where they are."""

from __future__ import annotations

import time

import pytest

from slopguard.inputs.changed_settings import mask
from slopguard.inputs.diff import diff_sources
from slopguard.models import SettingChange


def _diff(path: str, hunks: list[tuple[int, int, list[str]]], *, old: str | None = None, new_file: bool = False) -> str:
    """A git diff of `path` with hunks given as (old start, new start, lines with their ' '/'+'/'-' tag)."""
    src = "/dev/null" if new_file else f"a/{old or path}"
    out = [f"diff --git a/{old or path} b/{path}", f"--- {src}", f"+++ b/{path}"]
    for old_start, new_start, lines in hunks:
        old_n = sum(1 for line in lines if line[0] != "+")
        new_n = sum(1 for line in lines if line[0] != "-")
        out.append(f"@@ -{old_start},{old_n} +{new_start},{new_n} @@")
        out.extend(lines)
    return "\n".join(out) + "\n"


def _changes(diff: str, files: dict[str, str] | None = None) -> list[tuple[str, int | None, str]]:
    lines = list(enumerate(diff.splitlines(), 1))
    post = (lambda rel: (files or {}).get(rel)) if files is not None else None
    found = [c for c in diff_sources(lines, post) if isinstance(c, SettingChange)]
    return [(c.location.path, c.location.line, c.code) for c in found]


PYPROJECT = """[project]
name = "demo"

[tool.slopguard.registries]
npm = "https://npm.example"
pypi = "http://attacker.example"

[tool.ruff]
line-length = 100
"""


def test_a_key_in_a_slopguard_table_is_found_from_the_file_after_the_change() -> None:
    diff = _diff("pyproject.toml", [(5, 5, [' npm = "https://npm.example"', '+pypi = "http://attacker.example"', " "])])
    assert _changes(diff, {"pyproject.toml": PYPROJECT}) == [("pyproject.toml", 6, "config-changed")]
    ruff = _diff("pyproject.toml", [(9, 9, ["+line-length = 100"])])
    assert _changes(ruff, {"pyproject.toml": PYPROJECT}) == []


def test_without_the_file_the_hunk_tells_the_table_or_nothing_is_claimed() -> None:
    seen = _diff("pyproject.toml", [(3, 3, [" [tool.slopguard]", "+offline = true"])])
    assert _changes(seen) == [("pyproject.toml", 4, "config-changed")]
    unseen = _diff("pyproject.toml", [(40, 40, [" x = 1", "+pypi = 'http://a'"])])
    assert _changes(unseen) == []  # the table is not known: no guess
    dotted = _diff("pyproject.toml", [(40, 40, [" x = 1", "+tool.slopguard.offline = true"])])
    assert _changes(dotted) == [("pyproject.toml", 41, "config-changed")]  # most likely a root key: claimed
    own = _diff(".slopguard.toml", [(40, 40, [" x = 1", '+"*" = ["*"]'])])
    assert _changes(own) == [(".slopguard.toml", 41, "config-changed")]  # every line of its own file counts


def test_removed_lines_count_at_the_line_that_took_their_place() -> None:
    text = '[tool.slopguard]\nallow = ["mycorp-*"]\n'
    diff = _diff("pyproject.toml", [(1, 1, [" [tool.slopguard]", '-deny = ["evil-*"]', ' allow = ["mycorp-*"]'])])
    assert _changes(diff, {"pyproject.toml": text}) == [("pyproject.toml", 2, "config-changed")]


def test_multi_line_values_and_index_tables() -> None:
    text = '[tool.uv]\nextra-index-url = [\n  "https://a.example",\n  "https://b.example",\n]\n\n[[tool.uv.index]]\n'
    text += 'name = "corp"\nurl = "https://corp.example/simple"\n\n[[tool.poetry.source]]\nurl = "https://p.example"\n'
    diff = _diff(
        "pyproject.toml",
        [
            (3, 3, ['   "https://a.example",', '+  "https://b.example",', " ]"]),
            (8, 9, ['+url = "https://corp.example/simple"']),
        ],
    )
    assert _changes(diff, {"pyproject.toml": text}) == [
        ("pyproject.toml", 4, "index-changed"),
        ("pyproject.toml", 9, "index-changed"),
    ]
    poetry = _diff("pyproject.toml", [(12, 12, ['+url = "https://p.example"'])])
    assert _changes(poetry, {"pyproject.toml": text}) == [("pyproject.toml", 12, "index-changed")]


@pytest.mark.parametrize(
    ("path", "line", "flagged"),
    [
        (".npmrc", "registry=https://r.example/", True),
        (".npmrc", "@acme:registry = http://10.0.0.5:8080/", True),
        (".npmrc", "//r.example/:_authToken=${TOKEN}", False),
        (".npmrc", "# registry=https://r.example/", False),
        (".yarnrc.yml", 'npmRegistryServer: "https://r.example"', True),
        (".yarnrc", 'registry "https://r.example"', True),
        ("requirements.txt", "-i https://mirror.example/simple", True),
        ("requirements.txt", "-ihttps://mirror.example/simple", True),
        ("requirements.txt", "--index-url=https://mirror.example/simple", True),
        ("requirements/dev.txt", "--extra-index-url https://x.example/simple", True),
        ("requirements.txt", "--find-links ./wheels", True),
        ("requirements.txt", "-r other.txt", False),
        ("requirements.txt", "-e .", False),
        ("requirements.txt", "index-url-helper==1.0", False),
        ("pip.conf", "index-url = https://mirror.example/simple", True),
        ("pip.ini", "timeout = 60", False),
        ("uv.toml", 'extra-index-url = ["https://x.example"]', True),
        ("Pipfile", 'url = "https://x.example/simple"', False),  # a key of an unknown table (no header in sight)
        ("bunfig.toml", 'install.registry = "https://r.example"', True),
        ("setup.cfg", "index-url = https://x.example", False),
    ],
)
def test_line_oriented_files(path: str, line: str, flagged: bool) -> None:
    diff = _diff(path, [(1, 1, ["+" + line])], new_file=True)
    assert _changes(diff) == ([(path, 1, "index-changed")] if flagged else [])


def test_pip_conf_continuation_lines_belong_to_their_key() -> None:
    diff = _diff(
        "pip.conf", [(1, 1, [" [global]", " extra-index-url =", "     https://a.example", "+    https://b.example"])]
    )
    assert _changes(diff) == [("pip.conf", 4, "index-changed")]


def test_deleted_and_renamed_settings_files() -> None:
    deleted = "diff --git a/.npmrc b/.npmrc\ndeleted file mode 100644\n--- a/.npmrc\n+++ /dev/null\n"
    deleted += "@@ -1 +0,0 @@\n-@acme:registry=https://corp.example/\n"
    assert _changes(deleted) == [(".npmrc", None, "index-changed")]
    renamed_away = "diff --git a/.slopguard.toml b/old.toml\nsimilarity index 100%\n"
    renamed_away += "rename from .slopguard.toml\nrename to old.toml\n"
    assert _changes(renamed_away) == [(".slopguard.toml", None, "config-changed")]
    renamed_in = "diff --git a/notes.txt b/.npmrc\nsimilarity index 100%\nrename from notes.txt\nrename to .npmrc\n"
    assert _changes(renamed_in, {".npmrc": "color=false\nregistry=http://evil.example/\n"}) == [
        (".npmrc", 2, "index-changed")
    ]


def test_evidence_masks_credentials_and_is_short() -> None:
    assert mask("--index-url https://user:p@ss@host.example/simple") == "--index-url https://***@host.example/simple"
    assert mask("registry=https://r.example/") == "registry=https://r.example/"
    cut = mask("x" * 150 + " https://__token__:pypi-AgEIcHlwaS5vcmc@upload.example/")
    assert "AgEI" not in cut and "__token__" not in cut and cut.endswith("…") and len(cut) < 200
    diff = _diff("requirements.txt", [(1, 1, ["+--extra-index-url https://u:secret@evil.example/simple"])])
    found = [c for c in diff_sources(enumerate(diff.splitlines(), 1)) if isinstance(c, SettingChange)]
    assert [c.evidence for c in found] == ["--extra-index-url https://***@evil.example/simple"]
    assert "secret" not in found[0].message


@pytest.mark.parametrize(
    "line",
    ["[" * 1_000_000, '"""' + "a" * 1_000_000, "k = " + '"\\' * 500_000, "a." * 500_000 + "b = 1", "=" * 1_000_000],
)
def test_hostile_lines_take_linear_time(line: str) -> None:
    diff = _diff("pyproject.toml", [(1, 1, [" [tool.slopguard]", "+" + line, "+" + line])])
    start = time.perf_counter()
    lines = list(enumerate(diff.splitlines(), 1))
    text = f"[tool.slopguard]\n{line}\n{line}\n"
    found = [c for c in diff_sources(lines, lambda rel: text) if isinstance(c, SettingChange)]
    assert time.perf_counter() - start < 5.0
    assert all(len(c.message) < 400 and len(c.evidence) < 200 for c in found)


def test_a_flood_of_setting_lines_is_reported_once_per_line_up_to_a_cap() -> None:
    lines = [f"+@s{i}:registry=https://r{i}.example/" for i in range(1000)]
    found = _changes(_diff(".npmrc", [(1, 1, lines)], new_file=True))
    assert len(found) == 21 and found[-1] == (".npmrc", 21, "index-changed")
    text = list(diff_sources(enumerate(_diff(".npmrc", [(1, 1, lines)]).splitlines(), 1)))
    assert isinstance(text[-1], SettingChange) and text[-1].message.startswith("980 more lines")
