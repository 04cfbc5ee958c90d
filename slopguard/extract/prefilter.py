"""The hook's cheap lexical pre-filter: can this shell command install or run a package at all?

`may_install` answers False only when no package tool appears with one of its install/run actions, so
the agent hook skips the parser for `ls`, `git status`, `pytest`, `npm test`, `go build ./...` and the
like. It errs towards True: a tool word and an action word anywhere after it are enough, and so is
text too odd to scan cheaply. This module imports nothing but `re`: the hook runs it before every command.
"""

import re

# A token ends at the end of text, whitespace, a quote or shell punctuation. The boundary before a token
# is checked by hand: a lookbehind in these patterns makes scanning long text several times slower.
_E = r"""(?=$|[\s'"`;&|(){}<>])"""
_BEFORE = frozenset(" \t\n\r'\"`;&|(){}/=$")
_MAX_CANDIDATES = 1000
"""Past this many tool-like words without a token boundary, give up scanning and say True."""

_NPM_INSTALL = "install i in ins inst insta instal isnt isnta isntal isntall add install-test it"
# Tool group -> (pattern of its words, its action words; None when any use installs or runs something).
_GROUPS: dict[str, tuple[str, str | None]] = {
    "pip": (r"pip[0-9.]*", "install download wheel"),
    "uv": (r"uv", "install add tool run --with"),
    "run": (r"uvx|npx|bunx|pnpx", None),
    "pipx": (r"pipx", "install run inject"),
    "poetry": (r"poetry", "add run"),
    "pdm": (r"pdm", "add run"),
    "rye": (r"rye", "add run"),
    "pipenv": (r"pipenv", "install run"),
    "conda": (r"conda|mamba|micromamba", "install create run"),
    "npm": (r"npm", _NPM_INSTALL + " exec x init create innit"),
    "yarn": (r"yarn", "add dlx create"),
    "pnpm": (r"pnpm", "add install i dlx create"),
    "bun": (r"bun", "add a install i x create"),
    "go": (r"go", "get install run download"),
    "deno": (r"deno", "add install i run x"),
}
_MAX_SCAN = 1_000_000
"""Longer text is not scanned: the answer is True and the extractor decides what to do with it."""
_TOOLS = re.compile("(" + "|".join(tool for tool, _ in _GROUPS.values()) + ")" + _E)
# Patterns are compiled on first use: compiling all of them costs ~4 ms, and the hook runs this module on
# every command that mentions a tool; a command needs the action pattern of one or two tool groups.
_ACTIONS: dict[str, re.Pattern[str] | None] = {}
_LITERAL_TOOLS = {
    word: group for group, (tool, _) in _GROUPS.items() for word in tool.split("|") if re.escape(word) == word
}
"""Tool words spelled out in `_GROUPS` (`npm`, `uvx`, ...) -> their group."""
_PATTERN_TOOLS = [(tool, group) for group, (tool, _) in _GROUPS.items() if group not in _LITERAL_TOOLS.values()]
"""Groups whose tool word is a pattern (`pip[0-9.]*`)."""


def _group(word: str) -> str:
    """The tool group of `word`, a whole match of one of `_TOOLS`' alternatives."""
    group = _LITERAL_TOOLS.get(word)
    if group is None:
        group = next(g for tool, g in _PATTERN_TOOLS if re.fullmatch(tool, word))
    return group


def _action(group: str) -> re.Pattern[str] | None:
    """The pattern of `group`'s action words (`None` when any use of the tool installs or runs)."""
    if group not in _ACTIONS:
        words = _GROUPS[group][1]
        _ACTIONS[group] = None if words is None else re.compile(f"(?:{'|'.join(map(re.escape, words.split()))}){_E}")
    return _ACTIONS[group]


# A file name that a here-document or an `echo`/`printf` redirect may write as a dependency manifest.
_MANIFEST_NAME = (
    r"requirements|constraints|pyproject\.toml|setup\.(?:cfg|py)|Pipfile|environment\.ya?ml|package\.json|go\.mod"
)


def _token_after(pattern: re.Pattern[str], text: str, pos: int) -> bool:
    """Whether `pattern` matches a whole token at or after `pos` (True too when there are too many to tell)."""
    for count, match in enumerate(pattern.finditer(text, pos)):
        start = match.start()
        if start == 0 or text[start - 1] in _BEFORE or count >= _MAX_CANDIDATES:
            return True
    return False


_LAST: tuple[str, bool] = ("", False)
"""The last long text scanned and the answer: the hook asks about the same command up to three times."""


def may_install(command: str) -> bool:
    """False only when `command` certainly installs and runs no package (no tool with an action, no manifest write)."""
    global _LAST
    if len(command) > _MAX_SCAN:
        return True
    if len(command) < 10_000:
        return _scan(command)
    last = _LAST
    if last[0] is command:
        return last[1]
    answer = _scan(command)
    _LAST = (command, answer)
    return answer


def _scan(command: str) -> bool:
    """`may_install()` without the memo: linear in `command` (each tool group scans the text after it once)."""
    seen: set[str] = set()
    for count, match in enumerate(_TOOLS.finditer(command)):
        if count >= _MAX_CANDIDATES:
            return True
        start = match.start()
        if start and command[start - 1] not in _BEFORE:
            continue
        group = _group(match.group(1))
        if group in seen:
            continue
        seen.add(group)
        action = _action(group)
        if action is None or _token_after(action, command, match.end()):
            return True
    writes = "<<" in command or ">" in command or "tee" in command
    return writes and re.search(_MANIFEST_NAME, command, re.IGNORECASE) is not None


# A source file a here-document or here-string may write (`cat > app.ts <<EOF`), and a program that runs code
# from one (`python - <<EOF`, `node <<< "..."`): read only for their imports (the hook: with `--edits`).
# Compiled on first use (a command without `<<` never needs them).
_CODE_FILE = r"\.(?:py|pyi|[cm]?js|jsx|[cm]?ts|tsx|go)" + _E
_CODE_RUN = r"(?:python|pypy|node)[0-9.]*(?:[ \t]+-[a-zA-Z]*)*?[ \t]*<<"
_CODE: list[re.Pattern[str]] = []


def may_write_code(command: str) -> bool:
    """False only when `command` certainly writes no source file and runs no code through a here-document."""
    if len(command) > _MAX_SCAN:
        return True
    if "<<" not in command:
        return False
    if not _CODE:
        _CODE.extend((re.compile(_CODE_FILE), re.compile(_CODE_RUN)))
    return any(pattern.search(command) is not None for pattern in _CODE)


def may_read(command: str) -> bool:
    """Whether the shell extractor reads `command` at all: it may install, or write or run code."""
    return may_install(command) or may_write_code(command)
