"""Command line: `python -m scheduler <command>`. Messages are Chinese unless --lang en."""

from .commands import entry, guarded, main, parser

__all__ = ["entry", "guarded", "main", "parser"]
