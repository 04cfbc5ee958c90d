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


def test_readme_config_example_loads(tmp_path: Path) -> None:
    """The configuration shown in the README is valid and means what it says."""
    from slopguard.config import list_match, load_settings
    from slopguard.models import Ecosystem, Verdict

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = text.split("```toml\n[tool.slopguard]", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text("[tool.slopguard]" + example, encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    assert settings.fail_on is Verdict.BLOCK and settings.on_unknown == "warn"
    assert settings.max_file_bytes == 2 * 1024 * 1024
    assert list_match(settings.allow, Ecosystem.NPM, "@mycorp/ui") == "@mycorp/*"
    assert list_match(settings.deny, Ecosystem.PYPI, "left-pad-py") == "left-pad-py"
    assert settings.pypi_url == "https://pypi.mycorp.example"
    assert dict(settings.npm_scope_registries) == {"@mycorp": "https://npm.mycorp.example"}


def test_security_md_is_linked_and_its_codes_are_real() -> None:
    """SECURITY.md exists, the README links it, and the codes it promises are the ones slopguard emits."""
    from slopguard.models import INCOMPLETE
    from slopguard.report.codes import CODES
    from slopguard.root import OUTSIDE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "](SECURITY.md)" in readme
    reasons = ("unverified-index", "config-changed", "index-changed", "registry-unavailable")
    for code in (*reasons, OUTSIDE, INCOMPLETE):
        assert f"`{code}`" in security, code
    assert all(code in CODES for code in reasons)
