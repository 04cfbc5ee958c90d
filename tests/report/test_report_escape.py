"""The escaping helpers: each output medium gets text it can only show, never obey."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from slopguard.escape import markdown, markdown_code, sarif_text, terminal, workflow_data, workflow_property

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def unescape_workflow(value: str) -> str:
    """What the Actions runner does to a property value or data (ActionCommand.Unescape)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def test_terminal_shows_control_characters() -> None:
    assert terminal("\x1b[2Jreqeusts") == "\\x1b[2Jreqeusts"
    assert terminal("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert terminal("\u202eevil\u202c") == "\\u202eevil\\u202c"
    assert terminal("\x9b31m") == "\\x9b31m"  # the 8-bit CSI
    assert terminal("zero\u200bwidth") == "zero\\u200bwidth"
    assert terminal("lone\ud800") == "lone\\ud800"
    assert terminal("plain-name_1.0 ünïcode 名前") == "plain-name_1.0 ünïcode 名前"


@given(st.text())
def test_terminal_output_has_no_control_characters(text: str) -> None:
    out = terminal(text)
    assert not _CONTROL.search(out)
    out.encode("utf-8")


def test_workflow_data_escapes_like_actions_toolkit() -> None:
    assert workflow_data("100%\r\n::error::x") == "100%25%0D%0A::error::x"
    assert workflow_data("%0A") == "%250A"


def test_workflow_property_also_escapes_colon_and_comma() -> None:
    assert workflow_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


@given(st.text())
def test_workflow_escaping_round_trips_and_stays_on_one_line(text: str) -> None:
    data, prop = workflow_data(text), workflow_property(text)
    assert "\n" not in data and "\r" not in data
    assert not {"\n", "\r", ",", ":"} & set(prop)
    assert unescape_workflow(data) == text
    assert unescape_workflow(prop) == text


def test_markdown_escapes_markup_and_html() -> None:
    assert markdown("</td><script>") == "&lt;/td&gt;&lt;script&gt;"
    assert markdown("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert markdown("a|b `c` *d* _e_ #f !g ~h~ $i$") == ("a\\|b \\`c\\` \\*d\\* \\_e\\_ \\#f \\!g \\~h\\~ \\$i\\$")
    assert markdown("a & b") == "a &amp; b"
    assert markdown("back\\slash") == "back\\\\slash"


def test_markdown_keeps_line_start_text_from_becoming_a_list() -> None:
    assert markdown("- item") == "\\- item"
    assert markdown("1. item") == "1\\. item"
    assert markdown("12) item") == "12\\) item"
    assert markdown("left-pad") == "left-pad"


def test_markdown_defuses_mentions_outside_code_only() -> None:
    assert markdown("@types/node") == "@&#8203;types/node"
    assert markdown_code("@types/node") == "<code>@types/node</code>"


def test_markdown_is_one_line() -> None:
    assert markdown("a\n# title\r\n<b>") == "a\\\\n\\# title\\\\r\\\\n&lt;b&gt;"


@given(st.text())
def test_markdown_output_never_has_raw_html_or_control_characters(text: str) -> None:
    out = markdown(text)
    assert "<" not in out and ">" not in out and '"' not in out
    assert not _CONTROL.search(out)
    # Every Markdown-significant character is preceded by a backslash (an odd run of backslashes).
    out = re.sub(r"&(#[0-9]+|[a-z]+);", "E", out)
    for match in re.finditer(r"[`*_\[\]()#!|~$]", out):
        run = len(out[: match.start()]) - len(out[: match.start()].rstrip("\\"))
        assert run % 2 == 1, (text, out)


def test_sarif_text_escapes_embedded_link_syntax() -> None:
    assert sarif_text("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert sarif_text("a\\b\n") == "a\\\\b\\\\n"
