"""Other clients' doors into the workbench: an MCP server (`hrm-reason mcp`) for coding agents
and an OpenAI-compatible HTTP API (`hrm-reason serve`) for chat front ends.

Both talk to the same public faces the CLI uses — the `System` (the seed facade `MultiModelGLMSystem`), the
validators, the knowledge base, the code analyzer — through one `Workbench` per process, so
a tool call does exactly what the matching `hrm-reason` command does.
"""
