"""What each shell ref carries: location, evidence, index, notes, non-registry sources, problems, diff lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from slopguard.extract import extract
from slopguard.extract.shell import extract_shell, program
from slopguard.models import Ecosystem, Location, PackageRef, Project, RefKind, Source, SourceKind


def refs(command: str, **kw: object) -> list[PackageRef]:
    return list(extract_shell(Source(command, SourceKind.SHELL, "s.sh", **kw), Project()).refs)  # type: ignore[arg-type]


def test_ref_fields_for_a_pip_install() -> None:
    (ref,) = refs("cd app && pip install 'Flask[async]>=2.0'")
    assert ref == PackageRef(
        ecosystem=Ecosystem.PYPI,
        name="Flask",
        canonical="flask",
        kind=RefKind.INSTALL,
        location=Location("s.sh", 1, 23),
        evidence="'Flask[async]>=2.0'",
        spec=">=2.0",
    )


def test_locations_follow_lines_offsets_and_pins() -> None:
    script = "set -e\nnpm ci\nnpm install \\\n  left-pad\n"
    (ref,) = refs(script, line_offset=10, detail="toolu_1")
    assert ref.location == Location("s.sh", 14, 3, "toolu_1")
    (pinned,) = refs(script, pin_line=7)
    assert pinned.location.line == 7


def test_columns_count_characters_not_bytes() -> None:
    (ref,) = refs("echo 'héllo wörld' && pip install x")
    assert ref.location.column == 35


def test_inner_bash_c_string_is_located_inside_the_outer_string() -> None:
    (ref,) = refs("sudo bash -c 'pip install nested'")
    assert (ref.location.line, ref.location.column) == (1, 27)
    assert ref.evidence == "nested"


def test_index_url_and_extra_index_url() -> None:
    (ref,) = refs("pip install -i https://corp.example/simple --extra-index-url https://pypi.org/simple internal")
    assert ref.index_url == "https://corp.example/simple"
    assert ref.notes == ("extra-index-url",)
    (ref,) = refs("pip install --index-url=https://a.example/simple x")
    assert ref.index_url == "https://a.example/simple" and ref.notes == ()
    (ref,) = refs("PIP_EXTRA_INDEX_URL=https://x.example pip install y")
    assert ref.notes == ("extra-index-url",)
    (ref,) = refs("uv pip install --extra-index-url https://x.example z")
    assert ref.notes == ("extra-index-url",)


def test_npm_registry_flag_and_env() -> None:
    (ref,) = refs("npm install --registry https://npm.corp.example/ @corp/ui")
    assert ref.index_url == "https://npm.corp.example/"
    (ref,) = refs("npm_config_registry=https://r.example npm i a")
    assert ref.index_url == "https://r.example"


def test_non_registry_sources_are_marked_and_not_given_an_index() -> None:
    for command in (
        "pip install -e ./pkg",
        "pip install git+https://github.com/psf/black.git",
        "pip install -i https://x.example/simple 'black @ https://h.example/black.whl'",
        "npm install github:user/repo",
        "npm install file:../lib",
        "uvx --from git+https://github.com/a/tool tool",
    ):
        (ref,) = refs(command)
        assert ref.source is not None, command
        assert ref.notes[0] == "non-registry-source", command
        assert ref.index_url is None, command


def test_npm_alias_keeps_written_name_and_checks_the_real_one() -> None:
    (ref,) = refs("npm i my-react@npm:react@18.2.0")
    assert (ref.name, ref.canonical, ref.spec) == ("my-react", "react", "18.2.0")


def test_conda_is_reported_as_unsupported() -> None:
    extraction = extract_shell(Source("mamba install -y -c conda-forge numpy scipy", SourceKind.SHELL, "s"), Project())
    assert extraction.refs == ()
    assert [p.code for p in extraction.problems] == ["unsupported-ecosystem"] * 2
    assert "numpy" in extraction.problems[0].message and "mamba" in extraction.problems[0].message


def test_requirements_file_is_read_next_to_cwd(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# deps\nrequests>=2\n-r more.txt\n", encoding="utf-8")
    (tmp_path / "more.txt").write_text("-r requirements.txt\nflask\n", encoding="utf-8")  # a cycle, read once
    found = refs("pip install -i https://i.example/simple -r requirements.txt", cwd=str(tmp_path))
    assert [(r.canonical, r.kind, r.location.line, r.index_url) for r in found] == [
        ("requests", RefKind.INSTALL, 2, "https://i.example/simple"),
        ("flask", RefKind.INSTALL, 2, "https://i.example/simple"),
    ]
    assert found[0].location.path == str(tmp_path / "requirements.txt")
    assert found[0].evidence == "requests>=2"


def test_missing_requirements_file_is_an_input_error(tmp_path: Path) -> None:
    extraction = extract_shell(Source("pip install -r nope.txt x", SourceKind.SHELL, "s", cwd=str(tmp_path)), Project())
    assert [r.canonical for r in extraction.refs] == ["x"]
    assert [(p.code, p.line) for p in extraction.problems] == [("input-error", 1)]
    assert "nope.txt" in extraction.problems[0].message


def test_diff_keeps_only_added_lines() -> None:
    script = "pip install old\npip install new\n"
    found = refs(script, added_lines=frozenset({2}))
    assert [r.canonical for r in found] == ["new"]


def test_heredoc_manifest_lines_map_into_the_script_and_the_diff() -> None:
    script = "echo start\ncat > requirements.txt <<'EOF'\nrequests\nflask\nEOF\n"
    found = refs(script, added_lines=frozenset({4}))
    assert [(r.canonical, r.location.line, r.kind) for r in found] == [("flask", 4, RefKind.MANIFEST)]
    assert found[0].location.path == "s.sh"


def test_invalid_requirement_is_a_problem_not_a_ref() -> None:
    extraction = extract_shell(Source("pip install 'foo bar baz'", SourceKind.SHELL, "s"), Project())
    assert extraction.refs == ()
    assert len(extraction.problems) == 1


def test_dispatcher_routes_shell_sources() -> None:
    extraction = extract(Source("npx cowsay", SourceKind.SHELL, "-"))
    assert [(r.canonical, r.kind) for r in extraction.refs] == [("cowsay", RefKind.RUN)]


def test_program_names() -> None:
    assert program("/usr/local/bin/pip3.12") == "pip"
    assert program("python3.11") == "python"
    assert program("C:\\Python\\python.exe") == "python"
    assert program("npm") == "npm"


def test_uv_reads_a_pyproject_given_as_requirements(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["attrs>=23"]\n', encoding="utf-8")
    found = refs("uv pip install -r pyproject.toml", cwd=str(tmp_path))
    assert [(r.canonical, r.spec, r.kind, r.location.line) for r in found] == [("attrs", ">=23", RefKind.INSTALL, 3)]


def test_uv_and_pipenv_index_flags_are_asked_first_then_pypi() -> None:
    (ref,) = refs("uv add --index https://pypi.corp.example/simple mycorp-utils")
    assert ref.notes == ("index-first",) and ref.index_url == "https://pypi.corp.example/simple"
    (ref,) = refs("uv pip install --index corp=https://pypi.corp.example/simple mycorp-utils")
    assert ref.notes == ("index-first",) and ref.index_url == "https://pypi.corp.example/simple"
    (ref,) = refs("pipenv install --index https://pypi.corp.example/simple x")
    assert ref.notes == ("index-first",)
    (ref,) = refs("uv add --index corp y")  # a name defined in pyproject.toml: its URL is unknown here
    assert ref.notes == () and ref.index_url is None
    (ref,) = refs("uv add --default-index https://pypi.corp.example/simple y")  # replaces PyPI: asked instead
    assert ref.notes == () and ref.index_url == "https://pypi.corp.example/simple"


def test_poetry_source_is_not_looked_up_on_pypi() -> None:
    (ref,) = refs("poetry add --source corp mycorp-utils@^1.2")
    assert ref.source == "the package source 'corp'" and ref.canonical == "mycorp-utils"
    (plain,) = refs("poetry add mycorp-utils")
    assert plain.source is None


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("cd sub && pip install -r requirements.txt", ["in-sub"]),
        ("cd sub; cd ..; pip install -r requirements.txt", ["at-root"]),
        ("(cd sub; pip install -r requirements.txt); pip install -r requirements.txt", ["in-sub", "at-root"]),
        ("echo $(cd sub && pwd) && pip install -r requirements.txt", ["at-root"]),
        ("bash -c 'cd sub' && pip install -r requirements.txt", ["at-root"]),  # a child shell's cd stays there
        (
            "pushd sub && pip install -r requirements.txt && popd && pip install -r requirements.txt",
            ["in-sub", "at-root"],
        ),
        ("cd {root}/sub && pip install -r requirements.txt", ["in-sub"]),
        ("cd sub/deeper/.. && uv pip install -r requirements.txt", ["in-sub"]),
        ("cd -P sub && pip install -r requirements.txt", ["in-sub"]),
    ],
)
def test_cd_moves_where_requirements_files_are_read(command: str, expected: list[str], tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("at-root\n")
    (tmp_path / "sub" / "requirements.txt").write_text("in-sub\n")
    found = refs(command.format(root=tmp_path), cwd=str(tmp_path))
    assert [r.canonical for r in found] == expected


@pytest.mark.parametrize("move", ["cd $PROJECT_DIR", "cd -", "cd `pwd`/x"])
def test_a_cd_that_cannot_be_followed_reads_no_file_and_says_so(move: str, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("at-root\n")
    source = Source(f"{move} && pip install -r requirements.txt", SourceKind.SHELL, "s", cwd=str(tmp_path))
    extraction = extract_shell(source, Project())
    assert extraction.refs == ()
    assert [p.message for p in extraction.problems] == [
        "requirements file 'requirements.txt' not read: the command's working directory is unknown after `cd` to "
        "a folder slopguard cannot follow"
    ]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("for p in numpy pandas; do pip install $p; done", ["numpy", "pandas"]),
        ('for pkg in flask "x>=1"; do pip install "${pkg}" && echo ok; done', ["flask", "x"]),
        ("for p in flask django; do pip install $p requests; done", ["flask", "requests", "django"]),
        ("for p in lodash chalk; do npm i $p; done", ["lodash", "chalk"]),
        ('for p in a b; do pip install "$p-dev"; done', []),  # used inside a larger word: not guessed
        ("for p in a b; do pip install ${p%%=*}; done", []),
        ("for f in *.txt; do pip install -r $f; done", []),  # a glob: files only the shell knows
        ("for p in a{b,c}; do pip install $p; done", []),
        ("for p in $LIST; do pip install $p; done", []),
    ],
)
def test_for_loops_over_literal_words_are_read_once_per_word(command: str, expected: list[str]) -> None:
    assert [r.canonical for r in refs(command)] == expected


def test_a_loop_value_stays_one_word() -> None:
    (ref,) = refs("for p in 'requests[socks]>=2; os_name == \"nt\"'; do pip install $p; done")
    assert ref.canonical == "requests" and ref.spec == ">=2"  # the `;` inside did not end the command
    assert ref.evidence == "'requests[socks]>=2; os_name == \"nt\"'"


def test_nested_loops_are_read_within_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from slopguard.extract import shell

    walks = 0
    real = shell._Walker.walk

    def counted(self: shell._Walker, *args: object) -> None:
        nonlocal walks
        walks += 1
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(shell._Walker, "walk", counted)
    words = " ".join(f"p{i}" for i in range(20))
    found = refs(f"for a in {words}; do for b in {words}; do pip install $a $b; done; done")
    assert {r.canonical for r in found} == {f"p{i}" for i in range(20)}
    assert walks <= 1 + shell.MAX_LOOP_BODIES < 1 + 20 + 20 * 20  # not every inner loop was read per word


@pytest.mark.parametrize(
    "command",
    [
        "ssh host 'cd {root} && pip install -r requirements.txt'",
        "docker run --rm -v {root}:/app img pip install -r requirements.txt",
        "kubectl exec pod -- bash -c 'cd {root}; pip install -r requirements.txt'",
    ],
)
def test_files_named_in_a_container_or_on_another_host_are_not_read_here(command: str, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("local-only\n")
    source = Source(command.format(root=tmp_path), SourceKind.SHELL, "s", cwd=str(tmp_path))
    extraction = extract_shell(source, Project())
    assert extraction.refs == ()
    assert [p.message for p in extraction.problems] == [
        "requirements file 'requirements.txt' not read: the command's working directory is unknown in a container "
        "or on another host"
    ]
    after = refs(f"{command.format(root=tmp_path)}; pip install -r requirements.txt", cwd=str(tmp_path))
    assert [r.canonical for r in after] == ["local-only"]  # back on this machine afterwards


def test_a_requirements_file_of_a_folder_that_is_gone_says_so(tmp_path: Path) -> None:
    gone = tmp_path / "deleted-project"
    source = Source("pip install -r requirements.txt", SourceKind.SHELL, "s.jsonl", cwd=str(gone))
    (problem,) = extract_shell(source, Project()).problems
    assert problem.message == f"requirements file 'requirements.txt' not read: its folder {gone} no longer exists"
    tmp_source = Source("pip install -r requirements.txt", SourceKind.SHELL, "s.jsonl", cwd=str(tmp_path))
    (problem,) = extract_shell(tmp_source, Project()).problems
    assert problem.message == f"requirements file 'requirements.txt' not found in {tmp_path}"


@pytest.mark.parametrize(
    "command",
    [
        "xargs pip install < reqs.txt",
        "cat reqs.txt | xargs -n 1 pip install",
        "xargs -a reqs.txt pip install",
        "xargs --arg-file reqs.txt pip install",
        "cd sub && cat ../reqs.txt | xargs -r pip install",
    ],
)
def test_xargs_takes_its_arguments_from_the_file(command: str, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "reqs.txt").write_text("reqeusts\n# a comment\nflask==2.0  # web framework\n")
    found = refs(command, cwd=str(tmp_path))
    assert [(r.canonical, r.spec) for r in found] == [("reqeusts", None), ("flask", "==2.0")]


def test_xargs_without_a_readable_file_reads_nothing_and_says_so(tmp_path: Path) -> None:
    source = Source("cat missing.txt | xargs pip install", SourceKind.SHELL, "s", cwd=str(tmp_path))
    extraction = extract_shell(source, Project())
    assert extraction.refs == ()
    assert [p.message for p in extraction.problems] == [
        "argument file 'missing.txt' not read: No such file or directory"
    ]
    assert refs("echo x | xargs pip install", cwd=str(tmp_path)) == []  # not a file: nothing to read
