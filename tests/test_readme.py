"""The README opens with the two commands a newcomer needs, and CI runs exactly its test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_install_and_test_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:4]
    assert head[0] == "# slopguard" and head[2] == "```bash"
    install, test = _readme_commands()
    assert "pip install ." in install and "slopguard scan examples/" in install
    example = install.rsplit("slopguard scan ", 1)[1].strip()
    assert (ROOT / example).is_file()
    assert "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test
    assert any(line.startswith("python3 -m venv") for line in ci)
