"""A diff's lines in files that configure slopguard or a package index -> `SettingChange`s (`config-changed`,
`index-changed`).

slopguard never takes its settings, registries or index options from a change under review (the Action and
`scan --git` read them from the base commit). What a diff changes in them is reported instead, at the line,
so a reviewer sees a pull request that widens the allow list or points `@scope:registry` elsewhere:

- `config-changed`: `.slopguard.toml` (any `*slopguard*.toml`), `[tool.slopguard]` of a `pyproject.toml`.
- `index-changed`: `.npmrc` `registry` / `@scope:registry` / `replace-registry-host`, `.yarnrc(.yml)` registries,
  `pip.conf` / `pip.ini` index keys, requirements `-i` / `--index-url` / `--extra-index-url` / `-f` /
  `--find-links` / `--trusted-host` / `--no-index` lines, `[[tool.uv.index]]` and uv's index keys (`pyproject.toml`,
  `uv.toml`), `[[tool.poetry.source]]`, `[[tool.pdm.source]]`, Pipfile `[[source]]`, `bunfig.toml` registries.

Added and removed lines both count (removing a `deny` entry is a change too); a removed line is placed at the
line that now stands where it was. A deleted or renamed-away settings file gives one file-level change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from slopguard.filetypes import manifest_format
from slopguard.inputs.diff import FileDiff, Hunk
from slopguard.inputs.toml_lines import Path, TomlState, norm, states_before, step
from slopguard.models import Location, SettingChange

CONFIG_CHANGED = "config-changed"
INDEX_CHANGED = "index-changed"
EVIDENCE_CHARS = 160
MAX_PER_FILE = 20
"""Changed setting lines reported one by one per file; the rest are counted in one more change."""

_TOML_KINDS = frozenset({"slopguard", "pyproject", "uv", "pipfile", "bunfig"})
_UV_INDEX = frozenset({"index", "index-url", "extra-index-url", "default-index", "find-links", "no-index"})
_PIP_KEYS = frozenset({"index-url", "extra-index-url", "find-links", "trusted-host", "no-index", "index"})
_REQ_OPTIONS = frozenset(
    {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--no-index"}
)
_YARN_KEYS = frozenset({"npmregistryserver", "npmscopes"})


def file_kind(path: str | None) -> str | None:
    """Which kind of settings file `path` is (`slopguard`, `pyproject`, `npmrc`, ...), or `None`."""
    if not path:
        return None
    base = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base.endswith(".toml") and "slopguard" in base:
        return "slopguard"
    kinds = {
        "pyproject.toml": "pyproject",
        "uv.toml": "uv",
        "pipfile": "pipfile",
        "bunfig.toml": "bunfig",
        ".npmrc": "npmrc",
        ".yarnrc.yml": "yarnrc-yml",
        ".yarnrc.yaml": "yarnrc-yml",
        ".yarnrc": "yarnrc",
        "pip.conf": "pip-conf",
        "pip.ini": "pip-conf",
    }
    if base in kinds:
        return kinds[base]
    return "requirements" if manifest_format(path) in ("requirements", "constraints") else None


def watched(change: FileDiff) -> bool:
    """Whether `change` touches a file whose settings slopguard watches (cheap: names only)."""
    return file_kind(change.new_path) is not None or file_kind(change.old_path) is not None


def _toml_rule(kind: str, path: Path) -> str | None:
    """The code for a TOML key `path` of a file of `kind`, or `None` when it is no setting slopguard watches."""
    if kind == "slopguard":
        return CONFIG_CHANGED
    if kind == "pyproject":
        if path[:2] == ("tool", "slopguard"):
            return CONFIG_CHANGED
        if path[:2] == ("tool", "uv"):
            path, kind = path[2:], "uv"
        elif path[:3] in (("tool", "poetry", "source"), ("tool", "pdm", "source")):
            return INDEX_CHANGED
    if kind == "uv":
        if path[:1] == ("pip",):
            path = path[1:]
        return INDEX_CHANGED if path[:1] and path[0] in _UV_INDEX else None
    if kind == "pipfile":
        return INDEX_CHANGED if path[:1] == ("source",) else None
    if kind == "bunfig":
        return INDEX_CHANGED if path[:2] in (("install", "registry"), ("install", "scopes")) else None
    return None


def _key_before(text: str, separators: str) -> str:
    stripped = text.strip()
    cut = min((i for i in (stripped.find(s) for s in separators) if i >= 0), default=len(stripped))
    return stripped[:cut].strip().strip("\"'")


def _line_rule(kind: str) -> Callable[[str], tuple[str, str] | None]:
    """(code, key) for one line of a line-oriented settings file of `kind` (`npmrc`, `requirements`, ...)."""

    def npmrc(text: str) -> tuple[str, str] | None:
        if text.lstrip().startswith(("#", ";")):
            return None
        key = _key_before(text, "=")
        wanted = key == "registry" or key.endswith(":registry") or key == "replace-registry-host"
        return (INDEX_CHANGED, key) if wanted else None

    def yarnrc(text: str) -> tuple[str, str] | None:
        key = _key_before(text, " \t") if kind == "yarnrc" else _key_before(text, ":")
        if kind == "yarnrc":
            wanted = key == "registry" or key.endswith(":registry")
        else:
            wanted = key.lower() in _YARN_KEYS
        return (INDEX_CHANGED, key) if wanted and not text.lstrip().startswith("#") else None

    def requirements(text: str) -> tuple[str, str] | None:
        word = text.strip().split(maxsplit=1)[0] if text.strip() else ""
        option = word.split("=", 1)[0]
        if option not in _REQ_OPTIONS and word[:2] in ("-i", "-f") and not word.startswith("--"):
            option = word[:2]  # -iURL, -fURL
        return (INDEX_CHANGED, option) if option in _REQ_OPTIONS else None

    return {"npmrc": npmrc, "yarnrc": yarnrc, "yarnrc-yml": yarnrc, "requirements": requirements}[kind]


def mask(text: str) -> str:
    """`text` cut to `EVIDENCE_CHARS`, with the user:password of every URL in it masked (`https://***@host`); an
    authority cut short by the length limit is masked too, so no part of a credential is shown."""
    text = text.strip()
    cut = text[:EVIDENCE_CHARS]
    truncated = len(text) > EVIDENCE_CHARS
    out: list[str] = []
    i = 0
    while (at := cut.find("://", i)) >= 0:
        start = end = at + 3
        while end < len(cut) and cut[end] not in "/ \t\"'":
            end += 1
        out.append(cut[i:start])
        user = cut.rfind("@", start, end)
        if user >= 0:
            out.append("***")
            i = user
        elif end == len(cut) and truncated:
            out.append("***")
            i = end
        else:
            i = start
    out.append(cut[i:])
    return "".join(out) + ("…" if truncated else "")


def _message(code: str, verb: str, key: str) -> str:
    key = key if len(key) <= 80 else key[:79] + "…"  # a key is text from the change: keep messages short
    if code == CONFIG_CHANGED:
        return (
            f"{verb} slopguard setting {key}: a change under review never configures slopguard (its settings come "
            "from the base commit). Review it before merging."
        )
    return (
        f"{verb} package index setting {key}: an index or registry named by a change under review is never asked. "
        "Check that it is one you trust before merging."
    )


_VERB = {"+": "Sets", "-": "Removes"}
_PUNCTUATION = frozenset("[]{}(),")


def _classify_hunk(kind: str, hunk: Hunk, start: TomlState) -> Iterator[tuple[str, str, int, str, str]]:
    """(tag, text, new-file line, code, key) of each added or removed line of `hunk` that is a watched setting."""
    post, pre = start, start
    line_rule = None if kind in _TOML_KINDS or kind == "pip-conf" else _line_rule(kind)
    ini_key: str | None = None
    number = hunk.new_start
    for tag, text in hunk.lines:
        hit: tuple[str, str] | None = None
        if line_rule is not None:
            hit = line_rule(text)
        elif kind == "pip-conf":
            hit, ini_key = _ini(text, ini_key)
        else:
            state = pre if tag == "-" else post
            after, what = step(state, text)
            if tag != "+":
                pre = after
            if tag != "-":
                post = after
            closing = what.kind == "value" and set(text.strip()) <= _PUNCTUATION
            if what.kind in ("key", "value") and not closing and (what.path is not None or kind == "slopguard"):
                code = _toml_rule(kind, what.path or ())
                hit = (code, ".".join(what.path or ()) or "a setting") if code else None
        if hit is not None and tag in _VERB:
            yield tag, text, number, hit[0], hit[1]
        if tag != "-":
            number += 1


def _ini(text: str, last: str | None) -> tuple[tuple[str, str] | None, str | None]:
    """pip.conf: (code, key) of `text` and the key a following indented line continues."""
    stripped = text.strip()
    if not stripped or stripped.startswith(("#", ";")):
        return None, last
    if stripped.startswith("["):
        return None, None
    if text[:1] in " \t" and last is not None:
        key = last
    else:
        key = norm(_key_before(stripped, "=:"))
    return ((INDEX_CHANGED, key) if key in _PIP_KEYS else None), key


def setting_changes(change: FileDiff, post_lines: list[str] | None) -> Iterator[SettingChange]:
    """The `SettingChange`s of one changed file; `post_lines` is its full text after the change, when known."""
    old_kind, new_kind = file_kind(change.old_path), None if change.deleted else file_kind(change.new_path)
    kind = new_kind or old_kind
    if kind is None or change.binary:
        return
    gone = new_kind is None  # deleted, or renamed to a name no tool reads
    path = (change.old_path if gone else change.new_path) or ""
    hunks = change.hunks
    renamed = change.old_path is not None and change.new_path is not None and change.old_path != change.new_path
    if not gone and renamed and old_kind != new_kind and post_lines is not None:
        hunks = [Hunk(1, [("+", text) for text in post_lines])]  # renamed into place: every line is new
    states = states_before(post_lines) if post_lines is not None and kind in _TOML_KINDS else None
    seen: set[tuple[str, int | None]] = set()
    more: tuple[str, int | None, int] | None = None  # (code, line, count) of the lines past MAX_PER_FILE
    for hunk in hunks:
        start = TomlState(table=None)
        if states is not None and 0 < hunk.new_start <= len(states):
            start = states[hunk.new_start - 1]
        elif hunk.new_start <= 1:
            start = TomlState()
        for tag, text, number, code, key in _classify_hunk(kind, hunk, start):
            line = None if gone or number < 1 else number
            if post_lines is not None and line is not None:
                line = min(line, max(1, len(post_lines)))
            if (code, line) in seen:
                continue
            seen.add((code, line))
            if len(seen) > MAX_PER_FILE:
                more = more or (code, line, 0)
                more = (more[0], more[1], more[2] + 1)
                continue
            verb = "Deletes a file with" if gone else _VERB[tag]
            yield SettingChange(code, Location(path, line), _message(code, verb, key), mask(text))
    if more is not None:
        text = f"{more[2]} more lines of this file change settings ({more[0]}); review the whole file."
        yield SettingChange(more[0], Location(path, more[1]), text, "")
    if (
        not seen
        and (gone or (renamed and old_kind != new_kind))
        and kind in ("slopguard", "npmrc", "yarnrc", "yarnrc-yml", "pip-conf")
    ):
        code = CONFIG_CHANGED if kind == "slopguard" else INDEX_CHANGED
        verb = "Deletes or renames a file with" if gone else "Renames a file into place as"
        yield SettingChange(code, Location(path), _message(code, verb, path), "")
