"""Issue 12, item 8 (and the RecursionError rule of item 7): files are decoded as the tools that run them would
decode them, a bad byte never hides a file, a file nested too deeply is an input error of its own, and exit 2
means that no input could be read at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from slopguard.cli import main
from slopguard.inputs import read_inputs
from slopguard.models import Problem, Source

LATIN1_PY = "# -*- coding: latin-1 -*-\n# Café déjà vu\nimport reqeusts\n".encode("latin-1")


@pytest.fixture
def env(fake_registry: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRegistry:
    """The CLI pointed at the fake registry (which knows `requests` only), run from `tmp_path`."""
    for name, value in fake_registry.env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    fake_registry.add_pypi("requests", versions={"2.31.0": "2023-05-22T00:00:00Z", "1.0.0": "2015-01-01T00:00:00Z"})
    return fake_registry


def run(*argv: str) -> tuple[int, dict[str, object], str]:
    import io
    import sys

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(["scan", "--format", "json", *argv])
    finally:
        sys.stdout, sys.stderr = old
    return code, (json.loads(out.getvalue()) if out.getvalue().strip() else {}), err.getvalue()


def names(report: dict[str, object]) -> dict[str, str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["name"]: f["verdict"] for f in findings}


def test_latin1_python_with_a_coding_line_is_read_in_latin1(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(LATIN1_PY)
    code, report, _ = run("app.py")
    assert code == 1 and names(report)["reqeusts"] == "block"
    assert report["errors"] == []  # the coding line was honoured: nothing was replaced
    (source,) = [i for i in read_inputs([str(tmp_path / "app.py")]) if isinstance(i, Source)]
    assert "Café déjà vu" in source.text


def test_latin1_python_in_a_tree_is_read_too(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_bytes(LATIN1_PY)
    code, report, _ = run("src")
    assert code == 1 and "reqeusts" in names(report)


def test_a_latin1_byte_in_requirements_is_replaced_noted_and_scanned(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"requests\n# caf\xe9\nreqeusts\n")
    code, report, err = run("requirements.txt")
    assert code == 1 and names(report) == {"reqeusts": "block", "requests": "ok"}
    errors = report["errors"]
    assert isinstance(errors, list)
    assert [(e["path"], e["line"], e["code"]) for e in errors] == [("requirements.txt", 2, "invalid-utf8")]
    assert "requirements.txt:2" in err and "replaced" in err


def test_python_without_a_coding_line_is_utf8_with_replacement(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(b"# caf\xe9\nimport reqeusts\n")
    code, report, _ = run("app.py")
    assert code == 1 and "reqeusts" in names(report)
    errors = report["errors"]
    assert isinstance(errors, list) and [e["code"] for e in errors] == ["invalid-utf8"]


def test_an_unusable_coding_line_is_read_as_utf8_with_a_note(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"# coding: no-such-codec\nimport reqeusts\n")
    (tmp_path / "b.py").write_bytes(b"# coding: punycode\nimport reqeusts\n")
    code, report, _ = run("a.py", "b.py")
    assert code == 1 and "reqeusts" in names(report)
    errors = report["errors"]
    assert isinstance(errors, list) and sorted(e["code"] for e in errors) == ["invalid-encoding"] * 2


def test_deeply_nested_json_is_an_input_error_and_the_rest_is_scanned(env: FakeRegistry, tmp_path: Path) -> None:
    depth = 100_000
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package.json").write_text('{"a":' * depth + "1" + "}" * depth)
    (tmp_path / "requirements.txt").write_text("reqeusts\n")
    nested_line = '{"type":"assistant","message":{"content":' + "[" * depth + "]" * depth + "}}"
    call = {"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": "pip install reqeusts"}}
    good_line = json.dumps({"type": "assistant", "message": {"content": [call]}})
    (tmp_path / "session.jsonl").write_text(nested_line + "\n" + good_line + "\n")
    code, report, err = run("web/package.json", "requirements.txt", "session.jsonl")
    assert "Traceback" not in err
    assert code == 1 and names(report) == {"reqeusts": "block"}
    errors = report["errors"]
    assert isinstance(errors, list)
    assert {e["path"] for e in errors} == {"web/package.json", "session.jsonl"}
    finding = report["findings"][0]  # type: ignore[index]
    where = {(loc["path"], loc["line"]) for loc in finding["locations"]}
    assert where == {("requirements.txt", 1), ("session.jsonl", 2)}


def test_exit_2_only_when_no_input_could_be_read(env: FakeRegistry, tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02import reqeusts\n")
    code, _, err = run("blob.py")
    assert code == 2 and "binary file skipped" in err and "no input could be read" in err
    (tmp_path / "requirements.txt").write_text("requests\n")
    code, report, _ = run("blob.py", "requirements.txt")
    assert code == 0 and names(report) == {"requests": "ok"}
    (tmp_path / "package.json").write_text("[" * 100_000 + "]" * 100_000)  # read, but not a dependency list
    code, report, err = run("package.json")
    assert code == 0 and "Traceback" not in err and names(report) == {}


def test_readers_yield_the_text_and_a_note_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"reqeusts\xff\n")
    items = list(read_inputs([str(tmp_path / "requirements.txt")]))
    problems = [i for i in items if isinstance(i, Problem)]
    sources = [i for i in items if isinstance(i, Source)]
    assert [p.code for p in problems] == ["invalid-utf8"]
    assert [s.text for s in sources] == ["reqeusts\ufffd\n"]


def test_a_recursion_error_in_any_extractor_is_an_input_error_of_that_file(
    env: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import slopguard.extract as extract_module

    real = extract_module.extract

    def deep_for_one_file(source: Source) -> object:
        if source.path.endswith("deep.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source)

    monkeypatch.setattr(extract_module, "extract", deep_for_one_file)
    (tmp_path / "deep.py").write_text("import flask\n")
    (tmp_path / "app.py").write_text("import reqeusts\n")
    code, report, err = run("deep.py", "app.py")
    assert code == 1 and names(report) == {"reqeusts": "block"}
    errors = report["errors"]
    assert isinstance(errors, list)
    assert [(e["path"], e["code"]) for e in errors] == [("deep.py", "input-error")]
    assert "nested too deeply" in err
    code, _, err = run("deep.py")
    assert code == 2 and "no input could be read" in err
