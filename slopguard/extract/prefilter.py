"""The hook's cheap lexical pre-filter: can this shell command install or run a package at all?

`may_install` answers False only when no package tool appears with one of its install/run actions, so
the agent hook skips the parser for `ls`, `git status`, `pytest`, `npm test`, `go build ./...` and the
like. It errs towards True: a tool word and an action word anywhere after it are enough. This module
imports nothing but `re`: the hook runs it before every shell command.
"""

import re

# A shell token boundary: start of text, whitespace, quotes, shell punctuation or a path separator.
_B = r"""(?:^|(?<=[\s'"`;&|(){}/=$]))"""
_E = r"""(?=$|[\s'"`;&|(){}<>])"""

# Tools that install or run as soon as they appear with any argument.
_ALWAYS = frozenset({"uvx", "npx", "bunx", "pnpx"})

# Tool word -> the group whose action words must follow it.
_TOOLS = re.compile(
    _B + r"""(pip[0-9.]*|uvx?|pipx|poetry|pdm|rye|pipenv|conda|mamba|micromamba|npm|npx|yarn|pnpm|pnpx|bunx?|go)""" + _E
)


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(_B + "(?:" + "|".join(re.escape(w) for w in words) + ")" + _E)


_NPM_INSTALL = ("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall")
_ACTIONS: dict[str, re.Pattern[str]] = {
    "pip": _words("install", "download", "wheel"),
    "uv": _words("install", "add", "tool", "run", "--with"),
    "pipx": _words("install", "run", "inject"),
    "poetry": _words("add", "run"),
    "pdm": _words("add", "run"),
    "rye": _words("add", "run"),
    "pipenv": _words("install", "run"),
    "conda": _words("install", "create", "run"),
    "npm": _words(*_NPM_INSTALL, "add", "install-test", "it", "exec", "x", "init", "create", "innit"),
    "yarn": _words("add", "dlx", "create"),
    "pnpm": _words("add", "install", "i", "dlx", "create"),
    "bun": _words("add", "a", "install", "i", "x", "create"),
    "go": _words("get", "install", "run", "download"),
}
_GROUP = {"mamba": "conda", "micromamba": "conda"}

# A file name that a here-document or an `echo`/`printf` redirect may write as a dependency manifest.
_MANIFEST_NAME = re.compile(
    r"requirements|constraints|pyproject\.toml|setup\.(?:cfg|py)|Pipfile|environment\.ya?ml|package\.json|go\.mod"
)


def may_install(command: str) -> bool:
    """False only when `command` certainly installs and runs no package (no tool with an action, no manifest write)."""
    seen: set[str] = set()
    for match in _TOOLS.finditer(command):
        word = match.group(1)
        if word in _ALWAYS:
            return True
        group = "pip" if word.startswith("pip") and word not in ("pipx", "pipenv") else _GROUP.get(word, word)
        if group in seen:
            continue
        seen.add(group)
        if _ACTIONS[group].search(command, match.end()):
            return True
    return ("<<" in command or ">" in command) and _MANIFEST_NAME.search(command) is not None
