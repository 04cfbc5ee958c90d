"""Issue 12, item 7: adversarial shapes of a few hundred KB finish (offline scan in a subprocess) and say what
they hold. Each of these hung or took minutes before (backtracking regexes, per-entry rescans, quadratic
similarity tables); the subprocess timeout is generous, the assertions are about the result, not the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT = 90.0
SIZE = 200_000


def scan(folder: Path, files: dict[str, str], *names: str) -> tuple[int, dict[str, Any], str]:
    """Write `files` into `folder`, run `slopguard scan --offline --format json NAMES` there."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    env["SLOPGUARD_CACHE_DIR"] = str(folder / ".cache")
    done = subprocess.run(
        [sys.executable, "-m", "slopguard", "scan", "--offline", "--format", "json", *(names or tuple(files))],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


def lines_of(report: dict[str, Any]) -> dict[str, list[int]]:
    """Package name -> the lines it was found on."""
    return {f["name"]: sorted(loc["line"] for loc in f["locations"]) for f in report["findings"]}


def test_requirement_followed_by_a_long_whitespace_run(tmp_path: Path) -> None:
    text = "requests" + " " * SIZE + "\n" + "flask  \t" * (SIZE // 8) + "\nreqeusts\n"
    code, report, _ = scan(tmp_path, {"requirements.txt": text})
    assert code == 0
    found = lines_of(report)
    assert found["requests"] == [1] and found["reqeusts"] == [3]


def test_requirement_continued_over_many_blank_lines(tmp_path: Path) -> None:
    text = "requests \\\n" + "   \\\n" * (SIZE // 5) + "\nreqeusts  # typo\n"
    _, report, _ = scan(tmp_path, {"requirements.txt": text})
    found = lines_of(report)
    assert found["requests"] == [1] and found["reqeusts"] == [SIZE // 5 + 3]


def test_environment_yml_and_setup_cfg_with_long_whitespace_runs(tmp_path: Path) -> None:
    files = {
        "environment.yml": "dependencies:\n  - pip:\n    - reqeusts" + " " * SIZE + "x\n    - flask\n",
        "setup.cfg": "[options]\ninstall_requires =\n    numpy" + " " * SIZE + "x\n    colorama\n",
    }
    _, report, _ = scan(tmp_path, files)
    found = lines_of(report)
    assert found["flask"] == [4] and found["colorama"] == [4]
    assert {e["path"] for e in report["errors"]} == {"environment.yml", "setup.cfg"}  # the long lines, named


def test_pyproject_with_tens_of_thousands_of_dependencies(tmp_path: Path) -> None:
    count = 25_000  # 8,000 took 10 s when each entry rescanned the file
    deps = [f'  "{("numpy", "flask", "rich")[i % 3]}>={i}",\n' for i in range(count)]
    deps[5_000] = '  "reqeusts>=1",\n'
    text = '[project]\nname = "x"\ndependencies = [\n' + "".join(deps) + "]\n"
    _, report, _ = scan(tmp_path, {"pyproject.toml": text})
    found = lines_of(report)
    assert found["reqeusts"] == [4 + 5_000]
    assert found["numpy"][:3] == [4, 7, 10]  # each entry at its own line, not all at the first
    assert any("more than 10000 package references" in e["message"] for e in report["errors"])


def test_pipfile_and_poetry_with_many_keys(tmp_path: Path) -> None:
    count = 20_000
    pipfile = "[packages]\n" + "".join(f'pkg{i} = "*"\n' for i in range(count))
    poetry = "[tool.poetry.dependencies]\n" + "".join(f'pkg{i} = "^1"\n' for i in range(count))
    _, report, _ = scan(tmp_path, {"Pipfile": pipfile, "sub/pyproject.toml": poetry})
    found = lines_of(report)
    assert found["pkg0"] == [2, 2] and found["pkg9000"] == [9002, 9002]  # the key's own line in both files


def test_very_long_names_are_checked_without_the_similarity_tables(tmp_path: Path) -> None:
    files = {"install.sh": "pip install " + "\\" * SIZE + "\npip install reqeusts\n"}
    code, report, _ = scan(tmp_path, files)
    assert code in (0, 1)
    found = lines_of(report)
    assert found["reqeusts"] == [2]
    reqeusts = next(f for f in report["findings"] if f["name"] == "reqeusts")
    assert reqeusts["suggestion"] == "requests"  # ordinary names are still compared


def test_gitignore_with_many_stars_against_a_long_file_name(tmp_path: Path) -> None:
    long_name = "a" * 200 + ".py"
    files = {
        "repo/.gitignore": "*a" * 40 + "*b\n" + "/**" * 40 + "/x*x*x*x*x*x*x*x*y\n*.log\n",
        f"repo/{long_name}": "import reqeusts\n",
        "repo/x.log": "pip install ignoredpkg\n",
    }
    _, report, _ = scan(tmp_path, files, "repo")
    found = lines_of(report)
    assert found == {"reqeusts": [1]}  # the long name is matched by neither pattern; `*.log` still ignores x.log


def test_diff_fragment_of_pyproject_with_a_long_whitespace_run(tmp_path: Path) -> None:
    diff = (
        "diff --git a/pyproject.toml b/pyproject.toml\n--- a/pyproject.toml\n+++ b/pyproject.toml\n"
        "@@ -0,0 +1,4 @@\n+[project" + " " * SIZE + "x\n+[project]\n"
        '+dependencies = ["flask"' + " " * SIZE + ',\n+  "reqeusts",\n'
    )
    _, report, _ = scan(tmp_path, {"change.diff": diff})
    found = lines_of(report)
    assert found["reqeusts"] == [4]


def test_tsconfig_full_of_unclosed_comments(tmp_path: Path) -> None:
    files = {
        "web/tsconfig.json": "/* " * (SIZE // 3),
        "web/package.json": '{"name": "web"}',
        "web/app.ts": "import x from 'reqeusts';\n",
    }
    _, report, _ = scan(tmp_path, files, "web")
    assert lines_of(report) == {"reqeusts": [1]}


def test_many_long_names_skip_the_edit_tables(tmp_path: Path) -> None:
    long_names = [f"n{i}-" + "requests" * 50 for i in range(30)] + [f"m{i}-" + "flask" * 47 for i in range(30)]
    text = "".join(f"{name}\n" for name in long_names) + "reqeusts\n"
    _, report, _ = scan(tmp_path, {"requirements.txt": text})
    findings = {f["name"]: f for f in report["findings"]}
    assert len(findings) == 61 and findings["reqeusts"]["suggestion"] == "requests"
    assert all(findings[name]["suggestion"] is None for name in long_names)  # nothing popular is that long
