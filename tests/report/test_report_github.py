"""Workflow-command annotations, read back the way the Actions runner parses them."""

from __future__ import annotations

from dataclasses import dataclass

from report_samples import EVIL_NAMES  # type: ignore[import-not-found]

from slopguard.escape import terminal
from slopguard.models import Report
from slopguard.report.github import command, render_github

_KNOWN = {"error", "warning", "notice"}


@dataclass
class Command:
    name: str
    props: dict[str, str]
    data: str


def _unescape(value: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def parse(line: str) -> Command | None:
    """The runner's `ActionCommand.TryParseV2`: `::name k=v,k=v::data`, or not a command at all."""
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info, data = line[2:end], line[end + 2 :]
    name, _, raw = info.partition(" ")
    props = {}
    for item in filter(None, raw.split(",")):
        key, _, value = item.partition("=")
        props[key] = _unescape(value)
    return Command(name, props, _unescape(data))


def commands(text: str) -> list[Command]:
    lines = text.splitlines()
    parsed = [parse(line) for line in lines]
    assert all(c is not None for c in parsed), "every output line is a command"
    return [c for c in parsed if c is not None]


def test_one_annotation_per_flagged_location(sample_report: Report) -> None:
    cmds = commands(render_github(sample_report))
    reqeusts = [c for c in cmds if "pypi:reqeusts" in c.props.get("title", "")]
    assert [(c.name, c.props.get("file"), c.props.get("line"), c.props.get("col")) for c in reqeusts] == [
        ("error", "requirements.txt", "3", None),
        ("error", "app/main.py", "7", "8"),
        ("error", "app/other.py", "2", None),
        ("error", "setup.cfg", None, None),
    ]
    assert reqeusts[0].props["title"] == "slopguard block: pypi:reqeusts (not-found, known-hallucination)"
    assert "Did you mean requests?" in reqeusts[0].data
    assert {c.name for c in cmds} == {"error", "warning"}
    left_pad = [c for c in cmds if "left-pad" in c.props.get("title", "")]
    assert len(left_pad) == 1 and left_pad[0].name == "warning" and "file" not in left_pad[0].props


def test_ok_packages_give_no_annotation(sample_report: Report) -> None:
    out = render_github(sample_report)
    assert "pypi:requests " not in out and "numpy" not in out


def test_input_errors_are_warnings(sample_report: Report) -> None:
    cmds = [c for c in commands(render_github(sample_report)) if "could not read" in c.props["title"]]
    assert [(c.name, c.props.get("file"), c.props.get("line"), c.data) for c in cmds] == [
        ("warning", "broken.json", "4", "not valid JSON: Expecting value"),
        ("warning", None, None, "-: stdin was empty"),
    ]


def test_clean_report_prints_nothing() -> None:
    assert render_github(Report()) == ""


def test_every_line_is_exactly_one_known_command_even_under_attack(injection_report: Report) -> None:
    out = render_github(injection_report)
    cmds = commands(out)
    assert len(cmds) == len(out.splitlines()) == 2 * len(EVIL_NAMES)  # one per flagged location, one per error
    for cmd in cmds:
        assert cmd.name in _KNOWN
        assert set(cmd.props) <= {"file", "line", "col", "title"}
        assert cmd.props.get("line", "1").isdigit()
        # What the runner shows is the name made visible, never a second command or a control character.
        assert "\n" not in cmd.data and "\r" not in cmd.data and "\x1b" not in cmd.data
        # The whole rest of the line is this command's message, whatever it looks like.
        assert " is not on the registry" in cmd.data or "cannot read" in cmd.data


def test_injection_round_trips_to_the_visible_name(injection_report: Report) -> None:
    cmds = commands(render_github(injection_report))
    titles = [c.props["title"] for c in cmds[: len(EVIL_NAMES)]]
    for finding in injection_report.findings[: len(EVIL_NAMES)]:
        shown = terminal(f"{finding.ecosystem.value}:{finding.name}")
        assert any(shown in t for t in titles), shown
    evil = next(c for c in cmds if "evil" in c.props.get("title", ""))
    assert evil.data.startswith("evil%0A::error::pwned is not")  # the literal text, not a new line
    assert evil.props["file"] == "dir/evil%0A::error::pwned.txt"


def test_command_helper_escapes_properties_and_data() -> None:
    line = command("error", "50% done\nnext", title="a,b:c")
    assert line == "::error title=a%2Cb%3Ac::50%25 done\\nnext"
