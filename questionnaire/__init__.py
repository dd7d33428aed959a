"""Check which fibromyalgia trigger topics may apply: the rule engine, the content loader and the web app."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None, *, diagnose: bool = False) -> Any:
    """Create the Flask app; imported lazily so the core never loads Flask."""
    from .web import create_app as factory

    return factory(test_config, diagnose=diagnose)
