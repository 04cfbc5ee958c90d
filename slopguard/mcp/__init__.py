"""`slopguard mcp`: a Model Context Protocol server, so an agent asks about a package before it writes it.

`service.Service` holds what the server keeps open between calls (settings, one httpx client, the record
cache) and answers the three tools as plain JSON-able dicts; `snippets` turns a pasted text into Sources;
`server` wires the tools into the official `mcp` SDK (imported only there, only by `slopguard mcp`);
`install` registers the server in each agent's MCP settings (`slopguard install-hook AGENT --mcp`).
"""
