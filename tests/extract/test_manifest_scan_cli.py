"""`slopguard scan FILE` on a shell script and on each manifest format, offline, with the slopguard/1 JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from slopguard.cli import main

FILES = {
    "setup.sh": (
        "#!/bin/sh\nset -e\npip install httpx\nnpm i left-pad\necho 'pip install not-this'\n",
        [("npm", "left-pad", 4), ("pypi", "httpx", 3)],
    ),
    "requirements.txt": ("# deps\nrequests>=2\n", [("pypi", "requests", 2)]),
    "pyproject.toml": ('[project]\nname = "x"\ndependencies = [\n  "rich",\n]\n', [("pypi", "rich", 4)]),
    "package.json": ('{\n  "devDependencies": {\n    "vitest": "^1"\n  }\n}\n', [("npm", "vitest", 3)]),
    "go.mod": ("module example.com/me\n\nrequire github.com/pkg/errors v0.9.1\n", [("go", "github.com/pkg/errors", 3)]),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_scan_file_reports_each_reference(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOPGUARD_CACHE_DIR", str(tmp_path / "cache"))
    text, expected = FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    main(["scan", "--offline", "--format", "json", str(path)], stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert report["schema"] == "slopguard/1"
    found = sorted((f["ecosystem"], f["name"], loc["line"]) for f in report["findings"] for loc in f["locations"])
    assert found == sorted(expected)
    assert report["errors"] == []
