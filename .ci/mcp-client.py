"""An independent MCP client (the Python SDK from PyPI) against `closednet mcp`.

Run from the repository root: python mcp-client.py PATH/TO/closednet. Starts the server over
stdio, initializes, lists the tools, calls `estimate` on examples/article.yaml and checks that the
JSON equals `closednet estimate --format json` byte for byte, and calls it on a bad file to check
the tool error carries the located message. Exits non-zero on any difference.
"""

import asyncio
import os
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

TOOLS = ["catalog", "check", "compare", "diff", "estimate", "explain", "import", "sweep"]


def fail(message: str) -> None:
    print(f"mcp-client: {message}", file=sys.stderr)
    sys.exit(1)


async def session(binary: str, env: dict[str, str]) -> None:
    server = StdioServerParameters(command=binary, args=["mcp"], env=env)
    async with stdio_client(server) as streams:
        async with ClientSession(*streams) as client:
            init = await client.initialize()
            print(f"initialized: {init.server_info.name} {init.server_info.version}, protocol {init.protocol_version}")
            names = sorted(t.name for t in (await client.list_tools()).tools)
            if names != TOOLS:
                fail(f"tools/list: {names}, expected {TOOLS}")
            print(f"tools/list: {', '.join(names)}")

            result = await client.call_tool("estimate", {"path": "examples/article.yaml"})
            cli = subprocess.run(
                [binary, "estimate", "examples/article.yaml", "--format", "json"],
                env=env, capture_output=True, text=True, check=True,
            ).stdout
            if result.is_error or result.content[0].text != cli:
                fail("estimate: the JSON differs from `closednet estimate --format json`")
            print(f"tools/call estimate: {len(cli)} bytes of JSON, identical to the command's")

            bad = await client.call_tool("estimate", {"path": "tests/fixtures/bad/no-version.yaml"})
            text = bad.content[0].text
            if not bad.is_error or "no-version.yaml:6:11: services[0].type" not in text:
                fail(f"estimate on a bad file: {bad}")
            print("tools/call estimate on a bad file: a tool error at line 6, column 11")


def main() -> None:
    env = dict(os.environ, CLOSEDNET_TODAY="2026-11-30")
    asyncio.run(session(sys.argv[1], env))


if __name__ == "__main__":
    main()
