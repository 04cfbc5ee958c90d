"""Helpers for the MCP tests: a world on the fake registry, and a session of the SDK's own client over stdio."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
from fakeregistry import FakeRegistry
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

T = TypeVar("T")


def popular_world(registry: FakeRegistry) -> FakeRegistry:
    """`requests` (popular on PyPI, six releases), `left-pad` on npm and `github.com/pkg/errors` on the proxy."""
    registry.add_pypi("requests", versions={f"2.{i}.0": f"201{i}-01-01T00:00:00Z" for i in range(6)})
    registry.add_npm("left-pad", versions={"1.3.0": "2018-04-09T00:00:00.000Z"})
    registry.add_go("github.com/pkg/errors", versions={"v0.9.1": "2020-01-14T19:47:44Z"})
    return registry


def run_session(
    registry: FakeRegistry, cache: Path, cwd: Path, body: Callable[[ClientSession], Awaitable[T]]
) -> T:
    """Spawn `slopguard mcp` in `cwd` (registries: `registry`, cache: `cache`), run `body` on an initialised
    session of the SDK's client, and return what it returns."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "slopguard", "mcp"], env=registry.env(cache), cwd=str(cwd)
    )

    async def main() -> T:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await body(session)

    return anyio.run(main)


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """The JSON a tool answered with (its text content, which must equal its structured content)."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    text = result.content[0].text  # type: ignore[union-attr]
    data: dict[str, Any] = json.loads(text)
    assert data == result.structured_content
    return data
