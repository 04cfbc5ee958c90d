"""The MCP server over stdio, built on the official `mcp` SDK (`MCPServer`): three tools over one `Service`.

Imported only by `slopguard mcp`: the SDK (pydantic, anyio, starlette) is far too heavy for the hook's path.
Each tool answers with the JSON as text (ASCII-escaped, as `--format json` prints it) and the same data as
structured content; a bad argument is a tool error the model can read and correct.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from slopguard._version import __version__
from slopguard.errors import SlopguardError
from slopguard.mcp.service import Service
from slopguard.mcp.snippets import KINDS

INSTRUCTIONS = """\
slopguard checks package names against PyPI, npm and the Go module proxy before they are used. Code-writing
models often name packages that do not exist (attackers register those names) or misspell popular ones
(typosquats). Before you add a dependency, write an import of a third-party package, or run or suggest an
install command, ask slopguard. Verdicts: ok (go on), warn (check it is the package you mean), block (do not
use it: take the suggested name, or find the real one in the library's documentation)."""

CHECK_PACKAGES = """\
Check package names before you use them. Call this BEFORE you add a dependency to a manifest
(requirements.txt, pyproject.toml, package.json, go.mod), write an install command (pip, uv, npm, pnpm, yarn,
go get), or import a package you have not seen installed in this project. Each entry is ECOSYSTEM:NAME with an
optional version: "pypi:requests", "pypi:django==5.0", "npm:left-pad", "npm:@scope/pkg@^1.2.0",
"go:github.com/pkg/errors@v0.9.1". Returns, per package, a verdict (ok, warn, block), reasons (code and
message), a suggestion (the popular package a misspelt name probably meant) and registry facts such as the
newest version (registry.latest_version). Never use a package whose verdict is block."""

CHECK_COMMAND = """\
Ask what slopguard's agent hook would decide for a shell command, before you run or suggest it. Call this
BEFORE running any command that installs or runs packages (pip install, uv add, npm install, npx, pnpm dlx,
go get, go install, pipx run, ...). `cwd` is the folder the command would run in (default: the project
folder); files the command names (pip -r requirements.txt) are read only inside the project. Returns the
decision (allow, ask, deny), the hook's message explaining it with the intended package name when one is
known, and the findings per package."""

SCAN_TEXT = f"""\
Scan a piece of text you are about to write for packages that do not exist or imitate popular ones: source code
(its imports), a manifest, a shell script or Dockerfile, a diff, or a Markdown answer with install commands.
Call this BEFORE you write a file that adds imports or dependencies, or before you give the user an answer
with install instructions. `kind` says what the text is: {KINDS}. Imports of this project's own modules are
not looked up. Returns the verdict and, per package, the reasons and suggestion."""


def _result(data: dict[str, Any]) -> CallToolResult:
    """The tool's answer: JSON text for the model, the same data as structured content."""
    text = json.dumps(data, indent=2, ensure_ascii=True)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def _error(exc: Exception) -> CallToolResult:
    text = json.dumps({"error": str(exc)}, ensure_ascii=True)
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def build_server(service: Service) -> MCPServer[Any]:
    """An `MCPServer` named `slopguard` whose three tools answer through `service`."""
    server: MCPServer[Any] = MCPServer(
        name="slopguard", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)

    @server.tool(description=CHECK_PACKAGES, annotations=read_only)
    def check_packages(packages: list[str]) -> CallToolResult:
        try:
            return _result(service.check_packages(packages))
        except SlopguardError as exc:
            return _error(exc)

    @server.tool(description=CHECK_COMMAND, annotations=read_only)
    def check_command(command: str, cwd: str | None = None) -> CallToolResult:
        try:
            return _result(service.check_command(command, cwd))
        except SlopguardError as exc:
            return _error(exc)

    @server.tool(description=SCAN_TEXT, annotations=read_only)
    def scan_text(text: str, kind: str) -> CallToolResult:
        try:
            return _result(service.scan_text(text, kind))
        except SlopguardError as exc:
            return _error(exc)

    return server


def serve(service: Service) -> None:
    """Answer MCP requests on stdin/stdout until the client closes stdin."""
    build_server(service).run("stdio")
