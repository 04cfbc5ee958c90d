"""Settings a change under review cannot touch: config and `.npmrc` files read from the base commit (`git show`).

In the Action and in `slopguard scan --git BASE..HEAD`, the working tree holds the change being checked, so its
`.slopguard.toml`, `[tool.slopguard]` and `.npmrc` are the attacker's to write. `trusted_settings` reads every such
file that lies inside the repository from the BASE commit instead (files above the repository, the user's own
`~/.npmrc` and the environment are not part of the change and are read as ever):

- a file is read from BASE only when BASE holds it as a regular file of at most `MAX_CONFIG_BYTES` (a symlink, a
  folder or a bigger file there is a `UsageError`: the base is trusted, so a broken one is a mistake to report);
- an explicit `--config` / `config:` file inside the repository is read from BASE too. When BASE does not have
  it: if the change adds it (HEAD tracks it), it is ignored with a note (the config BASE has, if any, applies);
  if neither commit tracks it (a file an earlier workflow step wrote), it is read from disk, provided no part
  of its path is a symlink.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from slopguard.config import Settings, load_settings
from slopguard.errors import InputError, UsageError

MAX_CONFIG_BYTES = 1024 * 1024
"""Largest config or `.npmrc` file read from a commit."""
_TIMEOUT = 30
_REGULAR = ("100644", "100755")


def _git(root: Path, *args: str) -> bytes | None:
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_NO_REPLACE_OBJECTS": "1"}
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=_TIMEOUT, check=False, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def repository_root(cwd: Path) -> Path:
    """The top folder of the git repository holding `cwd`; `InputError` when there is none."""
    out = _git(cwd, "rev-parse", "--show-toplevel")
    if out is None:
        raise InputError(f"{cwd} is not inside a git repository (or git is not installed)")
    return Path(out.decode("utf-8", errors="surrogateescape").strip())


def commit_id(root: Path, rev: str) -> str:
    """The full id of commit `rev`; `InputError` when the repository does not have it (a shallow clone)."""
    if not rev or rev.startswith("-"):
        raise InputError(f"not a git revision: {rev!r}")
    out = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if out is None:
        raise InputError(f"the repository has no commit {rev!r} (a shallow clone? fetch it with `fetch-depth: 0`)")
    return out.decode("ascii", errors="replace").strip()


class CommitFiles:
    """Reads files as they are in commit `commit` of the repository at `root`, and files outside the repository
    from disk; the `read` that `load_settings` takes."""

    def __init__(self, root: Path, commit: str | None, *, in_repo: bool = True) -> None:
        self.root = root
        self.commit = commit
        """`None`: no commit can be trusted, so no file inside the repository is read at all."""
        self.in_repo = in_repo
        """Whether `root` is a git repository (else it is the scan's folder, with no history to ask)."""
        self._seen: dict[str, str | None] = {}

    def relative(self, path: Path) -> str | None:
        """`path` relative to the repository (`/`-separated), or `None` when it lies outside. Symlinks in the
        path are not followed: they are part of the change under review."""
        absolute = Path(os.path.abspath(path))
        try:
            rel = absolute.relative_to(self.root)
        except ValueError:
            return None
        return rel.as_posix() if rel.parts else None

    def entry(self, rel: str, commit: str | None = None) -> tuple[str, str, int] | None:
        """(mode, object id, size) of `rel` in `commit` (default: this reader's), or `None` when it has none."""
        commit = commit or self.commit
        if commit is None:
            return None
        out = _git(self.root, "ls-tree", "-z", "-l", "--full-tree", commit, "--", rel)
        if not out:
            return None
        meta, _, name = out.split(b"\0", 1)[0].partition(b"\t")
        fields = meta.split()
        if name.decode("utf-8", errors="surrogateescape") != rel or len(fields) != 4:
            return None
        size = int(fields[3]) if fields[3].isdigit() else -1
        return fields[0].decode("ascii", "replace"), fields[2].decode("ascii", "replace"), size

    def __call__(self, path: Path) -> str | None:
        rel = self.relative(path)
        if rel is None:
            from slopguard.config.files import read_disk

            return read_disk(path)
        if rel not in self._seen:
            self._seen[rel] = self._read(rel)
        return self._seen[rel]

    def _read(self, rel: str) -> str | None:
        found = self.entry(rel)
        if found is None:
            return None
        mode, sha, size = found
        where = f"{rel} in the base commit {(self.commit or '')[:12]}"
        if mode not in _REGULAR:
            raise UsageError(f"{where} is not a regular file (mode {mode}); slopguard does not follow it")
        if not 0 <= size <= MAX_CONFIG_BYTES:
            raise UsageError(f"{where} is larger than {MAX_CONFIG_BYTES:,} bytes")
        data = _git(self.root, "cat-file", "blob", sha)
        if data is None:
            raise UsageError(f"cannot read {where}")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{where} is not UTF-8 text") from None


def _explicit(files: CommitFiles, path: Path, head: str | None, notes: list[str]) -> tuple[Path | None, bool]:
    """Where an explicit config file is read from: (path, read from the commit?), or (None, _) to ignore it.

    A file inside the repository that the base commit lacks is ignored when the change (`head`, or the commit
    checked out) tracks it, or when there is no base commit to compare with at all."""
    rel = files.relative(path)
    if rel is None:
        return path, False
    if files.entry(rel) is not None:
        return path, True
    if not files.in_repo or any(files.entry(rel, commit) is not None for commit in (head, "HEAD") if commit):
        notes.append(
            f"config file {rel} is not in the base commit: a change under review cannot bring its own config, "
            "so the base commit's settings apply until it is merged"
        )
        return None, False
    if Path(os.path.realpath(path)) != Path(os.path.abspath(path)):
        raise UsageError(f"config file {rel} is not in the base commit and its path goes through a symlink")
    return path, False


def trusted_settings(
    cwd: Path,
    base: str | None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
    config_path: Path | None = None,
    *,
    head: str | None = None,
) -> tuple[Settings, list[str]]:
    """`load_settings` with every config and `.npmrc` file of the repository at `cwd` read from commit `base`,
    and notes to show the user (an explicit config the change itself adds is ignored). `head` is the commit under
    review, used only to tell such a file from one an earlier step wrote. `InputError` when `cwd` is not in a
    repository or `base` is not in it.

    With `base=None` no commit is trusted: no config or `.npmrc` file inside the repository (or inside `cwd`, when
    it is no repository) is read; the inputs, the environment and files outside still count.
    """
    cwd = Path(os.path.abspath(cwd))
    if base is None:
        try:
            files = CommitFiles(Path(os.path.realpath(repository_root(cwd))), None)
        except InputError:
            files = CommitFiles(Path(os.path.realpath(cwd)), None, in_repo=False)
    else:
        root = Path(os.path.realpath(repository_root(cwd)))
        files = CommitFiles(root, commit_id(root, base))
    head_id = None
    if head is not None and files.in_repo:
        try:
            head_id = commit_id(files.root, head)
        except InputError:
            head_id = None
    notes: list[str] = []
    if config_path is not None:
        absolute = Path(os.path.abspath(Path(os.path.realpath(cwd)) / config_path))
        chosen, from_commit = _explicit(files, absolute, head_id, notes)
        if chosen is None:
            return load_settings(Path(os.path.realpath(cwd)), env, overrides, None, files), notes
        if not from_commit:
            from slopguard.config.files import read_disk

            def read(path: Path) -> str | None:
                return read_disk(path) if path == chosen else files(path)

            return load_settings(Path(os.path.realpath(cwd)), env, overrides, chosen, read), notes
        config_path = chosen
    return load_settings(Path(os.path.realpath(cwd)), env, overrides, config_path, files), notes
