"""`--git BASE..HEAD`: the diff built by git itself, with post-images from the work tree or `git show`."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from slopguard.errors import InputError
from slopguard.inputs.diff import PostImage, diff_sources, read_work_tree
from slopguard.inputs.text import MAX_FILE, decode_file, decode_lines
from slopguard.models import Problem, SettingChange, Source
from slopguard.root import project_root, with_root

_REV = re.compile(r"^[A-Za-z0-9_./@{}^~:+-]*$")


def split_range(rev_range: str) -> tuple[str, str, str]:
    """(base, separator, head) of `A..B`, `A...B` or a single `A` (meaning `A..HEAD`); head defaults to HEAD."""
    sep = "..." if "..." in rev_range else ".."
    base, found, head = rev_range.partition(sep)
    if not found:
        base, head = rev_range, ""
    base, head = base.strip(), head.strip() or "HEAD"
    for rev in (base, head):
        if not rev or rev.startswith("-") or not _REV.match(rev):
            raise InputError(f"not a git revision range: {rev_range!r}")
    return base, sep, head


def same_commit(rev_range: str, cwd: Path) -> str | None:
    """The commit when both ends of `rev_range` name the same one (`HEAD`, `HEAD..HEAD`, `main` on main): a
    range with nothing in it. `None` otherwise, or when git cannot tell (the scan then says why)."""
    try:
        base, _, head = split_range(rev_range)
    except InputError:
        return None
    shas = [_git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}") for rev in (base, head)]
    return shas[0] if shas[0] is not None and shas[0] == shas[1] else None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", errors="replace").strip() if done.returncode == 0 else None


def _show(cwd: Path, head: str) -> PostImage:
    def post_image(rel: str) -> str | None:
        if not rel or rel.startswith("-"):
            return None
        try:
            done = subprocess.run(
                ["git", "show", "--no-textconv", f"{head}:{rel}"], cwd=cwd, capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0 or len(done.stdout) > MAX_FILE:
            return None
        text = decode_file(done.stdout, rel)
        return text if isinstance(text, str) else None

    return post_image


def read_git(rev_range: str, cwd: Path) -> Iterator[Source | Problem | SettingChange]:
    """Sources of the lines added between two revisions of the repository at `cwd` (paths relative to its top).

    Raises `InputError` when a revision or (for `A...B`) their merge base is missing, or `git diff` fails, even
    after some files were read: a range read in part is not a range read.
    """
    base, sep, head = split_range(rev_range)
    top = _git(cwd, "rev-parse", "--show-toplevel")
    if top is None:
        raise InputError(f"{cwd} is not inside a git repository (or git is not installed)")
    root = Path(top)
    head_sha = _git(root, "rev-parse", "--verify", "--quiet", f"{head}^{{commit}}")
    if head_sha is None or _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        raise InputError(f"unknown revision in {rev_range!r}")
    if sep == "..." and _git(root, "merge-base", base, head_sha) is None:
        raise InputError(
            f"no merge base of {base} and {head} in this repository (a shallow clone? fetch the history, e.g. "
            "with `fetch-depth: 0`)"
        )
    checked_out = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") == head_sha
    post_image = read_work_tree(root) if checked_out else _show(root, head_sha)
    argv = [
        "git",
        "-c",
        "core.quotePath=true",
        "diff",
        "--no-ext-diff",
        "--no-color",
        "--no-textconv",
        "-M",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        f"{base}{sep}{head}",
        "--",
    ]
    try:
        proc = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise InputError(f"cannot run git: {exc}") from exc
    label = f"git:{rev_range}"
    assert proc.stdout is not None and proc.stderr is not None
    top_root = project_root(root.resolve())  # files the changes name are read only inside the repository
    try:
        for item in diff_sources(decode_lines(cast(BinaryIO, proc.stdout), label), post_image):
            yield with_root(item, top_root)
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", errors="replace").strip()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:  # what was read is incomplete: the range counts as not read, never as clean
        raise InputError(f"git diff failed: {err or code}")


def head_files(rev_range: str, cwd: Path) -> tuple[str, list[str] | None, PostImage] | None:
    """The project the head of `rev_range` holds: (repository top, the head commit's file paths or `None` when it is
    checked out (read the work tree), a reader of its files); `None` when git cannot tell."""
    try:
        _, _, head = split_range(rev_range)
    except InputError:
        return None
    top = _git(cwd, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top)
    head_sha = _git(root, "rev-parse", "--verify", "--quiet", f"{head}^{{commit}}")
    if head_sha is None:
        return None
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") == head_sha:
        return str(root), None, read_work_tree(root)
    listing = _git(root, "-c", "core.quotePath=true", "ls-tree", "-r", "--name-only", head_sha)
    if listing is None:
        return None
    paths = [p for p in listing.split("\n") if p and not p.startswith('"')]  # quoted: odd names, never manifests
    return str(root), paths, _show(root, head_sha)
