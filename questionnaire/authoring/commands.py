"""Register the authoring subcommands on the command line."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the authoring subcommands (none yet)."""
