"""Issue 13 item 5: here-documents and here-strings that write files are read as the files they create.

Through `slopguard scan` (a script and a Claude Code transcript) and the agent hook (with and without
`--edits`), against the loopback fake registry.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fakeregistry import FakeRegistry

from slopguard.extract.prefilter import may_install, may_write_code
from slopguard.hook import run_hook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hook"))
from hook_payloads import claude_payload  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from scanning import scan_file  # noqa: E402

SCRIPT = """#!/bin/sh
set -e
echo start
mkdir -p src && cat > src/app.ts <<'EOF'
import express from 'express'
import { helper } from './helper'
import magic from 'ts-magic-helperz'
EOF
cat <<EOF > tools/run.py
import requests
from runlib import main
import hallucinated_pyzz
EOF
cat <<-EOF | tee cmd/main.go
	package main
	import "github.com/pkg/errors"
	EOF
python3 - <<'PY'
import pandasz_fake
PY
cat > requirements.txt <<EOF
reqeusts-hallu==1.0
EOF
cat > notes.txt <<EOF
import not_code_at_all
EOF
cat > tools/runlib.py <<EOF
def main() -> None: ...
EOF
"""


@pytest.fixture
def world(fake_registry: FakeRegistry) -> FakeRegistry:
    old = {f"1.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)}
    fake_registry.add_npm("express", versions={k: v.replace("Z", ".000Z") for k, v in old.items()}, repository="x/y")
    fake_registry.add_pypi("requests", versions=old, repository="x/y")
    fake_registry.add_go("github.com/pkg/errors", versions={"v0.9.1": "2020-01-14T19:47:44Z"})
    return fake_registry


def _verdicts(report: Any) -> dict[str, tuple[str, list[int]]]:
    return {f["name"]: (f["verdict"], sorted(loc["line"] for loc in f["locations"])) for f in report["findings"]}


def test_script_heredocs_are_read_as_the_files_they_write(
    world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _verdicts(scan_file(world, tmp_path, monkeypatch, "setup.sh", SCRIPT))
    assert found["express"] == ("ok", [5])
    assert found["ts-magic-helperz"] == ("block", [7])
    assert found["requests"] == ("ok", [10])
    assert found["hallucinated-pyzz"][0] == "block"
    assert found["github.com/pkg/errors"] == ("ok", [16])
    assert found["pandasz-fake"] == ("block", [19])  # `python3 - <<PY` runs the text
    assert found["reqeusts-hallu"][0] == "block"  # a manifest, as before
    # the project's own code (written by the same script, or relative) is not looked up
    assert not {"runlib", "helper", "./helper", "not-code-at-all"} & set(found)


def test_here_strings(world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "cat <<< 'import requests' > app.py\npython3 <<< 'import zzfake_herestr'\n"
    found = _verdicts(scan_file(world, tmp_path, monkeypatch, "run.sh", text))
    assert found["requests"] == ("ok", [1]) and found["zzfake-herestr"] == ("block", [2])


def test_transcript_bash_heredoc(world: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command = "cat > server.py <<'EOF'\nimport requests\nimport flask_hallucinated_ext\nEOF"
    record = {
        "type": "assistant",
        "cwd": str(tmp_path / "gone"),
        "sessionId": "s",
        "uuid": "u",
        "message": {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": command}}],
        },
    }
    found = _verdicts(scan_file(world, tmp_path, monkeypatch, "session.jsonl", json.dumps(record) + "\n"))
    assert found == {"requests": ("ok", [1]), "flask-hallucinated-ext": ("block", [1])}


def _hook(registry: FakeRegistry, tmp_path: Path, command: str, *, edits: bool) -> tuple[str, str]:
    payload = claude_payload("Bash", {"command": command}, str(tmp_path))
    result = run_hook("claude-code", payload, registry.settings(tmp_path), allow_edits=edits)
    if not result.stdout.strip():
        return "allow", ""
    out = json.loads(result.stdout).get("hookSpecificOutput", {})
    return out.get("permissionDecision", "allow"), out.get("permissionDecisionReason", "")


def test_hook_checks_code_heredocs_only_with_edits(world: FakeRegistry, tmp_path: Path) -> None:
    command = "cat > src/app.ts <<'EOF'\nimport x from 'ts-magic-helperz'\nEOF"
    assert _hook(world, tmp_path, command, edits=False) == ("allow", "")
    assert world.paths("") == []  # the fast path: nothing looked up
    decision, reason = _hook(world, tmp_path, command, edits=True)
    assert decision == "deny" and "ts-magic-helperz" in reason
    # an install beside it is checked either way, and without --edits its imports are not
    mixed = "pip install requests && python3 - <<'EOF'\nimport zz_not_real_mod\nEOF"
    assert _hook(world, tmp_path, mixed, edits=False)[0] == "allow"
    assert _hook(world, tmp_path, mixed, edits=True)[0] == "deny"


def test_hook_manifest_heredoc_still_checked_without_edits(world: FakeRegistry, tmp_path: Path) -> None:
    command = "cat > requirements.txt <<-EOF\n\treqeusts-hallu\n\tEOF"
    assert _hook(world, tmp_path, command, edits=False)[0] == "deny"


def test_prefilter_stays_linear_and_quiet() -> None:
    assert not may_install("cat > src/app.ts <<'EOF'\nimport x from 'y'\nEOF")
    assert may_write_code("cat > src/app.ts <<'EOF'\nimport x from 'y'\nEOF")
    assert may_write_code("python3 -u - <<EOF\nimport x\nEOF") and may_write_code("node <<< 'require(1)'")
    assert not may_write_code("cat > notes.txt <<EOF\nhi\nEOF") and not may_write_code("ls src/app.ts")
    for hostile in ("python " + "- " * 200_000, "<<" + ".py" * 300_000, "python<<" * 100_000):
        started = time.perf_counter()
        may_write_code(hostile)
        assert time.perf_counter() - started < 0.5


def test_hook_subprocess_with_edits(world: FakeRegistry, tmp_path: Path) -> None:
    import os
    import subprocess

    command = "mkdir -p app && cat > app/main.py <<'EOF'\nimport requests\nimport zz_hallucinated_mod\nEOF"
    payload = claude_payload("Bash", {"command": command}, str(tmp_path))
    env = {**os.environ, **world.env(tmp_path / "cache")}
    repo = Path(__file__).resolve().parents[2]
    replies = []
    for extra in ([], ["--edits"]):
        done = subprocess.run(
            [sys.executable, "-m", "slopguard", "hook", "claude-code", *extra],
            input=payload, capture_output=True, timeout=60, cwd=repo, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        replies.append(done.stdout.decode())
    assert replies[0].strip() == ""  # without --edits: the fast path, allowed at once
    answer = json.loads(replies[1])["hookSpecificOutput"]
    assert answer["permissionDecision"] == "deny" and "zz_hallucinated_mod" in answer["permissionDecisionReason"]
