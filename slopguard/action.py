"""The GitHub Action's run step (`python -m slopguard.action`): inputs from env, one scan, reports, outputs, exit code.

`action.yml` passes every input through `env:` as `INPUT_<NAME>` (`INPUT_FAIL_ON`, `INPUT_SARIF_FILE`, ...), never
inside the script text. With no `paths`, the range scanned is `BASE...HEAD` (what the branch added since it left
its base, like the PR's "Files changed"), taken from the `pull_request` event's `base.sha`/`head.sha` (not
`GITHUB_SHA`, which is the merge commit), or `before`/`after` of a push. Writes annotations to stdout, the Markdown
summary to `$GITHUB_STEP_SUMMARY`, SARIF and the JSON report to files, and `blocked`, `warned`, `verdict`,
`report` to `$GITHUB_OUTPUT`. Exit codes: 0 nothing at or above `fail-on`, 1 something is, 2 usage error or
nothing could be read.

With a git range, slopguard's settings, registries and `.npmrc` scopes come from the base commit (or inputs and
the environment), never from the checked-out change. When it cannot look (the diff cannot be computed, the base
commit is missing, a crash), it never reports clean: no SARIF file (a stale one is removed), `verdict=error`,
exit 2.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from slopguard.config import Settings
from slopguard.errors import InputError, SlopguardError, UsageError
from slopguard.models import Report, Verdict

FAIL_ON = ("block", "warn", "never")
_ZERO_SHA = "0" * 40
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _input(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(f"INPUT_{name}", "").strip() or default


def _event(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the event payload {path}: {exc}") from exc
    return data if isinstance(data, dict) else {}


def _event_shas(event: Mapping[str, Any]) -> tuple[str, str]:
    """(base, head) commits of a pull_request, merge_group or push event; empty strings when there are none."""
    pr = event.get("pull_request")
    if isinstance(pr, dict):
        return str(pr.get("base", {}).get("sha") or ""), str(pr.get("head", {}).get("sha") or "")
    group = event.get("merge_group")
    if isinstance(group, dict):
        return str(group.get("base_sha") or ""), str(group.get("head_sha") or "")
    before, after = str(event.get("before") or ""), str(event.get("after") or "")
    if before and before != _ZERO_SHA and after:
        return before, after
    return "", ""


def resolve_target(env: Mapping[str, str]) -> tuple[list[str], str | None]:
    """The paths and the git range (`BASE...HEAD`, or `None`) to scan, from the inputs and the event."""
    paths = _input(env, "PATHS").split()
    base, head = _input(env, "BASE"), _input(env, "HEAD")
    if paths and not base:
        return paths, None
    event_base, event_head = _event_shas(_event(env))
    base, head = base or event_base, head or event_head or "HEAD"
    if not base:
        raise UsageError("nothing to scan: set `paths`, or `base` (and `head`), or run on a pull_request or push event")
    return paths, f"{base}...{head}"


def _settings(env: Mapping[str, str], fail_on: str, cwd: Path, git_range: str | None) -> tuple[Settings, list[str]]:
    """Settings from the inputs, the environment and the config: for a git range, the config and `.npmrc` files of
    the base commit (`slopguard.config.trusted`), never the checked-out change; notes to show as warnings."""
    overrides: dict[str, object] = {
        "pypi_url": _input(env, "PYPI_URL").rstrip("/") or None,
        "npm_url": _input(env, "NPM_URL").rstrip("/") or None,
        "goproxy": _input(env, "GOPROXY").rstrip("/") or None,
        "fail_on": Verdict(fail_on) if fail_on != "never" else None,
    }
    config = _input(env, "CONFIG")
    config_path = Path(config) if config else None
    from slopguard.config.trusted import trusted_settings

    if git_range is not None:
        from slopguard.inputs.gitdiff import split_range

        base, _, head = split_range(git_range)
        return trusted_settings(cwd, base, env, overrides, config_path, head=head)
    review_base, review_head = _review_shas(env)
    if not review_base:  # no pull request: the checked-out files are the repository's own
        from slopguard.config import load_settings

        return load_settings(cwd, env, overrides, config_path), []
    try:  # `paths` on a pull request: the work tree is the change under review, the base configures the scan
        return trusted_settings(cwd, review_base, env, overrides, config_path, head=review_head)
    except InputError as exc:
        settings, notes = trusted_settings(cwd, None, env, overrides, config_path, head=review_head)
        return settings, [f"the repository's slopguard config and .npmrc files were not read ({exc})", *notes]


def _review_shas(env: Mapping[str, str]) -> tuple[str, str]:
    """(base, head) of the pull request or merge group under review; empty strings for other events."""
    event = _event(env)
    if isinstance(event.get("pull_request"), dict) or isinstance(event.get("merge_group"), dict):
        return _event_shas(event)
    return "", ""


def _write(path: str, text: str, *, append: bool = False) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a" if append else "w", encoding="utf-8") as handle:
        handle.write(text)


def _set_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> None:
    """Append `outputs` to `$GITHUB_OUTPUT` in the delimiter form, so no value can add an output of its own."""
    if not env.get("GITHUB_OUTPUT"):
        return
    lines = []
    for name, value in outputs.items():
        delimiter = f"slopguard_{secrets.token_hex(12)}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    _write(env["GITHUB_OUTPUT"], "".join(lines), append=True)


def exit_code(report: Report, fail_on: str) -> int:
    """1 when `report` has a finding at or above `fail_on` (`block`, `warn`), else 0; `never` is always 0."""
    if fail_on == "never":
        return EXIT_OK
    return EXIT_FINDINGS if report.verdict.rank >= Verdict(fail_on).rank else EXIT_OK


def _remove(path: Path) -> None:
    try:
        if path.is_file() or path.is_symlink():
            path.unlink()
    except OSError:
        pass


def not_scanned(env: Mapping[str, str], stdout: TextIO, cwd: Path, reason: str) -> int:
    """The step when slopguard could not look (no diff, bad config, a crash): one error annotation with no file,
    no SARIF file (a stale one at that path is removed, so no upload can close open alerts), no JSON report,
    a summary that says so, outputs `verdict=error` with `blocked`/`warned`/`report` empty; returns 2."""
    from slopguard.escape import markdown
    from slopguard.report.github import command

    stdout.write(command("error", f"slopguard did not scan: {reason}", title="slopguard") + "\n")
    if env.get("GITHUB_STEP_SUMMARY"):
        summary = f"### slopguard: ⛔ not scanned\n\n{markdown(reason)}\n\n"
        try:
            _write(env["GITHUB_STEP_SUMMARY"], summary, append=True)
        except OSError:
            pass
    _mark_error(env, cwd)
    return EXIT_USAGE


def _mark_error(env: Mapping[str, str], cwd: Path) -> None:
    """No SARIF file or JSON report left at their paths (stale ones are removed), outputs `verdict=error`."""
    sarif_file = _input(env, "SARIF_FILE")
    if sarif_file:
        _remove(cwd / sarif_file)
    _remove(cwd / _input(env, "REPORT_FILE", str(Path(env.get("RUNNER_TEMP") or cwd) / "slopguard-report.json")))
    try:
        _set_outputs(env, {"blocked": "", "warned": "", "verdict": "error", "report": ""})
    except OSError:
        pass


def _looked(report: Report, git_range: str | None) -> bool:
    """Whether the scan read what it was asked to: the git range in full, or at least one path."""
    if git_range is not None:
        return f"git:{git_range}" in report.inputs
    return bool(report.inputs) or not report.errors


def run(env: Mapping[str, str], stdout: TextIO, cwd: Path) -> int:
    """The whole action step; raises `SlopguardError` for usage errors."""
    from slopguard.check import scan
    from slopguard.report import render
    from slopguard.report.github import command

    fail_on = _input(env, "FAIL_ON", "block").lower()
    if fail_on not in FAIL_ON:
        raise UsageError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    paths, git_range = resolve_target(env)
    hint = " (for a pull request, check out with `fetch-depth: 0`)" if git_range else ""
    try:
        settings, notes = _settings(env, fail_on, cwd, git_range)
    except InputError as exc:
        return not_scanned(env, stdout, cwd, f"{exc}{hint}")
    for note in notes:
        stdout.write(command("warning", f"slopguard: {note}", title="slopguard config") + "\n")
    report = scan(paths, settings, git_range=git_range, cwd=cwd)
    if not _looked(report, git_range):
        reasons = "; ".join(p.message for p in report.errors[:3]) or "no input could be read"
        return not_scanned(env, stdout, cwd, f"{reasons}{hint}")

    stdout.write(render(report, "github"))
    # The readable table goes to the log with workflow commands switched off, whatever a line looks like.
    token = secrets.token_hex(16)
    stdout.write(f"::group::slopguard report ({report.verdict.value})\n::stop-commands::{token}\n")
    stdout.write(render(report, "text", verbose=True))
    stdout.write(f"::{token}::\n::endgroup::\n")
    if env.get("GITHUB_STEP_SUMMARY"):
        _write(env["GITHUB_STEP_SUMMARY"], render(report, "markdown") + "\n", append=True)
    sarif_file = _input(env, "SARIF_FILE")
    if sarif_file:
        _write(str(cwd / sarif_file), render(report, "sarif"))
    default_report = str(Path(env.get("RUNNER_TEMP") or cwd) / "slopguard-report.json")
    report_file = str((cwd / _input(env, "REPORT_FILE", default_report)).absolute())
    _write(report_file, render(report, "json"))
    blocked = sum(f.verdict is Verdict.BLOCK for f in report.findings)
    warned = sum(f.verdict is Verdict.WARN for f in report.findings)
    blocked += sum(c.verdict is Verdict.BLOCK for c in report.changes)
    warned += sum(c.verdict is Verdict.WARN for c in report.changes)
    _set_outputs(
        env, {"blocked": str(blocked), "warned": str(warned), "verdict": report.verdict.value, "report": report_file}
    )
    return exit_code(report, fail_on)


def main(env: Mapping[str, str] | None = None, stdout: TextIO | None = None, cwd: Path | None = None) -> int:
    """Run the action step with `env` (default: the process environment); returns the exit code."""
    env = os.environ if env is None else env
    if stdout is None:
        stdout = sys.stdout
        if hasattr(stdout, "reconfigure"):  # the runner reads UTF-8, whatever the platform's default
            stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    from slopguard.report.github import command

    cwd = cwd or Path.cwd()
    try:
        return run(env, stdout, cwd)
    except SlopguardError as exc:
        stdout.write(command("error", f"slopguard: {exc}", title="slopguard usage error") + "\n")
    except Exception as exc:  # a bug must fail the step as an error (2), never pass for "findings" (1)
        import traceback

        traceback.print_exc()
        stdout.write(command("error", f"slopguard crashed: {type(exc).__name__}: {exc}", title="slopguard") + "\n")
    _mark_error(env, cwd)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
