"""Benchmark: read a large, realistic set of Claude Code and Codex transcripts with slopguard.inputs.

Generates at least 200 MB (default 220 MB) of JSONL in a temporary folder, shaped like the samples in
tests/inputs/data (Claude: assistant tool_use / text records, user tool_result records with large outputs,
snapshots and progress records; Codex: session_meta, turn_context, function_call / custom_tool_call /
local_shell_call, large function_call_output, reasoning with encrypted content, event_msg), with a few percent
of shell calls that install packages. Then, each in a fresh process, it times:

- the floor: `json.loads` on every line of the same files;
- `slopguard.inputs.read_inputs` over every file, consuming all Sources;
- the whole `slopguard.check.scan` (reading, extraction, assessment), offline and without a cache, so no
  registry is asked and the figure is the local work a user waits for.

It prints MB/s and peak RSS for both. Target: slopguard >= 30% of the floor's throughput, peak RSS < 150 MB.

    /work/venv/bin/python bench/bench_scan.py [--size-mb 220] [--keep DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INSTALLS = [
    "pip install requests",
    "npm install lodash",
    "pnpm add lucide-react",
    "uv add httpx",
    "pip install -r requirements.txt",
    "go get github.com/spf13/cobra@latest",
    "npx create-next-app@latest web --ts",
]
COMMANDS = ["ls -la", "git status", "pytest -q", "cat README.md", "rg TODO src", "npm run build", "go test ./..."]


def _words(rng: random.Random, n: int) -> str:
    vocab = "the a build test file module import function value return error config install run".split()
    return " ".join(rng.choice(vocab) for _ in range(n))


def _code(rng: random.Random, lines: int, name: str = "src/app.py") -> str:
    """File content in the language its name says, as an agent would write it."""
    if name.endswith(".ts"):
        body = [
            f"export function f{i}(x: number): number {{\n  return x + {rng.randint(0, 99)};\n}}"
            for i in range(lines // 3)
        ]
        return 'import { readFileSync } from "node:fs";\nimport express from "express";\n\n' + "\n".join(body) + "\n"
    if name.endswith(".json"):
        deps = ", ".join(f'"dep-{i}": "^1.{i}.0"' for i in range(rng.randint(1, 6)))
        return '{\n  "name": "app",\n  "version": "1.0.0",\n  "dependencies": {' + deps + "}\n}\n"
    if name.endswith(".md"):
        return "# App\n\n" + _words(rng, lines * 4) + "\n\n```bash\npip install -e .\n```\n"
    body = [f"def f{i}(x):\n    return x + {rng.randint(0, 99)}" for i in range(lines // 2)]
    return "import os\nimport json\n\nimport requests\n\n" + "\n".join(body) + "\n"


def _claude_lines(rng: random.Random, session: str, cwd: str) -> list[dict[str, Any]]:
    """One turn of a Claude Code session: a tool call, its result, maybe a write and an answer."""
    base = {"parentUuid": "p", "isSidechain": rng.random() < 0.1, "userType": "external", "cwd": cwd}
    base |= {"sessionId": session, "version": "2.1.80", "gitBranch": "main"}
    tool_id = f"toolu_{rng.getrandbits(64):016x}"
    command = rng.choice(INSTALLS) if rng.random() < 0.04 else rng.choice(COMMANDS)
    out: list[dict[str, Any]] = [
        base
        | {
            "type": "assistant",
            "uuid": f"a{rng.getrandbits(32)}",
            "message": {
                "id": f"msg_{rng.getrandbits(48):x}",
                "role": "assistant",
                "model": "claude-sonnet-4",
                "content": [{"type": "tool_use", "id": tool_id, "name": "Bash", "input": {"command": command}}],
                "usage": {"input_tokens": 5, "output_tokens": 30},
            },
        },
        base
        | {
            "type": "user",
            "uuid": f"u{rng.getrandbits(32)}",
            "message": {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": tool_id, "content": _words(rng, 1500)}],
            },
            "toolUseResult": {"stdout": _words(rng, 1500), "stderr": "", "interrupted": False, "isImage": False},
        },
    ]
    if rng.random() < 0.3:
        name = rng.choice(["src/app.py", "src/util.ts", "README.md", "package.json"])
        out.append(
            base
            | {
                "type": "assistant",
                "message": {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "tool_use",
                            "id": f"toolu_{rng.getrandbits(64):016x}",
                            "name": "Write",
                            "input": {"file_path": f"{cwd}/{name}", "content": _code(rng, 120, name)},
                        }
                    ],
                },
            }
        )
    if rng.random() < 0.3:
        text = _words(rng, 80) + "\n\n```bash\nnpm run dev\n```\n" + _words(rng, 40)
        out.append(
            base | {"type": "assistant", "message": {"role": "assistant", "content": [{"type": "text", "text": text}]}}
        )
    if rng.random() < 0.2:
        out.append({"type": "file-history-snapshot", "messageId": "m", "snapshot": {"trackedFileBackups": {}}})
        out.append(base | {"type": "progress", "data": {"type": "hook_progress", "hookName": "PostToolUse"}})
    return out


def _codex_lines(rng: random.Random, cwd: str) -> list[dict[str, Any]]:
    """One turn of a Codex rollout."""
    ts = "2026-08-03T10:48:56.000Z"
    call = f"call_{rng.getrandbits(48):x}"
    command = rng.choice(INSTALLS) if rng.random() < 0.04 else rng.choice(COMMANDS)
    layout = rng.random()
    if layout < 0.6:
        payload: dict[str, Any] = {"type": "function_call", "name": "exec_command", "call_id": call}
        payload["arguments"] = json.dumps({"cmd": command, "workdir": cwd, "yield_time_ms": 10000})
    elif layout < 0.8:
        payload = {"type": "function_call", "name": "shell", "call_id": call}
        payload["arguments"] = json.dumps({"command": ["bash", "-lc", command], "workdir": cwd})
    else:
        payload = {"type": "local_shell_call", "call_id": call, "status": "completed"}
        payload["action"] = {"type": "exec", "command": ["bash", "-lc", command], "working_directory": cwd}
    output = _words(rng, 2500)
    secret = base64.b64encode(rng.randbytes(3000)).decode()
    out = [
        {
            "timestamp": ts,
            "type": "response_item",
            "payload": {"type": "reasoning", "summary": [], "encrypted_content": secret},
        },
        {"timestamp": ts, "type": "response_item", "payload": payload},
        {
            "timestamp": ts,
            "type": "response_item",
            "payload": {"type": "function_call_output", "call_id": call, "output": output},
        },
        {
            "timestamp": ts,
            "type": "event_msg",
            "payload": {
                "type": "exec_command_end",
                "call_id": call,
                "command": ["bash", "-lc", command],
                "cwd": cwd,
                "aggregated_output": output,
                "exit_code": 0,
            },
        },
        {
            "timestamp": ts,
            "type": "event_msg",
            "payload": {"type": "token_count", "info": {"total_token_usage": {"input_tokens": 10}}},
        },
    ]
    if rng.random() < 0.15:
        patch = "*** Begin Patch\n*** Add File: src/new.py\n" + "".join(f"+{x}\n" for x in _code(rng, 60).split("\n"))
        patch += "*** End Patch\n"
        out.append(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {"type": "custom_tool_call", "name": "apply_patch", "call_id": call + "p", "input": patch},
            }
        )
    if rng.random() < 0.3:
        text = _words(rng, 120) + "\n\nRun `pytest -q` to check."
        out.append(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]},
            }
        )
    return out


def generate(folder: Path, size_mb: int, seed: int = 7) -> list[Path]:
    """Write about `size_mb` MB of transcripts (half Claude, half Codex) under `folder`; return the files."""
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    written = 0
    files: list[Path] = []
    index = 0
    while written < target:
        index += 1
        cwd = f"/home/dev/project{index % 7}"
        if index % 2:
            path = folder / "claude" / f"project{index % 7}" / f"session-{index:04d}.jsonl"
        else:
            path = folder / "codex" / "sessions" / "2026" / "08" / "03" / f"rollout-{index:04d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            if index % 2 == 0:
                meta = {"id": str(index), "cwd": cwd, "originator": "codex_cli_rs", "cli_version": "0.146.0"}
                meta["base_instructions"] = {"text": _words(rng, 3000)}
                out.write(json.dumps({"timestamp": "t", "type": "session_meta", "payload": meta}) + "\n")
            size = 0
            while size < 4 * 1024 * 1024:
                records = _claude_lines(rng, str(index), cwd) if index % 2 else _codex_lines(rng, cwd)
                for record in records:
                    line = json.dumps(record, separators=(",", ":")) + "\n"
                    out.write(line)
                    size += len(line)
        written += path.stat().st_size
        files.append(path)
    return files


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(mode: str, files: list[str]) -> dict[str, float]:
    """Time one way of reading `files` in this process: `floor` (json.loads per line) or `slopguard`."""
    total = sum(Path(f).stat().st_size for f in files)
    start = time.perf_counter()
    count = 0
    if mode == "floor":
        for name in files:
            with open(name, "rb") as stream:
                for line in stream:
                    json.loads(line)
                    count += 1
    elif mode == "scan":
        from slopguard.check import scan
        from slopguard.config import Settings

        report = scan(files, Settings(offline=True, use_cache=False))
        count = len(report.findings)
    else:
        from slopguard.inputs import read_inputs

        for _ in read_inputs(files):
            count += 1
    elapsed = time.perf_counter() - start
    return {
        "mb": total / 1e6,
        "seconds": elapsed,
        "mb_s": total / 1e6 / elapsed,
        "rss_mb": _peak_rss_mb(),
        "items": count,
    }


def main() -> None:
    """Generate the transcripts, measure both readers in fresh processes, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=220)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (reused if it already has files)")
    parser.add_argument("--measure", choices=["floor", "slopguard", "scan"], help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.files)))
        return
    with tempfile.TemporaryDirectory(prefix="slopguard-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        files = sorted(folder.rglob("*.jsonl")) if args.keep and folder.is_dir() else []
        if not files:
            folder.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            files = generate(folder, args.size_mb)
            print(f"generated {len(files)} files in {time.perf_counter() - started:.1f}s under {folder}")
        results = {}
        for mode in ("floor", "slopguard", "scan"):
            argv = [sys.executable, __file__, "--measure", mode, *map(str, files)]
            done = subprocess.run(argv, capture_output=True, text=True, check=True)
            results[mode] = json.loads(done.stdout)
        floor, ours = results["floor"], results["slopguard"]
        print(f"input: {floor['mb']:.0f} MB in {len(files)} files")
        print(f"floor (json.loads per line): {floor['mb_s']:7.1f} MB/s  peak RSS {floor['rss_mb']:6.1f} MB")
        print(
            f"slopguard.inputs.read_inputs: {ours['mb_s']:7.1f} MB/s  peak RSS {ours['rss_mb']:6.1f} MB"
            f"  ({int(ours['items'])} Sources/Problems)"
        )
        whole = results["scan"]
        print(
            f"slopguard.check.scan (offline):  {whole['mb_s']:7.1f} MB/s  peak RSS {whole['rss_mb']:6.1f} MB"
            f"  ({int(whole['items'])} distinct packages)"
        )
        ratio = ours["mb_s"] / floor["mb_s"]
        print(
            f"reading: {ratio:.0%} of the floor; whole scan: {whole['mb_s'] / floor['mb_s']:.0%} (target >= 30%);"
            " RSS target < 150 MB"
        )


if __name__ == "__main__":
    main()
