"""Escaping for untrusted text (names from agent output): terminals, workflow commands, Markdown, HTML, SARIF.

A package name comes from whatever an agent wrote, so it may hold ANSI escapes, newlines, `%0A::error::`,
Markdown links or HTML. Every reporter passes such text through one of these functions before it reaches a
terminal, a GitHub workflow command, a job summary or a SARIF message. Pure string functions, stdlib `re` only:
the agent hook imports this module on its fast path.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the invisible "format" characters that can reorder or hide text
# (soft hyphen, zero-width, bidi embeddings/overrides/isolates, line/paragraph separators, BOM), and lone
# surrogates (JSON transcripts can carry them; printing one would raise UnicodeEncodeError).
# Ref: https://trojansource.codes/ (bidi overrides make displayed text differ from its bytes)
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """`text` with every control or invisible character shown as `\\xNN`/`\\uNNNN` (`\\n`, `\\r`, `\\t`).

    The result is one line of printable characters: an ANSI escape such as `\\x1b[2J` is shown, never obeyed.
    """
    return _INVISIBLE.sub(_visible, text)


def workflow_data(text: str) -> str:
    """`text` escaped as the message of a GitHub workflow command (`::error ...::DATA`).

    Same rules as `@actions/core` `escapeData`: `%` -> `%25`, `\\r` -> `%0D`, `\\n` -> `%0A`, so the text can
    never end the line and start a command of its own.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """`text` escaped as a property value of a workflow command (`file=`, `title=`).

    `@actions/core` `escapeProperty`: the data rules plus `:` -> `%3A` and `,` -> `%2C`, so the value cannot
    close the property list or add a property.
    """
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
# Everything Markdown (GitHub flavour: tables, strikethrough, math, emoji) gives a meaning to inline.
_MD_PUNCT = frozenset("\\`*_{}[]()#+!|~$:^=")
_LINE_START = re.compile(r"^(\d+)([.)])")


def markdown(text: str, *, mentions: bool = False) -> str:
    """`text` made inert for Markdown and HTML: it renders as the same characters, never as markup.

    Controls are made visible first (so the text stays on one line and one table cell), HTML specials become
    entities and Markdown punctuation is backslash-escaped. Unless `mentions` is true, `@` is followed by a
    zero-width space so `@scope/name` never notifies a GitHub user or team; text inside `<code>` needs no such
    guard and passes `mentions=True`.
    """
    text = terminal(text)
    out: list[str] = []
    for ch in text:
        if ch in _HTML:
            out.append(_HTML[ch])
        elif ch in _MD_PUNCT:
            out.append("\\" + ch)
        elif ch == "@" and not mentions:
            out.append("@&#8203;")
        else:
            out.append(ch)
    escaped = "".join(out)
    # A leading `-`, `.` or `1.` would start a list if the caller puts the text at the start of a line.
    if escaped[:1] in ("-", "."):
        escaped = "\\" + escaped
    return _LINE_START.sub(r"\1\\\2", escaped)


def html(text: str) -> str:
    """`text` for HTML element content or a quoted attribute value: controls made visible (see `terminal`),
    then `&`, `<`, `>`, `"` and `'` as entities. Nothing in the result can open a tag or close an attribute."""
    return "".join(_HTML.get(ch, ch) for ch in terminal(text))


def markdown_code(text: str) -> str:
    """`text` as inline code (`<code>…</code>`), escaped like `markdown()`; mentions and links stay inert."""
    return f"<code>{markdown(text, mentions=True)}</code>"


def sarif_text(text: str) -> str:
    """`text` for a SARIF `message.text`: controls made visible, and `\\`, `[`, `]` escaped.

    SARIF 2.1.0 section 3.11.6 reads `[text](target)` in a plain-text message as an embedded link; escaping the
    brackets keeps a name such as `[x](javascript:alert(1))` a literal string.
    """
    return terminal(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
