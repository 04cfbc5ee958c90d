"""`slopguard explain CODE`: what a reason code means, why it matters, what to do, how to allow a false positive."""

from __future__ import annotations

import difflib
import textwrap

from slopguard.report.codes import CODES, CodeInfo

_WIDTH = 100

_EFFECT = {
    "error": "blocks the package on its own",
    "warning": "warns (a block when it comes with stronger signals, such as a brand-new typosquat)",
    "note": "a note: never flags the package by itself",
}

_ALLOW_LIST = """\
Allow a false positive: list the package in your config, which overrides every other signal
(the hook and the Action read the same config). In pyproject.toml:

  [tool.slopguard.allow]
  pypi = ["mycorp-utils"]          # names or globs: "mycorp-*"
  npm = ["@mycorp/*"]
  go = ["github.com/mycorp/*"]

(the same tables without `tool.slopguard.` in .slopguard.toml). Keep the list short and specific."""

_SPECIAL = {
    "registry-unavailable": 'This is not a judgement of the package. `on-unknown = "allow"` in the config (or '
    "`--on-unknown allow`) lets packages the registry could not answer about through; an allow-list entry "
    "(below) does so for one package.\n\n" + _ALLOW_LIST,
    "denied": "Your own deny list flagged it: remove the entry from `deny` in the config if it is wrong.",
    "config-changed": "It flags a changed settings line, not a package: the allow list does not apply. "
    '`on-setting-change = "warn"` (the default) keeps it a warning; review the change and merge it.',
    "index-changed": "It flags a changed settings line, not a package: the allow list does not apply. "
    '`on-setting-change = "warn"` (the default) keeps it a warning; review the change and merge it.',
    "invalid-name": "No registry can serve an invalid name, so there is nothing to allow: fix the spelling.",
}


def _paragraph(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _allowing(code: str, info: CodeInfo) -> str:
    if info.level == "note":
        return "Nothing to allow: a note never warns or blocks."
    return _SPECIAL.get(code, _ALLOW_LIST)


def explain_code(code: str) -> str:
    """The explanation of reason `code`; `LookupError` (with a "did you mean" message) for an unknown code."""
    wanted = code.strip().lower()
    info = CODES.get(wanted)
    if info is None:
        close = difflib.get_close_matches(wanted, list(CODES), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise LookupError(f"unknown reason code {code!r}{hint} (`slopguard explain` lists them all)")
    parts = [
        f"{wanted}: {info.title}",
        f"  Effect: {_EFFECT.get(info.level, info.level)}.",
        "",
        "What it means and why it matters:",
        _paragraph(info.description),
        "",
        "What to do:",
        _paragraph(info.help),
        "",
        "\n\n".join(  # a paragraph of one line is filled; one laid out by hand is kept
            block if "\n" in block else _paragraph(block, "") for block in _allowing(wanted, info).split("\n\n")
        ),
    ]
    return "\n".join(parts) + "\n"


def list_codes() -> str:
    """Every reason code with its title and effect, one a line."""
    width = max(len(c) for c in CODES)
    lines = ["Reason codes (slopguard explain CODE tells more):"]
    lines += [f"  {code.ljust(width)}  {info.title} [{info.level}]" for code, info in CODES.items()]
    return "\n".join(lines) + "\n"
