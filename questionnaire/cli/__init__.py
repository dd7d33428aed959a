"""Run the command line: ``main`` (run.py) parses and dispatches; ``common`` holds what subcommands share.

The authoring commands import ``common`` only, and this package imports nothing when it loads, so
no module imports another in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status (the work is done in run.py)."""
    from .run import main as run  # at call time: loading this package must not load the commands

    return run(argv)
