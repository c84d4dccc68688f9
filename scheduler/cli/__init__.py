"""Command line: `python -m scheduler <command>`. Messages are Chinese unless --lang en."""

from .commands import entry, guarded, main, parser
from . import workspace  # noqa: E402,F401  (adds `workspace` to the parser)
from . import history  # noqa: E402,F401  (adds `history` to the parser)
from . import publish  # noqa: E402,F401  (adds `publish` to the parser)
from . import replan  # noqa: E402,F401  (adds `replan` to the parser)
from . import sweep  # noqa: E402,F401  (adds `sweep` to the parser)

__all__ = ["entry", "guarded", "main", "parser"]
