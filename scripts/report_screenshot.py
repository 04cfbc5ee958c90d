"""Make docs/report.html and docs/report.png: the HTML report of a scan of examples/, shot by headless Chromium.

The scan runs the real `slopguard scan ... --format html` against the loopback fake registry of the tests
(tests/fakeregistry.py), never a live registry, in two passes: the first finds `huggingface-cli` and
`meteo-client` missing (the seen-missing ledger notes it), then the fake world publishes both and the second
pass (record cache emptied, ledger kept) reports them as registered since. Chromium renders the page from its
file URL, as the browser test does (tests/report/test_report_html_browser.py).

    python scripts/report_screenshot.py [--out docs] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakeregistry import FakeRegistry  # noqa: E402

OLD = {"1.0.0": "2015-01-01T00:00:00Z", "2.0.0": "2018-01-01T00:00:00Z", "9.0.0": "2024-07-29T00:00:00Z"}
EXAMPLES = ["examples/claude-session.jsonl", "examples/codex-session.jsonl"]


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _scan(registry: FakeRegistry, cache: Path, output: Path) -> int:
    env = {**os.environ, **registry.env(cache)}
    for name in ("GOPROXY", "GOPRIVATE", "GONOPROXY"):
        env.pop(name, None)
    slopguard = Path(sys.executable).with_name("slopguard")
    command = [str(slopguard), "scan", *EXAMPLES, "--format", "html", "--output", str(output), "--fail-on", "never"]
    print("$ slopguard", " ".join(command[1:]))
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def world(registry: FakeRegistry) -> None:
    """The packages that exist before the first scan: the clean names of the examples and the names the typos
    imitate. This world's tenacity stops at 8.1.0, so the `tenacity>=8.2` the Codex session writes is warned about."""
    for name in ("requests", "pyyaml"):
        registry.add_pypi(name, versions=OLD, repository=f"https://github.com/example/{name}")
    tenacity = {"8.0.0": "2021-07-01T00:00:00Z", "8.1.0": "2022-09-01T00:00:00Z"}
    registry.add_pypi("tenacity", versions=tenacity, repository="https://github.com/jd/tenacity")
    for name in ("left-pad", "chart.js", "react-chartjs-2", "axios"):
        registry.add_npm(name, versions=OLD, repository=f"https://github.com/example/{name}")


def build_report(output: Path) -> None:
    """Scan the examples twice against the fake registry, writing the second report to `output`."""
    with FakeRegistry() as registry, tempfile.TemporaryDirectory() as tmp:
        world(registry)
        first, second = Path(tmp, "first"), Path(tmp, "second")
        if _scan(registry, first, output):
            raise SystemExit("the first scan failed")
        published = datetime.now(timezone.utc) + timedelta(seconds=1)
        registry.add_pypi("huggingface-cli", versions={"0.0.1": _iso(published)})
        registry.add_pypi("meteo-client", versions={"0.1.0": _iso(published)})
        second.mkdir()
        for ledger in first.glob("missing.sqlite3*"):  # keep the first misses, forget the cached records
            shutil.copy(ledger, second / ledger.name)
        if _scan(registry, second, output):
            raise SystemExit("the second scan failed")


def screenshot(page: Path, image: Path, chromium: str, size: str = "1280,1500") -> None:
    """Render `page` from its file URL in headless Chromium and save a PNG of the window."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={size}",
            f"--user-data-dir={profile}", f"--screenshot={image}", page.resolve().as_uri(),
        ]  # fmt: skip
        print("$", " ".join(command))
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for report.html and report.png")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("google-chrome"))
    args = parser.parse_args()
    if not args.chromium:
        parser.error("no Chromium found: install it (Debian: apt-get install chromium) or pass --chromium PATH")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    build_report(out / "report.html")
    screenshot(out / "report.html", out / "report.png", args.chromium)
    print(f"wrote {out / 'report.html'} and {out / 'report.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
