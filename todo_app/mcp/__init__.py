"""The Model Context Protocol server: the caller's tasks as tools for AI assistants.

`tools.py` declares the tools (each one call into `services/`, for the token's owner),
`http.py` serves them at `/mcp` in the app, `__main__.py` over stdio for desktop assistants.
"""
