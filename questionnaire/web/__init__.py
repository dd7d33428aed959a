"""The web layer: a thin Flask app over the core engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from . import headers
from .api import api
from .config import settings
from .rulesholder import RulesHolder

ROOT = Path(__file__).resolve().parent.parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the app; a broken rule set stops start-up with file:line problems."""
    app = Flask(
        "questionnaire",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(
            Path(test_config["INSTANCE_PATH"]) if test_config and "INSTANCE_PATH" in test_config else ROOT / "instance"
        ),
    )
    app.config.from_mapping(settings(Path(app.instance_path), test_config))
    app.extensions["rules"] = RulesHolder(app.config["RULES_DIR"], hot_reload=app.config["HOT_RELOAD"])
    headers.install(app)
    app.register_blueprint(api)
    return app
